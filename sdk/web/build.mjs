// Builds dist/: the npm module (ESM and CJS), the script-tag file, the nudges and surveys
// plugins (npm module and script-tag file each, and the combined script-tag file of the SDK with
// both plugins), the script-tag file of the dashboard's nudge preview and the type declarations.
// Prints the script-tag files' sizes, minified and gzipped, since the README promises them.
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

// The same for the nudges plugin's own modules. Campaign fields (the wire format), the fields
// of its storage records, and DOM members must never be listed here.
const NUDGES_INTERNAL_PROPERTIES = new RegExp(
  '^(' +
    [
      'stops drawn step armed onEvent onPage matches setTimer clearTimer heard lookup showStep',
      'onButton onClose onAnchor fill container refresh isVisible onConfig check shown',
      'markDismissed goalReached goalReachedMs lastShownMs nowMs doc visible campaign',
      'seen zone instant calendarStart inCohort tag children stop countGoal pagePath',
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
  esbuild.build({
    ...common,
    entryPoints: ['src/nudges/index.ts'],
    format: 'esm',
    outfile: 'dist/nudges.mjs',
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/nudges/index.ts'],
    format: 'cjs',
    outfile: 'dist/nudges.cjs',
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/surveys/index.ts'],
    format: 'esm',
    outfile: 'dist/surveys.mjs',
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/surveys/index.ts'],
    format: 'cjs',
    outfile: 'dist/surveys.cjs',
  }),
  // The plugin's own code uses browser members (remove, size...) that INTERNAL_PROPERTIES
  // lists, so the files that hold it rename its own list only.
  esbuild.build({
    ...common,
    entryPoints: ['src/nudges/script-tag.ts'],
    format: 'iife',
    minify: true,
    mangleProps: NUDGES_INTERNAL_PROPERTIES,
    // The dashboard's preview is a file of its own, so the plugin's renderer drops its paths.
    define: { BECKON_PREVIEW: 'false' },
    outfile: 'dist/beckon-nudges.js',
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/nudges/preview-script-tag.ts'],
    format: 'iife',
    minify: true,
    mangleProps: NUDGES_INTERNAL_PROPERTIES,
    define: { BECKON_PREVIEW: 'true' },
    outfile: 'dist/beckon-nudges-preview.js',
  }),
  // The surveys plugin reads the nudges' body markup, whose node fields that list renames.
  esbuild.build({
    ...common,
    entryPoints: ['src/surveys/script-tag.ts'],
    format: 'iife',
    minify: true,
    mangleProps: NUDGES_INTERNAL_PROPERTIES,
    outfile: 'dist/beckon-surveys.js',
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/nudges/full-script-tag.ts'],
    // Its imports are run for their effects, in order; package.json's sideEffects is for users.
    ignoreAnnotations: true,
    format: 'iife',
    minify: true,
    mangleProps: NUDGES_INTERNAL_PROPERTIES,
    outfile: 'dist/beckon-full.js',
  }),
]);
// terser finds a few hundred bytes more than esbuild's minifier; only its safe transforms
// are on. ascii_only: a page without a charset would read raw UTF-8 (the close button's ×) as
// windows-1252. Hoisting function declarations to the top of their scope gzips better in the
// plugin's file (20 bytes) and worse in the others (34 and 38 bytes), so only it has it.
const SCRIPT_TAG_FILES = [
  'dist/beckon.js',
  'dist/beckon-nudges.js',
  'dist/beckon-nudges-preview.js',
  'dist/beckon-surveys.js',
  'dist/beckon-full.js',
];
for (const file of SCRIPT_TAG_FILES) {
  const bundled = readFileSync(file, 'utf8');
  const shrunk = await minify(bundled, {
    ecma: 2018,
    compress: { passes: 4, hoist_funs: file === 'dist/beckon-nudges.js' },
    mangle: { toplevel: true },
    format: { ascii_only: true },
  });
  writeFileSync(file, shrunk.code);
}

const tsc = fileURLToPath(new URL('node_modules/typescript/bin/tsc', import.meta.url));
execFileSync(process.execPath, [tsc, '--emitDeclarationOnly'], { stdio: 'inherit' });

for (const file of SCRIPT_TAG_FILES) {
  const script = readFileSync(file);
  console.log(
    `${file}: ${script.length} bytes minified, ${gzip9Bytes(file, script)} bytes gzip -9`,
  );
}

// The gzip command's figure, as the README quotes it; zlib's, a few bytes more, without it.
function gzip9Bytes(file, script) {
  try {
    return execFileSync('gzip', ['-9', '-c', file]).length;
  } catch {
    return gzipSync(script, { level: 9 }).length;
  }
}
