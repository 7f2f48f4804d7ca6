/**
 * The time stamped on events, as epoch milliseconds. Within one page the times are strictly
 * increasing, so that the server can order events logged in the same millisecond: when the
 * wall clock has not moved on (or has stepped back) since the last event, the next event is
 * stamped 1 ms after it, and the stamps run ahead until the wall clock catches up.
 */
export function createEventClock(nowMs: () => number): () => number {
  let lastMs = 0;
  return () => (lastMs = Math.max(nowMs(), lastMs + 1));
}
