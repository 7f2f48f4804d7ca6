// Frequency caps: in all, per session, per day, cool-down, after dismissal, after the goal, and
// the minimum gap; held in storage shared by tabs, in memory when storage fails.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCapStore, fakeStorage } from './nudges-modules.mjs';

const KEY = 'beckon:site-1:nudges';
const HOUR_MS = 3_600_000;
const NO_RULES = {};

function stores(count = 1) {
  const clock = { nowMs: Date.parse('2026-12-04T10:00:00') };
  const storage = fakeStorage();
  const tabs = Array.from({ length: count }, () => createCapStore(storage, KEY, () => clock.nowMs));
  return { clock, storage, tabs };
}

test('a total cap holds across tabs that share storage', () => {
  const { tabs } = stores(2);

  tabs[0].shown('a', 's-1');

  assert.equal(tabs[1].check('a', { total: 1 }, NO_RULES, 's-2'), 'capped');
  assert.equal(tabs[1].check('a', { total: 2 }, NO_RULES, 's-2'), undefined);
  assert.equal(tabs[1].check('other', { total: 1 }, NO_RULES, 's-2'), undefined);
});

test('a per-session cap counts the session only', () => {
  const [tab] = stores().tabs;

  tab.shown('a', 's-1');

  assert.equal(tab.check('a', { perSession: 1 }, NO_RULES, 's-1'), 'capped');
  assert.equal(tab.check('a', { perSession: 1 }, NO_RULES, 's-2'), undefined);
});

test('a per-day cap counts the local day', () => {
  const { clock, tabs } = stores();

  tabs[0].shown('a', 's-1');
  assert.equal(tabs[0].check('a', { perDay: 1 }, NO_RULES, 's-1'), 'capped');
  clock.nowMs += 24 * HOUR_MS;

  assert.equal(tabs[0].check('a', { perDay: 1 }, NO_RULES, 's-1'), undefined);
});

test('a cool-down and the minimum gap count from the last impression', () => {
  const { clock, tabs } = stores();
  tabs[0].shown('a', 's-1');

  clock.nowMs += HOUR_MS - 1;
  assert.equal(tabs[0].check('a', { cooldownSeconds: 3600 }, NO_RULES, 's-1'), 'cooldown');
  assert.equal(tabs[0].check('b', {}, { minGapSeconds: 3600 }, 's-1'), 'min_gap');
  clock.nowMs += 1;

  assert.equal(tabs[0].check('a', { cooldownSeconds: 3600 }, NO_RULES, 's-1'), undefined);
  assert.equal(tabs[0].check('b', {}, { minGapSeconds: 3600 }, 's-1'), undefined);
});

test('a dismissal and a goal stop the campaign only when its caps say so', () => {
  const { clock, tabs } = stores();
  const [tab] = tabs;

  tab.markDismissed('a');
  tab.shown('b', 's-1');
  assert.equal(tab.countGoal('b', clock.nowMs, HOUR_MS), true);

  assert.equal(tab.check('a', { stopAfterDismiss: true }, NO_RULES, 's-1'), 'dismissed_before');
  assert.equal(tab.check('a', {}, NO_RULES, 's-1'), undefined);
  assert.equal(tab.check('b', { stopAfterGoal: true }, NO_RULES, 's-1'), 'goal_reached');
  assert.equal(tab.check('b', {}, NO_RULES, 's-1'), undefined);
});

test('caps that are not positive numbers do not apply', () => {
  const [tab] = stores().tabs;

  tab.shown('a', 's-1');

  assert.equal(
    tab.check('a', { total: 0, perSession: -1, perDay: 'x' }, NO_RULES, 's-1'),
    undefined,
  );
});

test('when storage fails, caps hold in memory for the page', () => {
  const { storage, tabs } = stores();
  storage.throwing = true;

  tabs[0].shown('a', 's-1');

  assert.equal(tabs[0].check('a', { total: 1 }, NO_RULES, 's-1'), 'capped');
});

test('a damaged record starts afresh', () => {
  const { storage, tabs } = stores();
  storage.setItem(KEY, '{not json');

  assert.equal(tabs[0].check('a', { total: 1 }, NO_RULES, 's-1'), undefined);
  tabs[0].shown('a', 's-1');
  assert.equal(tabs[0].check('a', { total: 1 }, NO_RULES, 's-1'), 'capped');
});

test('the fatigue budget counts the impressions of all campaigns per local day and per 7 days', () => {
  const { clock, tabs } = stores();
  const rules = { fatigue: { perDay: 2, perWeek: 3 } };
  tabs[0].shown('a', 's-1');
  tabs[0].shown('b', 's-1');

  assert.equal(tabs[0].check('c', {}, rules, 's-1'), 'capped');
  clock.nowMs += 24 * HOUR_MS;
  assert.equal(tabs[0].check('c', {}, rules, 's-1'), undefined);
  tabs[0].shown('c', 's-1');
  assert.equal(tabs[0].check('d', {}, rules, 's-1'), 'capped');
  clock.nowMs += 6 * 24 * HOUR_MS;

  assert.equal(tabs[0].check('d', {}, rules, 's-1'), undefined);
});

test('a goal counts within its window after an impression, once per impression', () => {
  const { clock, tabs } = stores(2);

  assert.equal(tabs[0].countGoal('a', clock.nowMs, HOUR_MS), false, 'never shown');
  tabs[0].shown('a', 's-1');
  assert.equal(tabs[0].countGoal('a', clock.nowMs - 1, HOUR_MS), false, 'before the impression');
  assert.equal(
    tabs[0].countGoal('a', clock.nowMs + HOUR_MS + 1, HOUR_MS),
    false,
    'after the window',
  );
  assert.equal(tabs[0].countGoal('a', clock.nowMs + HOUR_MS, HOUR_MS), true);
  clock.nowMs += HOUR_MS;
  assert.equal(tabs[1].countGoal('a', clock.nowMs, HOUR_MS), false, 'counted in the other tab');
  clock.nowMs += 1;
  tabs[1].shown('a', 's-1');
  assert.equal(tabs[0].countGoal('a', clock.nowMs, HOUR_MS), true, 'a new impression');
});

test('quiet hours hold on the visitor clock, past midnight too, before any cap', () => {
  const { clock, tabs } = stores();
  const at = (hhmm) => (clock.nowMs = Date.parse('2026-12-04T' + hhmm + ':00'));
  const evening = { quietHours: { from: '22:00', to: '07:30' } };
  const lunch = { quietHours: { from: '12:00', to: '13:00' } };

  const seen = ['21:59', '22:00', '03:00', '07:29', '07:30'].map((hhmm) => {
    at(hhmm);
    return tabs[0].check('a', { total: 0 }, evening, 's-1');
  });
  at('12:30');
  tabs[0].shown('a', 's-1');

  assert.deepEqual(seen, [undefined, 'quiet_hours', 'quiet_hours', 'quiet_hours', undefined]);
  assert.equal(tabs[0].check('a', { total: 1 }, lunch, 's-1'), 'quiet_hours');
  at('13:00');
  assert.equal(tabs[0].check('a', { total: 1 }, lunch, 's-1'), 'capped');
  assert.equal(
    tabs[0].check('a', {}, { quietHours: { from: '25:00', to: '1' } }, 's-1'),
    undefined,
  );
  assert.equal(tabs[0].check('a', {}, { quietHours: null }, 's-1'), undefined);
});
