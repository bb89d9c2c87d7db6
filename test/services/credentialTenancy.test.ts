/**
 * Credentials belong to the organization that imported them: two organizations importing the same credential keep
 * their own records (with their own competency names), and neither organization's import changes what the other
 * sees or counts: competency status, alerts, the skills report, the employee status card.
 */
import assert from 'node:assert/strict';
import { defaultPolicy, type Association } from '../../rules/index.js';
import { AlertEvaluation } from '../../services/alerts/evaluation.js';
import { AssociationService } from '../../services/associations/associations.js';
import { ImportService } from '../../services/admin/importCredentials.js';
import { credentialId } from '../../services/admin/importFile.js';
import { RequirementsService } from '../../services/admin/requirements.js';
import { SkillsReportService } from '../../services/admin/skillsReport.js';
import { createMemoryLedger, credentialKey, personKey, type Ledger } from '../../storage/index.js';
import { allRecords, findRecords } from '../support/ledgerRecords.js';

const A = 'tenant-a';
const B = 'tenant-b';
const NOW = new Date('2026-03-02T09:00:00Z');
const clock = () => NOW;
const HEADER = 'person,mcid,type,code,title,passed,expires,competency';
const names = { en: 'Azure', 'zh-CN': 'Azure', fr: 'Azure' };

/** A's skills report: Dan and Eve hold AZ-104, which A files under its competency `azure`. */
const FILE_A = [
  HEADER,
  'Dan,MCID1001,certification,AZ-104,Azure Administrator Associate,2025-05-01,2027-05-01,azure',
  'Eve,MCID1002,certification,AZ-104,Azure Administrator Associate,2025-05-01,2027-05-01,azure',
].join('\n');
/** B's skills report about the same credentials, with B's own vocabulary (and B's title and expiry). */
const FILE_B = [
  HEADER,
  'Dan,MCID1001,certification,AZ-104,Azure Admin (B),2025-05-01,2026-03-20,cloud-infrastructure',
  'Eve,MCID1002,certification,AZ-104,Azure Admin (B),2025-05-01,2026-03-20,cloud-infrastructure',
].join('\n');

function link(id: string, tenantId: string, personId: string, mcid: string, start: string, end?: { at: string; reason: Association['endReason'] }): Association {
  return { id, personId, tenantId, kind: 'learn', accountId: mcid, start: new Date(start), ...(end ? { end: new Date(end.at), endReason: end.reason } : {}) };
}

async function people(ledger: Ledger, tenantId: string, ids: readonly string[]): Promise<void> {
  await ledger.transact((tx) => {
    for (const id of ids) tx.put('people', personKey(tenantId, id), { id, tenantId, displayName: id, role: 'member' });
  });
}

async function associations(ledger: Ledger, list: readonly Association[]): Promise<void> {
  await ledger.transact((tx) => {
    for (const a of list) tx.put('associations', a.id, a);
  });
}

function services(ledger: Ledger) {
  const alerts = new AlertEvaluation({ ledger, policy: defaultPolicy, clock, timerNow: () => 0 });
  const changed: string[] = [];
  return {
    alerts,
    changed,
    imports: new ImportService({ ledger, clock, onOrganizationChanged: (tenantId) => void changed.push(tenantId) }),
    requirements: new RequirementsService({ ledger, clock }),
    reports: new SkillsReportService({ ledger, policy: defaultPolicy, clock }),
    associations: new AssociationService({ ledger, policy: defaultPolicy, clock }),
  };
}

describe('credentials belong to the organization that imported them', () => {
  it('keeps one record per organization when two import the same credential with different competencies', async () => {
    const ledger = createMemoryLedger();
    const { imports, changed } = services(ledger);
    assert.deepEqual(await imports.importCsv(A, FILE_A, 'cli'), { kind: 'imported', rows: 2, credentials: 2, created: 2, updated: 0, unchanged: 0 });
    const aBefore = JSON.stringify(await findRecords(ledger, 'credentials', (c) => c.tenantId === A));

    assert.deepEqual(await imports.importCsv(B, FILE_B, 'cli'), { kind: 'imported', rows: 2, credentials: 2, created: 2, updated: 0, unchanged: 0 });
    assert.equal((await allRecords(ledger, 'credentials')).length, 4);
    assert.equal(JSON.stringify(await findRecords(ledger, 'credentials', (c) => c.tenantId === A)), aBefore, "B's import leaves A's records untouched");

    const passed = new Date('2025-05-01T00:00:00Z');
    const danA = await ledger.get('credentials', credentialKey(A, credentialId(A, 'MCID1001', 'AZ-104', passed)));
    const danB = await ledger.get('credentials', credentialKey(B, credentialId(B, 'MCID1001', 'AZ-104', passed)));
    assert.deepEqual([danA?.tenantId, danA?.competencies, danA?.title], [A, ['azure'], 'Azure Administrator Associate']);
    assert.deepEqual([danB?.tenantId, danB?.competencies, danB?.title], [B, ['cloud-infrastructure'], 'Azure Admin (B)']);
    assert.notEqual(danA?.id, danB?.id, 'ids never collide across organizations');

    // Re-importing either file for its own organization changes nothing; each import re-evaluates only its organization.
    assert.deepEqual(await imports.importCsv(A, FILE_A, 'cli'), { kind: 'imported', rows: 2, credentials: 2, created: 0, updated: 0, unchanged: 2 });
    assert.deepEqual(await imports.importCsv(B, FILE_B, 'cli'), { kind: 'imported', rows: 2, credentials: 2, created: 0, updated: 0, unchanged: 2 });
    assert.deepEqual(changed, [A, B]);
    // The same file imported for another organization is that organization's data, even with identical rows.
    assert.equal((await imports.importCsv(B, FILE_A, 'cli')).kind, 'imported');
    assert.equal(JSON.stringify(await findRecords(ledger, 'credentials', (c) => c.tenantId === A)), aBefore);
    assert.deepEqual((await ledger.get('credentials', credentialKey(B, danB!.id)))?.competencies, ['azure']);
  });

  it("leaves A's competency status, alerts and skills report unchanged by B's import of the same credentials", async () => {
    const ledger = createMemoryLedger();
    const { alerts, imports, requirements, reports } = services(ledger);
    await people(ledger, A, ['dan', 'eve']);
    await people(ledger, B, ['dan-b']);
    // Dan moved his MCID from A to B yesterday: A keeps his credit until the refresh (April 10), B counts it 10 days on.
    await associations(ledger, [
      link('a-dan', A, 'dan', 'MCID1001', '2025-06-01T00:00:00Z', { at: '2026-03-01T00:00:00Z', reason: 'moved' }),
      link('a-eve', A, 'eve', 'MCID1002', '2025-06-01T00:00:00Z'),
      link('b-dan', B, 'dan-b', 'MCID1001', '2026-03-01T00:00:00Z'),
    ]);
    await requirements.upsert(A, [{ id: 'azure', competency: 'azure', names, requiredPeople: 2, credentialCodes: [] }], 'cli');
    await requirements.upsert(B, [{ id: 'cloud', competency: 'cloud-infrastructure', names, requiredPeople: 1, credentialCodes: [] }], 'cli');
    await imports.importCsv(A, FILE_A, 'cli');
    await alerts.reevaluate(A, 'credential-import');

    const statusBefore = await reports.status(A);
    const rowsBefore = await reports.rows(A);
    const csvBefore = await reports.csv(A);
    const statesBefore = JSON.stringify(await findRecords(ledger, 'competencyStates', (s) => s.tenantId === A));
    // A is at risk (Dan's credit stops on April 10), through A's own records.
    assert.deepEqual(statusBefore.map((s) => [s.status, s.current, s.afterPending]), [['at-risk', 2, 1]]);
    assert.deepEqual(rowsBefore.map((r) => [r.personId, r.code, r.competency]), [['dan', 'AZ-104', 'azure'], ['eve', 'AZ-104', 'azure']]);
    const alertsBefore = (await allRecords(ledger, 'alerts')).length;

    await imports.importCsv(B, FILE_B, 'cli');
    const forA = await alerts.reevaluate(A, 'credential-import');
    assert.deepEqual(forA.transitions, [], 'no transition for A');
    assert.equal((await allRecords(ledger, 'alerts')).length, alertsBefore, 'no alert for A');
    assert.deepEqual(await reports.status(A), statusBefore);
    assert.deepEqual(await reports.rows(A), rowsBefore);
    assert.equal(await reports.csv(A), csvBefore, "A's CSV shows A's title and expiry, not B's");
    assert.equal(JSON.stringify(await findRecords(ledger, 'competencyStates', (s) => s.tenantId === A)), statesBefore);

    // B counts Dan through B's own record only: pending until 10 days after he linked there.
    const [forB] = await reports.status(B);
    assert.deepEqual([forB?.status, forB?.current], ['not-met', 0]);
    assert.deepEqual(await reports.rows(B), []);
  });

  it("does not count A's imported data for B when the MCID moves there, nor show it in B's status card", async () => {
    const ledger = createMemoryLedger();
    const { imports, requirements, reports, associations: linking } = services(ledger);
    await people(ledger, A, ['dan']);
    await people(ledger, B, ['dan-b']);
    await associations(ledger, [
      link('a-dan', A, 'dan', 'MCID1001', '2025-06-01T00:00:00Z', { at: '2025-12-01T00:00:00Z', reason: 'moved' }),
      link('b-dan', B, 'dan-b', 'MCID1001', '2025-12-01T00:00:00Z'),
    ]);
    // B's requirement uses the same competency name as A, so only ownership keeps A's data out.
    await requirements.upsert(B, [{ id: 'azure', competency: 'azure', names, requiredPeople: 1, credentialCodes: [] }], 'cli');
    await imports.importCsv(A, `${FILE_A}\nDan,MCID1001,exam,SC-200,Security Operations Analyst,2025-09-15,,azure`, 'cli');

    const dan = { personId: 'dan-b', tenantId: B };
    assert.deepEqual((await linking.status(dan)).credentials, [], "A's imported credentials never show in B");
    assert.deepEqual((await reports.status(B)).map((s) => [s.status, s.current]), [['not-met', 0]]);
    assert.deepEqual(await reports.rows(B), []);

    // Once B imports its own report, Dan's status in B lists B's records only.
    await imports.importCsv(B, FILE_B, 'cli');
    const status = await linking.status(dan);
    assert.deepEqual(
      status.credentials.map((c) => [c.credential.tenantId, c.credential.code, c.credential.title, c.credential.competencies]),
      [[B, 'AZ-104', 'Azure Admin (B)', ['cloud-infrastructure']]],
    );
    assert.deepEqual(status.credentials[0]?.counts?.from, new Date('2025-12-11T00:00:00Z'));
    // A still sees Dan (until the refresh after the move) through its own records.
    assert.deepEqual(
      (await findRecords(ledger, 'credentials', (c) => c.tenantId === A && c.accountId === 'MCID1001')).map((c) => c.code).sort(),
      ['AZ-104', 'SC-200'],
    );
  });
});
