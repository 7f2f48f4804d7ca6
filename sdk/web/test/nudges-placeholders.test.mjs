// Personalisation placeholders: {name|default}, with number and date formats; values are text,
// and URL-encoded in URLs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillText, fillUrl } from './nudges-modules.mjs';

const values = { username: 'Maya', price: 1299.5, since: '2026-12-01', blank: '', zero: 0 };
const lookup = (name) => values[name];

test('a placeholder takes its value, else its default, else nothing', () => {
  assert.equal(fillText('Hi {username|there}!', lookup), 'Hi Maya!');
  assert.equal(fillText('Hi {nickname|there}!', lookup), 'Hi there!');
  assert.equal(fillText('Hi {nickname}!', lookup), 'Hi !');
  assert.equal(fillText('Hi {blank|you}!', lookup), 'Hi you!');
  assert.equal(fillText('{zero|none}', lookup), '0');
});

test('numbers and dates are formatted for the visitor, and a value they cannot read takes the default', () => {
  assert.equal(fillText('{price|0|number}', lookup), (1299.5).toLocaleString());
  assert.equal(fillText('{since||date}', lookup), new Date('2026-12-01').toLocaleDateString());
  assert.equal(fillText('{username|n/a|number}', lookup), 'n/a');
  assert.equal(fillText('{username|someday|date}', lookup), 'someday');
});

test('a value holding markup stays the same text: nothing is interpreted', () => {
  const hostile = () => '<img src=x onerror=alert(1)>{username}';

  assert.equal(fillText('Hi {username}', hostile), 'Hi <img src=x onerror=alert(1)>{username}');
});

test('in a URL each value is URL-encoded and the template is not', () => {
  const odd = () => 'Ana & Bo/?#';

  assert.equal(fillUrl('/guide?u={username|}&x=1', odd), '/guide?u=Ana%20%26%20Bo%2F%3F%23&x=1');
  assert.equal(
    fillUrl('{username}', () => 'javascript:alert(1)'),
    'javascript%3Aalert(1)',
  );
});

test('objects and odd templates do not break anything', () => {
  assert.equal(
    fillText('{obj|none}', () => ({ a: 1 })),
    'none',
  );
  assert.equal(fillText(undefined, lookup), '');
  assert.equal(fillText('{not closed', lookup), '{not closed');
});
