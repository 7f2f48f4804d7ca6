import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser } from './fake-browser.mjs';
import { INGEST_URL, queueRecords, startPage, storedEvents } from './helpers.mjs';

const KEEPALIVE_LIMIT_BYTES = 64 * 1024;

forEachBuild('leaving the page', (build) => {
  test('hiding the page sends waiting events by beacon, as text/plain JSON', async () => {
    const { browser, Beckon, page } = startPage(build);
    Beckon.logEvent('ADD_TO_CART', { value: 1299 });

    page.hide();

    assert.equal(browser.beacons.length, 1);
    const beacon = browser.beacons[0];
    assert.equal(beacon.url, INGEST_URL);
    assert.equal(beacon.contentType, 'text/plain;charset=UTF-8');
    assert.deepEqual(
      beacon.batch.events.map((event) => event.name),
      ['$session_start', 'ADD_TO_CART'],
    );
    await browser.advance(60_000);
    assert.equal(browser.requests.length, 0, 'beaconed events are not sent twice by the page');
  });

  test('pagehide sends by beacon too, and no unload or beforeunload handler exists', () => {
    const { browser, Beckon, page } = startPage(build);
    Beckon.logEvent('LEAVING');

    page.leave();

    assert.ok(browser.beacons.some((b) => b.batch.events.some((e) => e.name === 'LEAVING')));
    assert.ok(!page.listenerTypes.includes('unload'));
    assert.ok(!page.listenerTypes.includes('beforeunload'));
    assert.ok(page.listenerTypes.includes('pagehide'));
    assert.ok(page.listenerTypes.includes('visibilitychange'));
  });

  test('keep-alive bodies share 64 KiB; what does not fit waits, stored, for the next page', async () => {
    const browser = createBrowser();
    const first = startPage(build, {}, browser);
    browser.server.respond = () => 'network-error';
    for (let i = 0; i < 40; i++) first.Beckon.logEvent('BIG', { i, text: 'é'.repeat(4000) });
    await browser.advance(0);

    first.page.leave();
    const beaconBytes = browser.beacons.reduce((sum, beacon) => sum + beacon.bytes, 0);
    const beaconed = browser.beacons.flatMap((beacon) => beacon.batch.events);
    browser.server.respond = () => undefined;
    startPage(build, {}, browser);
    await browser.advance(5000);

    assert.ok(beaconBytes <= KEEPALIVE_LIMIT_BYTES, String(beaconBytes));
    assert.ok(beaconed.length >= 5, String(beaconed.length));
    const big = storedEvents(browser).filter((event) => event.name === 'BIG');
    assert.deepEqual(
      big.map((event) => event.properties.i),
      Array.from({ length: 40 }, (_, i) => i),
    );
  });

  test('a refused beacon keeps its events for the next page load', async () => {
    const browser = createBrowser();
    const first = startPage(build, {}, browser);
    browser.beaconAccepts = () => false;
    first.Beckon.logEvent('REFUSED');

    first.page.leave();
    browser.beaconAccepts = () => true;
    startPage(build, {}, browser);
    await browser.advance(2000);

    assert.equal(browser.beacons.length, 0);
    assert.ok(storedEvents(browser).some((event) => event.name === 'REFUSED'));
    assert.deepEqual(queueRecords(browser), []);
  });

  for (const leave of ['leave', 'leaveHiddenFirst']) {
    test(
      'beaconed events stay queued and the next page load sends them again (' + leave + ')',
      async () => {
        const browser = createBrowser();
        const first = startPage(build, {}, browser);
        first.Beckon.logEvent('CHECKOUT');
        first.page[leave]();
        const beaconedIds = browser.beacons[0].batch.events.map((event) => event.id);
        assert.equal(queueRecords(browser)[0].closed, true);

        startPage(build, {}, browser);
        await browser.advance(2000);

        const resentIds = browser.requests[0].batch.events.map((event) => event.id);
        assert.deepEqual(resentIds.slice(0, beaconedIds.length), beaconedIds);
        assert.equal(storedEvents(browser).filter((e) => e.name === 'CHECKOUT').length, 1);
        assert.deepEqual(queueRecords(browser), []);
      },
    );
  }

  test('beaconed events are sent again by fetch when the page is shown again', async () => {
    const { browser, Beckon, page } = startPage(build);
    Beckon.logEvent('TAB_SWITCH');
    page.hide();

    page.show();
    await browser.advance(2000);

    assert.equal(browser.requests.length, 1);
    assert.deepEqual(browser.requests[0].batch.events, browser.beacons[0].batch.events);
    assert.deepEqual(queueRecords(browser), []);
  });

  test('the dropped count goes out with the first beacon', async () => {
    const { browser, Beckon, page } = startPage(build, { maxQueueEvents: 3 });
    for (let i = 0; i < 5; i++) Beckon.logEvent('VIEW', { i });

    page.hide();

    assert.equal(browser.beacons[0].batch.dropped, 3);
  });

  test('forceReport sends the event at once with fetch keepalive', async () => {
    const { browser, Beckon } = startPage(build);

    Beckon.logEvent('PURCHASE', { value: 10 }, true);
    await browser.advance(0);

    const request = browser.requests[0];
    assert.equal(request.keepalive, true);
    assert.deepEqual(
      request.batch.events.map((event) => event.name),
      ['PURCHASE'],
    );
    await browser.advance(2000);
    const names = browser.requests.flatMap((r) => r.batch.events.map((event) => event.name));
    assert.deepEqual(names, ['PURCHASE', '$session_start']);
  });

  test('forceReport falls back to sendBeacon when fetch fails', async () => {
    const { browser, Beckon } = startPage(build);
    browser.server.respond = () => 'network-error';

    Beckon.logEvent('PURCHASE', {}, true);
    await browser.advance(0);

    assert.equal(browser.beacons.length, 1);
    assert.equal(browser.beacons[0].batch.events[0].name, 'PURCHASE');
  });

  test('forceReport survives an immediate navigation', async () => {
    const browser = createBrowser();
    const first = startPage(build, {}, browser);
    browser.server.respond = () => 'hang';

    first.Beckon.logEvent('PURCHASE', {}, true);
    first.page.leave();
    browser.server.respond = () => undefined;
    startPage(build, {}, browser);
    await browser.advance(2000);

    assert.equal(browser.requests[0].keepalive, true);
    assert.equal(storedEvents(browser).filter((e) => e.name === 'PURCHASE').length, 1);
  });

  test('only small regular batches use keep-alive, leaving the quota for page exits', async () => {
    const { browser, Beckon } = startPage(build, { batchSize: 100 });

    Beckon.logEvent('SMALL');
    await browser.advance(2000);
    for (let i = 0; i < 30; i++) Beckon.logEvent('BIG', { text: 'x'.repeat(4000) });
    await browser.advance(2000);
    Beckon.logEvent('NOW', {}, true);
    await browser.advance(0);

    assert.deepEqual(
      browser.requests.map((request) => request.keepalive),
      [true, false, true],
    );
  });
});
