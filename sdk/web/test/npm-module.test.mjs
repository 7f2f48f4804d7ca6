// The npm builds, loaded the way Node and bundlers load them: without a browser, as in
// server-side rendering. Their behaviour in a browser is the same code as the script-tag
// bundle that the other tests run.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const root = new URL('../', import.meta.url);
const require = createRequire(import.meta.url);
const API = [
  'init',
  'setUserId',
  'logEvent',
  'logClientEvent',
  'setUserProperties',
  'setSessionProperties',
  'logPageView',
  'getClientId',
  'getSessionId',
  'getSiteId',
  'setAppVersion',
  'startNewSession',
  'endSession',
  'setRedirectionHandler',
  'optOut',
  'optIn',
  'isOptedOut',
];

test('the ESM build imports without a browser, and init reports not_a_browser', async () => {
  const module = await import(new URL('dist/beckon.mjs', root));
  const failures = [];

  module.default.init('site-1', { endpoint: 'https://beckon.test' }, null, (f) => failures.push(f));
  module.default.logEvent('IGNORED');

  assert.deepEqual(Object.keys(module.default).sort(), [...API].sort());
  assert.equal(typeof module.subscribe, 'function');
  assert.deepEqual(
    failures.map((failure) => failure.reason),
    ['not_a_browser'],
  );
  assert.equal(globalThis.Beckon, undefined, 'the npm build defines no global');
});

test('the CommonJS build exports the same API under default', () => {
  const module = require(new URL('dist/beckon.cjs', root).pathname);

  assert.deepEqual(Object.keys(module.default).sort(), [...API].sort());
  assert.equal(typeof module.subscribe, 'function');
});

test('package.json exports point at files the build made', () => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  const targets = [pkg.main, pkg.module, pkg.types, ...Object.values(pkg.exports['.'])];

  for (const target of targets) assert.ok(existsSync(new URL(target, root)), target);
  assert.ok(existsSync(new URL(pkg.exports['./beckon.js'], root)));
  assert.deepEqual(Object.keys(pkg.dependencies || {}), []);
});

test('the type declarations name the public types', () => {
  const types = readFileSync(new URL('dist/types/index.d.ts', root), 'utf8');

  for (const name of ['Beckon', 'BeckonOptions', 'BeckonPlugin', 'InitFailure', 'PluginHost']) {
    assert.match(types, new RegExp('\\b' + name + '\\b'));
  }
});
