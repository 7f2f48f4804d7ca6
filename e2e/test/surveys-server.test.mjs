/*
 * The seed's survey scenario on the real server and the demo shop: a survey published through
 * the admin API asks for product feedback when the shop's soft back button is pressed (a client
 * event, which never leaves the browser). One visitor answers it in full and one leaves halfway;
 * the admin API must then hold each answer as a $survey_answered event of one response, the
 * completion only for the first, and the survey's report one full and one partial response.
 * The recontact wait holds in the browser that was shown a survey, and, through the config, on
 * another device of the same user. A second survey, on the cart page, shows the recontact wait: a
 * visitor who was just shown the first survey is not shown the second.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { adminGet, eventsOfDevice, pollUntil } from '../lib/admin-api.mjs';
import { launchChromium } from '../lib/chromium.mjs';
import { REPO_ROOT } from '../lib/sdk-stage.mjs';
import { logTail, startBeckon, waitForHealth } from '../lib/beckon-server.mjs';

const SITE_ID = 'demo';
const DIALOG = '[data-beckon-survey] [role=dialog]';

// docs/surveys.md's example, on the demo shop's own client event.
const FEEDBACK = {
  id: 'back-feedback',
  name: 'Why go back?',
  kind: 'survey',
  audience: { segment: null, rolloutPercent: 100, controlPercent: 0 },
  trigger: { on: { kind: 'event', event: 'SoftBackPressed' } },
  caps: { total: 1, stopAfterDismiss: true },
  content: {
    layout: 'modal',
    theme: { accent: '#2457ff', background: '#ffffff', text: '#111111' },
    intro: { title: 'Two quick questions', body: 'It takes ten seconds.', button: 'Start' },
    questions: [
      {
        id: 'nps',
        type: 'nps',
        text: 'How likely are you to recommend us, {username|}?',
        required: true,
        lowLabel: 'Not at all',
        highLabel: 'Very likely',
        logic: [{ if: { op: 'gte', value: 9 }, goTo: 'end' }],
      },
      {
        id: 'why',
        type: 'single',
        text: 'What held you back?',
        required: false,
        choices: ['Price', 'Delivery time', 'Choice of sizes'],
        other: true,
      },
      { id: 'stars', type: 'rating', scale: 'stars', text: 'Rate the checkout', required: false },
      {
        id: 'wish',
        type: 'text',
        long: true,
        text: 'Anything else?',
        required: false,
        placeholder: 'Tell us',
        maxLength: 2000,
      },
    ],
    thanks: { title: 'Thank you!', body: 'We read every answer.' },
  },
};

// A second survey, on the cart page.
const CART = {
  id: 'cart-feedback',
  name: 'How is the cart?',
  kind: 'survey',
  trigger: { on: { kind: 'pageView', path: '/demo/cart.html' } },
  caps: { total: 1 },
  content: {
    layout: 'card',
    questions: [
      { id: 'easy', type: 'rating', text: 'How easy is the cart to use?', required: true },
    ],
  },
};

describe('surveys published on the real server, in the demo shop', { timeout: 300_000 }, () => {
  let server;
  let browser;

  async function admin(method, path, body) {
    const response = await fetch(server.baseUrl + path, {
      method,
      headers: { Authorization: `Bearer ${server.adminKey}`, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    assert.ok(
      response.ok,
      `${method} ${path} answered ${response.status}: ${await response.text()}`,
    );
  }

  /** A fresh visitor on the demo shop's shoes page, once the config has arrived. */
  async function visitShoes() {
    const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/demo/shoes.html`);
    await page.waitForFunction(() => window.Beckon && window.Beckon.getClientId());
    await page.waitForTimeout(1000);
    const deviceId = await page.evaluate(() => window.Beckon.getClientId());
    return { context, page, deviceId };
  }

  async function pressSoftBack(page) {
    await page.click('#soft-back');
    await page.locator(DIALOG).waitFor({ timeout: 5000 });
  }

  const dialog = (page) => page.locator(DIALOG);
  const next = (page) => dialog(page).locator('.button').click();
  const choose = (page, label) => dialog(page).getByLabel(label, { exact: true }).check();

  /** The device's events whose names start so, oldest first, once settledName has arrived. */
  async function eventsNamed(deviceId, prefix, settledName) {
    const events = await pollUntil(
      () => eventsOfDevice(server, SITE_ID, deviceId),
      (listed) => listed.some((event) => event.name === settledName),
    );
    return events.filter((event) => event.name.startsWith(prefix)).reverse();
  }

  before(async () => {
    server = await startBeckon({ repoRoot: REPO_ROOT });
    try {
      await waitForHealth(server);
    } catch (error) {
      throw new Error(`${error.message}\n${logTail(server.logPath)}`);
    }
    for (const survey of [FEEDBACK, CART]) {
      await admin('POST', `/api/v1/sites/${SITE_ID}/campaigns`, survey);
      await admin('POST', `/api/v1/sites/${SITE_ID}/campaigns/${survey.id}/publish`);
    }
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the soft back button brings the survey; answered in full, it is all stored', async () => {
    const { context, page, deviceId } = await visitShoes();
    await pressSoftBack(page);

    await next(page); // Start
    await choose(page, '5');
    await next(page);
    await dialog(page).getByLabel('Other, please say').fill('Too few colours');
    await next(page);
    await choose(page, '2 stars');
    await next(page);
    await dialog(page).locator('textarea').fill('More colours, please');
    await next(page);
    await next(page); // Close, on the thank-you screen
    const events = await eventsNamed(deviceId, '$survey_', '$survey_completed');
    await context.close();

    const responseIds = new Set(events.map((event) => event.properties.responseId));
    assert.equal(responseIds.size, 1);
    const answers = events.map(({ name, properties }) => [
      name,
      properties.questionId,
      properties.answer ?? properties.answered,
    ]);
    assert.deepEqual(answers, [
      ['$survey_answered', 'nps', 5],
      ['$survey_answered', 'why', 'Too few colours'],
      ['$survey_answered', 'stars', 2],
      ['$survey_answered', 'wish', 'More colours, please'],
      ['$survey_completed', undefined, 4],
    ]);
    assert.equal(events[1].properties.other, 'Too few colours');
    for (const { properties } of events) {
      assert.deepEqual([properties.campaignId, properties.variant], [FEEDBACK.id, 'test']);
      assert.ok(properties.campaignVersion >= 1);
    }
  });

  it('a visitor who leaves halfway leaves the answers given so far', async () => {
    const { context, page, deviceId } = await visitShoes();
    await pressSoftBack(page);
    await next(page);
    await choose(page, '3');
    await next(page);
    await choose(page, 'Price');
    await next(page);

    await page.goto(`${server.baseUrl}/demo/index.html`); // the third question is on screen
    const answered = (events) => events.filter((event) => event.name === '$survey_answered');
    await pollUntil(
      () => eventsOfDevice(server, SITE_ID, deviceId),
      (listed) => answered(listed).length >= 2,
    );
    await page.waitForTimeout(1500); // anything sent later would be here by now
    const events = await eventsOfDevice(server, SITE_ID, deviceId);
    await context.close();

    const survey = events.filter((event) => event.name.startsWith('$survey_')).reverse();
    assert.deepEqual(
      survey.map(({ name, properties }) => [name, properties.questionId, properties.answer]),
      [
        ['$survey_answered', 'nps', 3],
        ['$survey_answered', 'why', 'Price'],
      ],
    );
  });

  it("the survey's report counts the full response and the partial one", async () => {
    const path = `/api/v1/sites/${SITE_ID}/campaigns/${FEEDBACK.id}/survey`;

    const report = await pollUntil(
      () => adminGet(server, path),
      (answer) => answer.started === 2 && answer.completed === 1,
    );

    assert.deepEqual([report.started, report.completed, report.partial], [2, 1, 1]);
    const counts = (id) =>
      Object.fromEntries(
        report.questions
          .find((question) => question.id === id)
          .distribution.filter((bucket) => bucket.count > 0)
          .map((bucket) => [bucket.value, bucket.count]),
      );
    assert.deepEqual(counts('nps'), { 3: 1, 5: 1 });
    assert.deepEqual(counts('why'), { Price: 1, Other: 1 });
    assert.deepEqual(counts('stars'), { 2: 1 });
  });

  it('the recontact wait: a visitor just shown one survey is not shown the next', async () => {
    const { context, page, deviceId } = await visitShoes();
    await pressSoftBack(page);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);

    await page.goto(`${server.baseUrl}/demo/cart.html`);
    await page.waitForFunction(() => window.Beckon && window.Beckon.getClientId());
    await page.waitForTimeout(2000);
    const drawn = await dialog(page).count();
    const events = await eventsNamed(deviceId, '$campaign_', '$campaign_dismissed');
    await context.close();

    assert.equal(drawn, 0, 'no survey on the cart page');
    const cart = events.filter((event) => event.properties.campaignId === CART.id);
    assert.ok(
      !cart.some((event) => event.name === '$campaign_shown'),
      'the cart survey was never shown',
    );
    // The plugin stops it by the time in its storage; a server that already has the first
    // survey's $campaign_shown leaves it out of the config, and then nothing is recorded.
    for (const event of cart) {
      if (event.name === '$campaign_not_shown') assert.equal(event.properties.reason, 'recontact');
    }
  });

  it("the recontact wait holds on a user's other device, from the server", async () => {
    const first = await visitShoes();
    await first.page.evaluate(() => window.Beckon.setUserId('shopper-7'));
    await pressSoftBack(first.page);
    await first.page.keyboard.press('Escape');
    await eventsNamed(first.deviceId, '$campaign_', '$campaign_dismissed');
    await first.context.close();

    const second = await visitShoes(); // another browser: its storage knows of no survey
    await second.page.evaluate(() => window.Beckon.setUserId('shopper-7'));
    await second.page.goto(`${server.baseUrl}/demo/cart.html`);
    await second.page.waitForFunction(() => window.Beckon && window.Beckon.getClientId());
    await second.page.waitForTimeout(2000);
    const drawn = await dialog(second.page).count();
    const events = await eventsNamed(second.deviceId, '$', '$page_view');
    await second.context.close();

    assert.equal(drawn, 0, 'no survey on the cart page');
    assert.deepEqual(
      events.filter((event) => event.properties.campaignId === CART.id),
      [],
      'the config left the cart survey out',
    );
  });

  it('a visitor who was shown no survey gets the cart survey', async () => {
    const { context, page } = await visitShoes();

    await page.goto(`${server.baseUrl}/demo/cart.html`);
    await page.locator(DIALOG).waitFor({ timeout: 5000 });
    const title = await dialog(page).locator('legend').textContent();
    await context.close();

    assert.equal(title, 'How easy is the cart to use?');
  });
});
