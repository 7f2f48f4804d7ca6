/*
 * The web SDK's delivery in real Chromium, against the real server: for each fault that
 * loses events in the field (leaving the page, a full keep-alive quota, a server that is
 * down, failing or silent, the network going away, storage that throws or is full, two
 * tabs racing over one session), every event must reach the server exactly once.
 *
 * Each test has a browser context of its own (fresh storage), and reads the events back by
 * device id through the admin API. The proxy of lib/sdk-stage.mjs breaks the network on
 * demand.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { launchChromium } from '../lib/chromium.mjs';
import { logTail } from '../lib/beckon-server.mjs';
import {
  countByName,
  openSdkPage,
  repeatedIds,
  sdkPage,
  serverEvents,
  startProxy,
  startServer,
} from '../lib/sdk-stage.mjs';

// Short enough to keep the suite quick; the SDK's own timings are the defaults otherwise.
const QUICK = { flushIntervalMs: 200 };

describe('the web SDK in Chromium: every event arrives exactly once', { timeout: 300_000 }, () => {
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

  /** A test in a fresh browser context, with the proxy passing requests through. */
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
        proxy.mode = 'pass';
        await context.close();
      }
    });
  }

  /** Logs count events named name, with their index, in the page; returns the device id. */
  async function logEvents(page, name, count, extra = {}) {
    return page.evaluate(
      ({ name, count, extra }) => {
        for (let i = 0; i < count; i++) Beckon.logEvent(name, { i, ...extra });
        return Beckon.getClientId();
      },
      { name, count, extra },
    );
  }

  /** Waits until the server holds count events named name for the device, then checks them. */
  async function expectExactlyOnce(deviceId, name, count, timeoutMs = 20_000) {
    const events = await serverEvents(
      server,
      deviceId,
      (listed) => listed.filter((event) => event.name === name).length >= count,
      timeoutMs,
    );
    const named = events.filter((event) => event.name === name);
    const indices = named.map((event) => event.properties.i).sort((a, b) => a - b);
    assert.deepEqual(
      indices,
      Array.from({ length: count }, (_, i) => i),
      `${name}: each index once`,
    );
    assert.deepEqual(repeatedIds(events), [], 'no id listed twice');
    for (const event of events) assert.ok(event.sessionId, `${event.name} has a session id`);
    return events;
  }

  check('events logged right before a navigation arrive once', async (context) => {
    proxy.pages.set('/next.html', () => sdkPage("Beckon.init('demo', {});"));
    const page = await openSdkPage(proxy, context, { path: '/leave.html' });

    const deviceId = await page.evaluate(() => {
      for (let i = 0; i < 20; i++) Beckon.logEvent('LEFT_AT_ONCE', { i });
      location.href = '/next.html';
      return Beckon.getClientId();
    });
    await page.waitForURL('**/next.html');

    await expectExactlyOnce(deviceId, 'LEFT_AT_ONCE', 20);
  });

  check(
    'a navigation with over 64 KiB queued splits keep-alive bodies, and the next page sends the rest',
    async (context) => {
      proxy.pages.set('/after-big.html', () => sdkPage("Beckon.init('demo', {});"));
      // Offline first, so that nothing leaves before the navigation.
      const page = await openSdkPage(proxy, context, { path: '/big.html' });
      proxy.mode = 'down';
      const deviceId = await logEvents(page, 'BIG_BEFORE_LEAVING', 60, { text: 'é'.repeat(1500) });
      await sleep(500);
      const sentBefore = proxy.ingests.length;

      proxy.mode = 'pass';
      await page.evaluate(() => {
        location.href = '/after-big.html';
      });
      await page.waitForURL('**/after-big.html');

      await expectExactlyOnce(deviceId, 'BIG_BEFORE_LEAVING', 60);
      const sentAfter = proxy.ingests.slice(sentBefore);
      assert.ok(sentAfter.length >= 2, `${sentAfter.length} requests: keep-alive and the rest`);
    },
  );

  check('the server down, then up again', async (context) => {
    const page = await openSdkPage(proxy, context, { options: QUICK });
    proxy.mode = 'down';

    const deviceId = await logEvents(page, 'WHILE_DOWN', 10);
    await sleep(2500);
    proxy.mode = 'pass';

    await expectExactlyOnce(deviceId, 'WHILE_DOWN', 10, 40_000);
    assert.ok(
      proxy.ingests.some((ingest) => ingest.mode === 'down'),
      'the SDK tried while down',
    );
  });

  check('the server answering 500 for a while', async (context) => {
    const page = await openSdkPage(proxy, context, { options: QUICK });
    proxy.mode = 'status500';

    const deviceId = await logEvents(page, 'WHILE_500', 10);
    await sleep(2500);
    proxy.mode = 'pass';

    await expectExactlyOnce(deviceId, 'WHILE_500', 10, 40_000);
  });

  check('the server storing a batch but its answer never coming back', async (context) => {
    const page = await openSdkPage(proxy, context, {
      options: { ...QUICK, requestTimeoutMs: 1000 },
    });
    await sleep(500);
    proxy.mode = 'storeThenHang';

    const deviceId = await logEvents(page, 'ANSWER_LOST', 10);
    await sleep(1500);
    proxy.mode = 'pass';

    const sentTwice = () =>
      proxy.ingests.filter((ingest) => ingest.body.includes('ANSWER_LOST')).length >= 2;
    for (let waitedMs = 0; !sentTwice() && waitedMs < 30_000; waitedMs += 250) await sleep(250);

    assert.ok(sentTwice(), 'the batch was sent again after the timeout');
    await expectExactlyOnce(deviceId, 'ANSWER_LOST', 10);
  });

  check('offline, then back online', async (context) => {
    const page = await openSdkPage(proxy, context, { options: QUICK });
    await context.setOffline(true);

    const deviceId = await logEvents(page, 'OFFLINE', 10);
    await sleep(2500);
    const sentWhileOffline = proxy.ingests.filter((ingest) => ingest.body.includes('OFFLINE'));
    await context.setOffline(false);

    assert.deepEqual(sentWhileOffline, []);
    // The browser's online event retries at once, whatever the backoff had reached.
    await expectExactlyOnce(deviceId, 'OFFLINE', 10, 5_000);
  });

  check('storage that throws on access: the SDK works from memory', async (context) => {
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
    });
    const page = await openSdkPage(proxy, context, { options: QUICK });

    const deviceId = await logEvents(page, 'NO_STORAGE', 10);

    assert.match(deviceId, /^d-/);
    await expectExactlyOnce(deviceId, 'NO_STORAGE', 10);
    assert.deepEqual(page.errors, []);
  });

  check('storage full: the SDK works on, and sends everything', async (context) => {
    await context.addInitScript(() => {
      if (sessionStorage.getItem('filled')) return;
      sessionStorage.setItem('filled', '1');
      for (let size = 1 << 20, i = 0; size >= 1; size = size >> 1) {
        try {
          for (;;) localStorage.setItem('host-fill-' + i++, 'x'.repeat(size));
        } catch {
          // full at this size; smaller pieces next
        }
      }
    });
    const page = await openSdkPage(proxy, context, { options: QUICK });

    const deviceId = await logEvents(page, 'STORAGE_FULL', 30);

    await expectExactlyOnce(deviceId, 'STORAGE_FULL', 30);
    assert.deepEqual(page.errors, []);
  });

  check(
    "a long outage fills the SDK's share of storage, and the site's own storage keeps working",
    async (context) => {
      const page = await openSdkPage(proxy, context, { options: QUICK });
      proxy.mode = 'down';

      const deviceId = await logEvents(page, 'OUTAGE', 900, { text: 'y'.repeat(1000) });
      await sleep(500);
      const usage = await page.evaluate(() => {
        let sdkChars = 0;
        for (let i = 0; i < localStorage.length; i++) {
          const key = localStorage.key(i);
          if (key.startsWith('beckon:')) sdkChars += key.length + localStorage.getItem(key).length;
        }
        localStorage.setItem('site-own', 'z'.repeat(4_000_000));
        const siteWrote = localStorage.getItem('site-own').length === 4_000_000;
        localStorage.removeItem('site-own');
        return { sdkChars, siteWrote };
      });
      proxy.mode = 'pass';

      assert.ok(usage.sdkChars <= 300 * 1024, `the SDK keeps ${usage.sdkChars} characters`);
      assert.equal(usage.siteWrote, true, "the site's own 4 MB value fits beside the SDK's queue");
      await expectExactlyOnce(deviceId, 'OUTAGE', 900, 60_000);
    },
  );

  check('two tabs with a short idle timeout, interleaved, share each session', async (context) => {
    const options = { ...QUICK, idle_time_out: 2 };
    const tabA = await openSdkPage(proxy, context, { path: '/tab.html', options });
    const tabB = await openSdkPage(proxy, context, { path: '/tab.html', options });
    const log = (tab, name) => tab.evaluate((name) => Beckon.logEvent(name), name);

    await log(tabA, 'A1');
    await log(tabB, 'B1');
    await sleep(3000);
    await log(tabB, 'B2');
    await log(tabA, 'A2');
    await tabA.evaluate(() => Beckon.endSession());
    await tabB.evaluate(() => Beckon.startNewSession());
    await log(tabB, 'B3');
    const deviceId = await tabA.evaluate(() => Beckon.getClientId());

    const events = await serverEvents(server, deviceId, (listed) =>
      listed.some((event) => event.name === 'B3'),
    );
    await sleep(1000);
    const all = await serverEvents(server, deviceId, () => true);
    const session = (name) => all.find((event) => event.name === name).sessionId;

    assert.ok(events.length > 0);
    assert.deepEqual(repeatedIds(all), []);
    for (const event of all) assert.ok(event.sessionId, `${event.name} has a session id`);
    assert.equal(session('A1'), session('B1'), 'both tabs are in the first session');
    assert.equal(session('B2'), session('A2'), 'both tabs are in the second session');
    assert.notEqual(session('A1'), session('A2'), 'the idle timeout ended the first session');
    assert.notEqual(session('A2'), session('B3'), 'endSession ended the second session');
    const starts = countByName(all.filter((event) => event.name === '$session_start'));
    assert.equal(starts.$session_start, 3, 'one start per session, whichever tab saw it');
    const ends = all.filter((event) => event.name === '$session_end');
    assert.deepEqual(
      ends.map((event) => [event.sessionId, event.properties.reason]).sort(),
      [
        [session('A1'), 'idle'],
        [session('A2'), 'ended'],
      ].sort(),
    );
  });
});
