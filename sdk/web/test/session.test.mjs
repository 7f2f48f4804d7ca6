import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser, START_MS } from './fake-browser.mjs';
import { appEventNames, sentEvent, startPage, storedEvents } from './helpers.mjs';

const IDLE_SECONDS = 60;
const IDLE_MS = IDLE_SECONDS * 1000;

forEachBuild('sessions', (build) => {
  test('init starts a session: $session_start comes before the first event', async () => {
    const { browser, Beckon } = startPage(build);

    Beckon.logEvent('VIEW');
    await browser.advance(2000);

    const [start, view] = browser.sentEvents();
    assert.equal(start.name, '$session_start');
    assert.deepEqual(start.properties, {});
    assert.equal(view.name, 'VIEW');
    assert.equal(start.sessionId, view.sessionId);
    assert.match(start.sessionId, /^s-[A-Za-z0-9_-]{22}$/);
    assert.equal(Beckon.getSessionId(), start.sessionId);
    assert.ok(start.clientTime < view.clientTime);
  });

  test('no event ever leaves without a session id', async () => {
    const { browser, Beckon } = startPage(build, { idle_time_out: IDLE_SECONDS });

    Beckon.logEvent('A');
    await browser.advance(IDLE_MS * 2);
    Beckon.logPageView('/b');
    Beckon.setUserProperties({ tier: 'gold' });
    Beckon.endSession();
    Beckon.startNewSession();
    Beckon.logEvent('C', {}, true);
    await browser.advance(5000);

    assert.ok(browser.sentEvents().length >= 8);
    for (const event of browser.sentEvents()) assert.match(event.sessionId, /^s-/);
  });

  test('all tabs of the site share the session', async () => {
    const browser = createBrowser();
    const first = startPage(build, {}, browser).Beckon;
    await browser.advance(0);

    const second = startPage(build, {}, browser).Beckon;
    second.logEvent('IN_SECOND_TAB');
    await browser.advance(2000);

    assert.equal(second.getSessionId(), first.getSessionId());
    assert.equal(browser.sentEvents().filter((e) => e.name === '$session_start').length, 1);
  });

  test('session ends after idle timeout without reload', async () => {
    const { browser, Beckon } = startPage(build, { idle_time_out: IDLE_SECONDS });
    Beckon.logEvent('LAST');
    const sessionId = Beckon.getSessionId();
    const lastActivityMs = browser.nowMs;

    await browser.advance(IDLE_MS + 3000);

    const end = sentEvent(browser, '$session_end');
    assert.equal(end.sessionId, sessionId);
    assert.deepEqual(end.properties, { reason: 'idle' });
    assert.equal(end.clientTime, sentEvent(browser, 'LAST').clientTime);
    assert.ok(end.clientTime >= lastActivityMs);
    assert.equal(Beckon.getSessionId(), null);
  });

  test('the first activity after the idle timeout ends the old session, starts a new', async () => {
    const browser = createBrowser();
    const first = startPage(build, { idle_time_out: IDLE_SECONDS }, browser);
    first.Beckon.logEvent('BEFORE');
    const oldSessionId = first.Beckon.getSessionId();
    first.page.leave();

    browser.nowMs += IDLE_MS + 1;
    const { Beckon } = startPage(build, { idle_time_out: IDLE_SECONDS }, browser);
    Beckon.logEvent('AFTER');
    await browser.advance(2000);

    const stored = storedEvents(browser);
    const names = stored.map((event) => event.name);
    assert.deepEqual(names, [
      '$session_start',
      'BEFORE',
      '$session_end',
      '$session_start',
      'AFTER',
    ]);
    const [, before, end, , after] = stored;
    assert.equal(end.sessionId, oldSessionId);
    assert.equal(end.properties.reason, 'idle');
    assert.equal(end.clientTime, before.clientTime);
    assert.notEqual(after.sessionId, oldSessionId);
  });

  test('activity in another tab keeps the session alive', async () => {
    const browser = createBrowser();
    const idleTab = startPage(build, { idle_time_out: IDLE_SECONDS }, browser).Beckon;
    await browser.advance(0);
    const busyTab = startPage(build, { idle_time_out: IDLE_SECONDS }, browser).Beckon;

    for (let i = 0; i < 5; i++) {
      await browser.advance(IDLE_MS / 2);
      busyTab.logEvent('BUSY');
    }
    await browser.advance(IDLE_MS / 2);

    assert.equal(browser.sentEvents().filter((e) => e.name === '$session_end').length, 0);
    assert.equal(idleTab.getSessionId(), busyTab.getSessionId());
  });

  test('two tabs that both see a session go idle send one $session_end id', async () => {
    const browser = createBrowser();
    startPage(build, { idle_time_out: IDLE_SECONDS }, browser);
    await browser.advance(0);
    startPage(build, { idle_time_out: IDLE_SECONDS }, browser);

    await browser.advance(IDLE_MS + 5000);

    const ends = browser.sentEvents().filter((event) => event.name === '$session_end');
    assert.ok(ends.length >= 1);
    assert.equal(new Set(ends.map((event) => event.id)).size, 1);
    assert.equal(
      [...browser.server.stored.values()].filter((e) => e.name === '$session_end').length,
      1,
    );
  });

  test('endSession sends $session_end "ended"; then only startNewSession works', async () => {
    const { browser, Beckon } = startPage(build);
    const sessionId = Beckon.getSessionId();

    Beckon.endSession();
    Beckon.logEvent('IGNORED');
    Beckon.logPageView('/ignored');
    Beckon.setUserProperties({ ignored: true });
    Beckon.setUserId('ignored');
    Beckon.endSession();
    await browser.advance(2000);

    const end = sentEvent(browser, '$session_end');
    assert.equal(end.sessionId, sessionId);
    assert.deepEqual(end.properties, { reason: 'ended' });
    assert.deepEqual(appEventNames(browser), []);
    assert.equal(Beckon.getSessionId(), null);
    assert.equal(Beckon.getClientId() !== null, true, 'getters still answer');
  });

  test('startNewSession after endSession starts a new session and calls work again', async () => {
    const { browser, Beckon } = startPage(build);
    const oldSessionId = Beckon.getSessionId();
    Beckon.endSession();

    Beckon.startNewSession();
    Beckon.logEvent('AGAIN');
    await browser.advance(2000);

    const starts = browser.sentEvents().filter((event) => event.name === '$session_start');
    assert.equal(starts.length, 2);
    assert.notEqual(starts[1].sessionId, oldSessionId);
    assert.equal(sentEvent(browser, 'AGAIN').sessionId, starts[1].sessionId);
  });

  test('endSession on an idle session leaves its end, as idle, to the next start', async () => {
    const { browser, Beckon } = startPage(build, { idle_time_out: IDLE_SECONDS });
    Beckon.logEvent('LAST');
    const idleSessionId = Beckon.getSessionId();
    await browser.advance(2000);
    browser.nowMs += IDLE_MS * 2; // a suspended tab: no timer ran meanwhile

    Beckon.endSession();
    Beckon.startNewSession();
    Beckon.logEvent('NEXT');
    await browser.advance(2000);

    const ends = storedEvents(browser).filter((event) => event.name === '$session_end');
    assert.equal(ends.length, 1);
    assert.equal(ends[0].sessionId, idleSessionId);
    assert.equal(ends[0].properties.reason, 'idle');
    assert.equal(ends[0].clientTime, sentEvent(browser, 'LAST').clientTime);
    assert.notEqual(sentEvent(browser, 'NEXT').sessionId, idleSessionId);
  });

  test('session boundary events have ids derived from the session id', async () => {
    const { browser, Beckon } = startPage(build);
    const sessionId = Beckon.getSessionId();

    Beckon.endSession();
    await browser.advance(2000);

    assert.equal(sentEvent(browser, '$session_start').id, sessionId + '-start');
    assert.equal(sentEvent(browser, '$session_end').id, sessionId + '-end');
  });

  test('startNewSession does nothing while a session is active', async () => {
    const { browser, Beckon } = startPage(build);
    const sessionId = Beckon.getSessionId();

    Beckon.startNewSession();
    await browser.advance(2000);

    assert.equal(Beckon.getSessionId(), sessionId);
    assert.equal(browser.sentEvents().filter((e) => e.name === '$session_start').length, 1);
  });

  test('the session is kept in localStorage with its last activity', () => {
    const { browser, Beckon } = startPage(build);

    Beckon.logEvent('VIEW');
    return browser.advance(0).then(() => {
      const stored = JSON.parse(browser.storage.items.get('beckon:site-1:session'));
      assert.equal(stored.id, Beckon.getSessionId());
      // The page load started the session a millisecond before it; VIEW came at START_MS.
      assert.equal(stored.lastActivityMs, START_MS);
    });
  });

  test('a session that an event starts begins before that event', async () => {
    const { browser, Beckon } = startPage(build, { idle_time_out: 60 });
    await browser.advance(61_000);
    Beckon.logEvent('AFTER_IDLE');
    await browser.advance(3000);

    const names = browser
      .sentEvents()
      .slice()
      .sort((a, b) => a.clientTime - b.clientTime)
      .map((event) => event.name);
    assert.deepEqual(names.slice(-3), ['$session_end', '$session_start', 'AFTER_IDLE']);
  });
});
