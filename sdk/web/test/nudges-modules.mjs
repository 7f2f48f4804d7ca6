// The nudges plugin's modules (src/nudges/), bundled from source without minifying, for the
// unit tests of its parts. Its rendering needs a real browser: e2e/test/nudges.test.mjs.
import * as esbuild from 'esbuild';

const src = new URL('../src/', import.meta.url).pathname;
const built = await esbuild.build({
  stdin: {
    contents: [
      "export * from './nudges/placeholders';",
      "export * from './nudges/markup';",
      "export * from './nudges/caps';",
      "export * from './nudges/triggers';",
      "export * from './nudges/config-client';",
      "export { parseCondition, evaluate } from './conditions';",
      "export { evaluateInZone } from './conditions/evaluate';",
      "export { utcZone } from './conditions/time';",
      "export { canonical } from './conditions/canonical';",
    ].join('\n'),
    resolveDir: src,
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  target: 'es2018',
  write: false,
});

export const {
  fillText,
  fillUrl,
  appendBody,
  safeUrl,
  createCapStore,
  localDay,
  watchMoment,
  createConfigClient,
  parseCondition,
  evaluate,
  evaluateInZone,
  utcZone,
  canonical,
} = await import(
  'data:text/javascript;base64,' + Buffer.from(built.outputFiles[0].text).toString('base64')
);

/** A localStorage stand-in; tabs of one browser share one. throwing makes every call fail. */
export function fakeStorage() {
  const items = new Map();
  const storage = {
    throwing: false,
    items,
    getItem(key) {
      if (storage.throwing) throw new Error('storage broken');
      return items.has(key) ? items.get(key) : null;
    },
    setItem(key, value) {
      if (storage.throwing) throw new Error('storage broken');
      items.set(key, String(value));
    },
  };
  return storage;
}

/** Timers on a clock that moves only when advance() says so. */
export function fakeTimers(startMs = 1_764_791_400_000) {
  const timers = [];
  let nextId = 1;
  const clock = {
    nowMs: startMs,
    setTimer(callback, delayMs) {
      const timer = { id: nextId++, dueMs: clock.nowMs + delayMs, callback };
      timers.push(timer);
      return timer.id;
    },
    clearTimer(id) {
      const at = timers.findIndex((timer) => timer.id === id);
      if (at >= 0) timers.splice(at, 1);
    },
    async advance(ms) {
      const endMs = clock.nowMs + ms;
      for (;;) {
        await settle();
        timers.sort((a, b) => a.dueMs - b.dueMs);
        if (!timers.length || timers[0].dueMs > endMs) break;
        const timer = timers.shift();
        clock.nowMs = timer.dueMs;
        timer.callback();
      }
      clock.nowMs = endMs;
      await settle();
    },
  };
  return clock;
}

// Lets pending promise callbacks (a fetch and its body) run, several rounds deep.
async function settle() {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}
