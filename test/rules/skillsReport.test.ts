import assert from 'node:assert/strict';
import { defaultPolicy, skillsReport } from '../../rules/index.js';
import type { Association, Credential, Person } from '../../rules/index.js';
import { association, at, credential, ended, requirement } from './fixtures.js';

const people: Person[] = [
  { id: 'alice', tenantId: 'A', displayName: 'Alice Martin', role: 'member' },
  { id: 'bob', tenantId: 'A', displayName: '王波', role: 'member' },
  { id: 'carol', tenantId: 'A', displayName: 'Carol Dubois', role: 'partner-admin' },
];
const requirements = [requirement(2), requirement(1, { id: 'req-sec', competency: 'Security' })];
const aliceLink = association('a-alice', '2024-01-01T00:00:00.000Z');
const aliceCert = credential('c-az104', '2023-05-01T00:00:00.000Z');

function report(associations: Association[], credentials: Credential[], now: string, who: Person[] = people) {
  return skillsReport('A', requirements, who, associations, credentials, defaultPolicy, at(now));
}

describe('rules/skillsReport', () => {
  it('lists name, MCID, credential type, title, date and competency of a counting credential', () => {
    assert.deepEqual(report([aliceLink], [aliceCert], '2025-01-15T00:00:00.000Z'), [
      {
        personId: 'alice', name: 'Alice Martin', mcid: 'M1', credentialId: 'c-az104', accountKind: 'learn', type: 'certification',
        code: 'AZ-104', title: 'Microsoft Certified: Azure Administrator Associate', passed: at('2023-05-01T00:00:00.000Z'), competency: 'Azure',
      },
    ]);
  });

  it('gives one row per competency the credential counts toward, and none for competencies nobody requires', () => {
    const multi = credential('c-multi', '2023-05-01T00:00:00.000Z', { competencies: ['Security', 'Azure', 'Data'] });
    assert.deepEqual(report([aliceLink], [multi], '2025-01-15T00:00:00.000Z').map((r) => r.competency), ['Azure', 'Security']);
  });

  it('leaves out credentials that count toward no requirement', () => {
    const other = credential('c-pl300', '2023-05-01T00:00:00.000Z', { code: 'PL-300', competencies: ['Data'] });
    assert.deepEqual(report([aliceLink], [other], '2025-01-15T00:00:00.000Z'), []);
  });

  it('leaves out people with only a Partner University account linked', () => {
    const bobUniversity = association('u-bob', '2024-01-01T00:00:00.000Z', { personId: 'bob', kind: 'university', accountId: 'PU2' });
    const assessment = credential('c-pu', '2023-05-01T00:00:00.000Z', { kind: 'university', accountId: 'PU2', type: 'assessment', code: 'PU-AZ' });
    assert.deepEqual(report([bobUniversity], [assessment], '2025-01-15T00:00:00.000Z'), []);
  });

  it('lists the Partner University assessments of a person whose MCID is linked, under that MCID', () => {
    const aliceUniversity = association('u-alice', '2024-01-01T00:00:00.000Z', { kind: 'university', accountId: 'PU1' });
    const assessment = credential('c-pu', '2023-06-01T00:00:00.000Z', { kind: 'university', accountId: 'PU1', type: 'assessment', code: 'PU-AZ' });
    const rows = report([aliceLink, aliceUniversity], [aliceCert, assessment], '2025-01-15T00:00:00.000Z');
    assert.deepEqual(rows.map((r) => [r.code, r.mcid, r.accountKind]), [['AZ-104', 'M1', 'learn'], ['PU-AZ', 'M1', 'university']]);
  });

  it('leaves out a credential whose credit is still pending', () => {
    const fresh = credential('c-new', '2025-01-10T00:00:00.000Z', { code: 'AZ-305' });
    assert.deepEqual(report([aliceLink], [aliceCert, fresh], '2025-01-15T00:00:00.000Z').map((r) => r.code), ['AZ-104']);
  });

  it('keeps a deleted account in the report until the refresh, without a name, and drops it at 00:00 UTC on the 10th', () => {
    const deleted = [ended(aliceLink, '2025-01-31T23:59:00.000Z', 'account-deleted')];
    const before = report(deleted, [aliceCert], '2025-02-09T23:59:59.999Z', people.slice(1));
    assert.deepEqual(before.map((r) => [r.personId, r.name]), [['alice', null]]);
    assert.deepEqual(report(deleted, [aliceCert], '2025-02-10T00:00:00.000Z', people.slice(1)), []);
  });

  it('lists only what the organization imported, never the same credential as another organization imported it', () => {
    const fromB = credential('c-az104-b', '2023-05-01T00:00:00.000Z', { tenantId: 'B', competencies: ['Azure', 'Security'] });
    assert.deepEqual(report([aliceLink], [fromB], '2025-01-15T00:00:00.000Z'), []);
    const rows = report([aliceLink], [aliceCert, fromB], '2025-01-15T00:00:00.000Z');
    assert.deepEqual(rows.map((r) => [r.credentialId, r.competency]), [['c-az104', 'Azure']]);
  });

  it('lists people of the organization only', () => {
    const elsewhere = association('a-dan', '2024-01-01T00:00:00.000Z', { personId: 'dan', tenantId: 'B', accountId: 'M4' });
    assert.deepEqual(report([elsewhere], [credential('c-dan', '2023-01-01T00:00:00.000Z', { accountId: 'M4' })], '2025-01-15T00:00:00.000Z'), []);
  });
});
