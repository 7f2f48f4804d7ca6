// The plugin hands trigger.condition to the evaluator as the server sent it, unchecked: the
// evaluator must read every form that the parser accepts as the parser means it, and the
// shared vectors must hold on the conditions as they are written.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { canonical, evaluate, evaluateInZone, parseCondition, utcZone } from './nudges-modules.mjs';

const { vectors } = JSON.parse(
  readFileSync(new URL('../../../spec/condition-vectors.json', import.meta.url), 'utf8'),
);

test('the parser accepts each shared vector and returns it unchanged', () => {
  for (const vector of vectors) {
    assert.equal(parseCondition(vector.condition), vector.condition, vector.name);
  }
});

test('the forms the parser allows read as the canonical ones', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  const at = (iso) => Date.parse(iso);
  // [as a server may send it, the canonical form, events for which both hold, events for which
  // neither does]
  const cases = [
    [
      { userProperty: { name: 'plan', op: 'in', value: ['gold', 1, true] } },
      { userProperty: { property: 'plan', op: 'in', value: ['gold', '1', 'true'] } },
      [{ name: '$user_properties', time: 0, properties: { plan: 1 } }],
      [{ name: '$user_properties', time: 0, properties: { plan: 'silver' } }],
    ],
    [
      { did: { event: 'X', window: { last: 2, unit: 'DAYS', calendar: 'true' } } },
      { did: { event: 'X', window: { last: 2, unit: 'days', calendar: true } } },
      [{ name: 'X', time: at('2026-12-03T00:00:00Z') }],
      [{ name: 'X', time: at('2026-12-02T23:59:59Z') }],
    ],
    [
      {
        sequence: {
          first: { event: 'A' },
          then: { event: 'B' },
          within: { amount: 2, unit: 'Hours' },
        },
      },
      {
        sequence: {
          first: { event: 'A' },
          then: { event: 'B' },
          within: { amount: 2, unit: 'hours' },
        },
      },
      [
        { name: 'A', time: at('2026-12-04T08:00:00Z') },
        { name: 'B', time: at('2026-12-04T10:00:00Z') },
      ],
      [
        { name: 'A', time: at('2026-12-04T08:00:00Z') },
        { name: 'B', time: at('2026-12-04T10:00:01Z') },
      ],
    ],
    [
      {
        didNot: {
          event: 'X',
          where: [{ name: 'at', op: 'gt', value: '2026-12-01', type: 'date' }],
        },
      },
      {
        did: {
          event: 'X',
          where: [{ property: 'at', op: 'gt', value: '2026-12-01', type: 'date' }],
          count: { exactly: 0 },
        },
      },
      [{ name: 'X', time: 0, properties: { at: '2026-12-01T00:00:00Z' } }],
      [{ name: 'X', time: 0, properties: { at: '2026-12-01T00:00:01Z' } }],
    ],
    [
      {
        sessionProperty: {
          name: 'lang',
          op: 'exists',
          window: { from: '2026-12-01', to: '2026-12-03' },
        },
      },
      {
        sessionProperty: {
          property: 'lang',
          op: 'exists',
          window: { from: '2026-12-01', to: '2026-12-03' },
        },
      },
      [
        {
          name: '$session_properties',
          time: at('2026-12-03T23:00:00Z'),
          properties: { lang: 'en' },
        },
      ],
      [
        {
          name: '$session_properties',
          time: at('2026-12-04T00:00:00Z'),
          properties: { lang: 'en' },
        },
      ],
    ],
    [
      { not: { any: [{ visited: { path: '/shop/*', window: 'ever' } }, { inCohort: 'vip' }] } },
      { not: { any: [{ visited: { path: '/shop/*' } }, { inCohort: 'vip' }] } },
      [{ name: '$page_view', time: 0, properties: { path: '/home' } }],
      [{ name: '$page_view', time: 0, properties: { path: '/shop/shoes' } }],
    ],
  ];

  for (const [sent, canonical, holding, failing] of cases) {
    const label = JSON.stringify(sent);
    assert.equal(parseCondition(sent), sent, label);
    assert.equal(parseCondition(canonical), canonical, label);
    for (const condition of [sent, canonical]) {
      assert.equal(evaluate(condition, holding, now), true, label);
      assert.equal(evaluate(condition, failing, now), false, label);
    }
  }
});

test('the plugin\u2019s UTC zone starts calendar windows where the IANA zone "UTC" does', () => {
  // A fixed walk of instants over two years, not random: a failure can be replayed.
  let now = Date.parse('2025-01-01T00:00:00Z');
  for (let i = 0; i < 120; i++) {
    now += 6 * 86400e3 + 7 * 3600e3 + 13 * 60e3 + 17e3 + 19;
    for (const unit of ['minutes', 'hours', 'days', 'weeks']) {
      const window = { last: 1 + (i % 3), unit, calendar: true };
      const condition = { did: { event: 'V', window } };
      const start = (holdsAt) => {
        let low = now - 30 * 86400e3;
        let high = now;
        while (high - low > 1) {
          const middle = Math.floor((low + high) / 2);
          if (holdsAt(middle)) high = middle;
          else low = middle;
        }
        return high;
      };
      const events = (time) => [{ name: 'V', time }];
      const plugin = start((time) => evaluateInZone(condition, events(time), now, utcZone));
      const iana = start((time) => evaluate(condition, events(time), now, 'UTC'));
      assert.equal(new Date(plugin).toISOString(), new Date(iana).toISOString(), unit + ' ' + i);
    }
  }
});

test('path patterns: * is any text, all else literal, as a regular expression would say', () => {
  const literal = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const oracle = (pattern, path) =>
    new RegExp('^' + pattern.split('*').map(literal).join('[\\s\\S]*') + '$').test(path);
  const visited = (pattern, path) =>
    evaluate(
      { visited: { path: pattern } },
      [{ name: '$page_view', time: 0, properties: { path } }],
      1,
    );
  const words = ['', 'a', 'b', 'ab', 'ba', 'aa', '/', '.'];
  const patterns = [];
  for (const x of words)
    for (const y of words) patterns.push(x + '*' + y, x + y, '*' + x + '*' + y + '*', x + '**' + y);
  const paths = [];
  for (const x of words)
    for (const y of words) for (const z of ['', 'a', 'b']) paths.push(x + y + z);
  for (const pattern of patterns) {
    for (const path of paths) {
      assert.equal(visited(pattern, path), oracle(pattern, path), pattern + ' ' + path);
    }
  }
});

test('canonical() writes each spelling the parser allows as the server sends it to the plugin', () => {
  // The cases of the server's CanonicalConditionJsonTest.
  const cases = [
    [
      { userProperty: { name: 'plan', op: 'eq', value: 'pro' } },
      { userProperty: { op: 'eq', value: 'pro', property: 'plan' } },
    ],
    [
      { did: { event: 'V', where: [{ name: 'n', op: 'exists' }] } },
      { did: { event: 'V', where: [{ op: 'exists', property: 'n' }] } },
    ],
    [
      { did: { event: 'V', window: { last: 3, unit: 'Days', calendar: 'true' } } },
      { did: { event: 'V', window: { last: 3, unit: 'days', calendar: true } } },
    ],
    [
      { did: { event: 'V', window: { last: 1, unit: 'WEEKS', calendar: 7 } } },
      { did: { event: 'V', window: { last: 1, unit: 'weeks', calendar: true } } },
    ],
    [
      { did: { event: 'V', window: { last: 1, unit: 'hours', calendar: 'yes' } } },
      { did: { event: 'V', window: { last: 1, unit: 'hours', calendar: false } } },
    ],
    [
      {
        sequence: {
          first: { event: 'A' },
          then: { event: 'B' },
          within: { amount: 2, unit: 'Minutes' },
        },
      },
      {
        sequence: {
          first: { event: 'A' },
          then: { event: 'B' },
          within: { amount: 2, unit: 'minutes' },
        },
      },
    ],
    [
      { not: { any: [{ visited: { path: '/Name/*', window: 'ever' } }, { inCohort: 'c' }] } },
      { not: { any: [{ visited: { path: '/Name/*', window: 'ever' } }, { inCohort: 'c' }] } },
    ],
  ];

  for (const [given, sent] of cases) {
    const before = JSON.stringify(given);

    assert.deepEqual(canonical(given), sent);
    assert.equal(JSON.stringify(given), before, 'the input is left as it was');
  }
});

test('the plugin\u2019s reading takes the one spelling, as the server sends it', () => {
  const now = Date.parse('2026-03-04T12:00:00Z');
  const events = [{ name: 'V', time: now - 3600e3, properties: { category: 'shoes' } }];
  const sent = {
    did: {
      event: 'V',
      where: [{ name: 'category', op: 'eq', value: 'shoes' }],
      window: { last: 1, unit: 'Days', calendar: 'true' },
    },
  };

  assert.equal(evaluateInZone(canonical(sent), events, now, utcZone), true);
  assert.equal(evaluate(sent, events, now), true);
});
