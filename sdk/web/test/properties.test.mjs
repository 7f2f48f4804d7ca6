import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { sentEvent, startPage } from './helpers.mjs';

/** The properties that reach the server when an app event is logged with input. */
async function sentProperties(build, input) {
  const { browser, Beckon } = startPage(build);
  Beckon.logEvent('ODD', input);
  await browser.advance(2000);
  return sentEvent(browser, 'ODD').properties;
}

function nested(levels) {
  let value = 'bottom';
  for (let i = 0; i < levels; i++) value = { down: value };
  return value;
}

const circular = { name: 'loop' };
circular.self = circular;
const shared = { a: 1 };

// [what, input, expected properties]
const RULES = [
  [
    'a Date becomes its ISO string',
    { at: new Date(Date.UTC(2025, 0, 2)) },
    { at: '2025-01-02T00:00:00.000Z' },
  ],
  ['an invalid Date becomes null', { at: new Date(NaN) }, { at: null }],
  [
    'a BigInt becomes its decimal string',
    { big: 12345678901234567890n },
    { big: '12345678901234567890' },
  ],
  [
    'NaN and Infinity become null',
    { a: NaN, b: Infinity, c: -Infinity },
    { a: null, b: null, c: null },
  ],
  ['undefined leaves the key out', { a: undefined, b: 1 }, { b: 1 }],
  ['functions and symbols are left out', { f() {}, s: Symbol('s'), b: 1 }, { b: 1 }],
  [
    'in arrays, left-out values become null',
    { list: [1, undefined, () => 0, 'x'] },
    { list: [1, null, null, 'x'] },
  ],
  [
    'a circular reference becomes "[Circular]"',
    { loop: circular },
    { loop: { name: 'loop', self: '[Circular]' } },
  ],
  ['the same object twice is not circular', { x: shared, y: shared }, { x: { a: 1 }, y: { a: 1 } }],
  ['objects five levels deep are kept', nested(5), nested(5)],
  [
    'an object below level five becomes "[Truncated]"',
    nested(6),
    { down: { down: { down: { down: { down: '[Truncated]' } } } } },
  ],
  [
    'an object with toJSON is what toJSON returns',
    { url: { toJSON: () => 'https://x.test/' } },
    { url: 'https://x.test/' },
  ],
  [
    'a toJSON returning itself does not loop',
    {
      odd: {
        v: 1,
        toJSON() {
          return this;
        },
      },
    },
    { odd: { v: 1 } },
  ],
  [
    'a getter that throws leaves its key out',
    {
      get bad() {
        throw new Error('no');
      },
      good: 1,
    },
    { good: 1 },
  ],
  [
    'keys longer than 200 characters are cut to 200',
    { ['k'.repeat(250)]: 1 },
    { ['k'.repeat(200)]: 1 },
  ],
  [
    'arrays keep their first 100 items',
    { list: Array.from({ length: 150 }, (_, i) => i) },
    { list: Array.from({ length: 100 }, (_, i) => i) },
  ],
  ['a non-object gives {}', 'just text', {}],
  ['an array as properties gives {}', [1, 2, 3], {}],
  ['null gives {}', null, {}],
  [
    'plain values pass unchanged',
    { s: 'x', n: -1.5, t: true, f: false, z: null },
    { s: 'x', n: -1.5, t: true, f: false, z: null },
  ],
];

forEachBuild('property values', (build) => {
  for (const [what, input, expected] of RULES) {
    test(what, async () => {
      assert.deepEqual(await sentProperties(build, input), expected);
    });
  }

  test('strings longer than 8192 characters are cut to 8192', async () => {
    const properties = await sentProperties(build, {
      text: 'a'.repeat(10_000),
      pair: 'a'.repeat(8191) + '😀',
    });

    assert.equal(properties.text.length, 8192);
    assert.equal(properties.pair, 'a'.repeat(8191), 'a surrogate pair is never cut in two');
  });

  test('more than 100 keys keeps the first 99 and counts the rest in $truncatedKeys', async () => {
    const input = Object.fromEntries(Array.from({ length: 150 }, (_, i) => ['k' + i, i]));

    const properties = await sentProperties(build, input);

    assert.equal(Object.keys(properties).length, 100);
    assert.equal(properties.k98, 98);
    assert.equal(properties.k99, undefined);
    assert.equal(properties.$truncatedKeys, 51);
  });

  test('properties over 32 KiB keep top-level keys in order while they fit', async () => {
    const input = {
      a: 'x'.repeat(8000),
      b: 'é'.repeat(8000),
      c: 'x'.repeat(8000),
      d: 1,
      e: 'x'.repeat(8000),
    };

    const properties = await sentProperties(build, input);

    assert.ok(Buffer.byteLength(JSON.stringify(properties)) <= 32 * 1024);
    assert.deepEqual(Object.keys(properties), ['a', 'b', 'c', 'd', '$truncatedKeys']);
    assert.equal(properties.$truncatedKeys, 1);
  });

  test('a revoked proxy among the values is left out and the event is still sent', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();

    const properties = await sentProperties(build, { gone: proxy, kept: 1 });

    assert.deepEqual(properties, { kept: 1 });
  });
});
