// How property values compare with a filter's value (docs/segments.md, "Types"): a value that
// cannot be compared matches nothing, for every operator including neq. Nothing here throws.
import type { Filter } from './parse';

const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const DAY = /^(\d{4})-(\d\d)-(\d\d)$/;
const TIME =
  /^(\d{4}-\d\d-\d\d)[Tt](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{0,9}))?)?(?:[Zz]|([+-])(\d\d)(?::(\d\d)(?::(\d\d))?)?)$/;

/** Whether object has a property of that name of its own, not one it inherits. */
export function hasOwn(object: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, name);
}

/** Whether the property's value passes the filter. */
export function passes(filter: Filter, value: unknown): boolean {
  const op = filter.op;
  if (filter.type === 'none') return (value != null) === (op === 'exists');
  const want = filter.value;
  const have =
    filter.type === 'number'
      ? asNumber(value)
      : filter.type === 'boolean'
        ? asBoolean(value)
        : filter.type === 'date'
          ? typeof value === 'string'
            ? parseInstant(value)
            : NaN
          : asText(value);
  if (have === undefined || have !== have) return false;
  if (op === 'in') return (want as string[]).indexOf(have as string) >= 0;
  if (op === 'contains') return (have as string).indexOf(want as string) >= 0;
  if (op === 'startsWith') return (have as string).lastIndexOf(want as string, 0) === 0;
  const order =
    filter.type === 'text'
      ? compareCodePoints(have as string, want as string)
      : have < want!
        ? -1
        : have > want!
          ? 1
          : 0;
  return op === 'eq'
    ? order === 0
    : op === 'neq'
      ? order !== 0
      : op === 'gt'
        ? order > 0
        : op === 'gte'
          ? order >= 0
          : op === 'lt'
            ? order < 0
            : order <= 0;
}

/** Strings as they are; numbers and booleans by their JSON text; anything else undefined. */
export function asText(value: unknown): string | undefined {
  return typeof value === 'string'
    ? value
    : typeof value === 'boolean' || (typeof value === 'number' && isFinite(value))
      ? String(value)
      : undefined;
}

/** JSON numbers and strings that read as a decimal number ("10", " 1.5e3 "). */
function asNumber(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && NUMBER.test(value)
        ? +value
        : NaN;
  return isFinite(n) ? n : undefined;
}

/** true and false, and the strings "true" and "false" in any case. */
function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const lower = typeof value === 'string' ? value.toLowerCase() : '';
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

/**
 * Orders two strings by Unicode code point, as UTF-8 bytes order (the server's DuckDB) and
 * unlike JavaScript's <, which orders UTF-16 code units: U+FF5E is below U+1F600.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (U+D800 to U+DFFF) above the rest of the BMP, where their code points are. */
function codePointRank(unit: number): number {
  return unit < 0xd800 ? unit : unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/** A day such as 2026-03-01 as the epoch milliseconds of its UTC midnight, or NaN. */
export function parseDay(text: string): number {
  const m = DAY.exec(text);
  if (!m) return NaN;
  const date = new Date(0);
  date.setUTCFullYear(+m[1], +m[2] - 1, +m[3]);
  return date.getUTCMonth() === +m[2] - 1 && date.getUTCDate() === +m[3] ? date.getTime() : NaN;
}

/**
 * A date as the server reads one, in epoch milliseconds, or NaN: a day (midnight UTC), or an
 * ISO-8601 time with seconds and fraction optional and an offset (Z, ±hh, ±hh:mm or
 * ±hh:mm:ss), read as java.time's OffsetDateTime.parse reads it.
 */
export function parseInstant(text: string): number {
  if (text.length === 10) return parseDay(text);
  const m = TIME.exec(text);
  if (!m) return NaN;
  const hour = +m[2];
  const minute = +m[3];
  const second = +(m[4] || 0);
  const offset = (+(m[7] || 0) * 3600 + +(m[8] || 0) * 60 + +(m[9] || 0)) * 1000;
  if (hour > 23 || minute > 59 || second > 59 || +(m[8] || 0) > 59 || +(m[9] || 0) > 59) {
    return NaN;
  }
  if (offset > 18 * 3600e3) return NaN;
  const fraction = +((m[5] || '') + '00').slice(0, 3);
  return (
    parseDay(m[1]) +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    fraction -
    (m[6] === '-' ? -offset : offset)
  );
}

/** Whether a page path matches a pattern in which * is any text and all else is literal. */
export function globMatches(pattern: string, path: string): boolean {
  const parts = pattern.split('*');
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (parts.length === 1) return pattern === path;
  let at = first.length;
  const end = path.length - last.length;
  if (end < at || path.lastIndexOf(first, 0) !== 0 || path.indexOf(last, end) !== end) {
    return false;
  }
  for (let i = 1; i < parts.length - 1; i++) {
    const found = path.indexOf(parts[i], at);
    if (found < 0 || found + parts[i].length > end) return false;
    at = found + parts[i].length;
  }
  return true;
}
