/*
 * The few calls of Beckon's admin REST API that the end-to-end tests make, authenticated
 * with the admin key that the test handed to the server.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** GETs an admin API path and returns its JSON body; any status but 200 is an error. */
export async function adminGet(server, pathAndQuery) {
  const response = await fetch(`${server.baseUrl}${pathAndQuery}`, {
    headers: { Authorization: `Bearer ${server.adminKey}`, Accept: 'application/json' },
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  if (response.status !== 200) {
    throw new Error(`GET ${pathAndQuery} answered ${response.status}: ${body.slice(0, 500)}`);
  }
  return JSON.parse(body);
}

/** A device's events on a site, newest first, as the admin API lists them. */
export async function eventsOfDevice(server, siteId, deviceId) {
  const query = new URLSearchParams({ deviceId, limit: '1000' });
  const body = await adminGet(
    server,
    `/api/v1/sites/${encodeURIComponent(siteId)}/events?${query}`,
  );
  if (!Array.isArray(body.events)) {
    throw new Error(`the events list has no "events" array: ${JSON.stringify(body).slice(0, 500)}`);
  }
  return body.events;
}

/**
 * Calls `load` every `intervalMs` until `isDone(result)` holds or `timeoutMs` has passed,
 * and returns the last result either way: the caller's assertions then say what is missing.
 */
export async function pollUntil(load, isDone, { timeoutMs = 15_000, intervalMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let result = await load();
  while (!isDone(result) && Date.now() < deadline) {
    await sleep(intervalMs);
    result = await load();
  }
  return result;
}
