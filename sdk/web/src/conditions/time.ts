// Windows as instants: rolling windows are exact durations; calendar windows follow the site's
// clock in an IANA time zone, found with Intl.DateTimeFormat, and resolve local times as the
// server's java.time does (a local time in a gap moves forward by the gap; in an overlap the
// preferred offset wins, else the earlier instant).
import { hasOwn, jsonText, parseDay } from './values';

const DAY_MS = 86400e3;
export const UNITS = ['minutes', 'hours', 'days', 'weeks'];
const UNIT_MS = [60e3, 3600e3, DAY_MS, 7 * DAY_MS];

/**
 * The length of one unit in milliseconds (a day is 24 hours, a week 7 days), the unit's name in
 * lower case (canonical.ts). Throws on a name that is not a unit.
 */
export function unitMs(unit: unknown): number {
  const ms = UNIT_MS[UNITS.indexOf(unit as string)];
  if (!ms) throw new Error('not a unit: ' + unit);
  return ms;
}

/**
 * A time zone, as windows need it: UTC (utcZone), or an IANA zone (zoneOf), whose offsets change
 * and whose calendar days may be 23 or 25 hours long.
 */
export interface Zone {
  /**
   * The instant of a local time (UTC epoch milliseconds read as the zone's clock), as java.time
   * resolves it: in an overlap the preferred offset if it is one of the two, else the earlier;
   * in a gap, the local time moved forward by the gap.
   */
  instant(local: number, preferred?: number): number;
  /**
   * The start of a calendar window of amount units of unitMs (a minute, an hour, a day or a
   * week) that ends with the one now is in: the current unit counts as the first.
   */
  calendarStart(now: number, amount: number, unitMs: number): number;
}

/** UTC: no offsets, so calendar units are plain multiples, and weeks start on Mondays. */
export const utcZone: Zone = {
  instant: (local) => local,
  calendarStart(now, amount, size) {
    let start = now - mod(now, Math.min(size, DAY_MS));
    // 1970-01-01 was a Thursday.
    if (size > DAY_MS) start -= mod(Math.floor(start / DAY_MS) + 3, 7) * DAY_MS;
    return start - (amount - 1) * size;
  },
};

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
    return utcZone;
  }

  // The zone's offset from UTC, in milliseconds, at an instant.
  const offsetAt = (instant: number) => {
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

  function instant(local: number, preferred?: number): number {
    const before = offsetAt(local - DAY_MS);
    const after = offsetAt(local + DAY_MS);
    const beforeValid = offsetAt(local - before) === before;
    const afterValid = offsetAt(local - after) === after;
    if (beforeValid && afterValid && preferred === after) return local - after;
    return beforeValid || !afterValid ? local - before : local - after;
  }

  return {
    instant,
    calendarStart(now, amount, size) {
      const offset = offsetAt(now);
      const local = now + offset;
      if (size < DAY_MS) return instant(local - mod(local, size), offset) - (amount - 1) * size;
      // Days and weeks move on the calendar from local midnight, as java.time does: each step
      // resolves its local time with the offset of the step before, and carries on from the
      // clock reading it resolved to (a midnight in a gap became the end of the gap).
      let day = local - mod(local, DAY_MS);
      let start = instant(day, offset);
      if (size > DAY_MS) {
        day = start + offsetAt(start);
        day -= mod(Math.floor(day / DAY_MS) + 3, 7) * DAY_MS; // 1970-01-01 was a Thursday
        start = instant(day, offsetAt(start));
      }
      return instant(start + offsetAt(start) - (amount - 1) * size, offsetAt(start));
    },
  };
}

/**
 * The first instant in the window, and the first after it (Infinity for open windows). The
 * window is the JSON form that the parser accepts, in the one spelling of canonical.ts: absent
 * or "ever", {last, unit, calendar}, or {from, to}.
 */
export function windowBounds(window: unknown, now: number, zone: Zone): [number, number] {
  if (typeof window !== 'object') return [-Infinity, Infinity];
  const node = window as Record<string, unknown>;
  if (!hasOwn(node, 'last')) {
    const fromDay = parseDay(jsonText(node.from));
    return [zone.instant(fromDay), zone.instant(parseDay(jsonText(node.to)) + DAY_MS)];
  }
  const amount = node.last as number;
  const size = unitMs(node.unit);
  // calendar is a boolean in the one spelling (canonical.ts).
  return [node.calendar ? zone.calendarStart(now, amount, size) : now - amount * size, Infinity];
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
