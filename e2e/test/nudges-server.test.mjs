/*
 * The seed's scenario on the real server: a campaign published through the admin API reaches
 * pages that load the combined script (/sdk/beckon-full.js) through the real config endpoint.
 * Its audience is everyone and its rule mixes history and the moment: "viewed at least two
 * shoes" (trigger.condition, decided in the browser) and "3 s on the page without tapping a
 * product" (the trigger). Three visitors, each on a fresh device: one who qualifies and waits
 * sees the nudge; one who taps a product in time does not; one who viewed no shoes never does.
 * The server must then hold the plugin's campaign events for the first visitor only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { eventsOfDevice, pollUntil } from '../lib/admin-api.mjs';
import { launchChromium } from '../lib/chromium.mjs';
import { REPO_ROOT } from '../lib/sdk-stage.mjs';
import { logTail, startBeckon, waitForHealth } from '../lib/beckon-server.mjs';

const SITE_ID = 'demo';
const CAMPAIGN = {
  id: 'shoe-help',
  name: 'Help with shoes',
  kind: 'nudge',
  priority: 10,
  audience: { segment: null, rolloutPercent: 100, controlPercent: 0 },
  schedule: { start: null, end: null },
  trigger: {
    on: { kind: 'without', event: 'PRODUCT_TAPPED', seconds: 3 },
    condition: {
      did: {
        event: 'PRODUCT_VIEWED',
        where: [{ property: 'category', op: 'eq', value: 'shoes' }],
        count: { atLeast: 2 },
        window: { last: 3, unit: 'days' },
      },
    },
  },
  caps: { total: 3, perSession: 1, perDay: 3, cooldownSeconds: 0, stopAfterDismiss: true, stopAfterGoal: true },
  content: {
    layout: 'modal',
    title: "Hi {username|there}, can't find your shoes?",
    body: 'Our <b>guide</b> helps you pick.',
    buttons: [
      { label: 'Open the guide', action: 'url', url: '/demo/shoes.html' },
      { label: 'No thanks', action: 'dismiss' },
    ],
  },
  goal: { event: 'ADD_TO_CART', where: [], windowHours: 24, after: 'shown' },
  testDevices: [],
};

const PAGE = `<!doctype html><meta charset="utf-8"><title>Shoes</title><h1>Shoes</h1>
<script src="/sdk/beckon-full.js"></script>
<script>Beckon.init('demo', { plugins: ['nudges'] });</script>`;

describe('a campaign published on the real server', { timeout: 240_000 }, () => {
  let server;
  let browser;

  async function admin(method, path, body) {
    const response = await fetch(server.baseUrl + path, {
      method,
      headers: { Authorization: `Bearer ${server.adminKey}`, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${await response.text()}`);
  }

  // Opens a fresh visitor's page, runs act in it, waits, and answers whether a nudge is drawn.
  async function visit(act) {
    const context = await browser.newContext();
    await context.route(`${server.baseUrl}/demo/nudge-page.html`, (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: PAGE }),
    );
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/demo/nudge-page.html`);
    await page.waitForFunction(() => window.Beckon && window.Beckon.getClientId());
    // The plugin asks for the config at start; give it time to arrive before the moment counts.
    await page.waitForTimeout(1000);
    await page.evaluate(act);
    await page.waitForTimeout(5000);
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll('*')].some((element) => element.shadowRoot && element.shadowRoot.textContent),
    );
    const deviceId = await page.evaluate(() => window.Beckon.getClientId());
    await context.close();
    return { drawn, deviceId };
  }

  async function campaignEvents(deviceId, settledName) {
    const events = await pollUntil(
      () => eventsOfDevice(server, SITE_ID, deviceId),
      (listed) => listed.some((event) => event.name === settledName),
    );
    return events.filter((event) => event.name.startsWith('$campaign_')).map((event) => event.name);
  }

  before(async () => {
    server = await startBeckon({ repoRoot: REPO_ROOT });
    try {
      await waitForHealth(server);
    } catch (error) {
      throw new Error(`${error.message}\n${logTail(server.logPath)}`);
    }
    await admin('POST', `/api/v1/sites/${SITE_ID}/campaigns`, CAMPAIGN);
    await admin('POST', `/api/v1/sites/${SITE_ID}/campaigns/${CAMPAIGN.id}/publish`);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the nudge to a visitor who viewed two shoes and waits without tapping', async () => {
    const { drawn, deviceId } = await visit(() => {
      window.Beckon.logEvent('PRODUCT_VIEWED', { category: 'shoes' });
      window.Beckon.logEvent('PRODUCT_VIEWED', { category: 'shoes' });
    });

    assert.ok(drawn, 'a nudge is on the page');
    const names = await campaignEvents(deviceId, '$campaign_shown');
    assert.deepEqual(names.sort(), ['$campaign_shown', '$campaign_triggered']);
  });

  it('does not show it to a visitor who taps a product in time', async () => {
    const { drawn, deviceId } = await visit(async () => {
      window.Beckon.logEvent('PRODUCT_VIEWED', { category: 'shoes' });
      window.Beckon.logEvent('PRODUCT_VIEWED', { category: 'shoes' });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      window.Beckon.logEvent('PRODUCT_TAPPED', { item: 'Runner' });
    });

    assert.ok(!drawn, 'no nudge is on the page');
    assert.deepEqual(await campaignEvents(deviceId, 'PRODUCT_TAPPED'), []);
  });

  it('never shows it to a visitor who viewed no shoes', async () => {
    const { drawn, deviceId } = await visit(() => {
      window.Beckon.logEvent('PRODUCT_VIEWED', { category: 'bags' });
    });

    assert.ok(!drawn, 'no nudge is on the page');
    assert.deepEqual(await campaignEvents(deviceId, 'PRODUCT_VIEWED'), []);
  });
});
