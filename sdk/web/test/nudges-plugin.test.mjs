// The nudges plugin inside the SDK, in the fake browser, run on the combined script-tag file
// that ships (dist/beckon-full.js) and on its source: the config request, the campaign events
// on the wire, the caps across pages, and that nothing reaches the page. The fake browser has
// no DOM to draw in; drawing is tested in Chromium (e2e/test/nudges.test.mjs).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { createBrowser } from './fake-browser.mjs';
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
const nudgesSource = new URL('src/nudges/', root);
const newestSourceMs = Math.max(
  ...readdirSync(nudgesSource).map((name) => statSync(new URL(name, nudgesSource)).mtimeMs),
);
if (statSync(shipped).mtimeMs < newestSourceMs) {
  throw new Error('dist/beckon-full.js is older than src/nudges/: run `npm run build` first');
}
const BUILDS = [
  { name: 'source', code: source.outputFiles[0].text },
  { name: 'bundle', code: readFileSync(shipped, 'utf8') },
];

const onTap = { kind: 'event', event: 'TAP' };
const heldCampaign = (overrides = {}) => ({
  id: 'c-1',
  version: 3,
  variant: 'control',
  trigger: { on: onTap },
  caps: { perSession: 1 },
  content: { layout: 'modal', title: 'Hi' },
  ...overrides,
});

/** A browser whose server answers the config with campaigns, and an ETag. */
function browserWithCampaigns(campaigns, refreshSeconds = 30) {
  const browser = createBrowser();
  browser.server.get = (request) =>
    request.headers['If-None-Match'] === '"v1"'
      ? { status: 304, headers: { ETag: '"v1"' } }
      : { status: 200, body: { refreshSeconds, campaigns }, headers: { ETag: '"v1"' } };
  return browser;
}

function openPage(browser, build, beforeInit = () => undefined) {
  const page = browser.openPage({ code: build.code });
  beforeInit(page.Beckon);
  page.Beckon.init(SITE_ID, { endpoint: ENDPOINT, plugins: ['nudges'], flushIntervalMs: 100 });
  return page;
}

const campaignEvents = (browser) =>
  browser
    .sentEvents()
    .filter((event) => event.name.startsWith('$campaign_'))
    .map((event) => [event.name, event.properties]);

for (const build of BUILDS) {
  describe('the nudges plugin in the SDK [' + build.name + ']', () => {
    test('the config is asked of the endpoint, for the device and the user set before init', async () => {
      const browser = browserWithCampaigns([]);
      const page = openPage(browser, build, (Beckon) => Beckon.setUserId('u 1'));

      await browser.advance(0);

      const deviceId = page.Beckon.getClientId();
      assert.deepEqual(
        browser.gets.map((request) => request.url),
        [`${ENDPOINT}/config/${SITE_ID}?deviceId=${deviceId}&userId=u%201`],
      );
    });

    test('a control-group campaign records triggered and held, with its campaign fields', async () => {
      const browser = browserWithCampaigns([heldCampaign()]);
      const page = openPage(browser, build);
      await browser.advance(0);

      page.Beckon.logEvent('TAP');
      await browser.advance(500);

      const fields = { campaignId: 'c-1', campaignVersion: 3, variant: 'control' };
      assert.deepEqual(campaignEvents(browser), [
        ['$campaign_triggered', fields],
        ['$campaign_held', fields],
      ]);
    });

    test('an event logged while the config is on its way triggers once it arrives, and only once', async () => {
      const browser = createBrowser();
      let version = 0;
      browser.server.get = () => ({
        status: 200,
        body: { refreshSeconds: 10, campaigns: [heldCampaign({ caps: {} })] },
        headers: { ETag: '"v' + ++version + '"' },
      });
      const page = openPage(browser, build);

      page.Beckon.logEvent('TAP');
      await browser.advance(500);
      const first = campaignEvents(browser).map(([name]) => name);
      await browser.advance(10_500);

      assert.deepEqual(first, ['$campaign_triggered', '$campaign_held']);
      assert.equal(version, 2, 'the config was refreshed with a new ETag');
      assert.deepEqual(
        campaignEvents(browser).map(([name]) => name),
        ['$campaign_triggered', '$campaign_held'],
        'a refreshed config does not hear the early event again',
      );
    });

    test('the refresh sends If-None-Match, and a 304 keeps the campaigns', async () => {
      const browser = browserWithCampaigns([heldCampaign({ caps: {} })], 10);
      const page = openPage(browser, build);
      await browser.advance(10_000);

      page.Beckon.logEvent('TAP');
      await browser.advance(500);

      assert.deepEqual(
        browser.gets.map((request) => request.headers['If-None-Match']),
        [undefined, '"v1"'],
      );
      assert.ok(campaignEvents(browser).some(([name]) => name === '$campaign_held'));
    });

    test('a campaign due in quiet hours records quiet_hours and is neither held nor drawn', async () => {
      const browser = createBrowser();
      const clock = (offsetMs) => {
        const date = new Date(browser.nowMs + offsetMs);
        return (
          String(date.getHours()).padStart(2, '0') +
          ':' +
          String(date.getMinutes()).padStart(2, '0')
        );
      };
      const quietHours = { from: clock(-3_600_000), to: clock(3_600_000) };
      browser.server.get = () => ({
        status: 200,
        body: { refreshSeconds: 30, quietHours, campaigns: [heldCampaign()] },
        headers: { ETag: '"v1"' },
      });
      const page = openPage(browser, build);
      await browser.advance(0);

      page.Beckon.logEvent('TAP');
      await browser.advance(500);

      assert.deepEqual(
        campaignEvents(browser).map(([name, properties]) => properties.reason || name),
        ['$campaign_triggered', 'quiet_hours'],
      );
    });

    test('a per-session cap holds on the next page of the session', async () => {
      const browser = browserWithCampaigns([heldCampaign()]);
      const first = openPage(browser, build);
      await browser.advance(0);
      first.Beckon.logEvent('TAP');
      await browser.advance(500);

      const second = openPage(browser, build);
      await browser.advance(0);
      second.Beckon.logEvent('TAP');
      await browser.advance(500);

      const names = campaignEvents(browser).map(([name, properties]) => properties.reason || name);
      assert.deepEqual(names, [
        '$campaign_triggered',
        '$campaign_held',
        '$campaign_triggered',
        'capped',
      ]);
    });

    test('a nudge that cannot be drawn reaches nothing of the page, and is not counted as shown', async () => {
      const browser = browserWithCampaigns([heldCampaign({ variant: 'test' })]);
      const page = openPage(browser, build);
      await browser.advance(0);

      assert.doesNotThrow(() => page.Beckon.logEvent('TAP'));
      await browser.advance(500);

      assert.deepEqual(
        campaignEvents(browser).map(([name]) => name),
        ['$campaign_triggered'],
      );
    });

    test("the page's own logEvent cannot log campaign events", async () => {
      const browser = browserWithCampaigns([]);
      const page = openPage(browser, build);

      page.Beckon.logEvent('$campaign_shown', { campaignId: 'forged' });
      await browser.advance(500);

      assert.deepEqual(campaignEvents(browser), []);
    });

    test('a config that is not JSON, or has no campaigns, is ignored', async () => {
      const browser = createBrowser();
      browser.server.get = () => ({ status: 200, body: 'not json' });
      const page = openPage(browser, build);

      await browser.advance(0);
      page.Beckon.logEvent('TAP');
      await browser.advance(500);

      assert.equal(browser.gets.length, 1);
      assert.deepEqual(campaignEvents(browser), []);
    });
  });
}
