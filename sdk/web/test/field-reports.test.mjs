// Cases that a newcomer's test of the SDK in Chromium found (issue 3), each pinned here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { appEventNames, queueRecords, startPage, storedEvents } from './helpers.mjs';

forEachBuild('field reports', (build) => {
  test('after consent, the queue is stored in full again', async () => {
    const { browser, Beckon } = startPage(build, { requireConsent: true });
    for (let i = 0; i < 30; i++) {
      Beckon.logEvent('WHILE_PENDING', { i });
      await browser.advance(10);
    }
    Beckon.optIn();
    browser.server.respond = () => ({ status: 500 });
    for (let i = 0; i < 5; i++) Beckon.logEvent('DURING_OUTAGE', { i });
    await browser.advance(0);

    const stored = queueRecords(browser).flatMap((record) => record.events);
    assert.equal(stored.filter((event) => event.name === 'DURING_OUTAGE').length, 5);
  });

  test('a forceReport event whose request fails goes again while the page lives', async () => {
    const { browser, Beckon } = startPage(build);
    let failing = true;
    browser.server.respond = () => (failing ? 'network-error' : undefined);
    browser.random = () => 0;

    Beckon.logEvent('URGENT', {}, true);
    await browser.advance(100);
    failing = false;
    await browser.advance(5000);

    assert.equal(storedEvents(browser).filter((event) => event.name === 'URGENT').length, 1);
  });

  test('a getter runs once, also in properties too long for the short way', async () => {
    const { browser, Beckon } = startPage(build);
    let reads = 0;
    Beckon.logEvent('LONG', {
      pad: 'p'.repeat(300),
      get counted() {
        reads++;
        return 'value';
      },
    });
    await browser.advance(3000);

    assert.equal(reads, 1);
    assert.ok(appEventNames(browser).includes('LONG'));
  });
});
