import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser } from './fake-browser.mjs';
import { startPage } from './helpers.mjs';

const METHODS = [
  'init',
  'setUserId',
  'logEvent',
  'logClientEvent',
  'setUserProperties',
  'setSessionProperties',
  'logPageView',
  'getClientId',
  'getSessionId',
  'getSiteId',
  'setAppVersion',
  'startNewSession',
  'endSession',
  'setRedirectionHandler',
  'optOut',
  'optIn',
  'isOptedOut',
];

const hostile = new Proxy(
  {},
  {
    get() {
      throw new Error('hostile get');
    },
    ownKeys() {
      throw new Error('hostile keys');
    },
    getPrototypeOf() {
      throw new Error('hostile prototype');
    },
  },
);
const ODD_ARGUMENTS = [
  [],
  [undefined, undefined, undefined],
  [null, null, null, null],
  [hostile, hostile, hostile, hostile],
  [Symbol('s'), Symbol('t'), Symbol('u')],
  [() => {}, { toString: () => 'x' }, 1e309],
  ['x'.repeat(100_000), { a: 1n }, 'yes'],
  [
    {
      toString() {
        throw new Error('no');
      },
    },
    [],
    {},
  ],
];

/** Calls every method with every list of odd arguments; returns what threw. */
function callWithOddArguments(Beckon) {
  const thrown = [];
  for (const name of METHODS) {
    for (const args of ODD_ARGUMENTS) {
      if (name === 'optOut') continue;
      try {
        Beckon[name](...args);
      } catch (error) {
        thrown.push(name + ': ' + error.message);
      }
    }
  }
  return thrown;
}

forEachBuild('never in the way', (build) => {
  test('no public method throws, whatever the arguments, before or after init', async () => {
    const browser = createBrowser();
    const page = browser.openPage({ code: build.code });

    const beforeInit = callWithOddArguments(page.Beckon);
    page.Beckon.init('site-1', { endpoint: 'https://beckon.test', debug: true });
    const afterInit = callWithOddArguments(page.Beckon);
    page.hide();
    page.show();
    await browser.advance(60_000);

    assert.deepEqual(beforeInit, []);
    assert.deepEqual(afterInit, []);
  });

  test('the console stays silent unless debug is on', async () => {
    const { browser, Beckon, page } = startPage(build);
    browser.server.respond = () => ({ status: 404, body: { error: 'no site' } });

    Beckon.logEvent('$bad');
    Beckon.logEvent('VIEW', { circular: hostile });
    callWithOddArguments(Beckon);
    await browser.advance(60_000);

    assert.deepEqual(page.console.lines, []);
  });

  test('with debug on, every console line starts with [Beckon]', async () => {
    const { browser, Beckon, page } = startPage(build, { debug: true, batchSize: 'x' });
    browser.server.respond = () => ({ status: 404, body: { error: 'no site' } });

    Beckon.logEvent('$bad');
    Beckon.logEvent('VIEW');
    await browser.advance(60_000);

    assert.ok(page.console.lines.length >= 4, String(page.console.lines.length));
    for (const [first] of page.console.lines) assert.match(first, /^\[Beckon\] /);
    const text = page.console.lines.map(([first]) => first).join('\n');
    assert.match(text, /bad option batchSize/);
    assert.match(text, /logEvent ignored/);
    assert.match(text, /404: dropped/);
  });

  test('a plugin named in plugins is started from deps with the plugin hooks', () => {
    const started = [];
    const nudges = { name: 'nudges', start: (sdk) => started.push(['nudges', sdk]) };
    const surveys = { name: 'surveys', start: (sdk) => started.push(['surveys', sdk]) };
    const unused = { name: 'unused', start: () => started.push(['unused']) };
    const broken = {
      name: 'broken',
      start() {
        throw new Error('plugin bug');
      },
    };
    const { outcome } = startPage(build, {
      debug: true,
      plugins: ['surveys', 'missing', 'broken', 'nudges'],
      deps: [nudges, unused, broken, null, surveys],
    });

    assert.deepEqual(
      started.map(([name]) => name),
      ['surveys', 'nudges'],
    );
    const host = started[0][1];
    assert.equal(typeof host.subscribe, 'function');
    assert.equal(typeof host.redirect, 'function');
    assert.equal(typeof host.logEvent, 'function');
    assert.equal(outcome.successCount, 1);
  });

  test('plugins start after the replay of earlier calls and before onSuccess', () => {
    const order = [];
    const page = createBrowser().openPage({ code: build.code });
    const plugin = {
      name: 'p',
      start: (sdk) => order.push('plugin sees user ' + (sdk.getClientId() !== null)),
    };
    page.Beckon.setUserId('u');
    page.Beckon.init(
      'site-1',
      { endpoint: 'https://beckon.test', plugins: ['p'], deps: [plugin] },
      () => order.push('onSuccess'),
    );

    assert.deepEqual(order, ['plugin sees user true', 'onSuccess']);
  });

  test('campaign redirects go through the redirection handler when one is set', () => {
    let host;
    const plugin = { name: 'p', start: (sdk) => (host = sdk) };
    const { Beckon, page } = startPage(build, { plugins: ['p'], deps: [plugin] });
    const redirected = [];

    host.redirect('/without-handler');
    Beckon.setRedirectionHandler((url) => redirected.push(url));
    host.redirect('/offers/42');

    assert.equal(page.window.location.href, '/without-handler');
    assert.deepEqual(redirected, ['/offers/42']);
  });

  test('an unsubscribed listener hears nothing more', () => {
    const heard = [];
    let unsubscribe;
    const plugin = {
      name: 'p',
      start: (sdk) => (unsubscribe = sdk.subscribe((event) => heard.push(event.name))),
    };
    const { Beckon } = startPage(build, { plugins: ['p'], deps: [plugin] });

    Beckon.logEvent('HEARD');
    unsubscribe();
    Beckon.logEvent('NOT_HEARD');

    assert.deepEqual(heard, ['HEARD']);
  });

  test('a burst of 10,000 events is delivered whole, in 21 requests of up to 500', async () => {
    const { browser, Beckon } = startPage(build);

    for (let i = 0; i < 10_000; i++) {
      Beckon.logEvent('bench_evt', {
        k1: 'value-' + i,
        k2: i,
        k3: true,
        k4: 'some string',
        k5: 3.14,
      });
    }
    await browser.advance(6000);

    const delivered = browser.sentEvents().filter((event) => event.name === 'bench_evt');
    assert.equal(delivered.length, 10_000);
    assert.equal(new Set(delivered.map((event) => event.id)).size, 10_000);
    assert.equal(browser.requests.length, 21, '10,001 events with the $session_start');
    assert.ok(browser.requests.every((request) => request.batch.dropped === 0));
  });

  test('a burst beyond maxQueueEvents keeps the newest, and reports the drop', async () => {
    const { browser, Beckon } = startPage(build, { maxQueueEvents: 1000 });

    for (let i = 0; i < 3000; i++) Beckon.logEvent('bench_evt', { k2: i });
    await browser.advance(6000);

    const delivered = browser.sentEvents().filter((event) => event.name === 'bench_evt');
    assert.equal(delivered.length, 1000);
    assert.equal(delivered[0].properties.k2, 2000);
    assert.equal(delivered[999].properties.k2, 2999);
    assert.equal(browser.requests[0].batch.dropped, 2001, 'the $session_start and 2000 events');
  });
});
