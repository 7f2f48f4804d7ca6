/*
 * The web SDK in real Chromium, against the real server, as a host page meets it: odd input
 * that must neither break the page nor lose the event, the visitor's privacy choices (Do Not
 * Track, Global Privacy Control, opt-out, consent), single-page navigation, the back-forward
 * cache, and the loader snippet of the README.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { launchChromium } from '../lib/chromium.mjs';
import { logTail } from '../lib/beckon-server.mjs';
import {
  REPO_ROOT,
  launchChromiumWithBackForwardCache,
  openSdkPage,
  repeatedIds,
  sdkPage,
  serverEvents,
  startProxy,
  startServer,
} from '../lib/sdk-stage.mjs';

const QUICK = { flushIntervalMs: 200 };

describe('the web SDK in Chromium: odd input, privacy, navigation', { timeout: 300_000 }, () => {
  let server;
  let proxy;
  let browser;
  let failures = 0;

  before(async () => {
    server = await startServer();
    proxy = await startProxy(server);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await proxy?.stop();
    await server?.stop();
    if (failures > 0 && server) {
      console.log(`--- the last lines of ${server.logPath} ---\n${logTail(server.logPath)}`);
    } else if (server) {
      rmSync(server.workDir, { recursive: true, force: true });
    }
  });

  function check(behaviour, body) {
    it(behaviour, async () => {
      const context = await browser.newContext();
      proxy.mode = 'pass';
      try {
        await body(context);
      } catch (error) {
        failures += 1;
        throw error;
      } finally {
        await context.close();
      }
    });
  }

  /** The events of the device, once one named lastName has arrived. */
  function eventsUntil(deviceId, lastName) {
    return serverEvents(server, deviceId, (events) => events.some((e) => e.name === lastName));
  }

  /** The SDK's keys in the page's localStorage. */
  function sdkKeys(page) {
    return page.evaluate(() =>
      Object.keys(localStorage).filter((key) => key.startsWith('beckon:')),
    );
  }

  check(
    'each odd property value follows its documented rule, and the event is sent',
    async (context) => {
      const page = await openSdkPage(proxy, context, { options: QUICK });

      const outcome = await page.evaluate(() => {
        const circular = { name: 'loop' };
        circular.self = circular;
        let deep = 'bottom';
        for (let i = 0; i < 7; i++) deep = { down: deep };
        const manyKeys = {};
        for (let i = 0; i < 150; i++) manyKeys['k' + i] = i;
        const throwing = {};
        Object.defineProperty(throwing, 'bad', {
          enumerable: true,
          get() {
            throw new Error('getter throws');
          },
        });
        throwing.good = 1;
        const thrown = [];
        const attempt = (action) => {
          try {
            action();
          } catch (error) {
            thrown.push(String(error));
          }
        };
        attempt(() =>
          Beckon.logEvent('ODD_VALUES', {
            date: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
            invalidDate: new Date(NaN),
            big: 12345678901234567890n,
            nan: NaN,
            infinity: Infinity,
            minusInfinity: -Infinity,
            missing: undefined,
            fn() {},
            symbol: Symbol('s'),
            list: [1, undefined, () => 0, Symbol('x'), 'x'],
            circular,
            deep,
            long: 'a'.repeat(10_000),
            ['k'.repeat(300)]: 'long key',
            manyKeys,
            throwing,
          }),
        );
        attempt(() => Beckon.logEvent('NOT_AN_OBJECT', 'just text'));
        attempt(() => Beckon.logEvent('PROPERTIES_NULL', null));
        for (const name of [
          42,
          '',
          null,
          undefined,
          {},
          ['x'],
          'x'.repeat(201),
          'tab\there',
          '$reserved',
        ]) {
          attempt(() => Beckon.logEvent(name, { bad: 'name' }));
        }
        attempt(() => Beckon.logEvent('LAST_ODD'));
        return { thrown, deviceId: Beckon.getClientId() };
      });
      const events = await eventsUntil(outcome.deviceId, 'LAST_ODD');
      const odd = events.find((event) => event.name === 'ODD_VALUES').properties;

      assert.deepEqual(outcome.thrown, []);
      assert.deepEqual(page.errors, []);
      assert.equal(odd.date, '2025-01-02T03:04:05.000Z');
      assert.equal(odd.invalidDate, null);
      assert.equal(odd.big, '12345678901234567890');
      assert.deepEqual([odd.nan, odd.infinity, odd.minusInfinity], [null, null, null]);
      assert.deepEqual(
        ['missing', 'fn', 'symbol'].filter((key) => key in odd),
        [],
      );
      assert.deepEqual(odd.list, [1, null, null, null, 'x']);
      assert.deepEqual(odd.circular, { name: 'loop', self: '[Circular]' });
      assert.deepEqual(odd.deep.down.down.down, { down: '[Truncated]' });
      assert.equal(odd.long.length, 8192);
      assert.equal(odd['k'.repeat(200)], 'long key');
      assert.equal(Object.keys(odd.manyKeys).length, 100);
      assert.equal(odd.manyKeys.$truncatedKeys, 51);
      assert.deepEqual(odd.throwing, { good: 1 });
      const names = events.map((event) => event.name).filter((name) => name[0] !== '$');
      assert.deepEqual(names.sort(), [
        'LAST_ODD',
        'NOT_AN_OBJECT',
        'ODD_VALUES',
        'PROPERTIES_NULL',
      ]);
      const byName = (name) => events.find((event) => event.name === name).properties;
      assert.deepEqual([byName('NOT_AN_OBJECT'), byName('PROPERTIES_NULL')], [{}, {}]);
    },
  );

  check('non-ASCII and emoji names and values arrive intact', async (context) => {
    const page = await openSdkPage(proxy, context, { options: QUICK });
    const values = {
      emoji: '😀👍🏽🇮🇳👩‍👩‍👧',
      rtl: 'مرحبا بالعالم',
      cjk: '购物车',
      combining: 'e\u0301 a\u0308',
      zeroWidth: 'a\u200bb\u200dc',
      '🔑 clé': 'valeur ü',
    };

    const deviceId = await page.evaluate((values) => {
      Beckon.logEvent('🛒 Ürün sepete eklendi ✓', values);
      Beckon.logEvent('LONE_SURROGATE', { broken: 'a\ud800b' });
      Beckon.setUserId('ユーザー@例え.jp');
      Beckon.logEvent('LAST_UNICODE');
      return Beckon.getClientId();
    }, values);
    const events = await eventsUntil(deviceId, 'LAST_UNICODE');

    const emoji = events.find((event) => event.name === '🛒 Ürün sepete eklendi ✓');
    assert.deepEqual(emoji.properties, values);
    const lone = events.find((event) => event.name === 'LONE_SURROGATE');
    assert.equal(lone.properties.broken, 'a\ufffdb', 'the server repairs an unpaired surrogate');
    assert.equal(events.find((event) => event.name === 'LAST_UNICODE').userId, 'ユーザー@例え.jp');
  });

  check('errors inside the SDK never reach the page, and re-entry cannot loop', async (context) => {
    const page = await openSdkPage(proxy, context, { options: QUICK });

    const outcome = await page.evaluate(() => {
      let calls = 0;
      const reentrant = {
        toJSON() {
          calls++;
          Beckon.logEvent('FROM_TO_JSON', { nested: reentrant });
          return 'converted';
        },
      };
      const thrown = [];
      try {
        Beckon.logEvent('REENTRANT', { value: reentrant });
        Beckon.logEvent(
          'PROXY',
          new Proxy(
            {},
            {
              ownKeys: () => {
                throw new Error('trap');
              },
            },
          ),
        );
        Beckon.setUserProperties({
          get bad() {
            throw new Error('getter');
          },
        });
        Beckon.setRedirectionHandler('not a function');
        Beckon.init('demo', {});
        Beckon.logEvent('LAST_REENTRY');
      } catch (error) {
        thrown.push(String(error));
      }
      return { thrown, calls, deviceId: Beckon.getClientId() };
    });
    const events = await eventsUntil(outcome.deviceId, 'LAST_REENTRY');

    assert.deepEqual(outcome.thrown, []);
    assert.deepEqual(page.errors, []);
    assert.ok(outcome.calls <= 2, `toJSON ran ${outcome.calls} times`);
    const nested = events.filter((event) => event.name === 'FROM_TO_JSON');
    assert.ok(nested.length <= 1, `${nested.length} nested events`);
    assert.ok(events.some((event) => event.name === 'REENTRANT'));
    assert.deepEqual(repeatedIds(events), []);
  });

  for (const [form, script] of [
    [
      'navigator.doNotTrack "1"',
      "Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' });",
    ],
    [
      'navigator.doNotTrack "yes"',
      "Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => 'yes' });",
    ],
    ['window.doNotTrack "1"', "Object.defineProperty(window, 'doNotTrack', { value: '1' });"],
  ]) {
    check(
      `Do Not Track on (${form}) with honorDNT: nothing stored, nothing sent`,
      async (context) => {
        await context.addInitScript(script);
        const sentBefore = proxy.ingests.length;
        const page = await openSdkPage(proxy, context, { options: { ...QUICK, honorDNT: true } });

        const state = await page.evaluate(() => {
          Beckon.logEvent('TRACKED_DESPITE_DNT');
          Beckon.setUserId('someone');
          return { failure: window.beckonFailure, clientId: Beckon.getClientId() };
        });
        await sleep(800);

        assert.equal(state.failure.reason, 'do_not_track');
        assert.equal(state.clientId, null);
        assert.deepEqual(await sdkKeys(page), []);
        assert.equal(proxy.ingests.length, sentBefore, 'no request');
      },
    );
  }

  check('Do Not Track off, or a throwing getter, with honorDNT: the SDK runs', async (context) => {
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '0' });
      Object.defineProperty(window, 'doNotTrack', {
        get() {
          throw new Error('hostile getter');
        },
      });
    });
    const page = await openSdkPage(proxy, context, { options: { ...QUICK, honorDNT: true } });

    const deviceId = await page.evaluate(() => {
      Beckon.logEvent('DNT_OFF');
      return Beckon.getClientId();
    });
    const events = await eventsUntil(deviceId, 'DNT_OFF');

    assert.equal(events.filter((event) => event.name === 'DNT_OFF').length, 1);
    assert.deepEqual(page.errors, []);
  });

  check('Global Privacy Control with honorGPC: nothing stored, nothing sent', async (context) => {
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
    });
    const sentBefore = proxy.ingests.length;
    const page = await openSdkPage(proxy, context, { options: { ...QUICK, honorGPC: true } });

    await page.evaluate(() => Beckon.logEvent('TRACKED_DESPITE_GPC'));
    await sleep(800);

    assert.equal(await page.evaluate(() => window.beckonFailure.reason), 'global_privacy_control');
    assert.deepEqual(await sdkKeys(page), []);
    assert.equal(proxy.ingests.length, sentBefore);
  });

  check(
    'opt-out deletes what the SDK stored, stops all requests, and lasts across loads',
    async (context) => {
      const page = await openSdkPage(proxy, context, { path: '/optout.html', options: QUICK });
      const deviceId = await page.evaluate(() => {
        Beckon.logEvent('BEFORE_OPT_OUT');
        return Beckon.getClientId();
      });
      await eventsUntil(deviceId, 'BEFORE_OPT_OUT');

      const sentBefore = proxy.ingests.length;
      await page.evaluate(() => {
        Beckon.logEvent('QUEUED_AT_OPT_OUT');
        Beckon.optOut();
        Beckon.logEvent('AFTER_OPT_OUT');
      });
      const keysAfterOptOut = await sdkKeys(page);
      await page.reload();
      await page.waitForFunction(() => window.beckonReady);
      const reloaded = await page.evaluate(() => {
        Beckon.logEvent('AFTER_RELOAD');
        return { optedOut: Beckon.isOptedOut(), clientId: Beckon.getClientId() };
      });
      await sleep(800);
      const events = await serverEvents(server, deviceId, () => true);

      assert.deepEqual(keysAfterOptOut, ['beckon:demo:optOut']);
      assert.deepEqual(reloaded, { optedOut: true, clientId: null });
      assert.equal(proxy.ingests.length, sentBefore, 'no request after opting out');
      const names = events.map((event) => event.name);
      for (const name of ['QUEUED_AT_OPT_OUT', 'AFTER_OPT_OUT', 'AFTER_RELOAD']) {
        assert.ok(!names.includes(name), `${name} was not sent`);
      }
    },
  );

  check(
    'consent pending keeps events in memory only, and sends them once given',
    async (context) => {
      const sentBefore = proxy.ingests.length;
      const page = await openSdkPage(proxy, context, {
        options: { ...QUICK, requireConsent: true },
      });

      const deviceId = await page.evaluate(() => {
        for (let i = 0; i < 5; i++) Beckon.logEvent('BEFORE_CONSENT', { i });
        return Beckon.getClientId();
      });
      await sleep(800);
      const keysWhilePending = await sdkKeys(page);
      const sentWhilePending = proxy.ingests.length - sentBefore;
      await page.evaluate(() => Beckon.optIn());
      const events = await serverEvents(
        server,
        deviceId,
        (listed) => listed.filter((event) => event.name === 'BEFORE_CONSENT').length === 5,
      );

      assert.deepEqual(keysWhilePending, []);
      assert.equal(sentWhilePending, 0);
      assert.equal(events.filter((event) => event.name === 'BEFORE_CONSENT').length, 5);
      assert.deepEqual(repeatedIds(events), []);
      assert.ok((await sdkKeys(page)).includes('beckon:demo:optOut'));
    },
  );

  check('consent refused drops the events kept meanwhile', async (context) => {
    const sentBefore = proxy.ingests.length;
    const page = await openSdkPage(proxy, context, {
      options: { ...QUICK, requireConsent: true },
    });

    await page.evaluate(() => {
      Beckon.logEvent('REFUSED_CONSENT');
      Beckon.optOut();
      Beckon.logEvent('AFTER_REFUSAL');
    });
    await sleep(800);

    assert.equal(proxy.ingests.length, sentBefore);
    assert.deepEqual(await sdkKeys(page), ['beckon:demo:optOut']);
  });

  check(
    'single-page navigation: one page view per navigation, hash routes and the back button too',
    async (context) => {
      const page = await openSdkPage(proxy, context, {
        path: '/spa.html',
        options: { ...QUICK, trackPageViews: true },
      });

      await page.evaluate(() => {
        history.pushState({}, '', '/products');
        history.replaceState({}, '', '/products?sort=price');
      });
      await page.evaluate(() => {
        location.hash = '#/cart';
      });
      await page.waitForFunction(() => location.hash === '#/cart');
      await page.evaluate(() => {
        location.hash = '#reviews';
      });
      await page.waitForFunction(() => location.hash === '#reviews');
      await page.goBack();
      await page.waitForFunction(() => location.hash === '#/cart');
      await page.goBack();
      await page.waitForFunction(() => location.hash === '' && location.pathname === '/products');
      await page.goBack();
      await page.waitForFunction(() => location.pathname === '/spa.html');
      const deviceId = await page.evaluate(() => {
        Beckon.logEvent('LAST_SPA');
        return Beckon.getClientId();
      });
      const events = await eventsUntil(deviceId, 'LAST_SPA');

      const paths = events
        .filter((event) => event.name === '$page_view')
        .sort((a, b) => Date.parse(a.clientTime) - Date.parse(b.clientTime))
        .map((event) => event.properties.path);
      assert.deepEqual(paths, [
        '/spa.html',
        '/products',
        '/products#/cart',
        '/products',
        '/products#/cart',
        '/products',
        '/spa.html',
      ]);
    },
  );

  it('no unload or beforeunload handler, and the page enters the back-forward cache', async () => {
    // Playwright turns the cache off; this test's own browser has it on.
    const cachingBrowser = await launchChromiumWithBackForwardCache();
    try {
      await enterBackForwardCache(await cachingBrowser.newContext());
    } catch (error) {
      failures += 1;
      throw error;
    } finally {
      await cachingBrowser.close();
    }
  });

  async function enterBackForwardCache(context) {
    await context.addInitScript(() => {
      window.listenedTypes = [];
      const original = EventTarget.prototype.addEventListener;
      EventTarget.prototype.addEventListener = function (type, ...rest) {
        window.listenedTypes.push(type);
        return original.call(this, type, ...rest);
      };
      addEventListener('pageshow', (event) => {
        window.restoredFromCache = event.persisted;
      });
    });
    proxy.pages.set('/elsewhere.html', () => '<!doctype html><title>elsewhere</title>elsewhere');
    const page = await openSdkPage(proxy, context, { path: '/cached.html', options: QUICK });
    const listened = await page.evaluate(() => ({
      types: window.listenedTypes,
      onunload: window.onunload,
      onbeforeunload: window.onbeforeunload,
    }));

    await page.evaluate(() => {
      Beckon.logEvent('BEFORE_BFCACHE');
      window.restoredFromCache = undefined;
    });
    await page.goto(proxy.baseUrl + '/elsewhere.html');
    // A page restored from the cache fires no load event.
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForFunction(() => window.restoredFromCache !== undefined);
    const persisted = await page.evaluate(() => window.restoredFromCache);

    assert.ok(!listened.types.includes('unload'), listened.types.join());
    assert.ok(!listened.types.includes('beforeunload'), listened.types.join());
    assert.equal(listened.onunload, null);
    assert.equal(listened.onbeforeunload, null);
    assert.equal(persisted, true, 'the page came back from the back-forward cache');
  }

  check(
    "the README's loader snippet queues calls until the SDK arrives, and replays them in order",
    async (context) => {
      const readme = readFileSync(path.join(REPO_ROOT, 'sdk/web/README.md'), 'utf8');
      const snippet = readme
        .split('<!-- loader-snippet:start -->')[1]
        .split('<!-- loader-snippet:end -->')[0]
        .replace(/^[\s\S]*?<script>/, '')
        .replace(/<\/script>[\s\S]*$/, '')
        .replace('https://beckon.example.com/sdk/beckon.js', '/beckon.js')
        .replace(/Beckon\.init\([^)]*\);/, "Beckon.init('demo', { flushIntervalMs: 200 });");
      proxy.pages.set(
        '/loader.html',
        () =>
          `<!doctype html><html><head><title>loader</title><script>${snippet}
        Beckon.logEvent('QUEUED_1');
        Beckon.setUserId('loader-user');
        Beckon.logEvent('QUEUED_2');
        window.loadedBeforeSnippetReturned = typeof Beckon.getClientId() === 'string';
        </script></head><body>loader</body></html>`,
      );
      const page = await context.newPage();
      await page.goto(proxy.baseUrl + '/loader.html');
      await page.waitForFunction(() => typeof Beckon.getClientId() === 'string');

      const deviceId = await page.evaluate(() => Beckon.getClientId());
      const events = await eventsUntil(deviceId, 'QUEUED_2');

      assert.equal(await page.evaluate(() => window.loadedBeforeSnippetReturned), false);
      const queued = events
        .filter((event) => event.name.startsWith('QUEUED_'))
        .sort((a, b) => Date.parse(a.clientTime) - Date.parse(b.clientTime));
      assert.deepEqual(
        queued.map((event) => [event.name, event.userId]),
        [
          ['QUEUED_1', null],
          ['QUEUED_2', 'loader-user'],
        ],
      );
    },
  );
});
