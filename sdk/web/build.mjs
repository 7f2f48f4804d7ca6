// Builds dist/: the npm module (ESM and CJS), the script-tag file, and the type declarations.
// Prints the script-tag file's size, minified and gzipped, since the README promises it.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { minify } from 'terser';

const common = { bundle: true, target: 'es2018', platform: 'browser', logLevel: 'warning' };

// Properties that only the SDK's own modules use get short names in the script-tag file.
// Public names (methods, options, plugin hooks), what goes to storage or the server, and any
// member that the SDK uses on a browser object (get, set, has, add and delete of Map and Set,
// for one) must never be listed here: every use of a listed name is renamed.
const INTERNAL_PROPERTIES = new RegExp(
  '^(' +
    [
      'waiting markAll removeOlderThan droppedCount forgetDropped adoptOrphans recordPrefix',
      'pageId maxEvents maxChars maxStoredChars timeMs bytes mark eventQueued sendNow',
      'sendBeforeExit retryNow active forget storageKey idleTimeoutMs',
      'nextEventTimeMs onStart onEnd onChange keysStartingWith release nowMs randomId',
      'setTimer clearTimer publish listening enabled siteId shared chars eventIdPrefix',
      'storage queue env url pause resume current end save state serialized',
      'propertiesJson logBoundary fileLogged commands queries sdk isPaused remove clear size window batchJson seq',
    ]
      .join(' ')
      .split(' ')
      .join('|') +
    ')$',
);

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/index.ts'],
    format: 'esm',
    outfile: 'dist/beckon.mjs',
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/index.ts'],
    format: 'cjs',
    outfile: 'dist/beckon.cjs',
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/script-tag.ts'],
    format: 'iife',
    minify: true,
    mangleProps: INTERNAL_PROPERTIES,
    outfile: 'dist/beckon.js',
  }),
]);
// terser finds a few hundred bytes more than esbuild's minifier; only its safe transforms
// are on.
const bundled = readFileSync('dist/beckon.js', 'utf8');
const shrunk = await minify(bundled, { compress: { passes: 4 }, mangle: { toplevel: true } });
writeFileSync('dist/beckon.js', shrunk.code);

const tsc = fileURLToPath(new URL('node_modules/typescript/bin/tsc', import.meta.url));
execFileSync(process.execPath, [tsc, '--emitDeclarationOnly'], { stdio: 'inherit' });

const script = readFileSync('dist/beckon.js');
console.log(`dist/beckon.js: ${script.length} bytes minified, ${gzip9Bytes()} bytes gzip -9`);

// The gzip command's figure, as the README quotes it; zlib's, a few bytes more, without it.
function gzip9Bytes() {
  try {
    return execFileSync('gzip', ['-9', '-c', 'dist/beckon.js']).length;
  } catch {
    return gzipSync(script, { level: 9 }).length;
  }
}
