// Decides whether a condition holds for one person, from that person's events alone: what the
// server's segment engine decides for the person, without the network.
//
// It reads the condition in its JSON form, as the server stores and sends it. evaluate() takes
// every spelling the parser allows (name for property, unit names in any case, calendar as the
// server reads it) and writes it in one spelling first (canonical.ts); evaluateInZone reads only
// that spelling, the one the server's config sends, so that the nudges plugin needs neither the
// parser nor a reader of other spellings. Neither checks the condition: on one that the parser
// refuses they answer false, or whatever the unchecked reading gives.
import { canonical } from './canonical';
import type { Condition } from './parse';
import { unitMs, windowBounds, zoneOf, type Zone } from './time';
import { asText, globMatches, hasOwn, passes } from './values';

/** One of the person's events. time is epoch milliseconds or an ISO-8601 text. */
export interface ConditionEvent {
  name: string;
  time: number | string;
  properties?: object | null;
  sessionId?: string | null;
}

/**
 * An event as evaluateInZone takes it: a name, the time in epoch milliseconds, the properties as
 * an object, and the session for session properties.
 */
export interface Seen {
  name: string;
  time: number;
  properties: Record<string, unknown>;
  sessionId?: unknown;
}

interface Context {
  seen: readonly Seen[];
  nowMs: number;
  zone: Zone;
  inCohort: (cohort: string) => boolean;
}

type Json = Record<string, any>;

/**
 * Whether the condition holds for the person whose events these are, at now (epoch
 * milliseconds), with calendar windows in the IANA time zone (default UTC; an unknown zone is
 * UTC). The person is taken to be one of "everyone": not, didNot and atMost hold for them when
 * no event matches. inCohort answers for imported cohorts, which only the server knows; without
 * it no one is in a cohort. Never throws: events that are not objects or lack a name or a valid
 * time are skipped, and anything unforeseen, such as a condition that cannot be read, answers
 * false.
 */
export function evaluate(
  condition: Condition,
  events: readonly ConditionEvent[],
  now: number,
  timeZone?: string,
  inCohort?: (cohort: string) => boolean,
): boolean {
  try {
    const seen: Seen[] = [];
    for (const event of Array.isArray(events) ? events : []) {
      // Not an object, or no name: no time either.
      const time = event && typeof event.name === 'string' ? event.time : NaN;
      const ms = typeof time === 'string' ? Date.parse(time) : time;
      const properties = event && event.properties;
      if (typeof ms === 'number' && isFinite(ms)) {
        seen.push({
          name: event.name,
          time: ms,
          properties:
            properties && typeof properties === 'object' && !Array.isArray(properties)
              ? (properties as Record<string, unknown>)
              : {},
          sessionId: event.sessionId,
        });
      }
    }
    const zone = zoneOf(typeof timeZone === 'string' ? timeZone : 'UTC');
    return evaluateInZone(canonical(condition) as Condition, seen, now, zone, inCohort);
  } catch {
    return false;
  }
}

/**
 * evaluate over a condition in the one spelling of canonical.ts (the server's config sends that
 * spelling) and events already in the form it reads (Seen: times in epoch milliseconds,
 * properties objects), neither of which it checks, with the time zone given as a Zone, such as
 * utcZone. The nudges plugin uses it: its events are its own and the server's, in that form, and
 * it decides in UTC, so that neither the checks of odd events nor the IANA zone code are in its
 * bundle. Unlike evaluate, it throws on a condition it cannot read (an unknown kind, a unit that
 * is not one), so that the caller can say why.
 */
export function evaluateInZone(
  condition: Condition,
  seen: readonly Seen[],
  now: number,
  zone: Zone,
  inCohort?: (cohort: string) => boolean,
): boolean {
  return holds(condition, { seen, nowMs: now, zone, inCohort: inCohort || (() => false) });
}

function holds(condition: Json, context: Context): boolean {
  const kind = Object.keys(condition)[0];
  const body = condition[kind];
  switch (kind) {
    case 'all':
      return body.every((child: Json) => holds(child, context));
    case 'any':
      return body.some((child: Json) => holds(child, context));
    case 'not':
      return !holds(body, context);
    case 'userProperty':
      return latestPasses(body, '$user_properties', undefined, context);
    case 'sessionProperty':
      return latestPasses(body, '$session_properties', body.window, context);
    case 'did':
    case 'didNot': {
      const count = kind === 'didNot' ? { exactly: 0 } : body.count || { atLeast: 1 };
      const compare = Object.keys(count)[0];
      const bound = count[compare];
      const n = times(body, body.window, context).length;
      return compare === 'atLeast' ? n >= bound : compare === 'atMost' ? n <= bound : n === bound;
    }
    case 'sequence': {
      // A then strictly after a first, and at most within after it.
      const withinMs = body.within.amount * unitMs(body.within.unit);
      const firsts = times(body.first, body.window, context);
      return times(body.then, body.window, context).some((then) =>
        firsts.some((first) => first < then && then - first <= withinMs),
      );
    }
    case 'visited':
      return inWindow('$page_view', body.window, context).some((event) => {
        const path = asText(hasOwn(event.properties, 'path') ? event.properties.path : undefined);
        return path !== undefined && globMatches(body.path, path);
      });
    case 'inCohort':
      return context.inCohort(body) === true;
  }
  throw new Error('not a condition: ' + kind);
}

/** The person's events of that name in the window. */
function inWindow(name: unknown, window: unknown, context: Context): Seen[] {
  const [start, end] = windowBounds(window, context.nowMs, context.zone);
  return context.seen.filter(
    (event) => event.name === name && event.time >= start && event.time < end,
  );
}

/** The times of the events of match in the window whose properties pass every filter. */
function times(match: Json, window: unknown, context: Context): number[] {
  const where: Json[] = match.where || [];
  return inWindow(match.event, window, context)
    .filter((event) => where.every((filter) => passes(filter, event.properties)))
    .map((event) => event.time);
}

/**
 * Whether the filter passes for the property's latest value (by event time; the later event
 * wins a tie) among the events of that name that have it, null included; per session for
 * session properties, where any session's passing is enough. notExists holds when no latest
 * value exists, as on the server.
 */
function latestPasses(filter: Json, name: string, window: unknown, context: Context): boolean {
  const property = filter.property;
  const latest = new Map<unknown, Seen>();
  for (const event of inWindow(name, window, context)) {
    if (!hasOwn(event.properties, property)) continue;
    const key = name === '$session_properties' ? event.sessionId : 0;
    const before = latest.get(key);
    if (!before || event.time >= before.time) latest.set(key, event);
  }
  const values = Array.from(latest.values());
  const pass = (event: Seen) => passes(filter, event.properties);
  return filter.op === 'notExists' ? values.every(pass) : values.some(pass);
}
