// The surveys plugin's npm builds (@beckon/web/surveys), loaded as Node and bundlers load them:
// without a browser, as in server-side rendering, where importing must touch no global.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const root = new URL('../', import.meta.url);
const require = createRequire(import.meta.url);

function checkModule(module) {
  assert.equal(module.default.name, 'surveys');
  assert.equal(typeof module.default.start, 'function');
  assert.equal(module.createSurveys({ nonce: 'n' }).name, 'surveys');
  assert.equal(typeof module.preview, 'function');
}

test('the ESM build imports without a browser', async () => {
  checkModule(await import(new URL('dist/surveys.mjs', root)));
});

test('the CommonJS build requires without a browser', () => {
  checkModule(require(new URL('dist/surveys.cjs', root).pathname));
});

test('a preview without a browser draws nothing and does not throw', async () => {
  const { preview } = await import(new URL('dist/surveys.mjs', root));

  const remove = preview({}, { questions: [] });

  assert.doesNotThrow(remove);
});

test('a plugin started without a browser registers the survey kind and does not throw', async () => {
  const { default: surveys } = await import(new URL('dist/surveys.mjs', root));
  const host = { getSiteId: () => 'site-1', isOptedOut: () => false };

  surveys.start(host);

  assert.deepEqual(Object.keys(host.kinds), ['survey']);
  assert.equal(host.kinds.survey.refuse({ id: 's' }, { campaigns: [] }), undefined);
});

test('package.json exports the plugin with its types, and its script-tag file', () => {
  const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  const entry = manifest.exports['./surveys'];

  assert.deepEqual(entry, {
    types: './dist/types/surveys/index.d.ts',
    import: './dist/surveys.mjs',
    require: './dist/surveys.cjs',
  });
  assert.ok(readFileSync(new URL(entry.types, root), 'utf8').includes('createSurveys'));
  assert.equal(manifest.exports['./beckon-surveys.js'], './dist/beckon-surveys.js');
  assert.ok(manifest.sideEffects.includes('./dist/beckon-surveys.js'));
});
