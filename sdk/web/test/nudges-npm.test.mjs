// The nudges plugin's npm builds (@beckon/web/nudges), loaded as Node and bundlers load them:
// without a browser, as in server-side rendering, where importing must touch no global.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const root = new URL('../', import.meta.url);
const require = createRequire(import.meta.url);

function checkModule(module) {
  assert.equal(module.default.name, 'nudges');
  assert.equal(typeof module.default.start, 'function');
  assert.equal(typeof module.createNudges, 'function');
  assert.equal(typeof module.preview, 'function');
  assert.equal(module.createNudges({ endpoint: 'https://beckon.test' }).name, 'nudges');
}

test('the ESM build imports without a browser', async () => {
  checkModule(await import(new URL('dist/nudges.mjs', root)));
});

test('the CommonJS build requires without a browser', () => {
  checkModule(require(new URL('dist/nudges.cjs', root).pathname));
});

test('a plugin started without a browser does nothing and does not throw', async () => {
  const { default: nudges } = await import(new URL('dist/nudges.mjs', root));
  const host = { getSiteId: () => 'site-1', isOptedOut: () => false };

  assert.doesNotThrow(() => nudges.start(host));
});

test('package.json exports the plugin with its types', () => {
  const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  const entry = manifest.exports['./nudges'];

  assert.deepEqual(entry, {
    types: './dist/types/nudges/index.d.ts',
    import: './dist/nudges.mjs',
    require: './dist/nudges.cjs',
  });
  assert.ok(readFileSync(new URL(entry.types, root), 'utf8').includes('createNudges'));
});
