/**
 * Turns whatever a site passes as properties into a JSON object within the protocol's
 * limits, without ever throwing. The rules, also in the README ("Property values"):
 *
 * - strings longer than 8192 characters are cut to 8192;
 * - a number that is NaN or ±Infinity becomes null; a BigInt becomes its decimal string;
 * - an object with a toJSON method (a Date, for one) is replaced by what toJSON returns,
 *   so a Date becomes its ISO string, and an invalid Date null;
 * - undefined, functions and symbols are left out of objects and become null in arrays;
 * - a value that throws while it is read (a getter, a revoked proxy) is left out;
 * - an object met again inside itself becomes "[Circular]";
 * - the properties object is level 1; an object or array below level 5 becomes "[Truncated]";
 * - an object with more than 100 keys keeps its first 99, and "$truncatedKeys" holds how
 *   many were left out; an array keeps its first 100 items;
 * - keys longer than 200 characters are cut to 200;
 * - when the whole is still over 32 KiB as JSON, top-level keys are kept in order while they
 *   fit, and the others are counted in "$truncatedKeys";
 * - anything but a plain object or class instance as the properties themselves gives {}.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | Properties;
export type Properties = { [key: string]: JsonValue };

const TRUNCATED_KEYS = '$truncatedKeys';
const MAX_ENTRIES = 100;
const MAX_DEPTH = 5;
const MAX_STRING_CHARS = 8192;
const MAX_KEY_CHARS = 200;
const MAX_PROPERTIES_BYTES = 32 * 1024;
// JSON up to this long holds no string over MAX_STRING_CHARS, no key over MAX_KEY_CHARS and
// no more than MAX_ENTRIES keys.
const SHORT_JSON_CHARS = 200;
// Room kept for the "$truncatedKeys" entry when the top level is trimmed to size.
const TRUNCATION_NOTE_BYTES = 32;

/** A copy of input that follows the rules above, without the 32 KiB limit. */
export function sanitizeProperties(input: unknown): Properties {
  const properties = sanitize(input, 1, [], true);
  const usable = properties && typeof properties === 'object' && !Array.isArray(properties);
  return usable ? (properties as Properties) : Object.create(null);
}

/** input as JSON by the rules above, within the protocol's 32 KiB. Never throws. */
export function propertiesJson(input: unknown): string {
  const json = shortFlatJson(input);
  if (json) return json;
  const properties = sanitizeProperties(input);
  const whole = JSON.stringify(properties);
  return fitsLimit(whole) ? whole : JSON.stringify(trimToSize(properties));
}

// The usual properties, a few short strings, numbers and booleans, need no copy: the
// engine's own JSON.stringify applies the rules to them (NaN becomes null, undefined,
// functions and symbols are left out, a Date becomes its ISO string), and JSON this short
// with no nested object or array breaks no limit. Anything else, or anything that throws
// (a BigInt, a circular reference, a getter), takes the long way.
function shortFlatJson(input: unknown): string | false {
  try {
    if (!input || typeof input !== 'object' || Array.isArray(input)) return false;
    if (typeof (input as Properties).toJSON === 'function') return false;
    const json = JSON.stringify(input);
    const short = json.length <= SHORT_JSON_CHARS && json.indexOf('{', 1) < 0;
    return short && json.indexOf('[') < 0 && json;
  } catch {
    return false;
  }
}

function fitsLimit(json: string): boolean {
  // A UTF-16 unit takes at most 3 bytes of UTF-8, so short text needs no counting.
  return json.length * 3 <= MAX_PROPERTIES_BYTES || utf8Bytes(json) <= MAX_PROPERTIES_BYTES;
}

let encoder: TextEncoder | undefined;

/** The size of text once encoded as UTF-8. */
export function utf8Bytes(text: string): number {
  // Most text is ASCII, which a regular expression tells faster than an encoder.
  if (!/[^\0-\x7f]/.test(text)) return text.length;
  encoder = encoder || new TextEncoder();
  return encoder.encode(text).length;
}

function sanitize(
  value: unknown,
  depth: number,
  ancestors: object[],
  mayConvert: boolean,
): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
      return truncate(value, MAX_STRING_CHARS);
    case 'number':
      return isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      return value === null ? null : sanitizeObject(value, depth, ancestors, mayConvert);
    default:
      return undefined;
  }
}

function sanitizeObject(
  value: object,
  depth: number,
  ancestors: object[],
  mayConvert: boolean,
): JsonValue | undefined {
  if (ancestors.indexOf(value) >= 0) return '[Circular]';
  try {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    // What toJSON returns is not converted again, so a toJSON returning itself cannot loop.
    if (mayConvert && typeof toJSON === 'function') {
      return sanitize(toJSON.call(value), depth, ancestors, false);
    }
    if (depth > MAX_DEPTH) return '[Truncated]';
    ancestors.push(value);
    try {
      return Array.isArray(value)
        ? sanitizeArray(value, depth, ancestors)
        : sanitizeEntries(value, depth, ancestors);
    } finally {
      ancestors.pop();
    }
  } catch {
    return undefined;
  }
}

function sanitizeArray(items: unknown[], depth: number, ancestors: object[]): JsonValue[] {
  const copy: JsonValue[] = [];
  const count = Math.min(items.length, MAX_ENTRIES);
  for (let i = 0; i < count; i++) {
    const item = sanitize(items[i], depth + 1, ancestors, true);
    copy.push(item === undefined ? null : item);
  }
  return copy;
}

function sanitizeEntries(source: object, depth: number, ancestors: object[]): Properties {
  const copy: Properties = Object.create(null);
  const keys = Object.keys(source);
  // Over the limit, one place is kept for the count of what was left out.
  const keepCount = keys.length > MAX_ENTRIES ? MAX_ENTRIES - 1 : MAX_ENTRIES;
  let keptCount = 0;
  let leftOutCount = 0;
  for (const key of keys) {
    let item: JsonValue | undefined;
    try {
      item = sanitize((source as Record<string, unknown>)[key], depth + 1, ancestors, true);
    } catch {
      continue;
    }
    if (item === undefined) continue;
    if (keptCount < keepCount) {
      copy[truncate(key, MAX_KEY_CHARS)] = item;
      keptCount++;
    } else {
      leftOutCount++;
    }
  }
  if (leftOutCount) copy[TRUNCATED_KEYS] = leftOutCount;
  return copy;
}

// Leaves out of properties, a copy of our own, the top-level keys that do not fit.
function trimToSize(properties: Properties): Properties {
  let bytes = 2 + TRUNCATION_NOTE_BYTES;
  let leftOutCount = Number(properties[TRUNCATED_KEYS]) || 0;
  delete properties[TRUNCATED_KEYS];
  for (const key of Object.keys(properties)) {
    const entryBytes = utf8Bytes(JSON.stringify(key) + JSON.stringify(properties[key])) + 2;
    if (bytes + entryBytes <= MAX_PROPERTIES_BYTES) {
      bytes += entryBytes;
    } else {
      delete properties[key];
      leftOutCount++;
    }
  }
  properties[TRUNCATED_KEYS] = leftOutCount;
  return properties;
}

function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  // Never cut between the two halves of a surrogate pair.
  const last = text.charCodeAt(maxChars - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? maxChars - 1 : maxChars);
}
