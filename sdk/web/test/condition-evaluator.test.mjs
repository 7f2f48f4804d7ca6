// The SDK's condition evaluator beyond the shared vectors: calendar windows on odd
// daylight-saving days (the expected starts are java.time's, the server's), Unicode order,
// odd data that must never throw, and what only the browser has to decide.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, parseCondition } from './conditions.mjs';

const ms = (iso) => Date.parse(iso);

/** The first instant that an event of the window's condition counts at, found by bisection. */
function windowStart(window, now, timeZone) {
  const condition = parseCondition({ did: { event: 'V', window } });
  const holdsAt = (time) => evaluate(condition, [{ name: 'V', time }], now, timeZone);
  let low = now - 400 * 86400e3;
  let high = now;
  assert.ok(!holdsAt(low) && holdsAt(high));
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (holdsAt(middle)) high = middle;
    else low = middle;
  }
  return new Date(high).toISOString();
}

describe('calendar windows in a time zone', () => {
  test('this week in Berlin, on the Sunday clocks go forward, starts Monday at +01:00', () => {
    const now = ms('2026-03-29T12:00:00Z');
    const week = { last: 1, unit: 'weeks', calendar: true };
    assert.equal(windowStart(week, now, 'Europe/Berlin'), '2026-03-22T23:00:00.000Z');
    assert.equal(
      windowStart({ ...week, last: 2 }, now, 'Europe/Berlin'),
      '2026-03-15T23:00:00.000Z',
    );
  });

  test('calendar hours in New York in the repeated hour count back exact hours', () => {
    const now = ms('2026-11-01T06:30:00Z'); // 01:30 EST, the second 01:30 of the day
    const hours = (last) =>
      windowStart({ last, unit: 'hours', calendar: true }, now, 'America/New_York');
    assert.equal(hours(1), '2026-11-01T06:00:00.000Z');
    assert.equal(hours(2), '2026-11-01T05:00:00.000Z');
    assert.equal(hours(3), '2026-11-01T04:00:00.000Z');
  });

  test('today in New York on the 25-hour day, and yesterday with it', () => {
    const now = ms('2026-11-01T06:30:00Z');
    const days = (last) =>
      windowStart({ last, unit: 'days', calendar: true }, now, 'America/New_York');
    assert.equal(days(1), '2026-11-01T04:00:00.000Z');
    assert.equal(days(2), '2026-10-31T04:00:00.000Z');
  });

  test('Havana skips midnight: today starts at 01:00, and days before keep that clock time', () => {
    const now = ms('2026-03-08T05:33:40Z');
    const days = (last) =>
      windowStart({ last, unit: 'days', calendar: true }, now, 'America/Havana');
    assert.equal(days(1), '2026-03-08T05:00:00.000Z');
    assert.equal(days(2), '2026-03-07T06:00:00.000Z');
  });

  test('a from/to day is whole: 25 hours in New York, 23 in Havana, half-hour shift in Lord Howe', () => {
    const between = (day, timeZone) => {
      const condition = parseCondition({ did: { event: 'V', window: { from: day, to: day } } });
      return (time) =>
        evaluate(condition, [{ name: 'V', time }], ms('2027-01-01T00:00:00Z'), timeZone);
    };
    const newYork = between('2026-11-01', 'America/New_York');
    assert.deepEqual(
      [
        '2026-11-01T03:59:59.999Z',
        '2026-11-01T04:00:00Z',
        '2026-11-02T04:59:59.999Z',
        '2026-11-02T05:00:00Z',
      ].map(newYork),
      [false, true, true, false],
    );
    const havana = between('2026-03-08', 'America/Havana');
    assert.deepEqual(
      [
        '2026-03-08T04:59:59.999Z',
        '2026-03-08T05:00:00Z',
        '2026-03-09T03:59:59.999Z',
        '2026-03-09T04:00:00Z',
      ].map(havana),
      [false, true, true, false],
    );
    const lordHowe = between('2026-10-04', 'Australia/Lord_Howe');
    assert.deepEqual(['2026-10-03T13:29:59.999Z', '2026-10-03T13:30:00Z'].map(lordHowe), [
      false,
      true,
    ]);
  });

  test('an unknown zone is UTC, and a zone name is never a reason to throw', () => {
    const now = ms('2026-03-29T12:00:00Z');
    const today = { last: 1, unit: 'days', calendar: true };
    assert.equal(windowStart(today, now, 'Mars/Olympus_Mons'), '2026-03-29T00:00:00.000Z');
    assert.equal(windowStart(today, now, undefined), '2026-03-29T00:00:00.000Z');
  });
});

describe('values', () => {
  const passes = (filter, value) =>
    evaluate(
      parseCondition({ did: { event: 'E', where: [{ property: 'p', ...filter }] } }),
      [{ name: 'E', time: 0, properties: { p: value } }],
      1,
    );

  test('text orders by code point, not by UTF-16 unit: U+FF5E is below U+1F600', () => {
    assert.equal('\uff5e' < '\u{1f600}', false); // what JavaScript's < says
    assert.equal(passes({ op: 'lt', value: '\u{1f600}' }, '\uff5e'), true);
    assert.equal(passes({ op: 'gt', value: '\uff5e' }, '\u{1f600}'), true);
    assert.equal(passes({ op: 'gt', value: '\u{1f600}' }, '\u{1f601}'), true);
    assert.equal(passes({ op: 'lt', value: 'shoes' }, 'Shoes'), true);
  });

  test('lists and objects match nothing as text, even with neq', () => {
    for (const op of ['eq', 'neq', 'contains', 'gt']) {
      assert.equal(passes({ op, value: 'a' }, ['a']), false, op);
      assert.equal(passes({ op, value: 'a' }, { a: 1 }), false, op);
    }
  });

  test('numbers read from decimal text only', () => {
    assert.equal(passes({ op: 'eq', value: 1000 }, ' 1e3 '), true);
    assert.equal(passes({ op: 'eq', value: 16 }, '0x10'), false);
    assert.equal(passes({ op: 'neq', value: 0 }, ''), false);
    assert.equal(passes({ op: 'neq', value: 0 }, 'Infinity'), false);
  });

  test('booleans in any case; dates with an offset, not epoch numbers', () => {
    assert.equal(passes({ op: 'eq', value: false }, 'FALSE'), true);
    assert.equal(passes({ op: 'neq', value: false }, 0), false);
    const after = { op: 'gt', type: 'date', value: '2026-03-01T00:00:00+01:00' };
    assert.equal(passes(after, '2026-03-01'), true);
    assert.equal(passes(after, '2026-02-28T22:59:59Z'), false);
    assert.equal(passes(after, Date.parse('2026-03-02')), false);
    assert.equal(passes(after, '2026-02-30'), false);
  });

  test('times read as java.time reads them: fields in range, offsets up to 18 hours', () => {
    const at = { op: 'eq', type: 'date', value: '2026-03-01T10:00:00Z' };
    for (const same of [
      '2026-03-01T10:00Z',
      '2026-03-01t10:00:00.000z',
      '2026-03-01T12:00:00+02',
      '2026-03-01T12:30:00+02:30',
      '2026-03-01T09:59:30-00:00:30',
      '2026-03-01T11:00:00.0004+01:00',
      '2026-03-02T04:00:00+18:00',
    ]) {
      assert.equal(passes(at, same), true, same);
    }
    for (const odd of [
      '2026-03-01T24:00:00Z',
      '2026-03-01T10:60:00Z',
      '2026-03-01T10:00:60Z',
      '2026-03-02T04:01:00+18:01',
      '2026-03-02T05:00:00+19:00',
      '2026-03-01T12:00:00+02:60',
      '2026-03-01T10:00:00',
      '2026-03-01 10:00:00Z',
    ]) {
      assert.equal(passes({ ...at, op: 'neq' }, odd), false, odd);
    }
  });

  test('page patterns: * is any text, everything else literal', () => {
    const visited = (path, page) =>
      evaluate(
        parseCondition({ visited: { path } }),
        [{ name: '$page_view', time: 0, properties: { path: page } }],
        1,
      );
    assert.equal(visited('*', ''), true);
    assert.equal(visited('/a*a', '/a'), false);
    assert.equal(visited('/a*b*c', '/abbc'), true);
    assert.equal(visited('/a*b*c', '/acb'), false);
    assert.equal(visited('/a.b', '/aXb'), false);
    assert.equal(visited('/[ab]', '/a'), false);
    assert.equal(visited('/*', '/x/y?z'), true);
  });
});

describe('people and properties', () => {
  test('a session property that no session in the window has is notExists, as on the server', () => {
    const condition = parseCondition({
      sessionProperty: { property: 'plan', op: 'notExists' },
    });
    const event = (sessionId, properties) => ({
      name: '$session_properties',
      time: 0,
      sessionId,
      properties,
    });
    assert.equal(evaluate(condition, [event('s1', { other: 1 })], 1), true);
    assert.equal(evaluate(condition, [event('s1', { plan: null })], 1), true);
    assert.equal(
      evaluate(condition, [event('s1', { plan: 'a' }), event('s2', { plan: null })], 1),
      false,
    );
  });

  test('inCohort asks the caller, and is false without an answer', () => {
    const condition = parseCondition({ inCohort: 'vip' });
    assert.equal(evaluate(condition, [], 0), false);
    assert.equal(
      evaluate(condition, [], 0, 'UTC', (name) => name === 'vip'),
      true,
    );
  });

  test('times may be epoch milliseconds or ISO text', () => {
    const condition = parseCondition({ did: { event: 'V', count: { exactly: 2 } } });
    const events = [
      { name: 'V', time: 5 },
      { name: 'V', time: '2026-03-01T00:00:00Z' },
    ];
    assert.equal(evaluate(condition, events, 0), true);
  });

  test('odd events are skipped and odd conditions answer false; nothing throws', () => {
    const did = parseCondition({ did: { event: 'V', where: [{ property: 'p', op: 'exists' }] } });
    const hostile = {
      name: 'V',
      time: 0,
      properties: Object.defineProperty({}, 'p', {
        enumerable: true,
        get() {
          throw new Error('no');
        },
      }),
    };
    const odd = [
      null,
      undefined,
      5,
      'V',
      [],
      { name: 5, time: 0 },
      { name: 'V' },
      { name: 'V', time: 'yesterday' },
      { name: 'V', time: NaN },
      { name: 'V', time: 0, properties: 'p' },
      { name: 'V', time: 0, properties: ['x'] },
      { name: 'V', time: 0, properties: null },
      { name: 'V', time: 0, properties: Object.create(null) },
    ];
    assert.equal(evaluate(did, odd, 1), false);
    assert.equal(evaluate(did, [{ name: 'V', time: 0, properties: { p: 1 } }, ...odd], 1), true);
    assert.equal(evaluate(did, [hostile], 1), false);
    assert.equal(evaluate(did, 'not a list', 1), false);
    assert.equal(evaluate(did, [{ name: 'V', time: 0, properties: { p: 1 } }], NaN), true);
    for (const junk of [null, undefined, {}, { kind: 'all' }, { kind: 'did' }, 'all', 5]) {
      assert.equal(evaluate(junk, [{ name: 'V', time: 0 }], 1), false);
    }
  });

  test('names are own properties only, never paths or inherited members', () => {
    const condition = parseCondition({
      did: { event: 'V', where: [{ property: 'constructor', op: 'exists' }] },
    });
    assert.equal(evaluate(condition, [{ name: 'V', time: 0, properties: {} }], 1), false);
    const proto = parseCondition({ userProperty: { property: '__proto__', op: 'notExists' } });
    assert.equal(evaluate(proto, [{ name: '$user_properties', time: 0, properties: {} }], 1), true);
  });
});

test('units in any case and calendar as the server reads it, unchecked as checked', () => {
  const now = ms('2026-12-04T12:00:00Z');
  const yesterday = [{ name: 'V', time: ms('2026-12-03T01:00:00Z') }];
  const holds = (window) => evaluate({ did: { event: 'V', window } }, yesterday, now);
  const checkedHolds = (window) =>
    evaluate(parseCondition({ did: { event: 'V', window } }), yesterday, now);

  // A rolling day ends 35 hours too soon for the event; a calendar 2 days reaches it.
  for (const [window, expected] of [
    [{ last: 1, unit: 'Days' }, false],
    [{ last: 2, unit: 'DAYS' }, true],
    [{ last: 2, unit: 'days', calendar: true }, true],
    [{ last: 1, unit: 'days', calendar: true }, false],
    [{ last: 35, unit: 'hours' }, true],
    [{ last: 35, unit: 'Hours', calendar: 'true' }, false],
    [{ last: 35, unit: 'hours', calendar: ' true ' }, false],
    [{ last: 35, unit: 'hours', calendar: 'yes' }, true],
    [{ last: 35, unit: 'hours', calendar: 1 }, false],
    [{ last: 35, unit: 'hours', calendar: 0 }, true],
    [{ last: 36, unit: 'hours', calendar: true }, true],
    ['ever', true],
  ]) {
    assert.equal(holds(window), expected, JSON.stringify(window));
    assert.equal(checkedHolds(window), expected, JSON.stringify(window));
  }
});

test('the parser returns the condition it checked, for evaluate', () => {
  const condition = { did: { event: 'V', where: [{ name: 'p', op: 'exists' }] } };
  assert.equal(parseCondition(condition), condition);
  assert.equal(evaluate(condition, [{ name: 'V', time: 0, properties: { p: 1 } }], 1), true);
  assert.equal(evaluate(condition, [{ name: 'V', time: 0, properties: { q: 1 } }], 1), false);
});

test('a condition that no parser accepts answers false', () => {
  const events = [{ name: 'V', time: 0, properties: { p: 1 } }];
  for (const unreadable of [
    { not: { maybe: {} } },
    { not: { did: { event: 'V', window: { last: 1, unit: 'fortnights' } } } },
    { not: { sequence: { first: { event: 'V' }, then: { event: 'V' } } } },
    { not: { did: { event: 'V', where: [{ property: 'p', op: 'in', value: 'x' }] } } },
    { not: { did: { event: 'V', window: null } } },
  ]) {
    assert.equal(evaluate(unreadable, events, 1), false, JSON.stringify(unreadable));
  }
});
