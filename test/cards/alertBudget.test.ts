import assert from 'node:assert/strict';
import { alertCardBudget } from '../../cards/alertBudget.js';

describe('alert card budget', () => {
  const person = (i: number, credentials: number) => ({ name: `P${i}`, credentials: Array.from({ length: credentials }, (_, c) => `c${c}`) });

  it('names the first 20 people and counts the rest', () => {
    const fitted = alertCardBudget(Array.from({ length: 23 }, (_, i) => person(i, 1)));
    assert.deepEqual(fitted.involved.map((p) => p.name), Array.from({ length: 20 }, (_, i) => `P${i}`));
    assert.equal(fitted.moreInvolved, 3);
  });

  it('lists at most 10 credentials of each person, and counts no one more when all fit', () => {
    const fitted = alertCardBudget([person(0, 12), person(1, 2)]);
    assert.deepEqual(fitted.involved.map((p) => p.credentials.length), [10, 2]);
    assert.equal(fitted.moreInvolved, 0);
  });
});
