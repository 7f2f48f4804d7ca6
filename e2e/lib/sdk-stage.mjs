/*
 * The stage of the SDK's browser tests: the real Beckon server, a proxy in front of it that
 * serves the test pages and the freshly built SDK and can break the network on demand, and
 * headless Chromium.
 *
 * The server is the built jar (`./beckon build`), started directly so that a test run never
 * rebuilds it; without a jar, `./beckon demo` builds it first. Its demo site allows the
 * server's own origin only, so the proxy forwards ingestion requests without their Origin
 * header: the server takes them, as it takes any request that no page's script sent. The
 * pages and the SDK share the proxy's origin, as on a site that serves Beckon itself.
 *
 * The proxy's `mode` decides what an ingestion request meets:
 * - 'pass': the real server's answer;
 * - 'status500': a 500 from the proxy, and nothing stored;
 * - 'hang': no answer ever (the SDK's request timeout ends it);
 * - 'down': the connection is reset, as by a server that is not running;
 * - 'storeThenHang': the server stores the batch, but its answer never comes back.
 * Every ingestion request that reaches the proxy is recorded, with its mode and its body.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { eventsOfDevice, pollUntil } from './admin-api.mjs';
import { freePort, startBeckon, waitForHealth } from './beckon-server.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SITE_ID = 'demo';
const JAR = path.join(REPO_ROOT, 'server/target/beckon-server.jar');
const SDK_FILE = path.join(REPO_ROOT, 'sdk/web/dist/beckon.js');
const STOP_GRACE_MS = 15_000;

/** Starts the server; call `stop()` in every case. */
export async function startServer() {
  if (!existsSync(JAR)) {
    const server = await startBeckon({ repoRoot: REPO_ROOT });
    await waitForHealth(server);
    return server;
  }
  const workDir = await mkdtemp(path.join(tmpdir(), 'beckon-sdk-e2e-'));
  const logPath = path.join(workDir, 'beckon.log');
  const port = await freePort();
  const adminKey = randomBytes(24).toString('hex');
  const logFd = openSync(logPath, 'a');
  const child = spawn(
    javaBinary(),
    ['--enable-native-access=ALL-UNNAMED', '-jar', JAR, 'serve', '--demo'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', logFd, logFd],
      env: {
        ...process.env,
        BECKON_PORT: String(port),
        BECKON_HOST: '127.0.0.1',
        BECKON_DATA_DIR: path.join(workDir, 'data'),
        BECKON_ADMIN_KEY: adminKey,
      },
    },
  );
  closeSync(logFd);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const server = {
    baseUrl: `http://127.0.0.1:${port}`,
    adminKey,
    workDir,
    logPath,
    exited,
    hasExited: () => child.exitCode !== null || child.signalCode !== null,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (server.hasExited()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  await waitForHealth(server);
  return server;
}

function javaBinary() {
  const homes = [process.env.JAVA_HOME, '/usr/lib/jvm/temurin-25-jdk-amd64'].filter(Boolean);
  const home = homes.find((dir) => existsSync(path.join(dir, 'bin/java')));
  return home ? path.join(home, 'bin/java') : 'java';
}

/**
 * Starts the proxy in front of `server`. `pages` maps a path such as '/a.html' to a
 * function (query) => HTML body.
 */
export async function startProxy(server) {
  const proxy = { mode: 'pass', ingests: [], pages: new Map(), baseUrl: '' };
  const sdkCode = readFileSync(SDK_FILE);

  const http = createServer((request, response) => {
    const url = new URL(request.url, 'http://proxy');
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (url.pathname === '/beckon.js') {
        response.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
        return response.end(sdkCode);
      }
      const page = proxy.pages.get(url.pathname);
      if (page) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return response.end(page(url.searchParams));
      }
      if (url.pathname.startsWith('/ingest/')) {
        return ingest(proxy, server, request, response, url, body);
      }
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  proxy.baseUrl = `http://127.0.0.1:${http.address().port}`;
  proxy.stop = () =>
    new Promise((resolve) => {
      http.closeAllConnections();
      http.close(resolve);
    });
  return proxy;
}

async function ingest(proxy, server, request, response, url, body) {
  const mode = proxy.mode;
  proxy.ingests.push({ mode, bytes: body.length, body: body.toString('utf8'), atMs: Date.now() });
  if (mode === 'down') return request.socket.destroy();
  if (mode === 'hang') return;
  if (mode === 'storeThenHang') {
    await forward(server, request, url, body).catch(() => undefined);
    return;
  }
  if (mode === 'status500') {
    response.writeHead(500, { 'content-type': 'application/json' });
    return response.end('{"error":"injected by the test proxy"}');
  }
  try {
    const answer = await forward(server, request, url, body);
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(answer.text);
  } catch {
    request.socket.destroy();
  }
}

async function forward(server, request, url, body) {
  const answer = await fetch(server.baseUrl + url.pathname, {
    method: 'POST',
    headers: { 'content-type': request.headers['content-type'] || 'text/plain' },
    body,
  });
  return { status: answer.status, text: await answer.text() };
}

/** A page that loads the SDK from the proxy and runs `script` after it. */
export function sdkPage(script, { title = 'SDK test' } = {}) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<script src="/beckon.js"></script>
<script>${script}</script></head><body><h1>${title}</h1><a id="next" href="#">next</a></body></html>`;
}

/** The events the server holds for a device, once `isDone(events)` holds or time is up. */
export function serverEvents(server, deviceId, isDone, timeoutMs = 15_000) {
  return pollUntil(() => eventsOfDevice(server, SITE_ID, deviceId), isDone, { timeoutMs });
}

/** Event names counted: { name: count }. */
export function countByName(events) {
  const counts = {};
  for (const event of events) counts[event.name] = (counts[event.name] || 0) + 1;
  return counts;
}

/** The ids that occur more than once. */
export function repeatedIds(events) {
  const seen = new Set();
  const repeated = new Set();
  for (const event of events) {
    if (seen.has(event.id)) repeated.add(event.id);
    seen.add(event.id);
  }
  return [...repeated];
}

/**
 * Opens, in `context`, a page of the proxy at `path` that loads the SDK and calls
 * init('demo', options); resolves once init has called back. `page.errors` collects what
 * the page threw.
 */
export async function openSdkPage(
  proxy,
  context,
  { path = '/page.html', options = {}, script = '' } = {},
) {
  const init =
    `Beckon.init(${JSON.stringify(SITE_ID)}, ${JSON.stringify(options)},` +
    ` function () { window.beckonReady = true; },` +
    ` function (failure) { window.beckonFailure = failure; });`;
  proxy.pages.set(path, () => sdkPage(init + script));
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  await page.goto(proxy.baseUrl + path);
  await page.waitForFunction(() => window.beckonReady || window.beckonFailure);
  return page;
}

/** The ingestion bodies that reached the proxy, parsed, with the events of `deviceId`. */
export function ingestedEvents(proxy, deviceId) {
  return proxy.ingests
    .flatMap((ingest) => {
      try {
        return JSON.parse(ingest.body).events || [];
      } catch {
        return [];
      }
    })
    .filter((event) => event.deviceId === deviceId);
}

/**
 * Chromium as lib/chromium.mjs launches it, but with the back-forward cache on: Playwright
 * turns it off by default (--disable-back-forward-cache).
 */
export function launchChromiumWithBackForwardCache() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  });
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
