// Compares script-tag builds of the SDK in Chromium, paired and interleaved: each trial opens a
// fresh page per build, as the peer benchmark does, runs the same burst of 10,000 logEvent calls,
// and notes the mean cost per call and how long the tab then takes to run a timer. Quicker than
// bench/sdk/run.sh when the question is "is this build cheaper than that one".
//
//   node bench/sdk/ab.mjs old/beckon.js sdk/web/dist/beckon.js     TRIALS=12 by default
//
// Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH) and e2e's playwright-core (cd e2e && npm ci).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../../e2e/package.json', import.meta.url)));
const { chromium } = require('playwright-core');

const builds = process.argv.slice(2);
const trials = Number(process.env.TRIALS || 12);
if (builds.length === 0) {
  console.error('usage: node bench/sdk/ab.mjs build.js [other-build.js ...]');
  process.exit(2);
}

let served = '';
const ACK = '{"accepted":0,"duplicates":0,"rejected":[]}';
const PAGE = '<!doctype html><script src="/sdk.js"></script><script>Beckon.init("bench", {})</script>';
const server = http.createServer((request, response) => {
  if (request.url.startsWith('/ingest/')) {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(ACK));
  } else if (request.url === '/sdk.js') {
    response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(served, 'utf8'));
  } else {
    response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

const results = Object.fromEntries(builds.map((build) => [build, { perCall: [], blocked: [] }]));
for (let trial = 0; trial < trials; trial++) {
  for (const build of builds) {
    served = build;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForTimeout(500);
    const { perCallMicros, blockedMs } = await page.evaluate(() => {
      const startedMs = performance.now();
      for (let i = 0; i < 10_000; i++) {
        window.Beckon.logEvent('bench_evt', { k1: 'value-' + i, k2: i, k3: true, k4: 'some string', k5: 3.14 });
      }
      const endedMs = performance.now();
      return new Promise((resolve) =>
        setTimeout(() => {
          resolve({ perCallMicros: ((endedMs - startedMs) * 1000) / 10_000, blockedMs: performance.now() - endedMs });
        }, 0),
      );
    });
    results[build].perCall.push(perCallMicros);
    results[build].blocked.push(blockedMs);
    await context.close();
  }
}
await browser.close();
server.close();

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
for (const build of builds) {
  const { perCall, blocked } = results[build];
  console.log(
    `${build}: ${median(perCall).toFixed(2)} µs per call (min ${Math.min(...perCall).toFixed(2)}),` +
      ` timer after the burst ${median(blocked).toFixed(0)} ms, median of ${trials} fresh pages`,
  );
}
