// The size budget of the script-tag file that ships (issue 3: the smallest SDK of its kind).
// docs/BENCHMARKS.md compares it with the peers; this test stops it from growing unnoticed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

// The target is 6 KiB; the budget holds today's size, so that the build fails on growth.
const TARGET_GZIP_BYTES = 6 * 1024;
const BUDGET_GZIP_BYTES = 6137;
const bundle = new URL('../dist/beckon.js', import.meta.url);

function gzip9Bytes() {
  try {
    return execFileSync('gzip', ['-9', '-c', bundle.pathname]).length;
  } catch {
    return gzipSync(readFileSync(bundle), { level: 9 }).length;
  }
}

test('dist/beckon.js stays within its gzip budget', () => {
  const bytes = gzip9Bytes();

  assert.ok(bytes <= BUDGET_GZIP_BYTES, `${bytes} bytes gzip -9, budget ${BUDGET_GZIP_BYTES}`);
  assert.ok(BUDGET_GZIP_BYTES <= TARGET_GZIP_BYTES, 'the budget only ever comes down');
});
