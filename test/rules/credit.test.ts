import assert from 'node:assert/strict';
import { creditCountsFrom, creditCountsUntil, creditPeriod, defaultPolicy } from '../../rules/index.js';
import type { Association, CreditStart } from '../../rules/index.js';
import { association, at, credential, ended } from './fixtures.js';

const linked = association('a1', '2025-01-15T09:00:00.000Z');
const universityLink = association('u1', '2025-01-15T09:00:00.000Z', { kind: 'university', accountId: 'PU1' });
const assessment = (passed: string) => credential('c-pu', passed, { kind: 'university', accountId: 'PU1', type: 'assessment', code: 'PU-AZ' });
const range = (from: string, earliest = from, latest = from): CreditStart => ({ from: at(from), earliest: at(earliest), latest: at(latest) });

describe('rules/credit', () => {
  describe('creditCountsFrom (rule 7)', () => {
    const cases: [string, ReturnType<typeof credential>, Association, CreditStart][] = [
      ['counts a certification passed before linking 10 days after the link', credential('c1', '2023-06-01T00:00:00.000Z'), linked, range('2025-01-25T09:00:00.000Z')],
      ['counts a certification passed after linking 10 days after passing', credential('c1', '2025-02-03T14:00:00.000Z'), linked, range('2025-02-13T14:00:00.000Z')],
      ['counts a certification passed at the very instant of linking 10 days later', credential('c1', '2025-01-15T09:00:00.000Z'), linked, range('2025-01-25T09:00:00.000Z')],
      ['counts a Partner University assessment passed before linking 72 hours after the link', assessment('2024-11-01T00:00:00.000Z'), universityLink, range('2025-01-18T09:00:00.000Z')],
      [
        'counts a newly passed assessment by 10 days after passing and shows 7 to 10 days',
        assessment('2025-02-01T00:00:00.000Z'),
        universityLink,
        range('2025-02-11T00:00:00.000Z', '2025-02-08T00:00:00.000Z', '2025-02-11T00:00:00.000Z'),
      ],
      ['counts 10 days after a link on February 29 as March 10', credential('c1', '2023-01-01T00:00:00.000Z'), association('a2', '2024-02-29T23:00:00.000Z'), range('2024-03-10T23:00:00.000Z')],
    ];
    for (const [name, cred, assoc, expected] of cases) {
      it(name, () => assert.deepEqual(creditCountsFrom(cred, assoc, defaultPolicy), expected));
    }
  });

  describe('creditCountsUntil (rule 8)', () => {
    const cases: [string, string, string][] = [
      ['stops credit of an association ended on January 1 at 00:00 UTC on February 10', '2025-01-01T00:00:00.000Z', '2025-02-10T00:00:00.000Z'],
      ['stops credit of an association ended on January 31 at 23:59 UTC still on February 10', '2025-01-31T23:59:00.000Z', '2025-02-10T00:00:00.000Z'],
      ['stops credit of an association ended on February 10 at 00:00 UTC on March 10', '2025-02-10T00:00:00.000Z', '2025-03-10T00:00:00.000Z'],
      ['stops credit of an association ended in December on January 10 of the next year', '2025-12-15T08:00:00.000Z', '2026-01-10T00:00:00.000Z'],
      ['stops credit of an account deleted on the last day of a leap February on March 10', '2024-02-29T23:00:00.000Z', '2024-03-10T00:00:00.000Z'],
      // 2025-01-31T16:30Z is already February 1 in Asia/Shanghai; the refresh follows the UTC month.
      ['uses the UTC month for an end that is already the next month in Asia/Shanghai', '2025-01-31T16:30:00.000Z', '2025-02-10T00:00:00.000Z'],
      // 2025-10-31T23:30Z is November 1, 00:30 in Europe/Paris.
      ['uses the UTC month for an end that is already the next month in Europe/Paris', '2025-10-31T23:30:00.000Z', '2025-11-10T00:00:00.000Z'],
    ];
    for (const [name, end, expected] of cases) {
      it(name, () => assert.deepEqual(creditCountsUntil(ended(linked, end), defaultPolicy), at(expected)));
    }

    it('keeps counting while the association is active', () => {
      assert.equal(creditCountsUntil(linked, defaultPolicy), null);
    });

    it('clamps a refresh day the month does not have', () => {
      const policy = { ...defaultPolicy, reportRefreshDayOfMonth: 31 };
      assert.deepEqual(creditCountsUntil(ended(linked, '2025-01-20T00:00:00.000Z'), policy), at('2025-02-28T00:00:00.000Z'));
    });
  });

  describe('creditPeriod', () => {
    it('stops at the refresh when the association ends before the credential expires', () => {
      const period = creditPeriod(credential('c1', '2024-01-01T00:00:00.000Z', { expires: at('2026-01-01T00:00:00.000Z') }), ended(linked, '2025-03-03T00:00:00.000Z', 'moved'), defaultPolicy);
      assert.deepEqual(period, { from: at('2025-01-25T09:00:00.000Z'), until: at('2025-04-10T00:00:00.000Z'), stopReason: 'association-ended' });
    });

    it('stops at the expiry when the credential expires first', () => {
      const period = creditPeriod(credential('c1', '2024-01-01T00:00:00.000Z', { expires: at('2025-03-01T00:00:00.000Z') }), linked, defaultPolicy);
      assert.deepEqual(period, { from: at('2025-01-25T09:00:00.000Z'), until: at('2025-03-01T00:00:00.000Z'), stopReason: 'credential-expires' });
    });

    it('never counts a credential passed after the association ended', () => {
      assert.equal(creditPeriod(credential('c1', '2025-02-05T00:00:00.000Z'), ended(linked, '2025-02-01T00:00:00.000Z'), defaultPolicy), null);
    });

    it('never counts a credential that expires before its credit would start', () => {
      assert.equal(creditPeriod(credential('c1', '2024-01-01T00:00:00.000Z', { expires: at('2025-01-20T00:00:00.000Z') }), linked, defaultPolicy), null);
    });

    it('never counts a credential of another account', () => {
      assert.equal(creditPeriod(credential('c1', '2024-01-01T00:00:00.000Z', { accountId: 'M9' }), linked, defaultPolicy), null);
      assert.equal(creditPeriod(assessment('2024-01-01T00:00:00.000Z'), linked, defaultPolicy), null);
    });

    it('never counts, through an association with one organization, a credential another organization imported', () => {
      assert.equal(creditPeriod(credential('c1', '2024-01-01T00:00:00.000Z', { tenantId: 'B' }), linked, defaultPolicy), null);
    });
  });
});
