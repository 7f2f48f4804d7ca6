// The SDK builds that every behaviour test runs against: the source, bundled without
// minifying, and dist/beckon.js, the minified file that ships (STYLE.md).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { describe } from 'node:test';
import * as esbuild from 'esbuild';

const root = new URL('../', import.meta.url);
const bundlePath = new URL('dist/beckon.js', root);

const source = await esbuild.build({
  entryPoints: [new URL('src/script-tag.ts', root).pathname],
  bundle: true,
  format: 'iife',
  target: 'es2018',
  write: false,
});

export const BUILDS = [
  { name: 'source', code: source.outputFiles[0].text },
  { name: 'bundle', code: readBundle() },
];

/** Declares the suite once per build; body receives the build. */
export function forEachBuild(title, body) {
  for (const build of BUILDS) describe(title + ' [' + build.name + ']', () => body(build));
}

function readBundle() {
  const srcDir = new URL('src/', root);
  const newestSourceMs = Math.max(
    ...readdirSync(srcDir).map((name) => statSync(new URL(name, srcDir)).mtimeMs),
  );
  let bundleMs = 0;
  try {
    bundleMs = statSync(bundlePath).mtimeMs;
  } catch {
    // reported below
  }
  if (bundleMs < newestSourceMs) {
    throw new Error('dist/beckon.js is missing or older than src/: run `npm run build` first');
  }
  return readFileSync(bundlePath, 'utf8');
}
