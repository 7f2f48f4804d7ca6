// The condition language of segments and campaign triggers (docs/segments.md), evaluated in
// the browser: parseCondition checks a condition's JSON form, evaluate decides it for one
// person from that person's events. No dependencies; import only what you use.
export { parseCondition } from './parse';
export type {
  Condition,
  ConditionError,
  Count,
  EventMatch,
  Filter,
  Operator,
  Unit,
  Window,
} from './parse';
export { evaluate } from './evaluate';
export type { ConditionEvent } from './evaluate';
