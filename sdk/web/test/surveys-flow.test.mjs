// The survey's logic (src/surveys/flow.ts, docs/surveys.md "Logic"), bundled from source: each
// operator, the first rule that holds, only forward, and the end.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as esbuild from 'esbuild';

const built = await esbuild.build({
  entryPoints: [new URL('../src/surveys/flow.ts', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  target: 'es2018',
  write: false,
});
const { nextIndex, holds, END } = await import(
  'data:text/javascript;base64,' + Buffer.from(built.outputFiles[0].text).toString('base64')
);

const rule = (op, value) => ({ if: { op, value }, goTo: 'end' });
const skipped = {};

describe('a logic rule holds', () => {
  const cases = [
    ['eq', 7, { answer: 7 }, true],
    ['eq', 7, { answer: 8 }, false],
    ['neq', 7, { answer: 8 }, true],
    ['neq', 7, skipped, false],
    ['lt', 7, { answer: 6 }, true],
    ['lt', 7, { answer: 7 }, false],
    ['lte', 7, { answer: 7 }, true],
    ['gt', 7, { answer: 7 }, false],
    ['gt', 7, { answer: 8 }, true],
    ['gte', 9, { answer: 9 }, true],
    ['gte', 9, { answer: 0 }, false],
    ['gte', 9, { answer: '9' }, false],
    ['is', 'Price', { answer: 'Price' }, true],
    ['is', 'Price', { answer: 'price' }, false],
    ['isNot', 'Price', { answer: 'Speed' }, true],
    ['isNot', 'Price', { answer: 'Price' }, false],
    ['isNot', 'Price', skipped, false],
    ['includes', 'A', { answer: ['B', 'A'] }, true],
    ['includes', 'A', { answer: ['B'] }, false],
    ['includes', 'A', { answer: 'A' }, false],
    ['answered', undefined, { answer: 0 }, true],
    ['answered', undefined, skipped, false],
    ['skipped', undefined, skipped, true],
    ['skipped', undefined, { answer: '' + 'x' }, false],
    ['nonsense', 1, { answer: 1 }, false],
  ];
  for (const [op, value, given, expected] of cases) {
    test(`${op} ${JSON.stringify(value)} for ${JSON.stringify(given)}: ${expected}`, () => {
      assert.equal(holds(rule(op, value), given), expected);
    });
  }
});

describe('the question that follows', () => {
  const questions = [
    {
      id: 'a',
      logic: [
        { if: { op: 'lt', value: 3 }, goTo: 'a' }, // backwards: passed over
        { if: { op: 'lt', value: 5 }, goTo: 'c' },
        { if: { op: 'lt', value: 7 }, goTo: 'end' },
        { if: { op: 'lt', value: 8 }, goTo: 'nowhere' }, // passed over
      ],
    },
    { id: 'b', logic: [{ if: { op: 'answered' }, goTo: 'a' }] },
    { id: 'c' },
  ];

  test('the first rule that holds and names a later question decides', () => {
    assert.equal(nextIndex(questions, 0, { answer: 1 }), 2);
    assert.equal(nextIndex(questions, 0, { answer: 4 }), 2);
  });

  test('goTo end ends the survey', () => {
    assert.equal(nextIndex(questions, 0, { answer: 6 }), END);
  });

  test('without a rule that holds, the next question follows', () => {
    assert.equal(nextIndex(questions, 0, { answer: 7 }), 1);
    assert.equal(nextIndex(questions, 0, skipped), 1);
  });

  test('logic never goes back', () => {
    assert.equal(nextIndex(questions, 1, { answer: 'x' }), 2);
  });

  test('after the last question comes the end', () => {
    assert.equal(nextIndex(questions, 2, { answer: 'x' }), END);
  });

  test('a rule without an if never holds', () => {
    assert.equal(holds({ goTo: 'end' }, { answer: 1 }), false);
  });
});
