import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser, PAGE_ORIGIN } from './fake-browser.mjs';
import { ENDPOINT, INGEST_URL, SITE_ID, startPage } from './helpers.mjs';

forEachBuild('init', (build) => {
  test('init calls onSuccess once and getSiteId returns the site id', () => {
    const { Beckon, outcome } = startPage(build);

    assert.equal(outcome.successCount, 1);
    assert.deepEqual(outcome.failures, []);
    assert.equal(Beckon.getSiteId(), SITE_ID);
  });

  test('getters answer null before init', () => {
    const page = createBrowser().openPage({ code: build.code });

    assert.equal(page.Beckon.getClientId(), null);
    assert.equal(page.Beckon.getSessionId(), null);
    assert.equal(page.Beckon.getSiteId(), null);
    assert.equal(page.Beckon.isOptedOut(), false);
  });

  test('events go to POST {endpoint}/ingest/{siteId} as text/plain, without cookies', async () => {
    const { browser, Beckon } = startPage(build);

    Beckon.logEvent('ADD_TO_CART', { value: 1299 });
    await browser.advance(2000);

    const request = browser.requests[0];
    assert.equal(request.url, INGEST_URL);
    assert.equal(request.method, 'POST');
    assert.equal(request.contentType, 'text/plain;charset=UTF-8');
    assert.equal(request.credentials, 'omit');
  });

  test('without an endpoint, the script-tag file sends to the origin it came from', async () => {
    const browser = createBrowser();
    const page = browser.openPage({ code: build.code });

    page.Beckon.init(SITE_ID);
    page.Beckon.logEvent('ADD_TO_CART');
    await browser.advance(2000);

    assert.equal(browser.requests[0].url, 'https://cdn.beckon.test/ingest/' + SITE_ID);
  });

  test('without an endpoint or a script origin, events go to the page origin', async () => {
    const browser = createBrowser();
    const page = browser.openPage();
    page.load(build.code, '');

    page.window.Beckon.init(SITE_ID);
    page.window.Beckon.logEvent('ADD_TO_CART');
    await browser.advance(2000);

    assert.equal(browser.requests[0].url, PAGE_ORIGIN + '/ingest/' + SITE_ID);
  });

  test('the endpoint loses its trailing slashes and the site id is URL-encoded', async () => {
    const browser = createBrowser();
    const page = browser.openPage({ code: build.code });

    page.Beckon.init('site one/2', { endpoint: ENDPOINT + '//' });
    page.Beckon.logEvent('ADD_TO_CART');
    await browser.advance(2000);

    assert.equal(browser.requests[0].url, ENDPOINT + '/ingest/site%20one%2F2');
  });

  test('init reports each start failure to onError with a reason, and a later init works', () => {
    const failing = [
      [[''], 'invalid_site_id'],
      [[42], 'invalid_site_id'],
      [[SITE_ID, { endpoint: 'beckon.test' }], 'no_endpoint'],
      [[SITE_ID, { endpoint: 'ftp://beckon.test' }], 'no_endpoint'],
    ];
    const page = createBrowser().openPage({ code: build.code });

    for (const [args, reason] of failing) {
      const failures = [];
      page.Beckon.init(
        args[0],
        args[1],
        () => assert.fail('started'),
        (f) => failures.push(f),
      );
      assert.equal(failures.length, 1, JSON.stringify(args));
      assert.equal(failures[0].reason, reason);
      assert.equal(typeof failures[0].message, 'string');
    }
    let started = false;
    page.Beckon.init(SITE_ID, { endpoint: ENDPOINT }, () => (started = true));

    assert.equal(started, true);
  });

  test('a second init reports already_started and changes nothing', () => {
    const { Beckon } = startPage(build);
    const failures = [];

    Beckon.init('other-site', { endpoint: ENDPOINT }, null, (failure) => failures.push(failure));

    assert.equal(failures[0].reason, 'already_started');
    assert.equal(Beckon.getSiteId(), SITE_ID);
  });

  test('wrong option values fall back to their defaults', async () => {
    const { browser, Beckon } = startPage(build, {
      batchSize: 0,
      flushIntervalMs: 'soon',
      idle_time_out: -1,
      version: '',
      plugins: 'nudges',
      maxQueueEvents: Infinity,
    });

    for (let i = 0; i < 18; i++) Beckon.logEvent('VIEW', { i });
    await browser.advance(1999);
    assert.equal(browser.requests.length, 0, 'flushIntervalMs 2000 applies');
    Beckon.logEvent('VIEW', { i: 18 });
    await browser.advance(0);

    assert.equal(browser.requests.length, 1, 'batchSize 20 applies');
    assert.equal(browser.requests[0].batch.events.length, 20, 'a $session_start and 19 events');
    assert.equal(browser.requests[0].batch.events[1].version, 'ALL');
  });

  test('a callback that throws does not reach the page', () => {
    const page = createBrowser().openPage({ code: build.code });

    page.Beckon.init(SITE_ID, { endpoint: ENDPOINT }, () => {
      throw new Error('site bug');
    });
    page.Beckon.init('', {}, null, () => {
      throw new Error('site bug');
    });
  });

  test('the script tag defines window.Apxor too, unless the page has one', () => {
    const browser = createBrowser();
    const plain = browser.openPage({ code: build.code });
    const apxor = { mine: true };
    const withApxor = browser.openPage({
      beforeLoad: (page) => (page.window.Apxor = apxor),
      code: build.code,
    });

    assert.equal(plain.window.Apxor, plain.window.Beckon);
    assert.equal(withApxor.window.Apxor, apxor);
  });

  test('loading the script tag twice keeps the first SDK', () => {
    const page = createBrowser().openPage({ code: build.code });
    const first = page.window.Beckon;

    page.load(build.code);

    assert.equal(page.window.Beckon, first);
  });
});
