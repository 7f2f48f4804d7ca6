// A small fake browser for the SDK's tests. One browser holds what tabs of one site share
// (localStorage, the clock, the network and the Beckon server at the other end); each page
// is a fresh vm context that loads an SDK build from source text, as a script tag would.
//
// Time only moves when a test says so (advance), and timers of all open pages fire in due
// order. Storage can be made to fail, sendBeacon to refuse, and the server to answer
// anything.
import { webcrypto } from 'node:crypto';
import vm from 'node:vm';

export const START_MS = 1_764_791_400_000;
export const SCRIPT_SRC = 'https://cdn.beckon.test/sdk/beckon.js';
export const PAGE_ORIGIN = 'https://shop.example';

export function createBrowser(options = {}) {
  const browser = {
    nowMs: START_MS,
    random: () => 0.5,
    storage: createStorage(),
    server: createServer(),
    requests: [],
    gets: [],
    beacons: [],
    beaconAccepts: () => true,
    navigator: { doNotTrack: null, ...options.navigator },
    pages: [],
    timers: [],
    nextTimerId: 1,
  };

  browser.openPage = (pageOptions) => openPage(browser, pageOptions);

  /** Moves the clock forward, firing due timers in order and letting promises settle. */
  browser.advance = async (ms) => {
    const endMs = browser.nowMs + ms;
    await settle();
    for (;;) {
      const due = browser.timers
        .filter((timer) => timer.dueMs <= endMs)
        .sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0];
      if (!due) break;
      browser.timers.splice(browser.timers.indexOf(due), 1);
      browser.nowMs = Math.max(browser.nowMs, due.dueMs);
      due.callback();
      await settle();
    }
    browser.nowMs = endMs;
    await settle();
  };

  /** Every event that reached the server, by request or beacon, in arrival order. */
  browser.sentEvents = () =>
    [...browser.requests, ...browser.beacons]
      .sort((a, b) => a.seq - b.seq)
      .flatMap((request) => request.batch.events);

  return browser;
}

/** Lets pending promise callbacks run, several rounds deep. */
export async function settle() {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

let requestSeq = 0;

function openPage(browser, { code, beforeLoad } = {}) {
  const windowEvents = new EventTarget();
  const documentEvents = new EventTarget();
  const console = { lines: [], log: (...args) => console.lines.push(args) };
  const page = { closed: false, console, listenerTypes: [] };

  const document = {
    visibilityState: 'visible',
    title: 'Shop',
    referrer: 'https://search.example/',
    currentScript: null,
    head: { appendChild: (element) => page.insertedScripts.push(element) },
    createElement: (tag) => ({ tagName: tag.toUpperCase() }),
    addEventListener: (type, listener) => {
      page.listenerTypes.push(type);
      documentEvents.addEventListener(type, listener);
    },
  };
  page.insertedScripts = [];

  const sandbox = {
    console,
    document,
    crypto: webcrypto,
    btoa,
    AbortController,
    TextEncoder,
    location: { origin: PAGE_ORIGIN, pathname: '/products/42', href: PAGE_ORIGIN },
    navigator: {
      ...browser.navigator,
      sendBeacon: (url, body) => {
        if (page.closed) throw new Error('a closed page sent a beacon');
        const accepted = browser.beaconAccepts(body);
        const beacon = record(browser, page, url, body, 'text/plain;charset=UTF-8');
        if (accepted) {
          browser.beacons.push(beacon);
          browser.server.receive(beacon);
        }
        return accepted;
      },
    },
    fetch: (url, init) => fetchFromPage(browser, page, url, init),
    setTimeout: (callback, delayMs = 0) => addTimer(browser, page, callback, delayMs),
    clearTimeout: (id) => {
      browser.timers = browser.timers.filter((timer) => timer.id !== id);
    },
    addEventListener: (type, listener) => {
      page.listenerTypes.push(type);
      windowEvents.addEventListener(type, listener);
    },
    ...browser.globals,
  };
  Object.defineProperty(sandbox, 'localStorage', {
    get: () => browser.storage.api(),
  });
  sandbox.window = sandbox;
  const context = vm.createContext(sandbox);
  const contextDate = vm.runInContext('Date', context);
  contextDate.now = () => browser.nowMs;
  vm.runInContext('Math', context).random = () => browser.random();

  page.window = sandbox;
  page.run = (source) => vm.runInContext(source, context);
  page.load = (source, src = SCRIPT_SRC) => {
    document.currentScript = { src };
    try {
      vm.runInContext(source, context);
    } finally {
      document.currentScript = null;
    }
  };
  page.hide = () => {
    document.visibilityState = 'hidden';
    documentEvents.dispatchEvent(new Event('visibilitychange'));
  };
  page.show = () => {
    document.visibilityState = 'visible';
    documentEvents.dispatchEvent(new Event('visibilitychange'));
  };
  page.goOnline = () => windowEvents.dispatchEvent(new Event('online'));
  /** Fires an event at the window, such as popstate or pageshow. */
  page.dispatch = (event) => windowEvents.dispatchEvent(event);
  /** Leaves the page as a navigation does (HTML spec order): pagehide, hidden, then gone. */
  page.leave = () => {
    windowEvents.dispatchEvent(new Event('pagehide'));
    page.hide();
    page.crash();
  };
  /** Leaves the page with the events in the other order, as some browsers fire them. */
  page.leaveHiddenFirst = () => {
    page.hide();
    windowEvents.dispatchEvent(new Event('pagehide'));
    page.crash();
  };
  /** Ends the page without any event, as a crashed tab or a killed browser does. */
  page.crash = () => {
    page.closed = true;
    browser.timers = browser.timers.filter((timer) => timer.page !== page);
  };

  if (beforeLoad) beforeLoad(page);
  if (code) page.load(code);
  page.Beckon = sandbox.Beckon;
  browser.pages.push(page);
  return page;
}

function addTimer(browser, page, callback, delayMs) {
  const timer = { id: browser.nextTimerId++, page, callback, dueMs: browser.nowMs + delayMs };
  browser.timers.push(timer);
  return timer.id;
}

function record(browser, page, url, body, contentType, extra = {}) {
  if (typeof body !== 'string') throw new Error('body must be a string');
  return {
    seq: requestSeq++,
    page,
    url,
    body,
    bytes: Buffer.byteLength(body),
    contentType,
    batch: withBatchFields(JSON.parse(body)),
    atMs: browser.nowMs,
    ...extra,
  };
}

// The fields that docs/ingestion-protocol.md lets a batch give once, for every event that
// does not give its own; the tests read events as the server does.
const BATCH_FIELDS = ['deviceId', 'userId', 'sessionId', 'version'];

function withBatchFields(batch) {
  for (const event of batch.events) {
    for (const field of BATCH_FIELDS) {
      if (!(field in event) && field in batch) event[field] = batch[field];
    }
    if (event.userId === null) delete event.userId;
  }
  return batch;
}

function fetchFromPage(browser, page, url, init) {
  if (init.body === undefined) return getFromPage(browser, url, init);
  // As fetch does, a string body without a Content-Type header goes as text/plain.
  const headers = init.headers || {};
  const contentType = headers['Content-Type'] || 'text/plain;charset=UTF-8';
  const request = record(browser, page, url, init.body, contentType, {
    method: init.method,
    keepalive: init.keepalive === true,
    credentials: init.credentials,
  });
  browser.requests.push(request);
  return new Promise((resolve, reject) => {
    const answer = browser.server.answer(request);
    const abort = () => reject(new DOMException('The operation was aborted.', 'AbortError'));
    if (init.signal) init.signal.addEventListener('abort', abort);
    if (answer === 'network-error') return reject(new TypeError('Failed to fetch'));
    if (answer === 'hang') return;
    const { status = 200, body = '', headers: answerHeaders = {} } = answer;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    resolve(new Response(status === 204 ? null : text, { status, headers: answerHeaders }));
  });
}

// A GET, such as the nudges plugin's config: recorded apart from the ingestion requests, and
// answered by server.get (404 unless a test says otherwise).
async function getFromPage(browser, url, init) {
  const request = { url, headers: { ...init.headers }, atMs: browser.nowMs };
  browser.gets.push(request);
  const { status = 200, body = '', headers = {} } = browser.server.get(request);
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(status === 304 ? null : text, { status, headers });
}

/**
 * A Beckon server that follows docs/ingestion-protocol.md: it stores each event id once and
 * answers {accepted, duplicates, rejected}. Tests replace `respond` to answer otherwise for
 * a while; returning undefined falls back to the protocol's answer.
 */
function createServer() {
  const server = {
    stored: new Map(),
    rejectIf: () => null,
    respond: () => undefined,
    get: () => ({ status: 404 }),
    receive(request) {
      let accepted = 0;
      let duplicates = 0;
      const rejected = [];
      request.batch.events.forEach((event, index) => {
        const reason = server.rejectIf(event);
        if (reason) rejected.push({ index, id: event.id, reason });
        else if (server.stored.has(event.id)) duplicates++;
        else {
          server.stored.set(event.id, event);
          accepted++;
        }
      });
      return { accepted, duplicates, rejected };
    },
    answer(request) {
      const special = server.respond(request);
      if (special !== undefined) return special;
      return { status: 200, body: server.receive(request) };
    },
  };
  return server;
}

/** localStorage, shared by the pages of one browser, that can be made to fail. */
function createStorage() {
  const items = new Map();
  const storage = {
    items,
    accesses: 0,
    /** 'ok', 'blocked' (the localStorage getter throws) or 'broken' (every call throws). */
    mode: 'ok',
    quotaBytes: Infinity,
    usedBytes: () => [...items].reduce((sum, [key, value]) => sum + key.length + value.length, 0),
    api() {
      storage.accesses++;
      if (storage.mode === 'blocked') throw new DOMException('denied', 'SecurityError');
      return api;
    },
  };
  const check = () => {
    storage.accesses++;
    if (storage.mode === 'broken') throw new DOMException('storage broken', 'InvalidStateError');
  };
  const api = {
    get length() {
      check();
      return items.size;
    },
    key(index) {
      check();
      return [...items.keys()][index] ?? null;
    },
    getItem(key) {
      check();
      return items.has(key) ? items.get(key) : null;
    },
    setItem(key, value) {
      check();
      const previous = items.get(key);
      items.set(key, String(value));
      if (storage.usedBytes() > storage.quotaBytes) {
        if (previous === undefined) items.delete(key);
        else items.set(key, previous);
        throw new DOMException('quota exceeded', 'QuotaExceededError');
      }
    },
    removeItem(key) {
      check();
      items.delete(key);
    },
  };
  return storage;
}
