// The config: fetched at start and every refreshSeconds while the page is visible, with
// If-None-Match; a 304 or a failure keeps the config the page has.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConfigClient, fakeTimers } from './nudges-modules.mjs';

function start(answers) {
  const timers = fakeTimers();
  const page = { visible: true, requests: [], configs: [] };
  page.client = createConfigClient({
    url: () => 'https://beckon.test/config/site-1?deviceId=d-1',
    fetch: async (url, init) => {
      page.requests.push({
        url,
        ifNoneMatch: init.headers['If-None-Match'],
        credentials: init.credentials,
      });
      const answer = answers.shift() || { status: 304 };
      if (answer === 'network-error') throw new TypeError('Failed to fetch');
      const { status, body, etag } = answer;
      return new Response(status === 304 ? null : JSON.stringify(body), {
        status,
        headers: etag ? { ETag: etag } : {},
      });
    },
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
    nowMs: () => timers.nowMs,
    isVisible: () => page.visible,
    onConfig: (config) => page.configs.push(config),
    log: () => undefined,
  });
  page.timers = timers;
  return page;
}

const config = (refreshSeconds, id) => ({ refreshSeconds, campaigns: [{ id }] });

test('the config is fetched at once, then again after refreshSeconds with If-None-Match', async () => {
  const page = start([{ status: 200, body: config(10, 'a'), etag: '"v1"' }, { status: 304 }]);

  page.client.refresh();
  await page.timers.advance(0);
  await page.timers.advance(10_000);

  assert.deepEqual(
    page.requests.map((request) => [request.ifNoneMatch, request.credentials]),
    [
      [undefined, 'omit'],
      ['"v1"', 'omit'],
    ],
  );
  assert.deepEqual(
    page.configs.map((each) => each.campaigns[0].id),
    ['a'],
  );
});

test('a changed config replaces the old one, and a failure keeps it until the next refresh', async () => {
  const page = start([
    { status: 200, body: config(10, 'a'), etag: '"v1"' },
    'network-error',
    { status: 500, body: {} },
    { status: 200, body: config(10, 'b'), etag: '"v2"' },
  ]);

  page.client.refresh();
  await page.timers.advance(30_000);

  assert.equal(page.requests.length, 4);
  assert.deepEqual(
    page.configs.map((each) => each.campaigns[0].id),
    ['a', 'b'],
  );
});

test('a hidden page does not fetch; it fetches when shown again, if the config is due', async () => {
  const page = start([{ status: 200, body: config(10, 'a'), etag: '"v1"' }]);
  page.client.refresh();
  await page.timers.advance(0);

  page.visible = false;
  await page.timers.advance(60_000);
  assert.equal(page.requests.length, 1);
  page.visible = true;
  page.client.visible();
  await page.timers.advance(0);

  assert.equal(page.requests.length, 2);
});

test('refreshSeconds is held between 5 seconds and an hour', async () => {
  const page = start([{ status: 200, body: config(0, 'a'), etag: '"v1"' }]);

  page.client.refresh();
  await page.timers.advance(4_999);
  assert.equal(page.requests.length, 1);
  await page.timers.advance(1);

  assert.equal(page.requests.length, 2);
});
