import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser } from './fake-browser.mjs';
import { appEventNames, SITE_ID, startPage } from './helpers.mjs';

const PENDING = { requireConsent: true };

function sdkKeys(browser) {
  return [...browser.storage.items.keys()].filter((key) => key.startsWith('beckon:'));
}

forEachBuild('consent pending', (build) => {
  test('while consent is pending nothing is stored and nothing is sent', async () => {
    const { browser, Beckon, page } = startPage(build, PENDING);

    Beckon.logEvent('WAITING_FOR_CONSENT');
    Beckon.setUserId('someone');
    await browser.advance(60_000);
    page.hide();

    assert.deepEqual(sdkKeys(browser), []);
    assert.equal(browser.requests.length + browser.beacons.length, 0);
    assert.match(Beckon.getClientId(), /^d-/);
    assert.equal(Beckon.isOptedOut(), false);
  });

  test('consent given sends the events kept meanwhile, once, and then stores as usual', async () => {
    const { browser, Beckon } = startPage(build, PENDING);
    Beckon.logEvent('BEFORE_CONSENT');
    await browser.advance(10_000);

    Beckon.optIn();
    Beckon.logEvent('AFTER_CONSENT');
    await browser.advance(5000);

    assert.deepEqual(appEventNames(browser), ['BEFORE_CONSENT', 'AFTER_CONSENT']);
    assert.equal(browser.storage.items.get('beckon:' + SITE_ID + ':optOut'), '0');
    assert.ok(browser.storage.items.has('beckon:' + SITE_ID + ':device'));
  });

  test('consent refused drops the events kept meanwhile, and stores only the choice', async () => {
    const { browser, Beckon } = startPage(build, PENDING);
    Beckon.logEvent('BEFORE_REFUSAL');
    await browser.advance(1000);

    Beckon.optOut();
    Beckon.logEvent('AFTER_REFUSAL');
    await browser.advance(60_000);

    assert.equal(browser.requests.length + browser.beacons.length, 0);
    assert.deepEqual(sdkKeys(browser), ['beckon:' + SITE_ID + ':optOut']);
  });

  test('events older than consentTimeoutMs are dropped while consent is pending', async () => {
    const { browser, Beckon } = startPage(build, { ...PENDING, consentTimeoutMs: 60_000 });
    Beckon.logEvent('TOO_OLD');
    await browser.advance(90_000);
    Beckon.logEvent('RECENT');

    Beckon.optIn();
    await browser.advance(5000);

    assert.deepEqual(appEventNames(browser), ['RECENT']);
  });

  test('a choice made on an earlier visit applies at once', async () => {
    const browser = createBrowser();
    const first = startPage(build, PENDING, browser);
    first.Beckon.optIn();
    first.page.leave();

    const second = startPage(build, PENDING, browser);
    second.Beckon.logEvent('NEXT_VISIT');
    await browser.advance(5000);

    assert.ok(appEventNames(browser).includes('NEXT_VISIT'));
  });
});
