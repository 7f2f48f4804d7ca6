// The condition language's JSON in the one spelling that evaluateInZone reads, the spelling the
// server's config endpoint sends the nudges plugin (CanonicalConditionJson, the same rules): a
// property filter's name becomes property, a unit is lower case, and a window's calendar is the
// boolean the server's parser takes it for. evaluate() reads every condition through it, so that
// the plugin, which reads only the server's spelling, carries none of this.
import { hasOwn } from './values';

/** A copy of node in the one spelling; anything else is copied as it is. */
export function canonical(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(canonical);
  if (!node || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(node))
    copy[key] = canonical((node as Record<string, unknown>)[key]);
  // A property filter is the only object of the language with an op.
  if (hasOwn(copy, 'op') && hasOwn(copy, 'name')) {
    copy.property = copy.name;
    delete copy.name;
  }
  if (typeof copy.unit === 'string') copy.unit = copy.unit.toLowerCase();
  if (hasOwn(copy, 'calendar')) {
    // As the server reads it (Jackson's asBoolean): true, "true", or a non-zero integer.
    const calendar = copy.calendar;
    copy.calendar =
      calendar === true ||
      (typeof calendar === 'string' && calendar.trim() === 'true') ||
      (Number.isInteger(calendar) && calendar !== 0);
  }
  return copy;
}
