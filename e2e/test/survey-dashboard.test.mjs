/*
 * The dashboard's survey editor and survey report in headless Chromium, against the real server
 * of `./beckon demo`, under the dashboard's Content-Security-Policy: a survey made through the
 * admin API and answered through ingestion, then its editor, and its report with the uPlot charts
 * drawn and the search box answering as one types (htmx); and a nudge's preview in the campaign
 * editor, drawn by /sdk/beckon-nudges-preview.js. No page may break the policy. The
 * screenshots are the ones in docs/: survey-editor.png and survey-report.png.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../lib/chromium.mjs';
import { logTail, startBeckon, waitForHealth } from '../lib/beckon-server.mjs';

const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = path.resolve(E2E_DIR, '..');
const DOCS = path.join(REPO_ROOT, 'docs');
const SURVEY = 'checkout-nps';

/** The example of docs/surveys.md. */
const DEFINITION = {
  id: SURVEY,
  name: 'How was checking out?',
  kind: 'survey',
  trigger: { on: { kind: 'event', event: 'SOFT_BACK_PRESSED' } },
  caps: { total: 1, stopAfterDismiss: true },
  content: {
    layout: 'modal',
    theme: { accent: '#2457ff', background: '#ffffff', text: '#111111' },
    intro: { title: 'Two quick questions', body: 'It takes ten seconds.', button: 'Start' },
    questions: [
      {
        id: 'nps',
        type: 'nps',
        text: 'How likely are you to recommend us?',
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

/** Twelve responses: [nps, why, other text, stars, wish, completed]. */
const RESPONSES = [
  [10, null, null, null, null, true],
  [9, null, null, null, null, true],
  [10, null, null, null, null, true],
  [8, 'Price', null, 4, 'The coupon field is hard to find', true],
  [7, 'Delivery time', null, 4, 'Faster delivery would be great', true],
  [6, 'Delivery time', null, 3, null, true],
  [3, 'Price', null, 2, 'Shipping costs more than the shoes', true],
  [5, null, 'No size 47', 2, null, false],
  [8, 'Choice of sizes', null, 5, null, true],
  [2, 'Price', null, null, null, false],
  [7, null, null, null, null, false],
  [9, null, null, null, null, true],
];

async function api(server, method, pathAndQuery, body) {
  const response = await fetch(`${server.baseUrl}${pathAndQuery}`, {
    method,
    headers: { Authorization: `Bearer ${server.adminKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  assert.ok(
    response.status < 300,
    `${method} ${pathAndQuery} answered ${response.status}: ${text}`,
  );
  return text ? JSON.parse(text) : null;
}

function surveyEvents() {
  const events = [];
  const start = Date.now() - 3_600_000;
  RESPONSES.forEach(([nps, why, other, stars, wish, completed], n) => {
    const deviceId = `d-survey-${n}`;
    const responseId = `resp${String(n).padStart(12, '0')}x`;
    let time = start + n * 60_000;
    const event = (name, properties) => ({
      id: randomUUID(),
      name,
      deviceId,
      sessionId: `s-${deviceId}`,
      version: '1.0.0',
      clientTime: (time += 5_000),
      properties: { campaignId: SURVEY, campaignVersion: 1, variant: 'test', ...properties },
    });
    const answered = (index, questionId, questionType, answer, extra = {}) =>
      event('$survey_answered', {
        responseId,
        questionId,
        questionType,
        index,
        ...extra,
        ...(answer === null ? { skipped: true } : { answer }),
      });
    events.push(event('$campaign_shown', {}));
    events.push(answered(0, 'nps', 'nps', nps));
    if (nps < 9) {
      if (why || other) {
        events.push(answered(1, 'why', 'single', why ?? other, other ? { other } : {}));
      } else if (stars !== null) {
        events.push(answered(1, 'why', 'single', null));
      }
      if (stars !== null) events.push(answered(2, 'stars', 'rating', stars));
      if (wish !== null) events.push(answered(3, 'wish', 'text', wish));
    }
    if (completed) events.push(event('$survey_completed', { responseId, answered: 1 }));
  });
  return events;
}

describe('the survey editor and report in the dashboard', { timeout: 300_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startBeckon({ repoRoot: REPO_ROOT });
    await waitForHealth(server);
    browser = await launchChromium();
    await api(server, 'POST', '/api/v1/sites/demo/campaigns', DEFINITION);
    await api(server, 'POST', `/api/v1/sites/demo/campaigns/${SURVEY}/publish`);
    const ingest = await fetch(`${server.baseUrl}/ingest/demo`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ events: surveyEvents() }),
    });
    const answer = await ingest.json();
    assert.deepEqual(answer.rejected, [], JSON.stringify(answer));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedInPage(width, height) {
    const page = await browser.newPage({ viewport: { width, height } });
    page.setDefaultTimeout(15_000);
    const violations = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()))
        violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(String(error)));
    await page.goto(`${server.baseUrl}/dashboard/login`);
    await page.locator('input[name="email"]').fill(server.adminEmail);
    await page.locator('input[name="password"]').fill(server.adminPassword);
    await page.getByTestId('sign-in').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/dashboard/login'));
    return { page, violations };
  }

  it('edits the survey with its questions, choices and logic, and previews it', async () => {
    const { page, violations } = await signedInPage(1280, 1500);
    try {
      await page.goto(`${server.baseUrl}/dashboard/sites/demo/campaigns/${SURVEY}`);
      assert.equal(await page.locator('input[name="q1.text"]').inputValue(), 'What held you back?');
      assert.equal(await page.locator('textarea[name="q0.logic"]').inputValue(), 'gte 9 -> end');
      await page.locator('input[name="q3.text"]').fill('Anything else you would like to tell us?');
      // The surveys plugin draws the preview a screen at a time: the new text is in it, not shown yet.
      await page
        .getByTestId('preview')
        .getByText('Anything else you would like')
        .waitFor({ state: 'attached' });
      await page.locator('select[name="q2.type"]').selectOption('multiple');
      assert.ok(await page.locator('textarea[name="q2.choices"]').isVisible());
      await page.locator('select[name="q2.type"]').selectOption('rating');
      assert.ok(!(await page.locator('textarea[name="q2.choices"]').isVisible()));
      await page.locator('input[name="introTitle"]').evaluate((input) => {
        input.closest('fieldset').scrollIntoView();
        window.scrollBy(0, -12);
        document.activeElement?.blur();
      });
      await page.screenshot({ path: path.join(DOCS, 'survey-editor.png') });
      assert.deepEqual(violations, []);
    } catch (error) {
      error.message += `\n--- server log ---\n${logTail(server.logPath)}`;
      throw error;
    } finally {
      await page.close();
    }
  });

  it('draws a nudge\u2019s preview in the campaign editor with the plugin\u2019s preview file', async () => {
    await api(server, 'POST', '/api/v1/sites/demo/campaigns', {
      id: 'help-nudge',
      name: 'Help with shoes',
      trigger: { on: { kind: 'event', event: 'SOFT_BACK_PRESSED' } },
      content: { layout: 'card', title: 'Need a hand?', body: 'Our <b>guide</b> helps.' },
    });
    const { page, violations } = await signedInPage(1280, 1000);
    try {
      await page.goto(`${server.baseUrl}/dashboard/sites/demo/campaigns/help-nudge`);

      const drawn = await page.waitForFunction(() => {
        const host = document.querySelector('#nudge-stage [data-beckon-nudge]');
        const box = host && host.shadowRoot.querySelector('.box');
        return box && [box.querySelector('.title').textContent, box.querySelector('.body').innerHTML];
      });

      assert.deepEqual(await drawn.jsonValue(), ['Need a hand?', 'Our <b>guide</b> helps.']);
      assert.equal(await page.evaluate(() => typeof window.BeckonNudges), 'undefined');

      // Each change redraws the preview: one nudge, in the layout chosen last.
      for (const layout of ['modal', 'banner', 'card', 'modal']) {
        await page.selectOption('select[name="layout"]', layout);
        await page.waitForFunction((chosen) => {
          const hosts = document.querySelectorAll('#nudge-stage [data-beckon-nudge]');
          const layer = hosts[0] && hosts[0].shadowRoot.querySelector('.layer');
          return layer && layer.classList.contains(chosen);
        }, layout);
      }
      assert.equal(await page.locator('#nudge-stage [data-beckon-nudge]').count(), 1);
      assert.deepEqual(violations, []);
    } finally {
      await page.close();
    }
  });

  it('draws the report with NPS, charts, drop-off and a search of the text answers', async () => {
    const { page, violations } = await signedInPage(1280, 900);
    try {
      await page.goto(`${server.baseUrl}/dashboard/sites/demo/campaigns/${SURVEY}/survey`);
      // 12 responses: promoters 10, 9, 10, 9; detractors 6, 3, 5, 2: NPS 0.
      assert.equal(await page.getByTestId('nps-nps').locator('.value').textContent(), '+0');
      assert.equal(await page.getByTestId('started').textContent(), '12');
      await page.waitForFunction(() => document.querySelectorAll('.chart canvas').length === 3);

      await page.getByTestId('answers-search').fill('delivery');
      await page.waitForFunction(() => {
        const rows = document.querySelectorAll('[data-testid="answers-table"] tbody tr');
        return rows.length === 1 && rows[0].textContent.includes('Faster delivery');
      });
      await page.getByTestId('answers-search').fill('');
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="answers-table"] tbody tr').length === 4,
      );
      await page.screenshot({ path: path.join(DOCS, 'survey-report.png'), fullPage: true });
      assert.deepEqual(violations, []);
    } catch (error) {
      error.message += `\n--- server log ---\n${logTail(server.logPath)}`;
      throw error;
    } finally {
      await page.close();
    }
  });
});
