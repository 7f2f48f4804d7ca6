/*
 * The report pages in headless Chromium, against the real server of `./beckon demo`: the events
 * report with a breakdown, the site-wide holdout's report and a campaign's funnel day by day, over
 * events sent through ingestion. Each page must draw its uPlot charts under the dashboard's
 * Content-Security-Policy (no console error, no CSP violation), and event names and property
 * values that carry markup must stay text (stored XSS). Screenshots go to docs/report-*.png.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../lib/chromium.mjs';
import { startBeckon, waitForHealth } from '../lib/beckon-server.mjs';

const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = path.resolve(E2E_DIR, '..');
const DOCS = path.join(REPO_ROOT, 'docs');
const DAY_MS = 86_400_000;
const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">';
const HOSTILE_VALUE = '<script>window.__xss=2</script>';
const CATEGORIES = ['shoes', 'hats', 'bags', HOSTILE_VALUE];

/** A fortnight of a small shop: views, purchases, a campaign's events, and two hostile events. */
function shopEvents(now) {
  const events = [];
  const add = (deviceId, name, atMs, properties = {}, version = '1.0.0') =>
    events.push({
      id: randomUUID(),
      name,
      deviceId,
      sessionId: 's-' + deviceId,
      version,
      clientTime: atMs,
      properties,
    });
  for (let person = 0; person < 240; person += 1) {
    const deviceId = 'shopper-' + person;
    const firstDay = person % 14;
    for (let day = firstDay; day < 14; day += 3) {
      const atMs = now - (14 - day) * DAY_MS + (person % 10) * 3_600_000;
      const category = CATEGORIES[(person + day) % 3];
      add(deviceId, 'PRODUCT_VIEWED', atMs, { category }, person % 4 === 0 ? '2.0.0' : '1.0.0');
      if ((person + day) % 9 === 0) add(deviceId, 'ADD_TO_CART', atMs + 60_000, { category });
    }
    const variant = person % 5 === 0 ? 'control' : 'test';
    const campaign = { campaignId: 'shoe-help', campaignVersion: 1, variant };
    const shownMs = now - (12 - (person % 10)) * DAY_MS;
    add(deviceId, '$campaign_triggered', shownMs, campaign);
    add(deviceId, variant === 'test' ? '$campaign_shown' : '$campaign_held', shownMs + 1000, campaign);
    if (variant === 'test' && person % 3 === 0) {
      add(deviceId, '$campaign_clicked', shownMs + 5000, { ...campaign, button: 0, action: 'url' });
    }
    if (person % 3 === 0) add(deviceId, 'ADD_TO_CART', shownMs + 600_000, { category: 'shoes' });
  }
  add('hostile', HOSTILE_NAME, now - DAY_MS, { category: HOSTILE_VALUE });
  add('hostile', 'PRODUCT_VIEWED', now - DAY_MS, { category: HOSTILE_VALUE });
  return events;
}

describe('the report pages', { timeout: 300_000 }, () => {
  let server;
  let browser;

  async function admin(method, apiPath, body) {
    const response = await fetch(server.baseUrl + apiPath, {
      method,
      headers: { Authorization: `Bearer ${server.adminKey}`, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} ${apiPath} answered ${response.status}: ${await response.text()}`);
  }

  /** Opens a dashboard page signed in, and collects what the console and CSP report. */
  async function open(pagePath) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    const problems = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('dialog', (dialog) => {
      problems.push('a dialog opened: ' + dialog.message());
      dialog.dismiss();
    });
    await page.goto(`${server.baseUrl}/dashboard/login`);
    await page.locator('input[name="email"]').fill(server.adminEmail);
    await page.locator('input[name="password"]').fill(server.adminPassword);
    await page.getByTestId('sign-in').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/dashboard/login'));
    await page.goto(server.baseUrl + pagePath);
    return { page, problems };
  }

  async function expectSafe(page, problems) {
    assert.equal(await page.evaluate(() => window.__xss), undefined, 'markup from the data ran');
    assert.deepEqual(problems, []);
  }

  before(async () => {
    server = await startBeckon({ repoRoot: REPO_ROOT });
    await waitForHealth(server);
    browser = await launchChromium();
    await admin('PATCH', '/api/v1/sites/demo', { holdoutPercent: 20 });
    await admin('POST', '/api/v1/sites/demo/campaigns', {
      id: 'shoe-help',
      name: 'Help with shoes',
      trigger: { on: { kind: 'pageView' } },
      audience: { controlPercent: 20 },
      content: { layout: 'banner', position: 'top', title: 'Need help with shoes?' },
      goal: { event: 'ADD_TO_CART', where: [], windowHours: 24, after: 'shown' },
    });
    await admin('POST', '/api/v1/sites/demo/campaigns/shoe-help/publish');
    const events = shopEvents(Date.now());
    for (let i = 0; i < events.length; i += 400) {
      const response = await fetch(`${server.baseUrl}/ingest/demo`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ events: events.slice(i, i + 400) }),
      });
      assert.equal(response.status, 200, await response.text());
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the events report draws its charts, keeps markup as text, and links its CSV', async () => {
    const query = new URLSearchParams([
      ['event', 'PRODUCT_VIEWED'],
      ['event', 'ADD_TO_CART'],
      ['event', HOSTILE_NAME],
      ['breakdown', 'category'],
    ]);
    const { page, problems } = await open(`/dashboard/sites/demo/reports/events?${query}`);

    await page.getByTestId('events-chart').locator('canvas').waitFor();
    await page.getByTestId('people-chart').locator('canvas').waitFor();
    const series = await page.getByTestId('series').innerText();
    await page.screenshot({ path: path.join(DOCS, 'report-events.png'), fullPage: true });

    assert.ok(series.includes(HOSTILE_VALUE), 'the hostile value is shown as text');
    assert.ok(series.includes(HOSTILE_NAME), 'the hostile name is shown as text');
    assert.equal(await page.locator('main script:not([src])').count(), 0);
    assert.match(await page.getByTestId('csv').getAttribute('href'), /\/reports\/events\/csv\?/);
    await expectSafe(page, problems);
    await page.close();
  });

  it('the version filter narrows the report to one SDK version', async () => {
    const { page, problems } = await open(
      '/dashboard/sites/demo/reports/events?event=PRODUCT_VIEWED&version=2.0.0',
    );

    await page.getByTestId('events-chart').locator('canvas').waitFor();

    assert.match(await page.getByTestId('series').innerText(), /PRODUCT_VIEWED/);
    await expectSafe(page, problems);
    await page.close();
  });

  it('the holdout report compares the goal rates with a verdict', async () => {
    const { page, problems } = await open('/dashboard/sites/demo/reports/holdout?goal=ADD_TO_CART');

    const verdict = await page.getByTestId('verdict').innerText();
    await page.screenshot({ path: path.join(DOCS, 'report-holdout.png'), fullPage: true });

    assert.ok(
      [
        'not enough data yet',
        'no clear difference',
        'the campaign raises the goal rate',
        'the campaign lowers it',
      ].includes(verdict),
      verdict,
    );
    await expectSafe(page, problems);
    await page.close();
  });

  it("a campaign's funnel day by day draws its chart", async () => {
    const { page, problems } = await open('/dashboard/sites/demo/campaigns/shoe-help/trend');

    await page.getByTestId('trend-chart').locator('canvas').waitFor();
    const table = await page.getByTestId('trend').innerText();
    await page.screenshot({ path: path.join(DOCS, 'report-campaign-trend.png'), fullPage: true });

    assert.match(table, /shown/);
    await expectSafe(page, problems);
    await page.close();
  });
});
