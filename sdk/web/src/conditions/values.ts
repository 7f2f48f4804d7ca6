// How property values compare with a filter's value (docs/segments.md, "Types"): a value that
// cannot be compared matches nothing, for every operator including neq. Only passes throws, on
// a filter that the parser refuses.

type Json = Record<string, any>;

const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const DAY = /^(\d{4})-(\d\d)-(\d\d)$/;
const TIME =
  /^(\d{4}-\d\d-\d\d)t([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{0,9}))?)?(?:z|([+-])(\d\d)(?::([0-5]\d)(?::([0-5]\d))?)?)$/i;

/** Whether object has a property of that name of its own, not one it inherits. */
export function hasOwn(object: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, name);
}

/**
 * Whether the filter passes for the event's properties, the filter in the one spelling of
 * canonical.ts (property, never name). Throws on a filter that no parser accepts, such as "in"
 * without a list.
 */
export function passes(filter: Json, properties: object): boolean {
  const op = filter.op;
  const name = filter.property;
  const value = hasOwn(properties, name) ? (properties as Json)[name] : undefined;
  if (op === 'exists' || op === 'notExists') return (value != null) === (op === 'exists');
  let want = filter.value;
  let have: unknown;
  if (op === 'in') {
    want = want.map(jsonText);
    have = asText(value);
  } else if (filter.type === 'date') {
    want = parseInstant(jsonText(want));
    have = typeof value === 'string' ? parseInstant(value) : NaN;
  } else {
    have =
      typeof want === 'string'
        ? asText(value)
        : typeof want === 'number'
          ? asNumber(value)
          : asBoolean(value);
  }
  if (have === undefined || have !== have) return false;
  if (op === 'in') return want.indexOf(have) >= 0;
  if (op === 'contains') return (have as string).includes(want);
  if (op === 'startsWith') return (have as string).startsWith(want);
  const order =
    typeof want === 'string'
      ? compareCodePoints(have as string, want)
      : (have as number) < want
        ? -1
        : (have as number) > want
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

/** A JSON value as the server's asText() reads it: objects and lists are "". */
export function jsonText(node: unknown): string {
  return typeof node === 'object' && node !== null ? '' : String(node);
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
  // Without a match, m[1] is no day, and the answer NaN.
  const m = TIME.exec(text) || [];
  const offsetSeconds = ((+m[7] || 0) * 60 + (+m[8] || 0)) * 60 + (+m[9] || 0);
  if (offsetSeconds > 18 * 3600) return NaN;
  const seconds = (+m[2] * 60 + +m[3]) * 60 + (+m[4] || 0);
  return (
    parseDay(m[1]) +
    (seconds - (m[6] === '-' ? -offsetSeconds : offsetSeconds)) * 1000 +
    +((m[5] || '') + '00').slice(0, 3)
  );
}

/** Whether a page path matches a pattern in which * is any text and all else is literal. */
export function globMatches(pattern: string, path: string): boolean {
  const parts = pattern.split('*');
  const last = parts.pop() as string;
  if (!parts.length) return pattern === path;
  // Each part at its first place after the one before: the first at the start, the last at
  // the end, after all of them.
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const found = path.indexOf(parts[i], at);
    if (found < 0 || (!i && found)) return false;
    at = found + parts[i].length;
  }
  return path.length - last.length >= at && path.endsWith(last);
}
