// Reads the JSON form of a segment condition (docs/segments.md) into a Condition, with the
// same rules and the same path-named messages as the server's ConditionParser.
import { UNITS, unitMs } from './time';
import { parseDay, parseInstant } from './values';

/** A checked condition, ready for evaluate(). */
export type Condition =
  | { kind: 'all' | 'any'; of: Condition[] }
  | { kind: 'not'; of: Condition }
  | { kind: 'userProperty'; filter: Filter }
  | { kind: 'sessionProperty'; filter: Filter; window: Window }
  | { kind: 'did'; event: EventMatch; count: Count; window: Window }
  | { kind: 'sequence'; first: EventMatch; then: EventMatch; withinMs: number; window: Window }
  | { kind: 'visited'; path: string; window: Window }
  | { kind: 'inCohort'; cohort: string };

export interface EventMatch {
  name: string;
  where: Filter[];
}

/** "atLeast", "atMost" or "exactly" n matching events; didNot is exactly 0. */
export interface Count {
  compare: 'atLeast' | 'atMost' | 'exactly';
  n: number;
}

export type Operator =
  | 'eq'
  | 'neq'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'contains'
  | 'startsWith'
  | 'in'
  | 'exists'
  | 'notExists';

/**
 * A test of one top-level property. type says how the property's value is read: as text, as
 * a number, as a boolean, as a date (epoch milliseconds), as text for "in", or not at all.
 */
export type Filter = { property: string; op: Operator } & (
  | { type: 'text'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'date'; value: number }
  | { type: 'in'; value: string[] }
  | { type: 'none'; value?: undefined }
);

export type Unit = 'minutes' | 'hours' | 'days' | 'weeks';

/** Days are the UTC epoch milliseconds of that calendar day's midnight, read in the zone. */
export type Window =
  | { kind: 'ever' }
  | { kind: 'last'; amount: number; unit: Unit; calendar: boolean }
  | { kind: 'between'; fromDay: number; toDay: number };

/** What parseCondition throws: message is "<path>: <problem>". */
export interface ConditionError extends Error {
  path: string;
  problem: string;
}

export const MAX_DEPTH = 10;
export const MAX_CONDITIONS = 100;
export const MAX_TEXT_LENGTH = 500;
export const MAX_LIST_SIZE = 1000;

const KINDS =
  'all, any, not, userProperty, sessionProperty, did, didNot, sequence, visited, inCohort';
const OPERATORS = [
  'contains',
  'eq',
  'exists',
  'gt',
  'gte',
  'in',
  'lt',
  'lte',
  'neq',
  'notExists',
  'startsWith',
];

/**
 * Checks a condition in its JSON form (parsed JSON, not text) and returns it ready for
 * evaluate(). Throws a ConditionError naming the first wrong part, as the server does.
 */
export function parseCondition(json: unknown): Condition {
  let conditions = 0;

  function condition(node: unknown, path: string, depth: number): Condition {
    if (depth > MAX_DEPTH) fail(path, 'nested deeper than ' + MAX_DEPTH + ' levels');
    if (++conditions > MAX_CONDITIONS) {
      fail(path, 'a segment may have at most ' + MAX_CONDITIONS + ' conditions');
    }
    if (!isObject(node) || Object.keys(node).length !== 1) {
      fail(path, 'must be an object with exactly one of ' + KINDS);
    }
    const kind = Object.keys(node)[0];
    const body = node[kind];
    const at = path + '.' + kind;
    switch (kind) {
      case 'all':
      case 'any':
        return { kind, of: list(body, at, depth) };
      case 'not':
        return { kind, of: condition(body, at, depth + 1) };
      case 'userProperty':
        return { kind, filter: filter(object(body, at), at) };
      case 'sessionProperty': {
        const checked = object(body, at);
        return { kind, filter: filter(checked, at), window: window(checked, at) };
      }
      case 'did':
      case 'didNot':
        return behaviour(object(body, at), at, kind === 'didNot');
      case 'sequence':
        return sequence(object(body, at), at);
      case 'visited': {
        const checked = object(body, at);
        return { kind, path: text(checked, 'path', at), window: window(checked, at) };
      }
      case 'inCohort':
        return { kind, cohort: nonEmptyText(body, at) };
    }
    return fail(path, "'" + truncate(kind) + "' is not a kind of condition");
  }

  function list(body: unknown, path: string, depth: number): Condition[] {
    if (!Array.isArray(body)) fail(path, 'must be a list of conditions');
    return body.map((child, i) => condition(child, path + '[' + i + ']', depth + 1));
  }

  return condition(json, 'condition', 1);
}

function behaviour(body: Json, path: string, didNot: boolean): Condition {
  const event = eventMatch(body, path);
  const span = window(body, path);
  if (didNot && own(body, 'count')) {
    fail(path + '.count', 'didNot takes no count; use did with atMost');
  }
  const count: Count = didNot
    ? { compare: 'exactly', n: 0 }
    : readCount(get(body, 'count'), path + '.count');
  return { kind: 'did', event, count, window: span };
}

function sequence(body: Json, path: string): Condition {
  const first = eventMatch(object(get(body, 'first'), path + '.first'), path + '.first');
  const then = eventMatch(object(get(body, 'then'), path + '.then'), path + '.then');
  const within = object(get(body, 'within'), path + '.within');
  const amount = wholeNumber(get(within, 'amount'), path + '.within.amount', 1);
  const withinMs = amount * unitMs(unit(get(within, 'unit'), path + '.within.unit'));
  return { kind: 'sequence', first, then, withinMs, window: window(body, path) };
}

function eventMatch(body: Json, path: string): EventMatch {
  const name = text(body, 'event', path);
  const where = get(body, 'where');
  if (where !== undefined && !Array.isArray(where)) {
    fail(path + '.where', 'must be a list of property filters');
  }
  const filters = ((where as unknown[]) || []).map((item, i) => {
    const at = path + '.where[' + i + ']';
    return filter(object(item, at), at);
  });
  return { name, where: filters };
}

function readCount(node: unknown, path: string): Count {
  if (node === undefined) return { compare: 'atLeast', n: 1 };
  if (!isObject(node) || Object.keys(node).length !== 1) {
    fail(path, 'must be one of {"atLeast": n}, {"atMost": n}, {"exactly": n}');
  }
  const compare = Object.keys(node)[0];
  if (compare !== 'atLeast' && compare !== 'atMost' && compare !== 'exactly') {
    fail(path, "'" + truncate(compare) + "' is not atLeast, atMost or exactly");
  }
  return { compare, n: wholeNumber(node[compare], path + '.' + compare, 0) };
}

// Property filters

function filter(body: Json, path: string): Filter {
  const property = own(body, 'name') ? text(body, 'name', path) : text(body, 'property', path);
  const op = text(body, 'op', path) as Operator;
  if (OPERATORS.indexOf(op) < 0) {
    fail(path + '.op', "'" + truncate(op) + "' is not one of [" + OPERATORS.join(', ') + ']');
  }
  const value = get(body, 'value');
  const at = path + '.value';
  if (op === 'exists' || op === 'notExists') {
    if (value !== undefined) fail(at, 'exists and notExists take no value');
    return { property, op, type: 'none' };
  }
  if (value == null) fail(at, "is required for '" + op + "'");
  if (op === 'in') return { property, op, type: 'in', value: textList(value, at) };
  if (get(body, 'type') === 'date') {
    const textValue = asText(value);
    const instant = parseInstant(textValue);
    if (instant !== instant) {
      fail(
        at,
        "'" +
          truncate(textValue) +
          "' is not a date (2026-12-03) or an ISO-8601 time with an offset",
      );
    }
    // The server accepts these and then cannot compile them; a date is not text.
    if (op === 'contains' || op === 'startsWith') fail(at, 'contains and startsWith take a string');
    return { property, op, type: 'date', value: instant };
  }
  if (typeof value === 'string')
    return { property, op, type: 'text', value: checkLength(value, at) };
  if (typeof value === 'number') {
    if (op === 'contains' || op === 'startsWith') {
      fail(at, 'contains and startsWith compare text; give a string');
    }
    return { property, op, type: 'number', value };
  }
  if (typeof value === 'boolean') {
    if (op !== 'eq' && op !== 'neq') fail(at, 'a boolean can only be compared with eq or neq');
    return { property, op, type: 'boolean', value };
  }
  return fail(at, 'must be a string, a number or a boolean');
}

function textList(value: unknown, at: string): string[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_LIST_SIZE) {
    fail(at, "'in' takes a list of 1 to " + MAX_LIST_SIZE + ' values');
  }
  return value.map((item) => {
    if (item === null || typeof item === 'object') {
      fail(at, "'in' takes strings, numbers or booleans");
    }
    return checkLength(asText(item), at);
  });
}

// Windows

function window(body: Json, path: string): Window {
  const node = get(body, 'window');
  const at = path + '.window';
  if (node === undefined || node === 'ever') return { kind: 'ever' };
  if (!isObject(node)) {
    fail(at, 'must be "ever", {"last": n, "unit": ...} or {"from": day, "to": day}');
  }
  if (own(node, 'last')) {
    const amount = wholeNumber(node.last, at + '.last', 1);
    const calendar = node.calendar;
    return {
      kind: 'last',
      amount,
      unit: unit(get(node, 'unit'), at + '.unit'),
      // As the server reads it (Jackson's asBoolean): true, "true", or a non-zero integer.
      calendar:
        calendar === true ||
        (typeof calendar === 'string' && calendar.trim() === 'true') ||
        (typeof calendar === 'number' && Number.isInteger(calendar) && calendar !== 0),
    };
  }
  if (own(node, 'from') && own(node, 'to')) {
    const fromDay = day(node.from, at + '.from');
    const toDay = day(node.to, at + '.to');
    if (toDay < fromDay) fail(at, "'to' is before 'from'");
    return { kind: 'between', fromDay, toDay };
  }
  return fail(at, "give either 'last' and 'unit', or 'from' and 'to'");
}

function unit(node: unknown, path: string): Unit {
  const name = typeof node === 'string' ? node.toLowerCase() : '';
  if (UNITS.indexOf(name) < 0) fail(path, 'must be one of ' + UNITS.join(', '));
  return name as Unit;
}

function day(node: unknown, path: string): number {
  const textValue = asText(node);
  const ms = parseDay(textValue);
  if (ms !== ms) fail(path, "'" + truncate(textValue) + "' is not a day such as 2026-12-03");
  return ms;
}

// Small checks

type Json = Record<string, unknown>;

function isObject(node: unknown): node is Json {
  return node !== null && typeof node === 'object' && !Array.isArray(node);
}

function own(body: Json, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(body, field);
}

function get(body: Json, field: string): unknown {
  return own(body, field) ? body[field] : undefined;
}

function object(node: unknown, path: string): Json {
  if (!isObject(node)) fail(path, 'must be an object');
  return node;
}

function text(body: Json, field: string, path: string): string {
  return nonEmptyText(get(body, field), path + '.' + field);
}

function nonEmptyText(node: unknown, path: string): string {
  if (typeof node !== 'string' || !node) fail(path, 'must be a non-empty string');
  return checkLength(node, path);
}

function wholeNumber(node: unknown, path: string, min: number): number {
  if (typeof node !== 'number' || !Number.isInteger(node) || node < min || node > 1e9) {
    fail(path, 'must be a whole number from ' + min + ' to 1000000000');
  }
  return node;
}

function checkLength(value: string, path: string): string {
  if (value.length > MAX_TEXT_LENGTH) {
    fail(path, 'is longer than ' + MAX_TEXT_LENGTH + ' characters');
  }
  return value;
}

/** A JSON value as the server's asText() reads it: objects and lists are "". */
function asText(node: unknown): string {
  return typeof node === 'object' && node !== null ? '' : String(node);
}

function truncate(value: string): string {
  return value.length <= 40 ? value : value.slice(0, 40) + '…';
}

function fail(path: string, problem: string): never {
  const error = new Error(path + ': ' + problem) as ConditionError;
  error.name = 'ConditionError';
  error.path = path;
  error.problem = problem;
  throw error;
}
