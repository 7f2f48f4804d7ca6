import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser } from './fake-browser.mjs';
import { appEventNames, ENDPOINT, SITE_ID, startPage } from './helpers.mjs';

/** Every public method, called with plausible arguments. */
function callEverything(Beckon) {
  Beckon.setUserId('user@example.com');
  Beckon.logEvent('ADD_TO_CART', { value: 1 }, true);
  Beckon.logEvent('VIEW');
  Beckon.logClientEvent('SoftBackPressed', {});
  Beckon.setUserProperties({ gender: 'Male' });
  Beckon.setSessionProperties({ language: 'en' });
  Beckon.logPageView('/cart');
  Beckon.setAppVersion('2.0');
  Beckon.startNewSession();
  Beckon.endSession();
  Beckon.setRedirectionHandler(() => {});
  return [Beckon.getClientId(), Beckon.getSessionId(), Beckon.getSiteId()];
}

forEachBuild('privacy', (build) => {
  test('honorDNT makes no storage access and no request', async () => {
    for (const globals of [{}, { doNotTrack: '1' }]) {
      const browser = createBrowser(globals.doNotTrack ? {} : { navigator: { doNotTrack: '1' } });
      browser.globals = globals;
      const page = browser.openPage({ code: build.code });
      page.Beckon.logEvent('BEFORE_INIT');
      const failures = [];
      let started = false;

      page.Beckon.init(
        SITE_ID,
        { endpoint: ENDPOINT, honorDNT: true },
        () => (started = true),
        (failure) => failures.push(failure),
      );
      const answers = callEverything(page.Beckon);
      page.hide();
      await browser.advance(60_000);

      assert.equal(browser.storage.accesses, 0);
      assert.equal(browser.requests.length + browser.beacons.length, 0);
      assert.equal(started, false);
      assert.deepEqual(
        failures.map((f) => f.reason),
        ['do_not_track'],
      );
      assert.ok(!(failures[0] instanceof Error));
      assert.deepEqual(answers, [null, null, null]);
    }
  });

  test('window.doNotTrack counts as Do Not Track', async () => {
    const browser = createBrowser();
    browser.globals = { doNotTrack: '1' };
    const page = browser.openPage({ code: build.code });

    page.Beckon.init(SITE_ID, { endpoint: ENDPOINT, honorDNT: true });
    page.Beckon.logEvent('VIEW');
    await browser.advance(5000);

    assert.equal(browser.storage.accesses, 0);
    assert.equal(browser.requests.length, 0);
  });

  test('Do Not Track is ignored unless honorDNT is true', async () => {
    const { browser, Beckon } = startPage(
      build,
      {},
      createBrowser({ navigator: { doNotTrack: '1' } }),
    );

    Beckon.logEvent('VIEW');
    await browser.advance(2000);

    assert.deepEqual(appEventNames(browser), ['VIEW']);
  });

  test('honorGPC stops the SDK when Global Privacy Control is on', async () => {
    const browser = createBrowser({ navigator: { globalPrivacyControl: true } });
    const { outcome, Beckon } = startPage(build, { honorGPC: true }, browser);

    Beckon.logEvent('VIEW');
    await browser.advance(5000);

    assert.equal(outcome.failures[0].reason, 'global_privacy_control');
    assert.equal(browser.storage.accesses, 0);
    assert.equal(browser.requests.length, 0);
  });

  test('optOut drops waiting events, forgets the visitor and lasts across reloads', async () => {
    const browser = createBrowser();
    const { Beckon } = startPage(build, {}, browser);
    Beckon.setUserId('user@example.com');
    Beckon.logEvent('NEVER_SENT');

    Beckon.optOut();
    callEverything(Beckon);
    await browser.advance(60_000);
    const reloaded = startPage(build, {}, browser).Beckon;
    reloaded.logEvent('STILL_NOT_SENT');
    await browser.advance(60_000);

    assert.equal(browser.requests.length, 0);
    assert.equal(Beckon.isOptedOut(), true);
    assert.equal(reloaded.isOptedOut(), true);
    assert.equal(reloaded.getClientId(), null);
    assert.deepEqual([...browser.storage.items.keys()], ['beckon:' + SITE_ID + ':optOut']);
  });

  test('optIn resumes tracking with a new device id and a new session', async () => {
    const { browser, Beckon } = startPage(build);
    const oldDeviceId = Beckon.getClientId();
    Beckon.optOut();

    Beckon.optIn();
    Beckon.logEvent('BACK');
    await browser.advance(2000);

    assert.equal(Beckon.isOptedOut(), false);
    assert.notEqual(Beckon.getClientId(), oldDeviceId);
    const names = browser.sentEvents().map((event) => event.name);
    assert.deepEqual(names, ['$session_start', 'BACK']);
    assert.equal(browser.sentEvents()[1].deviceId, Beckon.getClientId());
  });

  test('the optOut option starts opted out, unless the visitor opted in before', async () => {
    const browser = createBrowser();
    const first = startPage(build, { optOut: true }, browser).Beckon;
    first.logEvent('IGNORED');
    const optedOutAtStart = first.isOptedOut();

    first.optIn();
    const reloaded = startPage(build, { optOut: true }, browser).Beckon;
    reloaded.logEvent('COUNTED');
    await browser.advance(2000);

    assert.equal(optedOutAtStart, true);
    assert.equal(reloaded.isOptedOut(), false);
    assert.deepEqual(appEventNames(browser), ['COUNTED']);
  });
});
