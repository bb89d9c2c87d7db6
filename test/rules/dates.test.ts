import assert from 'node:assert/strict';
import { addDays, addUtcMonths, dayOfNextUtcMonth, daysInUtcMonth } from '../../rules/dates.js';
import { at } from './fixtures.js';

describe('rules/dates', () => {
  describe('addUtcMonths', () => {
    const cases: [string, number, string][] = [
      ['2025-01-31T10:00:00.000Z', 1, '2025-02-28T10:00:00.000Z'],
      ['2024-01-31T10:00:00.000Z', 1, '2024-02-29T10:00:00.000Z'],
      ['2024-02-29T12:00:00.000Z', 12, '2025-02-28T12:00:00.000Z'],
      ['2024-02-29T12:00:00.000Z', 48, '2028-02-29T12:00:00.000Z'],
      ['2025-03-31T23:59:59.999Z', -1, '2025-02-28T23:59:59.999Z'],
      ['2025-12-15T00:00:00.000Z', 1, '2026-01-15T00:00:00.000Z'],
      ['2025-01-15T00:00:00.000Z', -1, '2024-12-15T00:00:00.000Z'],
      ['2024-08-31T06:30:00.000Z', 12, '2025-08-31T06:30:00.000Z'],
      ['0050-06-30T00:00:00.000Z', 1, '0050-07-30T00:00:00.000Z'],
    ];
    for (const [from, months, expected] of cases) {
      it(`moves ${from} by ${months} month(s) to ${expected}`, () => {
        assert.equal(addUtcMonths(at(from), months).toISOString(), expected);
      });
    }
  });

  it('counts days as 24 hours even across a Europe/Paris DST change', () => {
    // 2025-03-30 01:00Z Paris jumps from 02:00 to 03:00 local; UTC has no such jump.
    assert.equal(addDays(at('2025-03-29T23:30:00.000Z'), 30).toISOString(), '2025-04-28T23:30:00.000Z');
    assert.equal(addDays(at('2025-10-25T23:30:00.000Z'), 1).getTime() - at('2025-10-25T23:30:00.000Z').getTime(), 86_400_000);
  });

  it('knows the length of February in leap and common years', () => {
    assert.equal(daysInUtcMonth(2024, 1), 29);
    assert.equal(daysInUtcMonth(2025, 1), 28);
    assert.equal(daysInUtcMonth(2000, 1), 29);
    assert.equal(daysInUtcMonth(2100, 1), 28);
  });

  it('finds a day of the next month, clamped to its length, at 00:00 UTC', () => {
    assert.equal(dayOfNextUtcMonth(at('2025-01-31T23:59:59.999Z'), 10).toISOString(), '2025-02-10T00:00:00.000Z');
    assert.equal(dayOfNextUtcMonth(at('2025-12-01T00:00:00.000Z'), 10).toISOString(), '2026-01-10T00:00:00.000Z');
    assert.equal(dayOfNextUtcMonth(at('2025-01-15T00:00:00.000Z'), 31).toISOString(), '2025-02-28T00:00:00.000Z');
  });
});
