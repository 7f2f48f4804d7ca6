// The stored queue's bounds and the keep-alive quota (issue 3): what the SDK keeps in
// localStorage, what happens when storage is full, and how a page leaves with more than the
// keep-alive quota can carry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser } from './fake-browser.mjs';
import { queueRecords, startPage, storedEvents } from './helpers.mjs';

const KEEPALIVE_QUOTA_BYTES = 64 * 1024;

function recordChars(browser) {
  return [...browser.storage.items]
    .filter(([key]) => key.includes(':queue:'))
    .reduce((sum, [key, value]) => sum + key.length + value.length, 0);
}

forEachBuild('queue bounds and the keep-alive quota', (build) => {
  test('only the oldest events up to maxStoredBytes are stored; the rest wait in memory', async () => {
    const { browser, Beckon } = startPage(build, { maxStoredBytes: 20_000 });
    browser.server.respond = () => 'network-error';

    for (let i = 0; i < 100; i++) Beckon.logEvent('OUTAGE', { i, text: 'x'.repeat(500) });
    await browser.advance(1000);

    assert.ok(recordChars(browser) <= 21_000, String(recordChars(browser)));
    const stored = queueRecords(browser)[0].events.filter((event) => event.name === 'OUTAGE');
    assert.deepEqual(
      stored.map((event) => event.properties.i),
      Array.from({ length: stored.length }, (_, i) => i),
      'the oldest are stored',
    );
    browser.server.respond = () => undefined;
    await browser.advance(10 * 60_000);
    assert.equal(storedEvents(browser).filter((event) => event.name === 'OUTAGE').length, 100);
  });

  test('a write refused by a full storage deletes the record and halves the stored share', async () => {
    const { browser, Beckon } = startPage(build);
    browser.server.respond = () => 'network-error';
    browser.storage.quotaBytes = browser.storage.usedBytes() + 30_000;

    for (let i = 0; i < 100; i++) Beckon.logEvent('BIG', { i, text: 'x'.repeat(1000) });
    await browser.advance(1000);

    assert.ok(browser.storage.usedBytes() <= browser.storage.quotaBytes);
    assert.ok(recordChars(browser) < 30_000, 'a smaller record, or none');
    browser.storage.items.set('site-own', 'y'.repeat(1000));
    assert.equal(browser.storage.items.get('site-own').length, 1000);
    browser.server.respond = () => undefined;
    await browser.advance(10 * 60_000);
    assert.equal(storedEvents(browser).filter((event) => event.name === 'BIG').length, 100);
  });

  test('leaving with more than the quota: memory-only events go by beacon first', async () => {
    const browser = createBrowser();
    const first = startPage(build, { maxStoredBytes: 10_000 }, browser);
    browser.server.respond = () => 'network-error';
    for (let i = 0; i < 60; i++) first.Beckon.logEvent('LEAVING', { i, text: 'z'.repeat(2000) });
    await browser.advance(0);

    first.page.leave();
    const beaconed = browser.beacons.flatMap((beacon) => beacon.batch.events);
    const beaconBytes = browser.beacons.reduce((sum, beacon) => sum + beacon.bytes, 0);

    assert.ok(beaconBytes <= KEEPALIVE_QUOTA_BYTES, String(beaconBytes));
    assert.ok(beaconed.length > 0);
    assert.ok(
      beaconed.every((event) => event.properties.i >= 4),
      'stored events wait instead',
    );
    const record = queueRecords(browser)[0];
    assert.ok(record.dropped > 0, 'what neither storage nor a beacon took is counted');
  });

  test('a refused beacon is tried again at half the size', async () => {
    const { browser, Beckon, page } = startPage(build);
    browser.server.respond = () => 'network-error';
    for (let i = 0; i < 20; i++) Beckon.logEvent('HALVED', { i, text: 'h'.repeat(2000) });
    await browser.advance(0);
    browser.beaconAccepts = (body) => body.length < 20_000;

    page.hide();

    assert.ok(browser.beacons.length >= 3, String(browser.beacons.length));
    for (const beacon of browser.beacons) assert.ok(beacon.bytes < 20_000);
  });

  test('a Retry-After answer delays the retry at least that long', async () => {
    const { browser, Beckon } = startPage(build);
    let answers = 0;
    browser.server.respond = () =>
      answers++ === 0
        ? { status: 429, body: { error: 'slow down' }, headers: { 'Retry-After': '30' } }
        : undefined;

    Beckon.logEvent('LIMITED');
    await browser.advance(2000);
    const afterFirst = browser.requests.length;
    await browser.advance(29_000);
    const within30s = browser.requests.length;
    await browser.advance(5000);

    assert.equal(afterFirst, 1);
    assert.equal(within30s, 1);
    assert.equal(browser.requests.length, 2);
    assert.ok(storedEvents(browser).some((event) => event.name === 'LIMITED'));
  });
});
