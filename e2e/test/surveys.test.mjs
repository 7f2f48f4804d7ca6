/*
 * The surveys plugin in real Chromium (issue 7): a survey with logic answered fully, one left
 * halfway, keyboard-only answering with the screen reader's names, a strict CSP page, a hostile
 * page style sheet, a phone viewport, reduced motion, hostile placeholder values, and the
 * recontact wait across surveys, reloads and tabs. Screenshots of each layout and question type,
 * on a desktop and on a phone, go to docs/ (survey-*.png).
 *
 * The config comes from the stage of lib/surveys-stage.mjs, which follows docs/campaigns.md and
 * docs/surveys.md; test/surveys-server.test.mjs runs the seed's scenario on the real server.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../lib/chromium.mjs';
import { startStage, survey } from '../lib/surveys-stage.mjs';

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs');
const DIALOG = '[data-beckon-survey] [role=dialog]';
const PHONE = { width: 375, height: 667 };

describe('the surveys plugin in Chromium', { timeout: 300_000 }, () => {
  let stage;
  let browser;

  before(async () => {
    stage = await startStage();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stage?.stop();
  });

  /** A test in a fresh browser context (fresh storage) with these campaigns in the config. */
  function check(behaviour, campaigns, body, { viewport, recontactDays = 7 } = {}) {
    it(behaviour, async () => {
      stage.config = { refreshSeconds: 30, recontactDays, campaigns };
      stage.events.length = 0;
      const context = await browser.newContext({
        viewport: viewport || { width: 1000, height: 700 },
      });
      try {
        await body(context);
      } finally {
        await context.close();
      }
    });
  }

  async function openShop(context, query = '') {
    const page = await context.newPage();
    await page.goto(stage.origin + '/shop/shoes' + query);
    await page.waitForFunction(() => window.Beckon && Beckon.getClientId());
    await sleep(200);
    return page;
  }

  async function pressBack(page) {
    await page.click('#back');
    await page.locator(DIALOG).waitFor({ timeout: 2000 });
  }

  const dialog = (page) => page.locator(DIALOG);
  const progress = (page) => dialog(page).locator('.progress').textContent();
  const next = (page) => dialog(page).locator('.button').click();
  const choose = (page, label) => dialog(page).getByLabel(label, { exact: true }).check();

  /** The survey events that reached the stage, as [name, own properties]. */
  async function surveyEvents() {
    await sleep(500);
    return stage.eventsNamed('$survey_').map(({ name, properties }) => {
      const { campaignId, campaignVersion, variant, responseId, ...own } = properties;
      assert.deepEqual([campaignId, campaignVersion, variant], ['checkout', 1, 'test']);
      assert.match(responseId, /^[A-Za-z0-9]{16,32}$/);
      return [name, own];
    });
  }
  const responseIds = () =>
    new Set(stage.eventsNamed('$survey_').map((e) => e.properties.responseId));
  const campaignEvents = () =>
    stage
      .eventsNamed('$campaign_')
      .map(({ name, properties }) => [
        name,
        properties.campaignId,
        properties.reason || properties.action,
      ]);

  check(
    'a survey with logic answered fully sends each answer and the completion',
    [survey('checkout')],
    async (context) => {
      const page = await openShop(context);
      await pressBack(page);

      await next(page); // the intro's Start
      assert.equal(await progress(page), 'Question 1 of 4');
      await choose(page, '6');
      await next(page);
      assert.equal(await progress(page), 'Question 2 of 4');
      await choose(page, 'Price'); // logic: Price goes to the last question
      await next(page);
      assert.equal(await progress(page), 'Question 4 of 4');
      await dialog(page).locator('textarea').fill('Cheaper  delivery ');
      await next(page);
      assert.equal(await dialog(page).locator('.title').textContent(), 'Thank you!');
      await next(page); // Close

      await dialog(page).waitFor({ state: 'detached', timeout: 2000 });
      assert.deepEqual(await surveyEvents(), [
        ['$survey_answered', { questionId: 'nps', questionType: 'nps', index: 0, answer: 6 }],
        [
          '$survey_answered',
          { questionId: 'why', questionType: 'single', index: 1, answer: 'Price' },
        ],
        [
          '$survey_answered',
          { questionId: 'wish', questionType: 'text', index: 2, answer: 'Cheaper  delivery' },
        ],
        ['$survey_completed', { answered: 3 }],
      ]);
      assert.equal(responseIds().size, 1, 'one response id for the showing');
      assert.deepEqual(campaignEvents(), [
        ['$campaign_triggered', 'checkout', undefined],
        ['$campaign_shown', 'checkout', undefined],
      ]);
    },
  );

  check(
    'a promoter goes straight to the end, and an optional question can be skipped',
    [survey('checkout')],
    async (context) => {
      const page = await openShop(context);
      await pressBack(page);
      await next(page);
      await choose(page, '10, Very likely');
      await next(page);

      assert.equal(await dialog(page).locator('.title').textContent(), 'Thank you!');
      assert.deepEqual(await surveyEvents(), [
        ['$survey_answered', { questionId: 'nps', questionType: 'nps', index: 0, answer: 10 }],
        ['$survey_completed', { answered: 1 }],
      ]);
    },
  );

  check(
    'the other text, several choices and a skipped question',
    [
      survey(
        'checkout',
        {},
        {
          intro: null,
          questions: [
            {
              id: 'what',
              type: 'multiple',
              text: 'What did you buy?',
              choices: ['Shoes', 'Bags', 'Socks'],
              other: true,
              required: true,
            },
            {
              id: 'why',
              type: 'single',
              text: 'Why here?',
              choices: ['Price', 'Choice'],
              other: true,
            },
            { id: 'face', type: 'rating', scale: 'emoji', text: 'How do you feel?' },
          ],
        },
      ),
    ],
    async (context) => {
      const page = await openShop(context);
      await pressBack(page);

      await choose(page, 'Shoes');
      await choose(page, 'Socks');
      await dialog(page).getByLabel('Other, please say').fill('A hat');
      await next(page);
      assert.equal(await dialog(page).locator('.button').textContent(), 'Skip');
      await dialog(page).getByLabel('Other, please say').fill('My friend works here');
      assert.equal(await dialog(page).locator('.button').textContent(), 'Next');
      await next(page);
      await choose(page, 'Good');
      await next(page);

      assert.deepEqual(await surveyEvents(), [
        [
          '$survey_answered',
          {
            questionId: 'what',
            questionType: 'multiple',
            index: 0,
            answer: ['Shoes', 'Socks', 'A hat'],
            other: 'A hat',
          },
        ],
        [
          '$survey_answered',
          {
            questionId: 'why',
            questionType: 'single',
            index: 1,
            answer: 'My friend works here',
            other: 'My friend works here',
          },
        ],
        ['$survey_answered', { questionId: 'face', questionType: 'rating', index: 2, answer: 4 }],
        ['$survey_completed', { answered: 3 }],
      ]);
    },
  );

  check(
    'a survey left halfway has sent the answers given so far',
    [survey('checkout')],
    async (context) => {
      const page = await openShop(context);
      await pressBack(page);
      await next(page);
      await choose(page, '3');
      await next(page);
      await next(page); // skips "why"
      await choose(page, '2 stars');

      await page.goto('about:blank'); // leaves with the third question unanswered

      assert.deepEqual(await surveyEvents(), [
        ['$survey_answered', { questionId: 'nps', questionType: 'nps', index: 0, answer: 3 }],
        [
          '$survey_answered',
          { questionId: 'why', questionType: 'single', index: 1, skipped: true },
        ],
      ]);
      assert.deepEqual(
        campaignEvents().map(([name]) => name),
        ['$campaign_triggered', '$campaign_shown'],
      );
    },
  );

  check(
    'closed halfway, a survey records a dismissal and is not asked again',
    [survey('checkout')],
    async (context) => {
      const page = await openShop(context);
      await pressBack(page);
      await next(page);
      await choose(page, '7');
      await next(page);

      await dialog(page).getByLabel('Close survey').click();
      await dialog(page).waitFor({ state: 'detached', timeout: 2000 });
      await page.reload();
      await sleep(300);
      await page.click('#back');
      await sleep(300);

      assert.equal(await dialog(page).count(), 0);
      assert.deepEqual(await surveyEvents(), [
        ['$survey_answered', { questionId: 'nps', questionType: 'nps', index: 0, answer: 7 }],
      ]);
      assert.deepEqual(campaignEvents(), [
        ['$campaign_triggered', 'checkout', undefined],
        ['$campaign_shown', 'checkout', undefined],
        ['$campaign_dismissed', 'checkout', 'close'],
        ['$campaign_triggered', 'checkout', undefined],
        ['$campaign_not_shown', 'checkout', 'dismissed_before'],
      ]);
    },
  );

  check(
    'keyboard only: into the survey, through every control, and back out',
    [
      survey(
        'checkout',
        {},
        {
          questions: [
            {
              id: 'nps',
              type: 'nps',
              text: 'How likely are you to recommend us?',
              required: true,
              lowLabel: 'Not at all',
              highLabel: 'Very likely',
            },
            {
              id: 'what',
              type: 'multiple',
              text: 'What did you look at?',
              choices: ['Shoes', 'Bags'],
              required: true,
            },
            {
              id: 'size',
              type: 'single',
              text: 'Your size?',
              choices: ['S', 'M', 'L'],
              required: true,
            },
            { id: 'stars', type: 'rating', text: 'Rate the shop', required: false },
            { id: 'name', type: 'text', text: 'Your name?', required: false },
          ],
        },
      ),
    ],
    async (context) => {
      const page = await openShop(context);
      const focused = () =>
        page.evaluate(() => {
          let element = document.activeElement;
          while (element && element.shadowRoot && element.shadowRoot.activeElement)
            element = element.shadowRoot.activeElement;
          const label = element.labels && element.labels[0];
          return (
            element.getAttribute('aria-label') ||
            (label || element).textContent.trim() ||
            element.id
          );
        });
      await page.focus('#back');
      await page.keyboard.press('Enter');
      await dialog(page).waitFor({ timeout: 2000 });

      // The intro: focus on Start; Tab goes round the modal, never out of it.
      assert.equal(await focused(), 'Start');
      await page.keyboard.press('Tab');
      assert.equal(await focused(), 'Close survey');
      await page.keyboard.press('Shift+Tab');
      assert.equal(await focused(), 'Start');
      await page.keyboard.press('Enter');

      // NPS: the dialog says where we are; an empty required answer is an announced error.
      assert.equal(await focused(), '0, Not at all');
      const names = await dialog(page).evaluate((box) => {
        const root = box.getRootNode();
        const group = root.querySelector('fieldset');
        return {
          label: root.getElementById(box.getAttribute('aria-labelledby')).textContent,
          description: root.getElementById(box.getAttribute('aria-describedby')).textContent,
          legend: group.querySelector('legend').textContent,
          radios: group.querySelectorAll('input[type=radio]').length,
          modal: box.getAttribute('aria-modal'),
        };
      });
      assert.deepEqual(names, {
        label: 'How likely are you to recommend us?',
        description: 'Question 1 of 5',
        legend: 'How likely are you to recommend us?',
        radios: 11,
        modal: 'true',
      });
      await page.keyboard.press('Enter');
      assert.equal(
        await dialog(page).getByRole('alert').textContent(),
        'Please answer this question.',
      );
      assert.equal(await dialog(page).locator('input[aria-invalid=true]').count(), 11);
      assert.equal(await focused(), '0, Not at all');
      for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
      assert.equal(await focused(), '8');
      await page.keyboard.press('Enter');

      // Checkboxes: Space ticks, Tab moves on.
      assert.equal(await focused(), 'Shoes');
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      assert.equal(await focused(), 'Next');
      await page.keyboard.press('Enter');

      // Radio buttons: arrows move and choose within the group, Tab leaves it.
      assert.equal(await focused(), 'S');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      assert.equal(await focused(), 'M');
      await page.keyboard.press('Tab');
      assert.equal(await focused(), 'Next');
      await page.keyboard.press('Enter');

      // Stars: arrows choose; a line of text: Enter submits.
      await page.keyboard.press('Space');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      assert.equal(await focused(), '3 stars');
      await page.keyboard.press('Enter');
      await page.keyboard.type('Ada');
      await page.keyboard.press('Enter');

      // The thank-you screen: Escape closes, and focus goes back to the back button.
      assert.equal(await focused(), 'Close');
      await page.keyboard.press('Escape');
      await dialog(page).waitFor({ state: 'detached', timeout: 2000 });
      assert.equal(await page.evaluate(() => document.activeElement.id), 'back');
      assert.deepEqual(
        (await surveyEvents()).map(([, own]) => own.answer ?? own.answered),
        [8, ['Shoes', 'Bags'], 'M', 3, 'Ada', 5],
      );
      assert.ok(
        !campaignEvents().some(([name]) => name === '$campaign_dismissed'),
        'closing after the end is no dismissal',
      );
    },
  );

  check('Escape before the end is a dismissal', [survey('checkout')], async (context) => {
    const page = await openShop(context);
    await pressBack(page);

    await page.keyboard.press('Escape');

    await dialog(page).waitFor({ state: 'detached', timeout: 2000 });
    await sleep(400);
    assert.deepEqual(campaignEvents().pop(), ['$campaign_dismissed', 'checkout', 'close']);
  });

  for (const [query, what] of [
    ['?csp=1', 'adopted style sheets'],
    ['?csp=nonce', 'the nonce, without constructable style sheets'],
  ]) {
    check(
      `a page with a strict Content-Security-Policy shows a styled survey (${what})`,
      [survey('checkout')],
      async (context) => {
        const page = await context.newPage();
        const violations = [];
        page.on(
          'console',
          (message) =>
            /Content Security Policy/i.test(message.text()) && violations.push(message.text()),
        );
        await page.goto(stage.origin + '/shop/shoes' + query);
        await sleep(300);

        await pressBack(page);
        await next(page);
        await choose(page, '9');
        await next(page);

        const styled = await dialog(page).evaluate((box) => [
          getComputedStyle(box).borderTopLeftRadius,
          box.getRootNode().querySelectorAll('style[nonce]').length,
        ]);
        assert.deepEqual(styled, ['16px', query === '?csp=nonce' ? 1 : 0]);
        assert.deepEqual(violations, []);
        assert.equal((await surveyEvents()).length, 2);
      },
    );
  }

  check(
    'a host page that resets every element cannot restyle the survey',
    [survey('checkout')],
    async (context) => {
      const page = await openShop(context, '?css=hostile');
      await pressBack(page);
      await next(page);

      const style = await dialog(page).evaluate((box) => {
        const root = box.getRootNode();
        const number = root.querySelector('.numbers span');
        return [
          getComputedStyle(box).backgroundColor,
          getComputedStyle(box.parentElement).position,
          getComputedStyle(root.querySelector('.question')).fontSize,
          getComputedStyle(number).height,
          getComputedStyle(root.querySelector('.button')).backgroundColor,
        ];
      });
      assert.deepEqual(style, ['rgb(255, 255, 255)', 'fixed', '18px', '44px', 'rgb(36, 87, 255)']);
    },
  );

  check('reduced motion stops the animations', [survey('checkout')], async (context) => {
    const page = await openShop(context);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await pressBack(page);

    assert.equal(await dialog(page).evaluate((box) => getComputedStyle(box).animationName), 'none');
  });

  for (const layout of ['modal', 'card']) {
    check(
      `on a phone, the ${layout} fits 375 px with every score in reach`,
      [survey('checkout', {}, { layout })],
      async (context) => {
        const page = await openShop(context);
        await pressBack(page);
        await next(page);

        const fit = await dialog(page).evaluate((box) => {
          const rect = box.getBoundingClientRect();
          const scores = [...box.querySelectorAll('.numbers span')].map((span) =>
            span.getBoundingClientRect(),
          );
          return {
            inside: rect.left >= 0 && rect.right <= innerWidth && rect.bottom <= innerHeight,
            scoresInside: scores.every((s) => s.left >= rect.left && s.right <= rect.right),
            narrowest: Math.min(...scores.map((s) => s.width)),
            oneRow: new Set(scores.map((s) => Math.round(s.top))).size,
            scrollsSideways: document.documentElement.scrollWidth > innerWidth,
          };
        });
        assert.equal(fit.inside, true);
        assert.equal(fit.scoresInside, true);
        assert.ok(fit.narrowest >= 24, `scores ${fit.narrowest} px wide`);
        assert.equal(fit.oneRow, 1);
        assert.equal(fit.scrollsSideways, false);
      },
      { viewport: PHONE },
    );
  }

  check(
    'placeholder values are shown as text, never as markup',
    [
      survey(
        'checkout',
        {},
        {
          intro: {
            title: 'Hi {username|there}',
            body: 'For <b>{username|you}</b>',
            button: 'Go {username|}',
          },
        },
      ),
    ],
    async (context) => {
      const hostile = '<img src=x onerror="window.hacked=1"><b>bold</b>';
      const page = await openShop(context);
      await page.evaluate((name) => Beckon.setUserProperties({ username: name }), hostile);
      await pressBack(page);
      await next(page);

      const texts = await dialog(page).evaluate((box) => ({
        question: box.querySelector('legend').textContent,
        images: box.getRootNode().querySelectorAll('img').length,
      }));
      assert.deepEqual(texts, {
        question: `How likely are you to recommend us, ${hostile}?`,
        images: 0,
      });
      assert.equal(await page.evaluate(() => window.hacked), undefined);
    },
  );

  check(
    'the recontact wait holds across surveys, reloads and tabs',
    [
      survey('checkout'),
      survey('delivery', { priority: 5, trigger: { on: { kind: 'event', event: 'TAP' } } }),
    ],
    async (context) => {
      const page = await openShop(context);
      await pressBack(page);
      await page.keyboard.press('Escape');

      await page.evaluate(() => Beckon.logEvent('TAP'));
      await page.reload();
      await sleep(300);
      await page.evaluate(() => Beckon.logEvent('TAP'));
      const other = await openShop(context);
      await other.evaluate(() => Beckon.logEvent('TAP'));
      await sleep(500);

      assert.equal((await dialog(page).count()) + (await dialog(other).count()), 0);
      const delivery = campaignEvents().filter(([, id]) => id === 'delivery');
      assert.deepEqual(delivery, [
        ['$campaign_triggered', 'delivery', undefined],
        ['$campaign_not_shown', 'delivery', 'recontact'],
        ['$campaign_triggered', 'delivery', undefined],
        ['$campaign_not_shown', 'delivery', 'recontact'],
        ['$campaign_triggered', 'delivery', undefined],
        ['$campaign_not_shown', 'delivery', 'recontact'],
      ]);
    },
  );

  check(
    'with recontactDays 0, a second survey may follow at once',
    [
      survey('checkout'),
      survey('delivery', { priority: 5, trigger: { on: { kind: 'event', event: 'TAP' } } }),
    ],
    async (context) => {
      const page = await openShop(context);
      await pressBack(page);
      await page.keyboard.press('Escape');

      await page.evaluate(() => Beckon.logEvent('TAP'));

      await dialog(page).waitFor({ timeout: 2000 });
      await sleep(400);
      assert.deepEqual(campaignEvents().pop(), ['$campaign_shown', 'delivery', undefined]);
    },
    { recontactDays: 0 },
  );

  check('the split script-tag files draw the survey too', [survey('checkout')], async (context) => {
    const page = await openShop(context, '?sdk=split');
    await pressBack(page);
    await next(page);
    await choose(page, '10, Very likely');
    await next(page);

    assert.deepEqual(
      (await surveyEvents()).map(([name]) => name),
      ['$survey_answered', '$survey_completed'],
    );
  });

  it('the preview draws a survey inside its container, without the SDK, and takes no focus', async () => {
    const page = await browser.newPage();
    await page.goto(stage.origin + '/shop/editor');
    await page.focus('#name');

    const drawn = await page.evaluate((content) => {
      const container = document.getElementById('preview');
      BeckonSurveys.preview(container, content); // the editor's first draw, replaced by the next
      window.removePreview = BeckonSurveys.preview(container, content);
      const host = container.querySelector('[data-beckon-survey]');
      const box = host.shadowRoot.querySelector('[role=dialog]').getBoundingClientRect();
      const area = container.getBoundingClientRect();
      return {
        inside: box.left >= area.left && box.right <= area.right && box.bottom <= area.bottom,
        focused: document.activeElement.id,
        drawn: container.querySelectorAll('[data-beckon-survey]').length,
      };
    }, survey('checkout').content);
    await page.locator(DIALOG).locator('.button').click();
    const screen = await page.locator(DIALOG).locator('.progress').textContent();
    await page.evaluate(() => window.removePreview());
    const left = await page.locator('[data-beckon-survey]').count();
    await page.close();

    assert.deepEqual(drawn, { inside: true, focused: 'name', drawn: 1 });
    assert.equal(screen, 'Question 1 of 4');
    assert.equal(left, 0);
  });

  // Every question type once, with an answer chosen, so that each screenshot shows it answered.
  const TOUR = [
    {
      id: 'nps',
      type: 'nps',
      text: 'How likely are you to recommend the shop to a friend?',
      required: true,
      lowLabel: 'Not at all likely',
      highLabel: 'Extremely likely',
    },
    {
      id: 'why',
      type: 'single',
      text: 'What brought you here today?',
      choices: ['Running shoes', 'A gift', 'Just looking'],
      other: true,
    },
    {
      id: 'what',
      type: 'multiple',
      text: 'Which of these matter most to you?',
      choices: ['Price', 'Delivery time', 'Choice of sizes', 'Returns'],
      other: true,
    },
    { id: 'stars', type: 'rating', text: 'How would you rate the checkout?' },
    { id: 'face', type: 'rating', scale: 'emoji', text: 'How do you feel about your order?' },
    {
      id: 'name',
      type: 'text',
      text: 'What should we call you?',
      placeholder: 'Your first name',
      required: true,
    },
    {
      id: 'wish',
      type: 'text',
      long: true,
      text: 'Anything else we could do better?',
      placeholder: 'Tell us',
    },
  ];
  const SHOTS = [
    ['intro', async () => {}],
    ['nps', (page) => choose(page, '8')],
    ['single', (page) => dialog(page).getByLabel('Other, please say').fill('New trail shoes')],
    [
      'multiple',
      async (page) => {
        await choose(page, 'Price');
        await choose(page, 'Choice of sizes');
      },
    ],
    ['stars', (page) => choose(page, '4 stars')],
    ['emoji', (page) => choose(page, 'Good')],
    ['required', (page) => next(page)],
    [
      'text',
      (page) =>
        dialog(page)
          .locator('textarea')
          .fill('A size guide on every product page would help a lot.'),
    ],
    ['thanks', async () => {}],
  ];

  for (const [device, viewport, layouts] of [
    ['', { width: 1100, height: 760 }, ['modal', 'card']],
    ['phone-', PHONE, ['modal', 'card']],
  ]) {
    for (const layout of layouts) {
      check(
        `screenshots of the ${layout} on a ${device ? 'phone' : 'desktop'}`,
        [
          survey(
            'checkout',
            {},
            {
              layout,
              intro: {
                title: 'Two minutes for the shop?',
                body: 'Seven short questions help us make the shop <b>better for you</b>.',
                button: 'Start',
              },
              questions: TOUR,
              thanks: { title: 'Thank you, {username|friend}!', body: 'We read every answer.' },
            },
          ),
        ],
        async (context) => {
          const page = await openShop(context);
          await page.emulateMedia({ reducedMotion: 'reduce' });
          await pressBack(page);
          for (const [name, act] of SHOTS) {
            await act(page);
            await page.mouse.move(0, 0);
            await page.screenshot({
              path: path.join(DOCS, `survey-${device}${layout}-${name}.png`),
            });
            if (name === 'required') await dialog(page).locator('input').fill('Ada');
            if (name !== 'thanks') await next(page);
          }
        },
        { viewport },
      );
    }
  }
});
