import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser, START_MS } from './fake-browser.mjs';
import { appEventNames, SITE_ID, sentEvent, startPage } from './helpers.mjs';

const EVENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

forEachBuild('events', (build) => {
  test('a batch has the protocol shape: sentAt, dropped, the shared fields once, and events', async () => {
    const { browser, Beckon } = startPage(build);
    Beckon.setUserId('user@example.com');

    Beckon.logEvent('ADD_TO_CART', { value: 1299, item: 'Sony Head Phone 1201' });
    await browser.advance(2000);

    const batch = JSON.parse(browser.requests[0].body);
    const shared = ['deviceId', 'sessionId', 'userId', 'version'];
    assert.deepEqual(Object.keys(batch).sort(), ['dropped', 'events', 'sentAt', ...shared].sort());
    assert.equal(batch.sentAt, START_MS + 2000);
    assert.equal(batch.dropped, 0);
    const event = sentEvent(browser, 'ADD_TO_CART');
    assert.match(event.id, EVENT_ID);
    assert.equal(event.deviceId, Beckon.getClientId());
    assert.equal(event.userId, 'user@example.com');
    assert.equal(event.sessionId, Beckon.getSessionId());
    assert.deepEqual(event.properties, { value: 1299, item: 'Sony Head Phone 1201' });
    assert.equal(event.version, 'ALL');
    assert.equal(event.clientTime, START_MS + 1);
  });

  test('events whose shared fields differ from those of the batch carry their own', async () => {
    const { browser, Beckon } = startPage(build);
    Beckon.logEvent('ANONYMOUS');
    Beckon.setUserId('ann');
    Beckon.logEvent('AS_ANN');
    Beckon.setAppVersion('2.0');
    Beckon.logEvent('ON_2_0');
    await browser.advance(2000);

    const batch = JSON.parse(browser.requests[0].body);
    assert.equal(batch.userId, null, 'the first event, $session_start, is anonymous');
    const own = batch.events
      .filter((event) => 'deviceId' in event)
      .map((event) => [event.userId, event.version]);
    assert.deepEqual(own, [
      ['ann', 'ALL'],
      ['ann', '2.0'],
    ]);
    assert.equal(sentEvent(browser, 'ANONYMOUS').userId, undefined);
    assert.equal(sentEvent(browser, 'AS_ANN').userId, 'ann');
    assert.equal(sentEvent(browser, 'ON_2_0').version, '2.0');
  });

  test('every event gets its own id', async () => {
    const { browser, Beckon } = startPage(build);

    for (let i = 0; i < 50; i++) Beckon.logEvent('VIEW');
    await browser.advance(2000);

    const ids = browser.sentEvents().map((event) => event.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, EVENT_ID);
    // They share device, user, session and version, which the batch gives once.
    for (const sent of JSON.parse(browser.requests[0].body).events) {
      assert.deepEqual(Object.keys(sent), ['id', 'name', 'clientTime', 'properties']);
    }
  });

  test('clientTime strictly increases within a page when the clock stands still', async () => {
    const { browser, Beckon } = startPage(build);

    for (let i = 0; i < 5; i++) Beckon.logEvent('TICK');
    browser.nowMs -= 1000;
    Beckon.logEvent('TICK');
    await browser.advance(3000);

    const times = browser.sentEvents().map((event) => event.clientTime);
    for (let i = 1; i < times.length; i++) assert.ok(times[i] > times[i - 1], String(times));
  });

  test('the device id is random, kept in localStorage per site, and stable across reloads', () => {
    const browser = createBrowser();
    const first = startPage(build, {}, browser).Beckon.getClientId();

    const reloaded = startPage(build, {}, browser).Beckon.getClientId();
    const otherBrowser = startPage(build).Beckon.getClientId();

    assert.match(first, /^d-[A-Za-z0-9_-]{22}$/);
    assert.equal(reloaded, first);
    assert.notEqual(otherBrowser, first);
    assert.equal(browser.storage.items.get('beckon:' + SITE_ID + ':device'), first);
  });

  test('setUserId stamps later events, is kept across reloads, and null clears it', async () => {
    const browser = createBrowser();
    const { Beckon } = startPage(build, {}, browser);

    Beckon.logEvent('BEFORE');
    Beckon.setUserId(42);
    Beckon.logEvent('AFTER');
    const reloaded = startPage(build, {}, browser).Beckon;
    reloaded.logEvent('RELOADED');
    reloaded.setUserId(null);
    reloaded.logEvent('LOGGED_OUT');
    await browser.advance(2000);

    assert.equal(sentEvent(browser, 'BEFORE').userId, undefined);
    assert.equal(sentEvent(browser, 'AFTER').userId, '42');
    assert.equal(sentEvent(browser, 'RELOADED').userId, '42');
    assert.equal(sentEvent(browser, 'LOGGED_OUT').userId, undefined);
  });

  test('a user id over 256 characters is ignored', async () => {
    const { browser, Beckon } = startPage(build);

    Beckon.setUserId('u'.repeat(257));
    Beckon.logEvent('VIEW');
    await browser.advance(2000);

    assert.equal(sentEvent(browser, 'VIEW').userId, undefined);
  });

  test('setAppVersion changes the version of later events only', async () => {
    const { browser, Beckon } = startPage(build, { version: '1.0' });

    Beckon.logEvent('OLD');
    Beckon.setAppVersion('2.0');
    Beckon.logEvent('NEW');
    Beckon.setAppVersion('');
    Beckon.logEvent('STILL_NEW');
    await browser.advance(2000);

    assert.equal(sentEvent(browser, 'OLD').version, '1.0');
    assert.equal(sentEvent(browser, 'NEW').version, '2.0');
    assert.equal(sentEvent(browser, 'STILL_NEW').version, '2.0');
  });

  test('app event names must be 1 to 200 characters and not start with $', async () => {
    const { browser, Beckon } = startPage(build);

    for (const name of ['', '$page_view', 'x'.repeat(201), 42, null, undefined]) {
      Beckon.logEvent(name, { bad: true });
    }
    Beckon.logEvent('x'.repeat(200));
    await browser.advance(2000);

    assert.deepEqual(appEventNames(browser), ['x'.repeat(200)]);
  });

  test('logPageView sends $page_view with path, title and referrer', async () => {
    const { browser, Beckon } = startPage(build);

    Beckon.logPageView('/cart');
    Beckon.logPageView();
    await browser.advance(2000);

    const views = browser.sentEvents().filter((event) => event.name === '$page_view');
    assert.deepEqual(views[0].properties, {
      path: '/cart',
      title: 'Shop',
      referrer: 'https://search.example/',
    });
    assert.equal(views[1].properties.path, '/products/42');
  });

  test('user and session properties go out as $user_properties, $session_properties', async () => {
    const { browser, Beckon } = startPage(build);

    Beckon.setUserProperties({ gender: 'Male', age: 24, isPaidUser: true, creditsLeft: 250 });
    Beckon.setSessionProperties({ language: 'en', location: 'Hyderabad' });
    Beckon.setUserProperties({});
    await browser.advance(2000);

    assert.deepEqual(sentEvent(browser, '$user_properties').properties, {
      gender: 'Male',
      age: 24,
      isPaidUser: true,
      creditsLeft: 250,
    });
    assert.deepEqual(sentEvent(browser, '$session_properties').properties, {
      language: 'en',
      location: 'Hyderabad',
    });
  });

  test('client event never reaches the network, and listeners see it', async () => {
    const seen = [];
    const plugin = { name: 'watcher', start: (sdk) => sdk.subscribe((event) => seen.push(event)) };
    const { browser, Beckon } = startPage(build, { plugins: ['watcher'], deps: [plugin] });
    await browser.advance(2000);
    const requestsBefore = browser.requests.length;

    Beckon.logClientEvent('SoftBackPressed', { page: '/index.html' });
    await browser.advance(60_000);
    browser.pages[0].hide();

    assert.equal(browser.requests.length, requestsBefore);
    assert.equal(browser.beacons.length, 0);
    assert.ok(!JSON.stringify(browser.storage.items).includes('SoftBackPressed'));
    const clientEvent = seen.find((event) => event.name === 'SoftBackPressed');
    assert.equal(clientEvent.kind, 'client');
    assert.deepEqual({ ...clientEvent.properties }, { page: '/index.html' });
  });

  test('listeners see app events with their kind, and a throwing listener harms nothing', () => {
    const seen = [];
    const plugin = {
      name: 'watcher',
      start(sdk) {
        sdk.subscribe(() => {
          throw new Error('listener bug');
        });
        sdk.subscribe((event) => seen.push(event.kind + ':' + event.name));
      },
    };
    const { Beckon } = startPage(build, { plugins: ['watcher'], deps: [plugin] });

    Beckon.logEvent('ADD_TO_CART');
    Beckon.logClientEvent('SoftBackPressed');

    assert.deepEqual(seen, ['app:ADD_TO_CART', 'client:SoftBackPressed']);
  });
});
