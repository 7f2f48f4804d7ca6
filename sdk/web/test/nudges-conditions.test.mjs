// The plugin reads trigger.condition with its own small reader (src/nudges/read-condition.ts),
// not with the SDK's checking parser, to save bytes: it must give the parser's result for
// every condition the parser accepts. The shared vectors hold the conditions to compare.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseCondition, readCondition } from './nudges-modules.mjs';

const { vectors } = JSON.parse(
  readFileSync(new URL('../../../spec/condition-vectors.json', import.meta.url), 'utf8'),
);

test('the reader gives the parser\u2019s condition for each shared vector', () => {
  for (const vector of vectors) {
    assert.deepEqual(
      readCondition(vector.condition),
      parseCondition(vector.condition),
      vector.name,
    );
  }
});

test('the reader takes the forms the parser allows: name for property, units in any case', () => {
  const conditions = [
    { userProperty: { name: 'plan', op: 'in', value: ['gold', 1, true] } },
    { did: { event: 'X', window: { last: 2, unit: 'DAYS', calendar: 'true' } } },
    {
      didNot: {
        event: 'X',
        where: [{ property: 'at', op: 'gt', value: '2026-12-01', type: 'date' }],
      },
    },
    {
      sequence: {
        first: { event: 'A' },
        then: { event: 'B' },
        within: { amount: 2, unit: 'Hours' },
      },
    },
    {
      sessionProperty: {
        property: 'lang',
        op: 'exists',
        window: { from: '2026-12-01', to: '2026-12-03' },
      },
    },
    { not: { any: [{ visited: { path: '/shop/*', window: 'ever' } }, { inCohort: 'vip' }] } },
  ];

  for (const condition of conditions) {
    assert.deepEqual(
      readCondition(condition),
      parseCondition(condition),
      JSON.stringify(condition),
    );
  }
});
