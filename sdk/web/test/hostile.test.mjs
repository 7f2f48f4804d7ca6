// Issue 3's hostile surroundings, in unit form: every way browsers say Do Not Track, getters
// that throw, code of the page that calls the SDK from inside the SDK, and names that the
// server would refuse.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser } from './fake-browser.mjs';
import { appEventNames, ENDPOINT, SITE_ID, startPage } from './helpers.mjs';

/** Whether init, with honorDNT and honorGPC, starts on a browser prepared by arrange. */
async function starts(build, arrange) {
  const browser = createBrowser();
  arrange(browser);
  const page = browser.openPage({ code: build.code, beforeLoad: browser.beforeLoad });
  const failures = [];
  page.Beckon.init(
    SITE_ID,
    { endpoint: ENDPOINT, honorDNT: true, honorGPC: true },
    undefined,
    (failure) => failures.push(failure.reason),
  );
  page.Beckon.logEvent('VIEW');
  await browser.advance(5000);
  return { started: failures.length === 0, failures, browser };
}

const DO_NOT_TRACK_ON = [
  ['navigator.doNotTrack "1"', (b) => (b.navigator.doNotTrack = '1')],
  ['navigator.doNotTrack "yes" (old Firefox)', (b) => (b.navigator.doNotTrack = 'yes')],
  [
    'window.doNotTrack "1" (Safari before 12.1, Edge before 79)',
    (b) => (b.globals = { doNotTrack: '1' }),
  ],
];

const DO_NOT_TRACK_OFF = [
  ['navigator.doNotTrack "0"', (b) => (b.navigator.doNotTrack = '0')],
  ['navigator.doNotTrack "unspecified"', (b) => (b.navigator.doNotTrack = 'unspecified')],
  ['navigator.doNotTrack "no"', (b) => (b.navigator.doNotTrack = 'no')],
  ['navigator.doNotTrack null', (b) => (b.navigator.doNotTrack = null)],
  [
    'getters that throw',
    (b) =>
      (b.beforeLoad = (page) =>
        Object.defineProperty(page.window.navigator, 'doNotTrack', {
          get() {
            throw new Error('hostile');
          },
        })),
  ],
  ['window.doNotTrack "0"', (b) => (b.globals = { doNotTrack: '0' })],
];

forEachBuild('hostile surroundings', (build) => {
  for (const [form, arrange] of DO_NOT_TRACK_ON) {
    test('Do Not Track as ' + form + ' keeps the SDK off', async () => {
      const { started, failures, browser } = await starts(build, arrange);

      assert.equal(started, false);
      assert.deepEqual(failures, ['do_not_track']);
      assert.equal(browser.storage.accesses, 0);
      assert.equal(browser.requests.length, 0);
    });
  }

  for (const [form, arrange] of DO_NOT_TRACK_OFF) {
    test(form + ' is not Do Not Track, and crashes nothing', async () => {
      const { started, browser } = await starts(build, arrange);

      assert.equal(started, true);
      assert.deepEqual(appEventNames(browser), ['VIEW']);
    });
  }

  test('a call of the page from inside the SDK may call it once more, never in a loop', async () => {
    const { browser, Beckon } = startPage(build);
    let conversions = 0;
    const reentrant = {
      toJSON() {
        conversions++;
        Beckon.logEvent('FROM_TO_JSON', { again: reentrant });
        return 'converted';
      },
    };

    Beckon.logEvent('OUTER', { value: reentrant });
    await browser.advance(2000);

    // OUTER's toJSON logs FROM_TO_JSON, whose own toJSON call finds the SDK two deep.
    assert.equal(conversions, 2);
    assert.deepEqual(appEventNames(browser).sort(), ['FROM_TO_JSON', 'OUTER']);
  });

  test('a listener that logs an event is heard, and cannot loop', async () => {
    const browser = createBrowser();
    const page = browser.openPage({ code: build.code });
    let heard = 0;
    const plugin = {
      name: 'echo',
      start(sdk) {
        sdk.subscribe((event) => {
          heard++;
          if (event.kind === 'app') sdk.logEvent('ECHO_OF_' + event.name.replace('$', ''));
        });
      },
    };
    page.Beckon.init(SITE_ID, { endpoint: ENDPOINT, plugins: ['echo'], deps: [plugin] });

    page.Beckon.logEvent('VIEW');
    await browser.advance(2000);

    assert.ok(heard < 10, heard + ' events heard');
    assert.ok(appEventNames(browser).includes('ECHO_OF_VIEW'));
  });

  test('names, user ids and versions with control characters or lone surrogates are ignored', async () => {
    const { browser, Beckon } = startPage(build);

    Beckon.setUserId('user\u0000id');
    Beckon.setAppVersion('1.0\n');
    for (const name of ['tab\tname', 'bell\u0007', 'c1\u0085', 'lone\ud800', '\udc00lone']) {
      Beckon.logEvent(name);
    }
    Beckon.logEvent('emoji 😀 and ü are fine');
    await browser.advance(2000);

    assert.deepEqual(appEventNames(browser), ['emoji 😀 and ü are fine']);
    const event = browser.sentEvents().find((sent) => sent.name[0] !== '$');
    assert.equal(event.userId, undefined);
    assert.equal(event.version, 'ALL');
  });

  test('a console that throws in debug mode does not reach the page', async () => {
    const { browser, Beckon, page } = startPage(build, { debug: true });
    page.window.console.log = () => {
      throw new Error('console broken');
    };

    Beckon.logEvent('');
    Beckon.logEvent('AFTER');
    await browser.advance(2000);

    assert.deepEqual(appEventNames(browser), ['AFTER']);
  });
});
