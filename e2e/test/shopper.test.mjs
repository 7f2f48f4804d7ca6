/*
 * A shopper's visit to the demo shop, end to end: the real server started by `./beckon demo`,
 * the real SDK with its nudges plugin served at /sdk/beckon-full.js, and the demo shop in headless
 * Chromium. The shopper
 * logs in, browses five shoes, adds one to the cart, presses the soft back button and checks
 * out; the admin API must then hold exactly the events that the shop logged, in order.
 *
 * The journey runs once, in `before`; each `it` then states one property of what arrived.
 * Screenshots go to e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { eventsOfDevice, pollUntil } from '../lib/admin-api.mjs';
import { launchChromium } from '../lib/chromium.mjs';
import {
  byClientTime,
  describeEvent,
  expectation,
  orderProblem,
  pairEvents,
} from '../lib/expected-events.mjs';
import { logTail, startBeckon, waitForHealth } from '../lib/beckon-server.mjs';

const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = path.resolve(E2E_DIR, '..');
const ARTIFACTS_DIR = path.join(E2E_DIR, 'artifacts');

const SITE_ID = 'demo';
const APP_VERSION = '1.0.0';
const PRODUCTS_TO_VIEW = 5;
const DEFAULT_LOCATION = 'Hyderabad';
const ACTION_TIMEOUT_MS = 15_000;
const DELIVERY_TIMEOUT_MS = 15_000;

const SHOPPER = {
  email: `shopper+${randomBytes(4).toString('hex')}@example.com`,
  name: 'Asha Rao',
  gender: 'Female',
  age: 24,
  isPaidUser: true,
  creditsLeft: 250,
};

describe('a shopper in the demo shop', { timeout: 300_000 }, () => {
  let server;
  let browser;
  let failures = 0;

  /** What the journey saw in the browser, and the events the server then listed. */
  const visit = {
    clientId: null,
    sessionId: null,
    expected: [],
    viewedProducts: [],
    events: [],
  };

  before(async () => {
    try {
      server = await startBeckon({ repoRoot: REPO_ROOT });
      await waitForHealth(server);
      browser = await launchChromium();
      await shopAsAShopper(browser, server, visit);
      visit.events = await awaitDelivery(server, visit);
    } catch (error) {
      failures += 1;
      throw error;
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (!server) {
      return;
    }
    if (failures > 0) {
      console.log(`--- the last lines of ${server.logPath} ---\n${logTail(server.logPath)}`);
    } else {
      rmSync(server.workDir, { recursive: true, force: true });
    }
  });

  /** Like `it`, but counts failures so that `after` can show the server's log. */
  function check(behaviour, body) {
    it(behaviour, async (t) => {
      try {
        await body(t);
      } catch (error) {
        failures += 1;
        throw error;
      }
    });
  }

  check('the events are listed under the device id that getClientId() returned', () => {
    assert.ok(visit.clientId, 'getClientId() returned no device id');
    assert.ok(visit.events.length > 0, 'the server listed no event for this device id');
    for (const event of visit.events) {
      assert.equal(event.deviceId, visit.clientId, `device id of ${describeEvent(event)}`);
    }
  });

  check('the force-reported CHECKOUT arrives although the page left at once', () => {
    const checkouts = visit.events.filter((event) => event.name === 'CHECKOUT');
    assert.equal(checkouts.length, 1, 'CHECKOUT events listed');
  });

  check('each event the shop logged arrives exactly once, with its properties', () => {
    const { missing, unexpected } = pairEvents(visit.events, visit.expected);

    assert.deepEqual(
      { missing: missing.map(describeEvent), unexpected: unexpected.map(describeEvent) },
      { missing: [], unexpected: [] },
    );
  });

  check('no two listed events share an id', () => {
    const ids = visit.events.map((event) => event.id);

    assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0), 'every event has an id');
    assert.equal(new Set(ids).size, ids.length, `ids: ${ids.join(', ')}`);
  });

  check('the events follow the order of the shopper\'s actions', () => {
    assert.equal(orderProblem(visit.events, visit.expected), null);
  });

  check('the soft back button\'s client event never leaves the browser', () => {
    const clientEvents = visit.events.filter((event) => event.name === 'SoftBackPressed');
    assert.deepEqual(clientEvents, []);
  });

  check('every event from login on carries the custom user id', () => {
    const sorted = byClientTime(visit.events);
    const login = sorted.findIndex((event) => event.name === '$user_properties');
    assert.notEqual(login, -1, 'no $user_properties event arrived');

    for (const event of sorted.slice(login)) {
      assert.equal(event.userId, SHOPPER.email, `user id of ${describeEvent(event)}`);
    }
  });

  check('every event belongs to the one session that getSessionId() reports', () => {
    assert.ok(visit.sessionId, 'getSessionId() returned no session id');
    for (const event of visit.events) {
      assert.equal(event.sessionId, visit.sessionId, `session id of ${describeEvent(event)}`);
    }
  });

  check('every event carries the version given to init', () => {
    for (const event of visit.events) {
      assert.equal(event.version, APP_VERSION, `version of ${describeEvent(event)}`);
    }
  });

  check('the shop\'s front door, /demo/, serves its home page', async () => {
    const response = await fetch(`${server.baseUrl}/demo/`, {
      signal: AbortSignal.timeout(10_000),
    }).catch((error) => {
      throw new Error(`GET /demo/ failed: ${error.cause?.message ?? error.message}`);
    });

    assert.equal(response.status, 200, `GET /demo/ ended at ${response.url}`);
    assert.match(await response.text(), /data-page="home"/);
  });

  check('the dashboard signs in with the admin account and shows the shopper', async (t) => {
    const page = await browser.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    try {
      const response = await page.goto(`${server.baseUrl}/dashboard/`);
      if (!response || response.status() === 404) {
        t.skip('the server does not serve /dashboard/');
        return;
      }
      await signInToDashboard(page, server);
      await saveScreenshot(page, 'dashboard.png');

      const userPath = `/dashboard/sites/${SITE_ID}/users/${encodeURIComponent(SHOPPER.email)}`;
      const profile = await page.goto(`${server.baseUrl}${userPath}`);
      assert.equal(profile.status(), 200, `GET ${userPath}`);
      await page.getByText(SHOPPER.email).first().waitFor();
      await saveScreenshot(page, 'dashboard-shopper.png');
    } finally {
      await page.close();
    }
  });

  check('the settings pages create an account and an API key, shown once', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    try {
      await page.goto(`${server.baseUrl}/dashboard/settings/accounts`);
      await signInToDashboard(page, server);
      if (!new URL(page.url()).pathname.startsWith('/dashboard/settings/accounts')) {
        await page.goto(`${server.baseUrl}/dashboard/settings/accounts`);
      }
      await page.locator('input[name="email"]').fill('viewer@example.com');
      await page.locator('input[name="name"]').fill('Vera Viewer');
      await page.locator('input[name="password"]').fill('a long enough password');
      await page.locator('input[name="sites"][value="demo"]').check();
      await page.getByTestId('create-account').click();
      await page.getByTestId('accounts').getByText('viewer@example.com').waitFor();

      await page.goto(`${server.baseUrl}/dashboard/settings/keys`);
      await page.locator('input[name="label"]').fill('nightly report');
      await page.locator('select[name="siteId"]').selectOption('demo');
      await page.getByTestId('create-key').click();
      const secret = await page.getByTestId('secret').textContent();
      assert.match(secret ?? '', /^bk_/);
      await saveScreenshot(page, 'dashboard-settings-keys.png');

      await page.goto(`${server.baseUrl}/dashboard/settings/keys`);
      assert.equal(await page.getByTestId('secret').count(), 0, 'the secret is shown a second time');
      const answer = await fetch(`${server.baseUrl}/api/v1/sites`, {
        headers: { Authorization: `Bearer ${secret}` },
      });
      assert.equal(answer.status, 200);
      assert.deepEqual((await answer.json()).sites.map((site) => site.id), ['demo']);
    } finally {
      await page.close();
    }
  });
});

// ---- The journey ------------------------------------------------------------------------

/**
 * Walks through the shop as a person would, clicking links and buttons, and records in
 * `visit.expected` each event that the shop should log, in the order of the actions.
 */
async function shopAsAShopper(browser, server, visit) {
  const context = await browser.newContext({ baseURL: server.baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const expect = (...args) => visit.expected.push(expectation(...args));
  const expectPageView = (pagePath) =>
    expect('$page_view', { path: `/demo/${pagePath}` }, { exact: false });

  try {
    // Arrive on the login page; the SDK starts the session.
    await page.goto('/demo/login.html');
    await waitForSdk(page);
    visit.clientId = await page.evaluate(() => window.Beckon.getClientId());
    const language = await page.evaluate(() => navigator.language.split('-')[0]);
    expect('$session_start', {}, { exact: false });
    expectPageView('login.html');
    expect('$session_properties', { language, location: DEFAULT_LOCATION });

    // Log in.
    await logIn(page);
    expect('$user_properties', {
      gender: SHOPPER.gender,
      age: SHOPPER.age,
      isPaidUser: SHOPPER.isPaidUser,
      creditsLeft: SHOPPER.creditsLeft,
      name: SHOPPER.name,
    });
    expectPageView('index.html');

    // Open the shoes and view five of them, returning through the breadcrumb.
    await clickAndArrive(page, 'nav-shoes', /\/demo\/shoes\.html$/);
    expectPageView('shoes.html');
    const shoes = await productCards(page);
    assert.ok(shoes.length >= PRODUCTS_TO_VIEW, `the shoes page lists ${shoes.length} products`);
    visit.viewedProducts = shoes.slice(0, PRODUCTS_TO_VIEW);
    for (const [index, product] of visit.viewedProducts.entries()) {
      await viewProduct(page, product);
      expectPageView('product.html');
      expect('PRODUCT_VIEWED', product);
      if (index < PRODUCTS_TO_VIEW - 1) {
        await clickAndArrive(page, 'breadcrumb-category', /\/demo\/shoes\.html$/);
        expectPageView('shoes.html');
      }
    }

    // Add the last one to the cart, then press the soft back button once.
    const chosen = visit.viewedProducts.at(-1);
    await page.getByTestId('add-to-cart').click();
    await page.getByTestId('added-confirmation').waitFor();
    expect('ADD_TO_CART', { value: chosen.price, item: chosen.name });
    await pressSoftBack(page, /\/demo\/shoes\.html$/);
    expectPageView('shoes.html');

    // Check out: the shop force-reports CHECKOUT and leaves the page in the same tick.
    await clickAndArrive(page, 'nav-cart', /\/demo\/cart\.html$/);
    expectPageView('cart.html');
    assert.equal(await page.getByTestId('cart-line').count(), 1, 'lines in the cart');
    visit.sessionId = await page.evaluate(() => window.Beckon.getSessionId());
    await clickAndArrive(page, 'checkout', /\/demo\/thanks\.html$/);
    expect('CHECKOUT', { value: chosen.price, items: 1 });
    expectPageView('thanks.html');
    await page.getByTestId('thanks-heading').waitFor();

    assert.equal(
      await page.evaluate(() => window.Beckon.getClientId()),
      visit.clientId,
      'the device id stays the same across pages',
    );
    await saveScreenshot(page, 'shop-thanks.png');
  } catch (error) {
    await saveScreenshot(page, 'shop-failure.png').catch(() => undefined);
    throw error;
  }
}

async function waitForSdk(page) {
  await page.waitForFunction(
    () => typeof window.Beckon?.getClientId === 'function' && Boolean(window.Beckon.getClientId()),
  );
}

async function logIn(page) {
  await page.getByTestId('login-email').fill(SHOPPER.email);
  await page.getByTestId('login-name').fill(SHOPPER.name);
  await page.getByTestId('login-gender').selectOption(SHOPPER.gender);
  await page.getByTestId('login-age').fill(String(SHOPPER.age));
  await page.getByTestId('login-credits-left').fill(String(SHOPPER.creditsLeft));
  await page.getByTestId('login-is-paid-user').setChecked(SHOPPER.isPaidUser);
  await clickAndArrive(page, 'login-submit', /\/demo\/index\.html$/);
}

/** The products listed on a category page, read from their cards as a shopper sees them. */
async function productCards(page) {
  const category = await page.getByTestId('category-products').getAttribute('data-category');
  const cards = await page.getByTestId('product-link').all();
  const products = [];
  for (const card of cards) {
    products.push({
      id: await card.getAttribute('data-product-id'),
      name: await card.locator('.product-name').textContent(),
      category,
      price: Number((await card.locator('.product-price').textContent()).replace(/\D/g, '')),
    });
  }
  return products;
}

async function viewProduct(page, product) {
  await page.locator(`[data-product-id="${product.id}"]`).click();
  await page.waitForURL((url) => url.searchParams.get('id') === product.id);
  assert.equal(await page.getByTestId('product-name').textContent(), product.name);
}

async function clickAndArrive(page, testId, urlPattern) {
  await page.getByTestId(testId).click();
  await page.waitForURL(urlPattern);
}

/** A back navigation may be served from the back/forward cache, which fires no load event. */
async function pressSoftBack(page, urlPattern) {
  await page.getByTestId('soft-back').click();
  await page.waitForURL(urlPattern, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.readyState === 'complete');
}

// ---- Delivery and the dashboard ---------------------------------------------------------

/** Polls the admin API until every expected event is listed, then looks once more for late
 *  duplicates. */
async function awaitDelivery(server, visit) {
  const load = () => eventsOfDevice(server, SITE_ID, visit.clientId);
  await pollUntil(load, (events) => pairEvents(events, visit.expected).missing.length === 0, {
    timeoutMs: DELIVERY_TIMEOUT_MS,
  });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return load();
}

/**
 * Signs in on the dashboard's login page, where an unsigned browser is sent, with the admin
 * account that BECKON_ADMIN_EMAIL and BECKON_ADMIN_PASSWORD created, and waits for a signed-in
 * page: one that offers to sign out. A failed navigation, such as a redirect loop, ends on
 * Chromium's error page instead, and fails here with the address it ended at.
 */
async function signInToDashboard(page, server) {
  if (new URL(page.url()).pathname.startsWith('/dashboard/login')) {
    await page.locator('input[name="email"]').fill(server.adminEmail);
    await page.locator('input[name="password"]').fill(server.adminPassword);
    await page.getByTestId('sign-in').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/dashboard/login'));
  }
  await page.waitForLoadState('load');
  const signOut = await page.getByRole('button', { name: 'Sign out' }).count();
  assert.ok(signOut > 0, `after signing in, ${page.url()} shows no signed-in dashboard page`);
}

async function saveScreenshot(page, fileName) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, fileName), fullPage: true });
}
