// The body's markup subset: b, i, em, strong, br, p and a href (http, https, relative); every
// other tag is text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBody, safeUrl } from './nudges-modules.mjs';

test('the allowed tags become elements, nested as written', () => {
  assert.deepEqual(parseBody('Our <b>guide <i>helps</i></b><br>you.'), [
    'Our ',
    { tag: 'b', children: ['guide ', { tag: 'i', children: ['helps'] }] },
    { tag: 'br', children: [] },
    'you.',
  ]);
});

test('every other tag, and what looks like one, is text', () => {
  assert.deepEqual(parseBody('<script>alert(1)</script><img src=x onerror=y>'), [
    '<script>alert(1)</script><img src=x onerror=y>',
  ]);
  assert.deepEqual(parseBody('1 < 2 > 0'), ['1 < 2 > 0']);
});

test('attributes other than href are dropped', () => {
  assert.deepEqual(parseBody('<b onclick="x()" style="color:red">bold</b>'), [
    { tag: 'b', children: ['bold'] },
  ]);
});

test('links keep http, https and relative addresses only', () => {
  const hrefs = [
    '<a href="https://example.com/a">x</a>',
    "<a href='/guide?x=1&amp;y=2'>x</a>",
    '<a href=javascript:alert(1)>x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href=" data:text/html,hi">x</a>',
  ].map((body) => parseBody(body)[0].href);

  assert.deepEqual(hrefs, [
    'https://example.com/a',
    '/guide?x=1&y=2',
    undefined,
    undefined,
    undefined,
  ]);
  assert.equal(safeUrl('HTTP://EXAMPLE.COM'), 'HTTP://EXAMPLE.COM');
  assert.equal(safeUrl('guide'), 'guide');
});

test('character references are decoded into text, and unclosed tags close at the end', () => {
  assert.deepEqual(parseBody('<p>Tom &amp; Jerry &lt;3 &#128095;<p>next'), [
    { tag: 'p', children: ['Tom & Jerry <3 \u{1F45F}', { tag: 'p', children: ['next'] }] },
  ]);
  assert.deepEqual(parseBody('</b>stray'), ['stray']);
});
