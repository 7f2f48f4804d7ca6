// Decides whether a condition holds for one person, from that person's events alone: what the
// server's segment engine decides for the person, without the network.
import { type Condition, type EventMatch, type Filter, type Window } from './parse';
import { windowBounds, zoneOf, type Zone } from './time';
import { asText, globMatches, hasOwn, passes } from './values';

/** One of the person's events. time is epoch milliseconds or an ISO-8601 text. */
export interface ConditionEvent {
  name: string;
  time: number | string;
  properties?: object | null;
  sessionId?: string | null;
}

interface Seen {
  name: string;
  time: number;
  properties: Record<string, unknown>;
  session: unknown;
}

interface Context {
  events: Seen[];
  now: number;
  zone: Zone;
  inCohort: (cohort: string) => boolean;
}

/**
 * Whether the condition holds for the person whose events these are, at now (epoch
 * milliseconds), with calendar windows in the IANA time zone (default UTC; an unknown zone is
 * UTC). The person is taken to be one of "everyone": not, didNot and atMost hold for them when
 * no event matches. inCohort answers for imported cohorts, which only the server knows; without
 * it no one is in a cohort. Never throws: events that are not objects or lack a name or a valid
 * time are skipped, and anything unforeseen answers false.
 */
export function evaluate(
  condition: Condition,
  events: readonly ConditionEvent[],
  now: number,
  timeZone?: string,
  inCohort?: (cohort: string) => boolean,
): boolean {
  try {
    const zone = zoneOf(typeof timeZone === 'string' ? timeZone : 'UTC');
    return evaluateInZone(condition, events, now, zone, inCohort);
  } catch {
    return false;
  }
}

/**
 * evaluate with the time zone given as its offset function, such as utcZone. Callers that
 * only decide in UTC (the nudges plugin) use it, so that the IANA zone code stays out of
 * their bundle. Never throws, as evaluate.
 */
export function evaluateInZone(
  condition: Condition,
  events: readonly ConditionEvent[],
  now: number,
  zone: Zone,
  inCohort?: (cohort: string) => boolean,
): boolean {
  try {
    const seen: Seen[] = [];
    for (const event of Array.isArray(events) ? events : []) {
      if (event === null || typeof event !== 'object' || typeof event.name !== 'string') continue;
      const time = typeof event.time === 'string' ? Date.parse(event.time) : event.time;
      if (typeof time !== 'number' || !isFinite(time)) continue;
      const properties = event.properties;
      seen.push({
        name: event.name,
        time,
        properties:
          properties !== null && typeof properties === 'object' && !Array.isArray(properties)
            ? (properties as Record<string, unknown>)
            : {},
        session: event.sessionId,
      });
    }
    return holds(condition, { events: seen, now, zone, inCohort: inCohort || (() => false) });
  } catch {
    return false;
  }
}

function holds(condition: Condition, context: Context): boolean {
  switch (condition.kind) {
    case 'all':
      return condition.of.every((child) => holds(child, context));
    case 'any':
      return condition.of.some((child) => holds(child, context));
    case 'not':
      return !holds(condition.of, context);
    case 'userProperty':
      return latestPasses(condition.filter, '$user_properties', { kind: 'ever' }, context, false);
    case 'sessionProperty':
      return latestPasses(condition.filter, '$session_properties', condition.window, context, true);
    case 'did': {
      const n = matching(condition.event, condition.window, context).length;
      const { compare, n: bound } = condition.count;
      return compare === 'atLeast' ? n >= bound : compare === 'atMost' ? n <= bound : n === bound;
    }
    case 'sequence': {
      const firsts = matching(condition.first, condition.window, context).sort((a, b) => a - b);
      return matching(condition.then, condition.window, context).some((then) => {
        // The latest first strictly before then decides.
        let low = 0;
        let high = firsts.length;
        while (low < high) {
          const middle = (low + high) >> 1;
          if (firsts[middle] < then) low = middle + 1;
          else high = middle;
        }
        return low > 0 && then - firsts[low - 1] <= condition.withinMs;
      });
    }
    case 'visited': {
      const [start, end] = windowBounds(condition.window, context.now, context.zone);
      return context.events.some((event) => {
        if (event.name !== '$page_view' || !(event.time >= start && event.time < end)) return false;
        const path = asText(property(event, 'path'));
        return path !== undefined && globMatches(condition.path, path);
      });
    }
    case 'inCohort':
      return context.inCohort(condition.cohort) === true;
  }
  return false;
}

/** The times of the events of that name in the window whose properties pass every filter. */
function matching(match: EventMatch, window: Window, context: Context): number[] {
  const [start, end] = windowBounds(window, context.now, context.zone);
  const times: number[] = [];
  for (const event of context.events) {
    if (
      event.name === match.name &&
      event.time >= start &&
      event.time < end &&
      match.where.every((filter) => passes(filter, property(event, filter.property)))
    ) {
      times.push(event.time);
    }
  }
  return times;
}

/**
 * The property's latest value (by event time; the later event wins a tie) among the events of
 * that name that have it, null included; per session for session properties. notExists holds
 * when no latest value exists, as on the server.
 */
function latestPasses(
  filter: Filter,
  name: string,
  window: Window,
  context: Context,
  perSession: boolean,
): boolean {
  const [start, end] = windowBounds(window, context.now, context.zone);
  const latest = new Map<unknown, Seen>();
  for (const event of context.events) {
    if (event.name !== name || event.time < start || event.time >= end) continue;
    if (!hasOwn(event.properties, filter.property)) continue;
    const key = perSession ? event.session : 0;
    const before = latest.get(key);
    if (!before || event.time >= before.time) latest.set(key, event);
  }
  const values: unknown[] = [];
  latest.forEach((event) => values.push(property(event, filter.property)));
  if (filter.op === 'notExists') return !values.some((value) => value != null);
  return values.some((value) => passes(filter, value));
}

function property(event: Seen, name: string): unknown {
  return hasOwn(event.properties, name) ? event.properties[name] : undefined;
}
