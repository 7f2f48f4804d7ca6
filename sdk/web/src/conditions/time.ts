// Windows as instants: rolling windows are exact durations; calendar windows follow the site's
// clock in an IANA time zone, found with Intl.DateTimeFormat, and resolve local times as the
// server's java.time does (a local time in a gap moves forward by the gap; in an overlap the
// preferred offset wins, else the earlier instant).
import type { Unit, Window } from './parse';

const DAY_MS = 86400e3;
export const UNITS = ['minutes', 'hours', 'days', 'weeks'];
const UNIT_MS = [60e3, 3600e3, DAY_MS, 7 * DAY_MS];

/** The length of one unit in milliseconds (a day is 24 hours, a week 7 days). */
export function unitMs(unit: Unit): number {
  return UNIT_MS[UNITS.indexOf(unit)];
}

/** The zone's offset from UTC, in milliseconds, at an instant. */
export type Zone = (instant: number) => number;

/** UTC: no offset at any instant. */
export const utcZone: Zone = () => 0;

const zones = /* @__PURE__ */ new Map<string, Zone>();

/** The zone of an IANA name; an unknown name, or a browser without Intl zones, is UTC. */
export function zoneOf(name: string): Zone {
  let zone = zones.get(name);
  if (!zone) {
    zone = makeZone(name);
    if (zones.size < 50) zones.set(name, zone);
  }
  return zone;
}

function makeZone(name: string): Zone {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return () => 0;
  }
  return (instant) => {
    try {
      const at: Record<string, number> = {};
      for (const part of format.formatToParts(instant)) at[part.type] = +part.value;
      const local = new Date(0);
      local.setUTCFullYear(at.year, at.month - 1, at.day);
      local.setUTCHours(at.hour % 24, at.minute, at.second);
      const offset = local.getTime() - (instant - mod(instant, 1000));
      return offset === offset ? offset : 0;
    } catch {
      return 0;
    }
  };
}

/**
 * The instant of a local time (UTC epoch milliseconds read as the zone's clock), as java.time
 * resolves it: in an overlap the preferred offset if it is one of the two, else the earlier;
 * in a gap, the local time moved forward by the gap.
 */
export function instantOf(zone: Zone, local: number, preferred?: number): number {
  const before = zone(local - DAY_MS);
  const after = zone(local + DAY_MS);
  const beforeValid = zone(local - before) === before;
  const afterValid = zone(local - after) === after;
  if (beforeValid && afterValid && preferred === after) return local - after;
  return beforeValid || !afterValid ? local - before : local - after;
}

/** The first instant in the window, and the first after it (Infinity for open windows). */
export function windowBounds(window: Window, now: number, zone: Zone): [number, number] {
  if (window.kind === 'ever') return [-Infinity, Infinity];
  if (window.kind === 'between') {
    return [instantOf(zone, window.fromDay), instantOf(zone, window.toDay + DAY_MS)];
  }
  const { amount, unit } = window;
  const size = unitMs(unit);
  if (!window.calendar) return [now - amount * size, Infinity];
  const offset = zone(now);
  const local = now + offset;
  if (unit === 'minutes' || unit === 'hours') {
    return [instantOf(zone, local - mod(local, size), offset) - (amount - 1) * size, Infinity];
  }
  // Days and weeks move on the calendar from local midnight, as java.time does: each step
  // resolves its local time with the offset of the step before, and carries on from the
  // clock reading it resolved to (a midnight in a gap became the end of the gap).
  let day = local - mod(local, DAY_MS);
  let start = instantOf(zone, day, offset);
  if (unit === 'weeks') {
    day = start + zone(start);
    day -= mod(Math.floor(day / DAY_MS) + 3, 7) * DAY_MS; // 1970-01-01 was a Thursday
    start = instantOf(zone, day, zone(start));
  }
  return [instantOf(zone, start + zone(start) - (amount - 1) * size, zone(start)), Infinity];
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
