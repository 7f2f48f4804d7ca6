// Checks the JSON form of a segment condition (docs/segments.md), with the same rules and the
// same path-named messages as the server's ConditionParser. The JSON form is what evaluate()
// reads: a checked condition is the same value, typed.
import { UNITS } from './time';
import { jsonText, parseDay, parseInstant } from './values';

/**
 * A condition in its JSON form. The types give the canonical spelling; the parser, the
 * evaluator and the server also take name for a filter's property, unit names in any case and
 * calendar as Jackson's asBoolean reads it ("true", a non-zero integer).
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { userProperty: Filter }
  | { sessionProperty: Filter & { window?: Window } }
  | { did: EventMatch & { count?: Count; window?: Window } }
  | { didNot: EventMatch & { window?: Window } }
  | {
      sequence: {
        first: EventMatch;
        then: EventMatch;
        within: { amount: number; unit: Unit };
        window?: Window;
      };
    }
  | { visited: { path: string; window?: Window } }
  | { inCohort: string };

export interface EventMatch {
  event: string;
  where?: Filter[];
}

/** n matching events at least, at most or exactly; without a count, at least 1. */
export type Count = { atLeast: number } | { atMost: number } | { exactly: number };

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
 * A test of one top-level property. The value's JSON type says how the property's value is
 * read (text, number, boolean), unless type is "date"; "in" takes a list, compared as text;
 * exists and notExists take no value.
 */
export interface Filter {
  property: string;
  op: Operator;
  value?: string | number | boolean | Array<string | number | boolean>;
  type?: 'date';
}

export type Unit = 'minutes' | 'hours' | 'days' | 'weeks';

/** Days are written as 2026-12-03, and read in the zone; to is the window's last day. */
export type Window =
  'ever' | { last: number; unit: Unit; calendar?: boolean } | { from: string; to: string };

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
 * Checks a condition in its JSON form (parsed JSON, not text) and returns it, for evaluate().
 * Throws a ConditionError naming the first wrong part, as the server does.
 */
export function parseCondition(json: unknown): Condition {
  let conditions = 0;

  function condition(node: unknown, path: string, depth: number): void {
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
        return list(body, at, depth);
      case 'not':
        return condition(body, at, depth + 1);
      case 'userProperty':
        return filter(object(body, at), at);
      case 'sessionProperty': {
        const checked = object(body, at);
        filter(checked, at);
        return window(checked, at);
      }
      case 'did':
      case 'didNot':
        return behaviour(object(body, at), at, kind === 'didNot');
      case 'sequence':
        return sequence(object(body, at), at);
      case 'visited': {
        const checked = object(body, at);
        text(checked, 'path', at);
        return window(checked, at);
      }
      case 'inCohort':
        nonEmptyText(body, at);
        return;
    }
    fail(path, "'" + truncate(kind) + "' is not a kind of condition");
  }

  function list(body: unknown, path: string, depth: number) {
    if (!Array.isArray(body)) fail(path, 'must be a list of conditions');
    body.forEach((child, i) => condition(child, path + '[' + i + ']', depth + 1));
  }

  condition(json, 'condition', 1);
  return json as Condition;
}

function behaviour(body: Json, path: string, didNot: boolean) {
  eventMatch(body, path);
  window(body, path);
  if (didNot && own(body, 'count')) {
    fail(path + '.count', 'didNot takes no count; use did with atMost');
  }
  if (!didNot) count(get(body, 'count'), path + '.count');
}

function sequence(body: Json, path: string) {
  eventMatch(object(get(body, 'first'), path + '.first'), path + '.first');
  eventMatch(object(get(body, 'then'), path + '.then'), path + '.then');
  const within = object(get(body, 'within'), path + '.within');
  wholeNumber(get(within, 'amount'), path + '.within.amount', 1);
  unit(get(within, 'unit'), path + '.within.unit');
  window(body, path);
}

function eventMatch(body: Json, path: string) {
  text(body, 'event', path);
  const where = get(body, 'where');
  if (where !== undefined && !Array.isArray(where)) {
    fail(path + '.where', 'must be a list of property filters');
  }
  ((where as unknown[]) || []).forEach((item, i) => {
    const at = path + '.where[' + i + ']';
    filter(object(item, at), at);
  });
}

function count(node: unknown, path: string) {
  if (node === undefined) return;
  if (!isObject(node) || Object.keys(node).length !== 1) {
    fail(path, 'must be one of {"atLeast": n}, {"atMost": n}, {"exactly": n}');
  }
  const compare = Object.keys(node)[0];
  if (compare !== 'atLeast' && compare !== 'atMost' && compare !== 'exactly') {
    fail(path, "'" + truncate(compare) + "' is not atLeast, atMost or exactly");
  }
  wholeNumber(node[compare], path + '.' + compare, 0);
}

// Property filters

function filter(body: Json, path: string) {
  if (own(body, 'name')) text(body, 'name', path);
  else text(body, 'property', path);
  const op = text(body, 'op', path) as Operator;
  if (OPERATORS.indexOf(op) < 0) {
    fail(path + '.op', "'" + truncate(op) + "' is not one of [" + OPERATORS.join(', ') + ']');
  }
  const value = get(body, 'value');
  const at = path + '.value';
  if (op === 'exists' || op === 'notExists') {
    if (value !== undefined) fail(at, 'exists and notExists take no value');
    return;
  }
  if (value == null) fail(at, "is required for '" + op + "'");
  if (op === 'in') return textList(value, at);
  if (get(body, 'type') === 'date') {
    const textValue = jsonText(value);
    if (parseInstant(textValue) !== parseInstant(textValue)) {
      fail(
        at,
        "'" +
          truncate(textValue) +
          "' is not a date (2026-12-03) or an ISO-8601 time with an offset",
      );
    }
    // The server accepts these and then cannot compile them; a date is not text.
    if (op === 'contains' || op === 'startsWith') fail(at, 'contains and startsWith take a string');
    return;
  }
  if (typeof value === 'string') {
    checkLength(value, at);
    return;
  }
  if (typeof value === 'number') {
    if (op === 'contains' || op === 'startsWith') {
      fail(at, 'contains and startsWith compare text; give a string');
    }
    return;
  }
  if (typeof value === 'boolean') {
    if (op !== 'eq' && op !== 'neq') fail(at, 'a boolean can only be compared with eq or neq');
    return;
  }
  fail(at, 'must be a string, a number or a boolean');
}

function textList(value: unknown, at: string) {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_LIST_SIZE) {
    fail(at, "'in' takes a list of 1 to " + MAX_LIST_SIZE + ' values');
  }
  for (const item of value) {
    if (item === null || typeof item === 'object') {
      fail(at, "'in' takes strings, numbers or booleans");
    }
    checkLength(jsonText(item), at);
  }
}

// Windows

function window(body: Json, path: string) {
  const node = get(body, 'window');
  const at = path + '.window';
  if (node === undefined || node === 'ever') return;
  if (!isObject(node)) {
    fail(at, 'must be "ever", {"last": n, "unit": ...} or {"from": day, "to": day}');
  }
  if (own(node, 'last')) {
    wholeNumber(node.last, at + '.last', 1);
    return unit(get(node, 'unit'), at + '.unit');
  }
  if (own(node, 'from') && own(node, 'to')) {
    const fromDay = day(node.from, at + '.from');
    const toDay = day(node.to, at + '.to');
    if (toDay < fromDay) fail(at, "'to' is before 'from'");
    return;
  }
  fail(at, "give either 'last' and 'unit', or 'from' and 'to'");
}

function unit(node: unknown, path: string) {
  const name = typeof node === 'string' ? node.toLowerCase() : '';
  if (UNITS.indexOf(name) < 0) fail(path, 'must be one of ' + UNITS.join(', '));
}

function day(node: unknown, path: string): number {
  const textValue = jsonText(node);
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
