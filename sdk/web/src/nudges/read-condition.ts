// Reads a campaign's trigger.condition into the form that the SDK's evaluate() takes, without
// checking it: the server has already checked it with its ConditionParser when the campaign
// was saved, and the SDK's parseCondition (which gives the server's messages) would cost the
// plugin more bytes than the evaluator. For every condition that parseCondition accepts, this
// returns the same value (test/nudges-conditions.test.mjs holds it to that on the shared
// vectors). On anything else it throws or returns what evaluate() answers false for.
import type { Condition, EventMatch, Filter, Window } from '../conditions';
import { unitMs, UNITS } from '../conditions/time';
import { hasOwn, parseDay, parseInstant } from '../conditions/values';

type Json = Record<string, any>;

export function readCondition(node: Json): Condition {
  const kind = Object.keys(node)[0];
  const body = node[kind];
  switch (kind) {
    case 'all':
    case 'any':
      return { kind, of: body.map(readCondition) };
    case 'not':
      return { kind, of: readCondition(body) };
    case 'userProperty':
      return { kind, filter: readFilter(body) };
    case 'sessionProperty':
      return { kind, filter: readFilter(body), window: readWindow(body.window) };
    case 'did':
    case 'didNot': {
      const count = kind === 'didNot' ? { exactly: 0 } : body.count || { atLeast: 1 };
      const compare = Object.keys(count)[0] as 'atLeast';
      return {
        kind: 'did',
        event: readMatch(body),
        count: { compare, n: count[compare] },
        window: readWindow(body.window),
      };
    }
    case 'sequence': {
      const withinMs = body.within.amount * unitMs(unitOf(body.within.unit));
      const window = readWindow(body.window);
      return { kind, first: readMatch(body.first), then: readMatch(body.then), withinMs, window };
    }
    case 'visited':
      return { kind, path: body.path, window: readWindow(body.window) };
    case 'inCohort':
      return { kind, cohort: body };
  }
  throw new Error('not a condition: ' + kind);
}

export function readMatch(body: Json): EventMatch {
  return { name: body.event, where: (body.where || []).map(readFilter) };
}

function readFilter(body: Json): Filter {
  const property = hasOwn(body, 'name') ? body.name : body.property;
  const { op, value } = body;
  if (op === 'exists' || op === 'notExists') return { property, op, type: 'none' };
  if (op === 'in') return { property, op, type: 'in', value: value.map(asText) };
  if (body.type === 'date')
    return { property, op, type: 'date', value: parseInstant(asText(value)) };
  const type =
    typeof value === 'string' ? 'text' : typeof value === 'number' ? 'number' : 'boolean';
  return { property, op, type, value } as Filter;
}

function readWindow(node: Json | undefined | string): Window {
  if (node === undefined || node === 'ever' || typeof node !== 'object') return { kind: 'ever' };
  if (hasOwn(node, 'last')) {
    const calendar = node.calendar;
    return {
      kind: 'last',
      amount: node.last,
      unit: unitOf(node.unit),
      // As the server reads it (Jackson's asBoolean): true, "true", or a non-zero integer.
      calendar:
        calendar === true ||
        (typeof calendar === 'string' && calendar.trim() === 'true') ||
        (Number.isInteger(calendar) && calendar !== 0),
    };
  }
  return {
    kind: 'between',
    fromDay: parseDay(asText(node.from)),
    toDay: parseDay(asText(node.to)),
  };
}

function unitOf(name: string): 'days' {
  const unit = String(name).toLowerCase();
  if (UNITS.indexOf(unit) < 0) throw new Error('not a unit: ' + name);
  return unit as 'days';
}

// As the server's asText(): objects and lists are "".
function asText(node: unknown): string {
  return typeof node === 'object' && node !== null ? '' : String(node);
}
