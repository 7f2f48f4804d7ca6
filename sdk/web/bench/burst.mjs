// Cost of logEvent in a burst, as the peer benchmark (shared/bench/sdk-peers) measures it in
// Chromium: main-thread time per call over 10,000 calls, each with a fresh object of
// 5 properties. The minified bundle runs in Node's own global scope, dressed with the tests'
// fake browser objects (a vm context would make every global lookup slow). For figures from
// a real browser, run the peer benchmark with OURS_SDK=dist/beckon.js.
// Run: npm run build && npm run bench
import { readFileSync } from 'node:fs';
import { createBrowser, settle } from '../test/fake-browser.mjs';

const CALLS = 10_000;
const TRIALS = 7;
const bundle = readFileSync(new URL('../dist/beckon.js', import.meta.url), 'utf8');

const browser = createBrowser();
const page = browser.openPage();
for (const name of ['document', 'navigator', 'location', 'fetch', 'addEventListener']) {
  Object.defineProperty(globalThis, name, { value: page.window[name], configurable: true });
}
Object.defineProperty(globalThis, 'localStorage', { get: () => browser.storage.api() });
globalThis.window = globalThis;
page.window.document.currentScript = { src: 'https://beckon.test/beckon.js' };
(0, eval)(bundle);
const Beckon = globalThis.Beckon;
Beckon.init('bench-site', {});

const perCallMicros = [];
for (let trial = 0; trial < TRIALS; trial++) {
  const startedMs = performance.now();
  for (let i = 0; i < CALLS; i++) {
    Beckon.logEvent('bench_evt', {
      k1: 'value-' + i,
      k2: i,
      k3: true,
      k4: 'some string',
      k5: 3.14,
    });
  }
  perCallMicros.push(((performance.now() - startedMs) * 1000) / CALLS);
  // Lets the SDK deliver the burst, as a browser would, before the next one.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await settle();
}
perCallMicros.sort((a, b) => a - b);
console.log(
  'logEvent: ' +
    perCallMicros[TRIALS >> 1].toFixed(2) +
    ' µs per call (median of ' +
    TRIALS +
    ' bursts of ' +
    CALLS +
    '; best ' +
    perCallMicros[0].toFixed(2) +
    ')',
);
process.exit(0);
