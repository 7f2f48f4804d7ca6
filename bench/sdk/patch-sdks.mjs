// Gives the benchmark's `ours` row (Beckon) the answer that a Beckon server gives to
// POST /ingest/{siteId}: without it, Beckon takes the harness's generic reply for a captive
// portal and retries. Patches a copy of sdks.mjs in place; fails if the file changed shape.
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
