import { expect, test } from 'bun:test';
import { passwordProblems } from './password-policy.ts';

test.each([
  ['correct-Horse-battery-9', 0],
  ['Abcdefghijk1', 0],
  ['short-A1', 1],
  ['alllowercaseletters', 1],
  ['ALLUPPER-AND-SYMBOLS-9', 0],
  ['Password1234', 1],
  ['QWERTY123456', 2],
  ['Qwerty123456!', 1],
  [`Aa1-${'x'.repeat(125)}`, 1],
])('%p has %i problem(s)', (password, count) => {
  expect(passwordProblems(password)).toHaveLength(count);
});

test('length counts characters, not UTF-16 units', () => {
  expect(passwordProblems('Aa1-éééééééé')).toHaveLength(0);
  expect(passwordProblems('Aa1-😀😀😀😀')).toHaveLength(1);
});
