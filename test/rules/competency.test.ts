import assert from 'node:assert/strict';
import { competencyTransitions, defaultPolicy, evaluateCompetency } from '../../rules/index.js';
import type { Association, CompetencyEvaluation, Credential } from '../../rules/index.js';
import { association, at, credential, ended, requirement } from './fixtures.js';

const aliceLink = association('a-alice', '2024-01-01T00:00:00.000Z', { personId: 'alice', accountId: 'M1' });
const bobLink = association('a-bob', '2024-01-01T00:00:00.000Z', { personId: 'bob', accountId: 'M2' });
const aliceCert = credential('c-alice', '2023-05-01T00:00:00.000Z', { accountId: 'M1' });
const bobCert = credential('c-bob', '2023-05-01T00:00:00.000Z', { accountId: 'M2' });
const twoPeople = requirement(2);

function evaluate(associations: Association[], credentials: Credential[], now: string, req = twoPeople): CompetencyEvaluation {
  return evaluateCompetency(req, associations, credentials, defaultPolicy, at(now));
}

describe('rules/competency', () => {
  describe('evaluateCompetency', () => {
    it('is met when enough people count and nothing known will change', () => {
      assert.deepEqual(evaluate([aliceLink, bobLink], [aliceCert, bobCert], '2025-01-15T00:00:00.000Z'), {
        kind: 'met',
        requirementId: 'req-azure',
        competency: 'Azure',
        required: 2,
        current: 2,
        lowest: 2,
        after: 2,
        changesAt: null,
        counting: [
          { personId: 'alice', credentialIds: ['c-alice'] },
          { personId: 'bob', credentialIds: ['c-bob'] },
        ],
        changes: [],
        causes: [],
      });
    });

    it('is not met while a new link still waits for its 10 days, and says when it will be met', () => {
      const carolLink = association('a-carol', '2025-01-12T08:00:00.000Z', { personId: 'carol', accountId: 'M3' });
      const carolCert = credential('c-carol', '2024-01-01T00:00:00.000Z', { accountId: 'M3' });
      const result = evaluate([aliceLink, carolLink], [aliceCert, carolCert], '2025-01-15T00:00:00.000Z');
      assert.equal(result.kind, 'not-met');
      assert.equal(result.current, 1);
      assert.equal(result.after, 2);
      assert.deepEqual(result.changesAt, at('2025-01-22T08:00:00.000Z'));
      assert.deepEqual(result.changes, [
        { at: at('2025-01-22T08:00:00.000Z'), personId: 'carol', change: 'starts-counting', reason: 'credit-pending', associationId: 'a-carol', credentialId: 'c-carol', endReason: null },
      ]);
    });

    it('is at risk when someone unlinked and their credit stops at the next refresh', () => {
      const result = evaluate([aliceLink, ended(bobLink, '2025-01-20T10:00:00.000Z')], [aliceCert, bobCert], '2025-01-25T00:00:00.000Z');
      assert.equal(result.kind, 'at-risk');
      assert.deepEqual(result.changesAt, at('2025-02-10T00:00:00.000Z'));
      assert.deepEqual([result.current, result.lowest, result.after], [2, 1, 1]);
      assert.deepEqual(result.causes, [
        { at: at('2025-02-10T00:00:00.000Z'), personId: 'bob', change: 'stops-counting', reason: 'association-ended', associationId: 'a-bob', credentialId: 'c-bob', endReason: 'unlinked' },
      ]);
    });

    it('is still at risk one millisecond before the refresh and not met at 00:00 UTC on the 10th', () => {
      const history = [aliceLink, ended(bobLink, '2025-01-20T10:00:00.000Z', 'account-deleted')];
      assert.equal(evaluate(history, [aliceCert, bobCert], '2025-02-09T23:59:59.999Z').kind, 'at-risk');
      assert.equal(evaluate(history, [aliceCert, bobCert], '2025-02-10T00:00:00.000Z').kind, 'not-met');
    });

    const expiring = (expires: string) => credential('c-bob', '2023-05-01T00:00:00.000Z', { accountId: 'M2', expires: at(expires) });
    const expiryCases: [string, string, CompetencyEvaluation['kind']][] = [
      ['is at risk when a credential expires within the 60-day warning window', '2025-03-01T00:00:00.000Z', 'at-risk'],
      ['is at risk when a credential expires exactly 60 days ahead', '2025-03-16T00:00:00.000Z', 'at-risk'],
      ['is met when the expiry is one millisecond beyond the warning window', '2025-03-16T00:00:00.001Z', 'met'],
    ];
    for (const [name, expires, kind] of expiryCases) {
      it(name, () => assert.equal(evaluate([aliceLink, bobLink], [aliceCert, expiring(expires)], '2025-01-15T00:00:00.000Z').kind, kind));
    }

    it('names the expiring credential as the cause', () => {
      const result = evaluate([aliceLink, bobLink], [aliceCert, expiring('2025-03-01T00:00:00.000Z')], '2025-01-15T00:00:00.000Z');
      assert.deepEqual(result.causes.map((c) => [c.personId, c.credentialId, c.reason]), [['bob', 'c-bob', 'credential-expires']]);
    });

    it('is met when the person whose credential expires still has another qualifying one', () => {
      const other = credential('c-bob-2', '2024-05-01T00:00:00.000Z', { accountId: 'M2', code: 'AZ-305' });
      const result = evaluate([aliceLink, bobLink], [aliceCert, expiring('2025-03-01T00:00:00.000Z'), other], '2025-01-15T00:00:00.000Z');
      assert.equal(result.kind, 'met');
      assert.deepEqual(result.counting[1], { personId: 'bob', credentialIds: ['c-bob', 'c-bob-2'] });
    });

    it('does not count an expired credential', () => {
      assert.equal(evaluate([aliceLink, bobLink], [aliceCert, expiring('2025-01-01T00:00:00.000Z')], '2025-01-15T00:00:00.000Z').current, 1);
    });

    it('is met when a pending credit arrives before the pending removal', () => {
      const carolLink = association('a-carol', '2025-01-20T00:00:00.000Z', { personId: 'carol', accountId: 'M3' });
      const carolCert = credential('c-carol', '2024-01-01T00:00:00.000Z', { accountId: 'M3' });
      const result = evaluate([aliceLink, ended(bobLink, '2025-01-21T00:00:00.000Z'), carolLink], [aliceCert, bobCert, carolCert], '2025-01-25T00:00:00.000Z');
      assert.equal(result.kind, 'met');
      assert.deepEqual([result.current, result.lowest, result.after], [2, 2, 2]);
    });

    it('is at risk when the replacement only counts after the removal', () => {
      const carolLink = association('a-carol', '2025-02-05T00:00:00.000Z', { personId: 'carol', accountId: 'M3' });
      const carolCert = credential('c-carol', '2024-01-01T00:00:00.000Z', { accountId: 'M3' });
      const result = evaluate([aliceLink, ended(bobLink, '2025-01-21T00:00:00.000Z'), carolLink], [aliceCert, bobCert, carolCert], '2025-02-06T00:00:00.000Z');
      assert.equal(result.kind, 'at-risk');
      assert.deepEqual([result.current, result.lowest, result.after], [2, 1, 2]);
      assert.deepEqual(result.changesAt, at('2025-02-10T00:00:00.000Z'));
    });

    it('ignores credentials that do not count toward the competency or lack a required code', () => {
      const security = credential('c-bob', '2023-05-01T00:00:00.000Z', { accountId: 'M2', competencies: ['Security'] });
      assert.equal(evaluate([aliceLink, bobLink], [aliceCert, security], '2025-01-15T00:00:00.000Z').current, 1);
      const onlyAz305 = requirement(1, { credentialCodes: ['AZ-305'] });
      assert.equal(evaluate([aliceLink, bobLink], [aliceCert, bobCert], '2025-01-15T00:00:00.000Z', onlyAz305).current, 0);
    });

    it('ignores associations with other organizations', () => {
      const bobElsewhere = { ...bobLink, tenantId: 'B' };
      assert.equal(evaluate([aliceLink, bobElsewhere], [aliceCert, bobCert], '2025-01-15T00:00:00.000Z').current, 1);
    });

    it('counts a moved MCID for the old organization until the refresh and for the new one 10 days after the move', () => {
      const moved = ended(aliceLink, '2025-01-20T12:00:00.000Z', 'moved');
      const atB = association('a-alice-b', '2025-01-20T12:00:00.000Z', { personId: 'alice-b', tenantId: 'B', accountId: 'M1' });
      // B imported the same certification from its own skills report.
      const aliceCertAtB = credential('c-alice-b', '2023-05-01T00:00:00.000Z', { tenantId: 'B' });
      const credentials = [aliceCert, bobCert, aliceCertAtB];
      const forA = evaluate([moved, bobLink, atB], credentials, '2025-01-25T00:00:00.000Z');
      assert.equal(forA.kind, 'at-risk');
      assert.equal(forA.causes[0]?.endReason, 'moved');
      assert.equal(forA.causes[0]?.credentialId, 'c-alice', "A counts its own record, not B's");
      const forB = evaluate([moved, bobLink, atB], credentials, '2025-01-25T00:00:00.000Z', requirement(1, { tenantId: 'B' }));
      assert.equal(forB.kind, 'not-met');
      assert.deepEqual(forB.changesAt, at('2025-01-30T12:00:00.000Z'));
      assert.deepEqual(forB.changes.map((c) => c.credentialId), ['c-alice-b']);
    });

    it("never counts a credential another organization imported, even for an MCID linked here", () => {
      const atB = association('a-alice-b', '2024-01-01T00:00:00.000Z', { personId: 'alice-b', tenantId: 'B', accountId: 'M1' });
      const forB = evaluate([atB], [aliceCert], '2025-01-15T00:00:00.000Z', requirement(1, { tenantId: 'B' }));
      assert.deepEqual([forB.kind, forB.current, forB.changes.length], ['not-met', 0, 0]);
      // A's own requirement with B's record (same MCID, code and date) and A's link: B's record does not count for A either.
      const fromB = credential('c-alice-b', '2023-05-01T00:00:00.000Z', { tenantId: 'B' });
      assert.equal(evaluate([aliceLink], [fromB], '2025-01-15T00:00:00.000Z', requirement(1)).current, 0);
    });

    it('counts a person once even with the same credential through a re-link', () => {
      const relinked = association('a-alice-2', '2025-01-05T00:00:00.000Z', { personId: 'alice', accountId: 'M1' });
      const result = evaluate([ended(aliceLink, '2025-01-02T00:00:00.000Z'), relinked], [aliceCert], '2025-01-10T00:00:00.000Z', requirement(1));
      assert.equal(result.kind, 'met');
      assert.equal(result.current, 1);
      assert.deepEqual(result.changes, []);
    });
    it('lists no change when a re-link starts counting at the very instant the old credit stops', () => {
      // Ended January 20: counts until February 10, 00:00 UTC; re-linked January 31, 00:00: counts from February 10, 00:00.
      const relinked = association('a-alice-2', '2025-01-31T00:00:00.000Z', { personId: 'alice', accountId: 'M1' });
      const result = evaluate([ended(aliceLink, '2025-01-20T00:00:00.000Z'), relinked], [aliceCert], '2025-02-01T00:00:00.000Z', requirement(1));
      assert.equal(result.kind, 'met');
      assert.deepEqual(result.changes, []);
    });
  });

  describe('competencyTransitions', () => {
    const metNow = evaluate([aliceLink, bobLink], [aliceCert, bobCert], '2025-01-15T00:00:00.000Z');
    const atRisk = evaluate([aliceLink, ended(bobLink, '2025-01-20T10:00:00.000Z')], [aliceCert, bobCert], '2025-01-25T00:00:00.000Z');
    const notMet = evaluate([aliceLink, ended(bobLink, '2025-01-20T10:00:00.000Z')], [aliceCert, bobCert], '2025-02-10T00:00:00.000Z');

    it('raises an alert when a met requirement becomes at risk', () => {
      assert.deepEqual(competencyTransitions([metNow], [atRisk]), [
        { requirementId: 'req-azure', from: 'met', to: 'at-risk', raisesAlert: true, evaluation: atRisk, stoppedCounting: [] },
      ]);
    });

    it('raises an alert when an at-risk requirement is no longer met, naming who stopped counting', () => {
      const [transition] = competencyTransitions([atRisk], [notMet]);
      assert.equal(transition?.raisesAlert, true);
      assert.deepEqual(transition?.stoppedCounting, [{ personId: 'bob', credentialIds: ['c-bob'] }]);
    });

    it('reports a recovery without raising an alert', () => {
      assert.deepEqual(competencyTransitions([notMet], [metNow]).map((t) => [t.from, t.to, t.raisesAlert]), [['not-met', 'met', false]]);
    });

    it('reports nothing when the status did not change', () => {
      assert.deepEqual(competencyTransitions([atRisk], [{ ...atRisk, current: 3 }]), []);
    });

    it('raises an alert for a new requirement that is not met', () => {
      assert.deepEqual(competencyTransitions([], [notMet]).map((t) => [t.from, t.to, t.raisesAlert]), [[null, 'not-met', true]]);
    });
  });
});
