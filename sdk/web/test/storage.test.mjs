import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser } from './fake-browser.mjs';
import { appEventNames, startPage } from './helpers.mjs';

/** Starts a page on a browser whose storage was prepared by arrange, logs, and delivers. */
async function runWith(build, arrange) {
  const browser = createBrowser();
  arrange(browser.storage);
  const { Beckon, outcome } = startPage(build, {}, browser);
  Beckon.setUserId('user@example.com');
  Beckon.logEvent('FIRST');
  Beckon.logEvent('SECOND');
  await browser.advance(2000);
  return { browser, Beckon, outcome };
}

forEachBuild('storage failures', (build) => {
  const failures = [
    ['blocked storage (the getter throws)', (storage) => (storage.mode = 'blocked')],
    ['broken storage (every call throws)', (storage) => (storage.mode = 'broken')],
    ['full storage (quota exceeded)', (storage) => (storage.quotaBytes = 0)],
    [
      'storage filled by the site',
      (storage) => {
        storage.items.set('site-cache', 'x'.repeat(5000));
        storage.quotaBytes = 5100;
      },
    ],
  ];

  for (const [what, arrange] of failures) {
    test(what + ' falls back to memory and keeps working', async () => {
      const { browser, Beckon, outcome } = await runWith(build, arrange);

      assert.equal(outcome.successCount, 1);
      assert.deepEqual(appEventNames(browser), ['FIRST', 'SECOND']);
      const events = browser.sentEvents();
      assert.equal(new Set(events.map((event) => event.sessionId)).size, 1);
      assert.equal(events[1].deviceId, Beckon.getClientId());
      assert.equal(events[1].userId, 'user@example.com');
      assert.match(Beckon.getClientId(), /^d-/);
    });
  }

  test('storage that breaks after start leaves the SDK working', async () => {
    const { browser, Beckon } = startPage(build);
    const deviceId = Beckon.getClientId();

    browser.storage.mode = 'broken';
    Beckon.logEvent('AFTER_BREAK');
    await browser.advance(2000);
    browser.pages[0].hide();

    assert.deepEqual(appEventNames(browser), ['AFTER_BREAK']);
    assert.equal(Beckon.getClientId(), deviceId);
  });

  test('a queue too large for the quota is kept in memory and still delivered', async () => {
    const { browser, Beckon } = startPage(build);
    browser.server.respond = () => 'network-error';
    browser.storage.quotaBytes = browser.storage.usedBytes() + 2000;

    for (let i = 0; i < 20; i++) Beckon.logEvent('BIG', { i, text: 'x'.repeat(500) });
    await browser.advance(10_000);
    browser.server.respond = () => undefined;
    await browser.advance(5 * 60_000);

    assert.equal(browser.server.stored.size, 21);
  });
});
