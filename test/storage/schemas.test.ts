import assert from 'node:assert/strict';
import { instant } from '../../storage/index.js';

describe('instant schema', () => {
  it('reads an ISO-8601 string (with Z or an offset) and a Date as a Date', () => {
    assert.equal(instant.parse('2024-03-01T09:30:00.000Z').toISOString(), '2024-03-01T09:30:00.000Z');
    assert.equal(instant.parse('2024-03-01T10:30:00+01:00').toISOString(), '2024-03-01T09:30:00.000Z');
    assert.equal(instant.parse(new Date(0)).getTime(), 0);
  });

  for (const bad of [null, 0, true, '', '2024-03-01', '2024-13-01T00:00:00Z', 'yesterday', new Date(Number.NaN)]) {
    it(`refuses ${bad instanceof Date ? 'an invalid Date' : JSON.stringify(bad)}`, () => {
      assert.equal(instant.safeParse(bad).success, false);
    });
  }
});
