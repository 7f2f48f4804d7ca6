// The surveys plugin inside the SDK, beside the nudges plugin, in the fake browser with the
// fake DOM of fake-dom.mjs, run on the combined script-tag file that ships (dist/beckon-full.js)
// and on its source: each question type and the events it sends, required questions, logic, the
// intro and thank-you screens, dismissal, the recontact wait, the control group, and hostile
// placeholder values. How it looks, the keyboard and the CSP are tested in Chromium
// (e2e/test/surveys.test.mjs).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { createBrowser } from './fake-browser.mjs';
import { choose, close, installDom, submit, surveyOf, type } from './fake-dom.mjs';
import { ENDPOINT, SITE_ID } from './helpers.mjs';

const root = new URL('../', import.meta.url);
const source = await esbuild.build({
  entryPoints: [new URL('src/nudges/full-script-tag.ts', root).pathname],
  bundle: true,
  format: 'iife',
  target: 'es2018',
  ignoreAnnotations: true,
  write: false,
});
const shipped = new URL('dist/beckon-full.js', root);
const newestSourceMs = Math.max(
  ...['src/nudges/', 'src/surveys/'].flatMap((folder) =>
    readdirSync(new URL(folder, root)).map(
      (name) => statSync(new URL(folder + name, root)).mtimeMs,
    ),
  ),
);
if (statSync(shipped).mtimeMs < newestSourceMs) {
  throw new Error('dist/beckon-full.js is older than src/: run `npm run build` first');
}
const BUILDS = [
  { name: 'source', code: source.outputFiles[0].text },
  { name: 'bundle', code: readFileSync(shipped, 'utf8') },
];
const DAY_MS = 86_400_000;

/** A survey campaign triggered by the event TAP. */
function survey(id, content = {}, overrides = {}) {
  return {
    id,
    kind: 'survey',
    version: 2,
    variant: 'test',
    trigger: { on: { kind: 'event', event: 'TAP' } },
    caps: {},
    content: {
      layout: 'modal',
      questions: [{ id: 'q', type: 'nps', text: 'How likely?', required: true }],
      ...content,
    },
    ...overrides,
  };
}

function browserWith(campaigns, configExtra = {}) {
  const browser = createBrowser();
  browser.server.get = () => ({
    status: 200,
    body: { refreshSeconds: 30, campaigns, ...configExtra },
    headers: { ETag: '"v1"' },
  });
  return browser;
}

async function openPage(browser, build, plugins = ['nudges', 'surveys']) {
  const page = browser.openPage({ beforeLoad: installDom });
  page.load(build.code);
  page.Beckon = page.window.Beckon;
  page.Beckon.init(SITE_ID, { endpoint: ENDPOINT, plugins, flushIntervalMs: 100 });
  await browser.advance(0);
  return page;
}

async function tap(browser, page, name = 'TAP') {
  page.Beckon.logEvent(name);
  await browser.advance(10);
  return surveyOf(page);
}

/** The survey events sent, with their own properties only; campaign fields are checked. */
async function surveyEvents(browser, campaignId = 's') {
  await browser.advance(500);
  return browser
    .sentEvents()
    .filter((event) => event.name.startsWith('$survey_'))
    .map(({ name, properties }) => {
      const { campaignId: id, campaignVersion, variant, responseId, ...own } = properties;
      assert.deepEqual([id, campaignVersion, variant], [campaignId, 2, 'test']);
      assert.match(responseId, /^[A-Za-z0-9]{22}$/);
      return [name, own];
    });
}

async function campaignEvents(browser) {
  await browser.advance(500);
  return browser
    .sentEvents()
    .filter((event) => event.name.startsWith('$campaign_'))
    .map(({ name, properties }) => [
      name,
      properties.campaignId,
      properties.reason || properties.action,
    ]);
}

const question = (root) => root.getElementById('t').textContent;
const onTap2 = { trigger: { on: { kind: 'event', event: 'TAP2' } } };

for (const build of BUILDS) {
  describe('the surveys plugin in the SDK [' + build.name + ']', () => {
    const types = [
      ['nps', { type: 'nps' }, '7', 7],
      ['rating with stars', { type: 'rating' }, '4 stars', 4],
      ['rating with faces', { type: 'rating', scale: 'emoji' }, 'Good', 4],
      ['single choice', { type: 'single', choices: ['Price', 'Speed'] }, 'Speed', 'Speed'],
    ];
    for (const [name, fields, label, answer] of types) {
      test(`a ${name} question sends its answer`, async () => {
        const browser = browserWith([
          survey('s', { questions: [{ id: 'q', text: 'Well?', required: true, ...fields }] }),
        ]);
        const page = await openPage(browser, build);
        const root = await tap(browser, page);

        choose(root, label);
        submit(root);

        assert.equal(surveyOf(page), null, 'no thank-you screen: the survey goes');
        assert.deepEqual(await surveyEvents(browser), [
          ['$survey_answered', { questionId: 'q', questionType: fields.type, index: 0, answer }],
          ['$survey_completed', { answered: 1 }],
        ]);
      });
    }

    test('multiple choice sends the choices and the other text', async () => {
      const questions = [
        { id: 'm', type: 'multiple', text: 'Which?', choices: ['A', 'B', 'C'], other: true },
      ];
      const browser = browserWith([survey('s', { questions })]);
      const page = await openPage(browser, build);
      const root = await tap(browser, page);

      choose(root, 'A');
      choose(root, 'C');
      type(root, '  D, surely ', 'Other, please say');
      submit(root);

      const [answered] = await surveyEvents(browser);
      assert.deepEqual(answered[1], {
        questionId: 'm',
        questionType: 'multiple',
        index: 0,
        answer: ['A', 'C', 'D, surely'],
        other: 'D, surely',
      });
    });

    test('a text question sends the text, trimmed and cut at maxLength', async () => {
      const questions = [{ id: 't', type: 'text', text: 'Say', maxLength: 5, required: true }];
      const browser = browserWith([survey('s', { questions })]);
      const page = await openPage(browser, build);
      const root = await tap(browser, page);

      type(root, '  abcdefgh ');
      submit(root);

      const [answered] = await surveyEvents(browser);
      assert.equal(answered[1].answer, 'abcde');
      assert.equal(root.querySelector('input').getAttribute('maxlength'), '5');
    });

    test('a required question left empty says so and sends nothing; an optional one is skipped', async () => {
      const questions = [
        { id: 'a', type: 'single', text: 'One?', choices: ['x', 'y'], required: true },
        { id: 'b', type: 'text', text: 'Two?', long: true },
      ];
      const browser = browserWith([survey('s', { questions })]);
      const page = await openPage(browser, build);
      const root = await tap(browser, page);

      submit(root);
      const error = root.querySelector('p[role=alert]').textContent;
      const invalid = root.querySelectorAll('input[aria-invalid=true]').length;
      const sentBefore = (await surveyEvents(browser)).length;
      choose(root, 'y');
      submit(root);
      const button = root.querySelector('.button').textContent;
      submit(root);

      assert.equal(error, 'Please answer this question.');
      assert.equal(invalid, 2);
      assert.equal(sentBefore, 0);
      assert.equal(button, 'Submit');
      assert.deepEqual(await surveyEvents(browser), [
        ['$survey_answered', { questionId: 'a', questionType: 'single', index: 0, answer: 'y' }],
        ['$survey_answered', { questionId: 'b', questionType: 'text', index: 1, skipped: true }],
        ['$survey_completed', { answered: 1 }],
      ]);
    });

    test('logic goes to a later question or to the end; index counts the questions asked', async () => {
      const questions = [
        {
          id: 'score',
          type: 'nps',
          text: 'Score?',
          logic: [
            { if: { op: 'gte', value: 9 }, goTo: 'end' },
            { if: { op: 'lte', value: 6 }, goTo: 'why' },
          ],
        },
        { id: 'skipme', type: 'rating', text: 'Not asked of detractors' },
        { id: 'why', type: 'text', text: 'Why?' },
      ];
      const browser = browserWith([survey('s', { questions })]);
      const page = await openPage(browser, build);

      const root = await tap(browser, page);
      choose(root, '3');
      submit(root);
      const detractorNext = question(root);
      type(root, 'slow');
      submit(root);
      const detractor = (await surveyEvents(browser)).map(([, own]) => [own.questionId, own.index]);

      assert.equal(detractorNext, 'Why?');
      assert.deepEqual(detractor, [
        ['score', 0],
        ['why', 1],
        [undefined, undefined],
      ]);
    });

    test('a promoter goes to the end, to the thank-you screen; closing it is no dismissal', async () => {
      const questions = [
        {
          id: 'score',
          type: 'nps',
          text: 'Score?',
          logic: [{ if: { op: 'gte', value: 9 }, goTo: 'end' }],
        },
        { id: 'why', type: 'text', text: 'Why?' },
      ];
      const browser = browserWith([
        survey('s', {
          questions,
          thanks: { title: 'Thanks {username|you}', body: 'We read it' },
        }),
      ]);
      const page = await openPage(browser, build);
      const root = await tap(browser, page);

      choose(root, '10');
      submit(root);
      const thanks = [question(root), root.querySelector('.body').textContent];
      close(root);

      assert.deepEqual(thanks, ['Thanks you', 'We read it']);
      assert.equal(surveyOf(page), null);
      assert.deepEqual(
        (await surveyEvents(browser)).map(([name]) => name),
        ['$survey_answered', '$survey_completed'],
      );
      assert.deepEqual(await campaignEvents(browser), [
        ['$campaign_triggered', 's', undefined],
        ['$campaign_shown', 's', undefined],
      ]);
    });

    test('the intro comes first; closing before the end is a dismissal, and Escape too', async () => {
      const intro = { title: 'Two questions', body: 'Quick', button: 'Go' };
      const browser = browserWith([survey('s', { intro }), survey('t', { intro }, onTap2)], {
        recontactDays: 0,
      });
      const page = await openPage(browser, build);

      const root = await tap(browser, page);
      const screen = [question(root), root.querySelector('.button').textContent];
      submit(root);
      const first = question(root);
      close(root);
      await tap(browser, page, 'TAP2');
      page.pressKey('Escape');

      assert.deepEqual(screen, ['Two questions', 'Go']);
      assert.equal(first, 'How likely?');
      assert.equal(surveyOf(page), null);
      assert.deepEqual(
        (await campaignEvents(browser)).filter(([name]) => name === '$campaign_dismissed'),
        [
          ['$campaign_dismissed', 's', 'close'],
          ['$campaign_dismissed', 't', 'close'],
        ],
      );
      assert.deepEqual(await surveyEvents(browser), []);
    });

    test('the recontact wait stops another survey, in another tab, until it is over', async () => {
      const browser = browserWith([survey('s'), survey('t', {}, onTap2)], { recontactDays: 2 });
      const page = await openPage(browser, build);
      close(await tap(browser, page));

      const inOtherTab = await tap(browser, await openPage(browser, build), 'TAP2');
      await browser.advance(2 * DAY_MS - 1000);
      const justBefore = await tap(browser, await openPage(browser, build), 'TAP2');
      await browser.advance(1000);
      const after = await tap(browser, await openPage(browser, build), 'TAP2');

      assert.equal(inOtherTab, null);
      assert.equal(justBefore, null);
      assert.notEqual(after, null);
      const events = (await campaignEvents(browser)).filter(
        ([name]) => name !== '$campaign_triggered',
      );
      assert.deepEqual(events, [
        ['$campaign_shown', 's', undefined],
        ['$campaign_dismissed', 's', 'close'],
        ['$campaign_not_shown', 't', 'recontact'],
        ['$campaign_not_shown', 't', 'recontact'],
        ['$campaign_shown', 't', undefined],
      ]);
    });

    test('without recontactDays the wait is 7 days; a control-group survey inside it is not held', async () => {
      const browser = browserWith([
        survey('s'),
        survey('t', {}, { variant: 'control', ...onTap2 }),
      ]);
      const page = await openPage(browser, build);
      close(await tap(browser, page));

      await browser.advance(7 * DAY_MS - 1000);
      await tap(browser, page, 'TAP2');

      assert.deepEqual((await campaignEvents(browser)).pop(), [
        '$campaign_not_shown',
        't',
        'recontact',
      ]);
    });

    test('a question of a type the plugin does not know is left out, and logic passes it over', async () => {
      const questions = [
        { id: 'a', type: 'nps', text: 'A?', logic: [{ if: { op: 'answered' }, goTo: 'b' }] },
        { id: 'b', type: 'date', text: 'When?' },
        { id: 'c', type: 'single', text: 'No choices?' },
        { id: 'd', type: 'text', text: 'D?' },
      ];
      const browser = browserWith([survey('s', { questions })]);
      const page = await openPage(browser, build);
      const root = await tap(browser, page);
      const first = root.getElementById('p').textContent;

      choose(root, '5');
      submit(root);

      assert.equal(first, 'Question 1 of 2');
      assert.equal(question(root), 'D?');
      assert.equal(root.getElementById('p').textContent, 'Question 2 of 2');
    });

    test('a survey is left out when the surveys plugin is not started', async () => {
      const browser = browserWith([survey('s')]);
      const page = await openPage(browser, build, ['nudges']);

      const root = await tap(browser, page);

      assert.equal(root, null);
      assert.deepEqual(await campaignEvents(browser), []);
    });

    test('hostile placeholder values and texts are shown as text, never as markup', async () => {
      const hostile = '<img src=x onerror=alert(1)>{username}';
      const questions = [
        {
          id: 'q',
          type: 'single',
          text: 'Hi {username|you}, <b>which</b>?',
          choices: ['<i>a</i>', 'b'],
        },
      ];
      const browser = browserWith([survey('s', { questions })]);
      const page = await openPage(browser, build);
      page.Beckon.setUserProperties({ username: hostile });
      const root = await tap(browser, page);

      const legend = root.querySelector('legend');
      assert.equal(legend.textContent, `Hi ${hostile}, <b>which</b>?`);
      assert.deepEqual(legend.childNodes, [legend.textContent], 'one text node');
      assert.equal(root.querySelectorAll('img').length + root.querySelectorAll('b').length, 0);
      assert.equal(root.querySelector('label').textContent, '<i>a</i>');
      choose(root, '<i>a</i>');
      submit(root);
      assert.equal((await surveyEvents(browser))[0][1].answer, '<i>a</i>');
    });
  });
}
