// Builds dist/: the npm module (ESM and CJS), the script-tag file, and the type declarations.
// Prints the script-tag file's size, minified and gzipped, since the README promises it.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const common = { bundle: true, target: 'es2018', platform: 'browser', logLevel: 'warning' };

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
    outfile: 'dist/beckon.js',
  }),
]);
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
