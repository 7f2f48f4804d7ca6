// Gives the benchmark's `ours` row (Beckon) the answer that a Beckon server gives to
// POST /ingest/{siteId}: without it, Beckon takes the harness's generic reply for a captive
// portal and retries. Patches a copy of sdks.mjs in place; fails if the file changed shape.
//
// With a second argument, run.mjs, it also guards the harness against a request that a
// closing page sends after its trial ended (cur.name is null then, and the run crashed).
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const source = readFileSync(file, 'utf8');
const anchor = "    track: (name, props) => window[window.__B.cfg.global].logEvent(name, props),\n";
if (!source.includes(anchor)) {
  console.error(`patch-sdks: the ours entry of ${file} has changed; update bench/sdk/patch-sdks.mjs`);
  process.exit(1);
}
const respond =
  "    respond: (url) => (/\\/ingest\\//.test(url)\n" +
  '      ? { json: { accepted: 0, duplicates: 0, rejected: [] } } : null),\n';
writeFileSync(file, source.replace(anchor, anchor + respond));

const runFile = process.argv[3];
if (runFile) {
  const run = readFileSync(runFile, 'utf8');
  const lateRequest = '  const r = reply(cur.name, req.url(), req.method());\n';
  const guarded =
    "  if (!cur.name) return route.fulfill({ status: 200, contentType: 'application/json', body: '{}' }).catch(() => {});\n";
  if (run.includes(lateRequest)) writeFileSync(runFile, run.replace(lateRequest, guarded + lateRequest));
  else console.error('patch-sdks: run.mjs has changed; its late-request guard was not applied');
}
