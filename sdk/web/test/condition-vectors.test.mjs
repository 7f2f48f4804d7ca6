// The SDK's condition evaluator against the shared vectors (spec/condition-vectors.json), which
// the server's engine runs too (ConditionVectorsTest), and the parser against the server's
// error messages. Vectors marked serverOnly need identity links or cohorts and are skipped.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { evaluate, parseCondition } from './conditions.mjs';

const root = new URL('../', import.meta.url);
const { vectors } = JSON.parse(
  readFileSync(new URL('../../spec/condition-vectors.json', root), 'utf8'),
);

/** The members of a vector: each person with events for whom the condition holds. */
function members(vector) {
  const condition = parseCondition(vector.condition);
  const people = new Map();
  for (const event of vector.events) {
    const key = event.userId ? 'u:' + event.userId : 'd:' + event.deviceId;
    const own = people.get(key) || [];
    // The server's test gives events without a session id the session "s-<deviceId>".
    own.push({ sessionId: 's-' + event.deviceId, ...event });
    people.set(key, own);
  }
  const now = Date.parse(vector.now);
  return [...people]
    .filter(([, events]) => evaluate(condition, events, now, vector.timeZone))
    .map(([key]) => key)
    .sort();
}

describe('shared condition vectors', () => {
  test('the file holds vectors', () => assert.ok(vectors.length >= 65));
  vectors.forEach((vector, i) => {
    test(i + ': ' + vector.name, { skip: vector.serverOnly && 'serverOnly' }, () => {
      assert.deepEqual(members(vector), [...vector.members].sort());
    });
  });
});

// [condition, the start of the message], as in the server's ConditionParserTest.
const INVALID = [
  [[], 'condition: must be an object with exactly one of'],
  [{ did: {}, not: {} }, 'condition: must be an object with exactly one of'],
  [{ maybe: {} }, "condition: 'maybe' is not a kind of condition"],
  [{ all: {} }, 'condition.all: must be a list of conditions'],
  [
    { all: [{ did: { event: 'A' } }, { did: { event: '' } }] },
    'condition.all[1].did.event: must be a non-empty string',
  ],
  [
    { did: { event: 'A', count: { atLeast: -1 } } },
    'condition.did.count.atLeast: must be a whole number from 0',
  ],
  [
    { did: { event: 'A', count: { atLeast: 1.5 } } },
    'condition.did.count.atLeast: must be a whole number from 0',
  ],
  [
    { did: { event: 'A', count: { around: 3 } } },
    "condition.did.count: 'around' is not atLeast, atMost or exactly",
  ],
  [
    { didNot: { event: 'A', count: { atLeast: 1 } } },
    'condition.didNot.count: didNot takes no count; use did with atMost',
  ],
  [
    { did: { event: 'A', window: { last: 0, unit: 'days' } } },
    'condition.did.window.last: must be a whole number from 1',
  ],
  [
    { did: { event: 'A', window: { last: 3, unit: 'fortnights' } } },
    'condition.did.window.unit: must be one of minutes, hours, days, weeks',
  ],
  [
    { all: [{ any: [] }, { did: { event: 'A', window: { last: 1, unit: 'years' } } }] },
    'condition.all[1].did.window.unit: must be one of minutes, hours, days, weeks',
  ],
  [
    { did: { event: 'A', window: { from: '2026-03-02', to: '2026-03-01' } } },
    "condition.did.window: 'to' is before 'from'",
  ],
  [
    { did: { event: 'A', window: { from: 'yesterday', to: '2026-03-01' } } },
    "condition.did.window.from: 'yesterday' is not a day such as 2026-12-03",
  ],
  [
    { did: { event: 'A', window: { from: '2026-02-30', to: '2026-03-01' } } },
    "condition.did.window.from: '2026-02-30' is not a day such as 2026-12-03",
  ],
  [{ did: { event: 'A', window: 'sometimes' } }, 'condition.did.window: must be "ever"'],
  [
    { did: { event: 'A', where: [{ property: 'p', op: 'like', value: 'x' }] } },
    "condition.did.where[0].op: 'like' is not one of [contains, eq, exists, gt, gte, in, lt, lte, neq, notExists, startsWith]",
  ],
  [
    { did: { event: 'A', where: [{ property: 'p', op: 'eq' }] } },
    "condition.did.where[0].value: is required for 'eq'",
  ],
  [
    { did: { event: 'A', where: [{ property: 'p', op: 'gt', value: true }] } },
    'condition.did.where[0].value: a boolean can only be compared with eq or neq',
  ],
  [
    { did: { event: 'A', where: [{ property: 'p', op: 'contains', value: 5 }] } },
    'condition.did.where[0].value: contains and startsWith compare text; give a string',
  ],
  [
    { did: { event: 'A', where: [{ property: 'p', op: 'in', value: [] }] } },
    "condition.did.where[0].value: 'in' takes a list of 1 to 1000 values",
  ],
  [
    { did: { event: 'A', where: [{ property: 'p', op: 'exists', value: 1 }] } },
    'condition.did.where[0].value: exists and notExists take no value',
  ],
  [
    { did: { event: 'A', where: [{ property: 'p', op: 'eq', value: { a: 1 } }] } },
    'condition.did.where[0].value: must be a string, a number or a boolean',
  ],
  [
    { userProperty: { property: 'd', op: 'gt', type: 'date', value: 'soon' } },
    "condition.userProperty.value: 'soon' is not a date",
  ],
  [
    { sequence: { first: { event: 'A' }, then: { event: 'B' } } },
    'condition.sequence.within: must be an object',
  ],
  [{ visited: {} }, 'condition.visited.path: must be a non-empty string'],
  [{ inCohort: 5 }, 'condition.inCohort: must be a non-empty string'],
  [
    JSON.parse('{"not":'.repeat(11) + '{"did":{"event":"A"}}' + '}'.repeat(11)),
    'condition' + '.not'.repeat(10) + ': nested deeper than 10 levels',
  ],
  [
    { any: Array.from({ length: 101 }, () => ({ did: { event: 'A' } })) },
    'condition.any[99]: a segment may have at most 100 conditions',
  ],
  [{ did: { event: 'x'.repeat(501) } }, 'condition.did.event: is longer than 500 characters'],
];

describe('the parser refuses invalid conditions, naming the path', () => {
  for (const [condition, message] of INVALID) {
    test(message, () => {
      assert.throws(
        () => parseCondition(condition),
        (error) => {
          assert.ok(error.message.startsWith(message), error.message);
          assert.equal(error.message, error.path + ': ' + error.problem);
          return true;
        },
      );
    });
  }

  test('the spec examples parse', () => {
    for (const vector of vectors) parseCondition(vector.condition);
    parseCondition({ did: { event: 'A', where: [{ name: 'p', op: 'exists' }] } });
  });
});
