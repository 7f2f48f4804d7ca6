// The condition evaluator (src/conditions/), bundled from source without minifying, for the
// condition tests.
import * as esbuild from 'esbuild';

const built = await esbuild.build({
  entryPoints: [new URL('../src/conditions/index.ts', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  target: 'es2018',
  write: false,
});

export const { parseCondition, evaluate } = await import(
  'data:text/javascript;base64,' + Buffer.from(built.outputFiles[0].text).toString('base64')
);
