/*
 * Compares the events that reached the server with the events that a test expects, in a way
 * that gives readable failures.
 *
 * An expectation is { name, properties, exact }: with `exact` the event's properties must
 * equal `properties`; without it they must contain them (a page view also carries a title
 * and a referrer, which the test does not pin down).
 *
 * Order is judged by clientTime, which has millisecond resolution: events logged within the
 * same millisecond have no order between them, so a run of equal clientTimes may match the
 * corresponding run of expectations in any order.
 */
import { isDeepStrictEqual } from 'node:util';

export function expectation(name, properties = {}, { exact = true } = {}) {
  return { name, properties, exact };
}

export function matches(event, expected) {
  if (event.name !== expected.name) {
    return false;
  }
  const actual = event.properties ?? {};
  if (expected.exact) {
    return isDeepStrictEqual(actual, expected.properties);
  }
  return Object.entries(expected.properties).every(([key, value]) =>
    isDeepStrictEqual(actual[key], value),
  );
}

export function describeEvent(event) {
  return `${event.name} ${JSON.stringify(event.properties ?? {})}`;
}

/**
 * Pairs each expectation with one distinct event, ignoring order. Returns the expectations
 * that found no event (`missing`) and the events that no expectation claimed (`unexpected`).
 */
export function pairEvents(events, expectations) {
  const unclaimed = [...events];
  const missing = [];
  for (const expected of expectations) {
    const index = unclaimed.findIndex((event) => matches(event, expected));
    if (index === -1) {
      missing.push(expected);
    } else {
      unclaimed.splice(index, 1);
    }
  }
  return { missing, unexpected: unclaimed };
}

/** An event's clientTime as epoch milliseconds; the admin API may list it as ISO-8601 text. */
export function clientTimeMs(event) {
  const { clientTime } = event;
  const ms = typeof clientTime === 'number' ? clientTime : Date.parse(clientTime);
  if (!Number.isFinite(ms)) {
    throw new Error(`${describeEvent(event)} has no usable clientTime: ${clientTime}`);
  }
  return ms;
}

export function byClientTime(events) {
  return [...events].sort((a, b) => clientTimeMs(a) - clientTimeMs(b));
}

/**
 * Checks that events, sorted by clientTime, follow the expectations' order. Returns null
 * when they do, or a message naming the first place where they do not.
 */
export function orderProblem(events, expectations) {
  const sorted = byClientTime(events);
  let position = 0;
  while (position < sorted.length) {
    const runEnd = endOfRun(sorted, position);
    const run = sorted.slice(position, runEnd);
    const expectedRun = expectations.slice(position, runEnd);
    const { missing, unexpected } = pairEvents(run, expectedRun);
    if (missing.length > 0 || unexpected.length > 0) {
      return (
        `at position ${position} (clientTime ${sorted[position].clientTime}) ` +
        `expected ${expectedRun.map(describeEvent).join(' | ') || 'nothing'} ` +
        `but found ${run.map(describeEvent).join(' | ')}`
      );
    }
    position = runEnd;
  }
  return null;
}

function endOfRun(sorted, start) {
  let end = start + 1;
  while (end < sorted.length && clientTimeMs(sorted[end]) === clientTimeMs(sorted[start])) {
    end += 1;
  }
  return end;
}
