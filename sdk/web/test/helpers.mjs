// Small helpers that keep the tests to arrange, act and assert.
import assert from 'node:assert/strict';
import { createBrowser } from './fake-browser.mjs';

export const SITE_ID = 'site-1';
export const ENDPOINT = 'https://beckon.test';
export const INGEST_URL = ENDPOINT + '/ingest/' + SITE_ID;

/** A browser with one page that has loaded the build and called init. */
export function startPage(build, options = {}, browser = createBrowser()) {
  const page = browser.openPage({ code: build.code });
  const outcome = { successCount: 0, failures: [] };
  page.Beckon.init(
    SITE_ID,
    { endpoint: ENDPOINT, ...options },
    () => outcome.successCount++,
    (failure) => outcome.failures.push(failure),
  );
  return { browser, page, Beckon: page.Beckon, outcome };
}

/** The names of the events the server received, in order, without session boundaries. */
export function appEventNames(browser) {
  return browser
    .sentEvents()
    .map((event) => event.name)
    .filter((name) => name[0] !== '$');
}

/** The one event named name that the server received. */
export function sentEvent(browser, name) {
  const events = browser.sentEvents().filter((event) => event.name === name);
  assert.equal(events.length, 1, 'expected one event named ' + name);
  return events[0];
}

/** The events stored by the server, in order of clientTime. */
export function storedEvents(browser) {
  return [...browser.server.stored.values()].sort((a, b) => a.clientTime - b.clientTime);
}

/** The SDK's localStorage record of waiting events, as parsed JSON, or null. */
export function queueRecords(browser) {
  return [...browser.storage.items]
    .filter(([key]) => key.startsWith('beckon:' + SITE_ID + ':queue:'))
    .map(([, value]) => JSON.parse(value));
}
