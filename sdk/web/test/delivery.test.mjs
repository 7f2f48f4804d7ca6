import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser, settle } from './fake-browser.mjs';
import { appEventNames, queueRecords, startPage, storedEvents } from './helpers.mjs';

/** Answers requests with status (or 'network-error', 'hang') count times, then normally. */
function failFor(browser, count, answer) {
  let left = count;
  browser.server.respond = () => (left-- > 0 ? answer : undefined);
}

function requestTimes(browser, startMs) {
  return browser.requests.map((request) => request.atMs - startMs);
}

forEachBuild('delivery', (build) => {
  test('a batch leaves as soon as batchSize events wait', async () => {
    const { browser, Beckon } = startPage(build, { batchSize: 5 });

    for (let i = 0; i < 4; i++) Beckon.logEvent('VIEW');
    await browser.advance(0);

    assert.equal(browser.requests.length, 1);
    assert.equal(browser.requests[0].batch.events.length, 5);
  });

  test('waiting events leave after flushIntervalMs', async () => {
    const { browser, Beckon } = startPage(build, { flushIntervalMs: 500 });

    Beckon.logEvent('VIEW');
    await browser.advance(499);
    const before = browser.requests.length;
    await browser.advance(1);

    assert.equal(before, 0);
    assert.equal(browser.requests.length, 1);
  });

  test('a request carries every waiting event, up to 500, and the rest follow at once', async () => {
    const { browser, Beckon } = startPage(build, { batchSize: 10 });
    browser.server.respond = () => 'hang';
    Beckon.logEvent('VIEW', { i: 0 });
    await browser.advance(2000);
    for (let i = 1; i < 1200; i++) Beckon.logEvent('VIEW', { i });
    browser.server.respond = () => undefined;

    await browser.advance(10_000 + 3000);

    assert.deepEqual(
      browser.requests.map((request) => request.batch.events.length),
      [2, 500, 500, 201],
      'the first two, then all again once the first request has timed out',
    );
    assert.equal(storedEvents(browser).length, 1201);
  });

  test('duplicate retry keeps the event id', async () => {
    const { browser, Beckon } = startPage(build);
    failFor(browser, 1, { status: 503, body: { error: 'disk full' } });

    Beckon.logEvent('ADD_TO_CART', { value: 1299 });
    await browser.advance(2000 + 60_000);

    assert.equal(browser.requests.length, 2);
    const [first, retry] = browser.requests.map((request) => request.batch.events);
    assert.deepEqual(retry, first);
    assert.equal(storedEvents(browser).length, 2);
  });

  test('a retry after an unseen acknowledgement is stored once by id', async () => {
    const { browser, Beckon } = startPage(build);
    let first = true;
    browser.server.respond = (request) => {
      if (!first) return undefined;
      first = false;
      browser.server.receive(request);
      return 'network-error';
    };

    Beckon.logEvent('ADD_TO_CART');
    await browser.advance(2000 + 60_000);

    assert.equal(browser.requests.length, 2);
    assert.equal(storedEvents(browser).length, 2, '$session_start and ADD_TO_CART');
  });

  test('retries back off exponentially with full jitter', async () => {
    const { browser, Beckon } = startPage(build);
    const startMs = browser.nowMs;
    failFor(browser, 4, { status: 500 });
    browser.random = () => 0.5;

    Beckon.logEvent('VIEW');
    await browser.advance(60_000);

    // Flush at 2000, then half of 2 s, 4 s, 8 s and 16 s after each failure.
    assert.deepEqual(requestTimes(browser, startMs), [2000, 3000, 5000, 9000, 17000]);
  });

  test('429 and 5xx answers are retried with backoff', async () => {
    for (const status of [429, 500, 502, 503, 504]) {
      const { browser, Beckon } = startPage(build);
      const startMs = browser.nowMs;
      failFor(browser, 1, { status, body: { error: 'later' } });

      Beckon.logEvent('VIEW');
      await browser.advance(60_000);

      assert.deepEqual(requestTimes(browser, startMs), [2000, 3000], 'status ' + status);
      assert.equal(storedEvents(browser).length, 2);
    }
  });

  test('the backoff stops growing at 5 minutes', async () => {
    const { browser, Beckon } = startPage(build);
    failFor(browser, 12, { status: 503 });
    browser.random = () => 0.999;

    Beckon.logEvent('VIEW');
    await browser.advance(60 * 60_000);

    const gaps = browser.requests.slice(1).map((r, i) => r.atMs - browser.requests[i].atMs);
    assert.ok(Math.max(...gaps) <= 5 * 60_000, String(gaps));
    assert.ok(Math.max(...gaps) > 4.9 * 60_000, String(gaps));
    assert.equal(storedEvents(browser).length, 2);
  });

  test('network errors are retried, and coming back online retries at once', async () => {
    const { browser, Beckon, page } = startPage(build);
    const startMs = browser.nowMs;
    failFor(browser, 1, 'network-error');
    browser.random = () => 0.99;

    Beckon.logEvent('VIEW');
    await browser.advance(2100);
    page.goOnline();
    await browser.advance(0);

    assert.deepEqual(requestTimes(browser, startMs), [2000, 2100]);
    assert.deepEqual(appEventNames(browser), ['VIEW', 'VIEW']);
    assert.equal(storedEvents(browser).length, 2);
  });

  test('a request without an answer times out after 10 s and is retried', async () => {
    const { browser, Beckon } = startPage(build);
    const startMs = browser.nowMs;
    failFor(browser, 1, 'hang');
    browser.random = () => 0;

    Beckon.logEvent('VIEW');
    await browser.advance(20_000);

    assert.deepEqual(requestTimes(browser, startMs), [2000, 12000]);
    assert.equal(storedEvents(browser).length, 2);
  });

  test('a rejected event is dropped, the others are acknowledged', async () => {
    const { browser, Beckon } = startPage(build);
    browser.server.rejectIf = (event) => (event.name === 'BAD' ? 'name: not allowed' : null);

    Beckon.logEvent('GOOD');
    Beckon.logEvent('BAD');
    Beckon.logEvent('ALSO_GOOD');
    await browser.advance(60_000);

    assert.equal(browser.requests.length, 1);
    assert.deepEqual(
      storedEvents(browser).map((event) => event.name),
      ['$session_start', 'GOOD', 'ALSO_GOOD'],
    );
    assert.deepEqual(queueRecords(browser), []);
  });

  test('a 4xx other than 408, 413 and 429 drops the whole batch', async () => {
    for (const status of [400, 403, 404, 415]) {
      const { browser, Beckon } = startPage(build);
      browser.server.respond = () => ({ status, body: { error: 'no' } });

      Beckon.logEvent('VIEW');
      await browser.advance(60_000);

      assert.equal(browser.requests.length, 1, 'status ' + status);
      assert.deepEqual(queueRecords(browser), []);
    }
  });

  test('408 is retried', async () => {
    const { browser, Beckon } = startPage(build);
    failFor(browser, 1, { status: 408 });

    Beckon.logEvent('VIEW');
    await browser.advance(60_000);

    assert.equal(browser.requests.length, 2);
  });

  test('413 splits the batch in halves, keeping ids and order', async () => {
    const { browser, Beckon } = startPage(build, { batchSize: 8 });
    browser.server.respond = (request) =>
      request.batch.events.length > 2 ? { status: 413, body: { error: 'too large' } } : undefined;

    for (let i = 0; i < 7; i++) Beckon.logEvent('VIEW', { i });
    await browser.advance(60_000);

    assert.deepEqual(
      browser.requests.map((request) => request.batch.events.length),
      [8, 4, 2, 2, 2, 2],
    );
    const firstIds = browser.requests[0].batch.events.map((event) => event.id);
    assert.deepEqual(
      storedEvents(browser).map((event) => event.id),
      firstIds,
    );
  });

  test('a single event answered 413 is dropped', async () => {
    const { browser, Beckon } = startPage(build, { batchSize: 1 });
    browser.server.respond = () => ({ status: 413, body: { error: 'too large' } });

    Beckon.logEvent('HUGE');
    await browser.advance(60_000);

    assert.equal(browser.requests.length, 3, '$session_start and HUGE together, then alone');
    assert.deepEqual(queueRecords(browser), []);
  });

  test('a 2xx without the protocol answer is retried', async () => {
    const { browser, Beckon } = startPage(build);
    failFor(browser, 2, { status: 200, body: '<html>captive portal</html>' });

    Beckon.logEvent('VIEW');
    await browser.advance(60_000);

    assert.equal(browser.requests.length, 3);
    assert.equal(storedEvents(browser).length, 2);
  });

  test('events stay in localStorage until acknowledged', async () => {
    const { browser, Beckon } = startPage(build);
    failFor(browser, 1, { status: 503 });

    Beckon.logEvent('VIEW');
    await browser.advance(2000);
    const whileFailing = queueRecords(browser);
    await browser.advance(60_000);

    assert.equal(whileFailing.length, 1);
    assert.deepEqual(
      whileFailing[0].events.map((event) => event.name),
      ['$session_start', 'VIEW'],
    );
    assert.deepEqual(queueRecords(browser), []);
  });

  test('offline periods lose nothing, even across a crash and a new page', async () => {
    const browser = createBrowser();
    browser.server.respond = () => 'network-error';
    const first = startPage(build, {}, browser);
    for (let i = 0; i < 30; i++) first.Beckon.logEvent('OFFLINE', { i });
    await browser.advance(30_000);
    first.page.crash();

    await browser.advance(60_000);
    browser.server.respond = () => undefined;
    const second = startPage(build, {}, browser);
    second.Beckon.logEvent('ONLINE');
    await browser.advance(10_000);

    const names = storedEvents(browser).map((event) => event.name);
    assert.equal(names.filter((name) => name === 'OFFLINE').length, 30);
    assert.equal(names.filter((name) => name === 'ONLINE').length, 1);
    assert.deepEqual(queueRecords(browser), []);
  });

  test('a page does not take over the queue of a tab that is still open', async () => {
    const browser = createBrowser();
    browser.server.respond = () => 'network-error';
    const first = startPage(build, {}, browser);
    first.Beckon.logEvent('FIRST_TAB');
    await browser.advance(5000);

    const second = startPage(build, {}, browser);
    second.Beckon.logEvent('SECOND_TAB');
    await browser.advance(0);

    assert.equal(queueRecords(browser).length, 2, 'each tab keeps its own record');
    assert.ok(queueRecords(browser).some((r) => r.events.some((e) => e.name === 'FIRST_TAB')));
    assert.ok(second.Beckon.getClientId());
  });

  test('full queue drops oldest and reports the count', async () => {
    const { browser, Beckon } = startPage(build, { maxQueueEvents: 5 });
    browser.server.respond = () => 'network-error';

    for (let i = 0; i < 8; i++) Beckon.logEvent('VIEW', { i });
    await browser.advance(0);
    browser.server.respond = () => undefined;
    await browser.advance(5 * 60_000);

    const reported = browser.requests.map((request) => request.batch.dropped);
    assert.deepEqual(new Set(reported), new Set([4]), 'the $session_start and VIEW 0 to 2');
    assert.deepEqual(
      storedEvents(browser).map((event) => event.properties.i),
      [3, 4, 5, 6, 7],
    );
    assert.deepEqual(queueRecords(browser), [], 'the count is forgotten once reported');
  });

  test('the queue is bounded in bytes as well', async () => {
    const { browser, Beckon } = startPage(build, { maxQueueBytes: 8 * 1024 });
    browser.server.respond = () => 'network-error';

    for (let i = 0; i < 20; i++) Beckon.logEvent('BIG', { i, text: 'x'.repeat(1000) });
    await browser.advance(0);

    const [record] = queueRecords(browser);
    const eventBytes = record.events.reduce((sum, e) => sum + JSON.stringify(e).length, 0);
    assert.ok(eventBytes <= 8 * 1024, String(eventBytes));
    assert.ok(eventBytes + 1200 > 8 * 1024, 'only the oldest were dropped');
    assert.equal(record.dropped, 21 - record.events.length);
    assert.equal(record.events[record.events.length - 1].properties.i, 19);
  });

  test('a burst of calls writes localStorage once, after the burst', async () => {
    const { browser, Beckon } = startPage(build);
    await browser.advance(0);
    const accessesBefore = browser.storage.accesses;

    for (let i = 0; i < 1000; i++) Beckon.logEvent('BURST', { i });
    const duringBurst = browser.storage.accesses - accessesBefore;
    await settle();

    assert.equal(duringBurst, 0, 'the events are filed when the task ends');
    assert.equal(
      browser.storage.accesses - accessesBefore,
      3,
      'which reads the session, then writes it and the queue',
    );
  });
});
