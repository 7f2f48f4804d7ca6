// The body's markup subset: b, i, em, strong, br, p and a href (http, https, relative). The
// browser's HTML parser reads the body, so what it makes of tags is tested in Chromium
// (e2e/test/nudges.test.mjs, "the body keeps its allowed markup only"); here, the addresses that
// links keep, and the plain text shown where the parser refuses a string (Trusted Types).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installDom } from './fake-dom.mjs';
import { appendBody, safeUrl } from './nudges-modules.mjs';

test('links keep http, https and relative addresses only', () => {
  const urls = [
    'https://example.com/a',
    ' /guide?x=1&y=2 ',
    'guide',
    'HTTP://EXAMPLE.COM',
    'javascript:alert(1)',
    'java\tscript:alert(1)',
    ' data:text/html,hi',
    'JaVaScRiPt:alert(1)',
    '\u0001javascript:alert(1)',
    'vbscript:x',
  ];

  assert.deepEqual(urls.map(safeUrl), [
    'https://example.com/a',
    '/guide?x=1&y=2',
    'guide',
    'HTTP://EXAMPLE.COM',
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  assert.equal(safeUrl(42), undefined);
});

test('where the parser refuses a string, the body is plain text, its placeholders filled', () => {
  const page = { window: { document: {} } };
  installDom(page);
  const into = page.window.document.createElement('div');

  appendBody(
    into,
    'Hi {name}, <b>look</b> <img src=x onerror=y>',
    (text) => text.replace('{name}', '<i>Ann</i>'),
    (url) => url,
  );

  assert.deepEqual(into.childNodes, ['Hi <i>Ann</i>, <b>look</b> <img src=x onerror=y>']);
});
