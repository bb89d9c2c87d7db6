import assert from 'node:assert/strict';
import { defaultPolicy } from '../../../rules/index.js';
import { createAdminServices } from '../../../services/admin/services.js';
import { parseCsv } from '../../../services/admin/importCsv.js';
import { RequirementsService } from '../../../services/admin/requirements.js';
import { SkillsReportService } from '../../../services/admin/skillsReport.js';
import { createMemoryLedger, credentialKey, personKey } from '../../../storage/index.js';

const TENANT = 'tenant-contoso';
const names = { en: 'Azure', 'zh-CN': 'Azure', fr: 'Azure' };

async function organization(now: Date) {
  const ledger = createMemoryLedger();
  const changes: string[] = [];
  const requirements = new RequirementsService({ ledger, clock: () => now, onOrganizationChanged: (_t, c) => void changes.push(c) });
  await requirements.upsert(TENANT, [{ id: 'azure', competency: 'azure', names, requiredPeople: 2, credentialCodes: [] }], 'cli');
  await ledger.transact((tx) => {
    const people = [['aad-dan', 'Dan, "the admin"', 'MCID1', new Date('2027-01-01T00:00:00Z')], ['aad-eve', 'Eve', 'MCID2', new Date('2026-04-01T00:00:00Z')]] as const;
    for (const [id, name, mcid, expires] of people) {
      tx.put('people', personKey(TENANT, id), { id, tenantId: TENANT, displayName: name, role: 'member' });
      tx.put('associations', `as-${id}`, { id: `as-${id}`, personId: id, tenantId: TENANT, kind: 'learn', accountId: mcid, start: new Date('2025-01-01T00:00:00Z') });
      tx.put('credentials', credentialKey(TENANT, `c-${id}`), { id: `c-${id}`, tenantId: TENANT, kind: 'learn', accountId: mcid, type: 'certification', code: 'AZ-104', title: '=Azure Admin', passed: new Date('2024-12-01T00:00:00Z'), expires, competencies: ['azure', 'other'] });
    }
  });
  return { ledger, changes, reports: new SkillsReportService({ ledger, policy: defaultPolicy, clock: () => now }) };
}

describe('competency status and the skills report', () => {
  it('shows a requirement at risk with who, what and when when a credential expires inside the warning window', async () => {
    const { reports, changes } = await organization(new Date('2026-03-02T09:00:00Z'));
    assert.deepEqual(changes, ['requirement-change']);
    const [status] = await reports.status(TENANT);
    assert.equal(status?.status, 'at-risk');
    assert.equal(status?.required, 2);
    assert.equal(status?.current, 2);
    assert.equal(status?.afterPending, 1);
    assert.deepEqual(status?.fallsAt, new Date('2026-04-01T00:00:00Z'));
    assert.deepEqual(status?.causes, [{ personName: 'Eve', credentialTitle: '=Azure Admin', at: new Date('2026-04-01T00:00:00Z'), reason: 'credential-expires' }]);
  });

  it('writes rule 10 rows as CSV with quoting and formula-safe cells', async () => {
    const { reports } = await organization(new Date('2026-03-02T09:00:00Z'));
    const rows = parseCsv(await reports.csv(TENANT)).map((r) => r.fields);
    assert.deepEqual(rows, [
      ['person', 'mcid', 'type', 'code', 'title', 'passed', 'expires', 'competency'],
      ['Dan, "the admin"', 'MCID1', 'certification', 'AZ-104', "'=Azure Admin", '2024-12-01', '2027-01-01', 'azure'],
      ['Eve', 'MCID2', 'certification', 'AZ-104', "'=Azure Admin", '2024-12-01', '2026-04-01', 'azure'],
    ]);
    assert.deepEqual((await reports.summary(TENANT)).byCompetency.map((c) => [c.requirement.competency, c.people, c.credentials]), [['azure', 2, 2]]);
    assert.deepEqual(await reports.rows('tenant-other'), []);
  });
});

describe('skills-report links', () => {
  const issuedAt = new Date('2026-03-02T09:00:00Z');
  let now = issuedAt;
  const admin = (reportSecret = 'secret-secret-secret-secret-secret') =>
    createAdminServices({ ledger: createMemoryLedger(), policy: defaultPolicy, clock: () => now, reportSecret, publicBaseUrl: 'https://bot.example' });

  it('work for the organization they were made for until they expire, and only as issued', async () => {
    now = issuedAt;
    const link = new URL((await admin().reportLink('a', 'fr')).url);
    assert.equal(link.pathname, '/api/reports/a/skills.csv');
    assert.equal(link.searchParams.get('lang'), 'fr');
    const token = link.searchParams.get('token') ?? undefined;
    now = new Date('2026-03-02T09:14:59Z');
    assert.deepEqual(await admin().checkReportLink('a', token), { ok: true });
    now = new Date('2026-03-02T09:15:00Z');
    assert.deepEqual(await admin().checkReportLink('a', token), { ok: false, problem: 'expired' });
    now = issuedAt;
    assert.deepEqual(await admin().checkReportLink('b', token), { ok: false, problem: 'bad-signature' });
    assert.deepEqual(await admin().checkReportLink('a', undefined), { ok: false, problem: 'malformed' });
    assert.deepEqual(await admin().checkReportLink('a', `${token}${'x'.repeat(2000)}`), { ok: false, problem: 'malformed' });
    assert.deepEqual(await admin('another-secret-another-secret-xx').checkReportLink('a', token), { ok: false, problem: 'bad-signature' });
  });
});

describe('competency status that tells pending credit and current causes', () => {
  const now = new Date('2026-12-03T09:00:00Z');
  async function linkedOrganization(people: number, linkedAt: Date) {
    const ledger = createMemoryLedger();
    const requirements = new RequirementsService({ ledger, clock: () => now });
    await requirements.upsert(TENANT, [{ id: 'azure', competency: 'azure', names, requiredPeople: 3, credentialCodes: [] }], 'cli');
    await ledger.transact((tx) => {
      for (let i = 1; i <= people; i++) {
        const id = `aad-p${i}`;
        tx.put('people', personKey(TENANT, id), { id, tenantId: TENANT, displayName: `Person ${i}`, role: 'member' });
        tx.put('associations', `as-${id}`, { id: `as-${id}`, personId: id, tenantId: TENANT, kind: 'learn', accountId: `MCID${i}`, start: linkedAt });
        tx.put('credentials', credentialKey(TENANT, `c-${id}`), { id: `c-${id}`, tenantId: TENANT, kind: 'learn', accountId: `MCID${i}`, type: 'certification', code: 'AZ-104', title: 'Azure Admin', passed: new Date('2024-12-01T00:00:00Z'), competencies: ['azure'] });
      }
    });
    return { ledger, reports: new SkillsReportService({ ledger, policy: defaultPolicy, clock: () => now }) };
  }

  it('shows credit starting in the coming days as pending, not as "not met, counting 0" and "the report is empty"', async () => {
    // Linked December 3: rule 7 lets their certifications count ten days later, December 13.
    const { reports } = await linkedOrganization(3, now);
    const [status] = await reports.status(TENANT);
    const december13 = new Date(now.getTime() + defaultPolicy.creditDelayDays * 86_400_000);
    assert.equal(status?.status, 'not-met');
    assert.equal(status?.current, 0);
    assert.deepEqual(status?.metAt, december13);
    assert.deepEqual(status?.pendingStarts.map((s) => [s.personName, s.at]), [['Person 1', december13], ['Person 2', december13], ['Person 3', december13]]);
    assert.deepEqual((await reports.summary(TENANT)).upcoming, { people: 3, from: december13 });
  });

  it('names a relinked person’s gap with the date they count again, not as "no longer linked"', async () => {
    const { ledger, reports } = await linkedOrganization(3, new Date('2026-01-05T00:00:00Z'));
    // Person 1 unlinked on November 2 (credit stops at the refresh on December 10) and linked again today.
    await ledger.transact(async (tx) => {
      const old = (await tx.get('associations', 'as-aad-p1'))!;
      tx.put('associations', old.id, { ...old, end: new Date('2026-11-02T00:00:00Z'), endReason: 'unlinked' });
      tx.put('associations', 'as-aad-p1-again', { ...old, id: 'as-aad-p1-again', start: now });
    });
    const [status] = await reports.status(TENANT);
    assert.equal(status?.status, 'at-risk');
    assert.deepEqual(status?.causes.map((c) => [c.personName, c.endReason, c.resumesAt]), [['Person 1', 'unlinked', new Date('2026-12-13T09:00:00Z')]]);
  });

  it('gives the cause of a person who moved to another organization', async () => {
    const { ledger, reports } = await linkedOrganization(3, new Date('2026-01-05T00:00:00Z'));
    await ledger.transact(async (tx) => {
      const old = (await tx.get('associations', 'as-aad-p2'))!;
      tx.put('associations', old.id, { ...old, end: new Date('2026-12-01T00:00:00Z'), endReason: 'moved' });
    });
    const [status] = await reports.status(TENANT);
    assert.deepEqual(status?.causes.map((c) => [c.personName, c.endReason, c.resumesAt]), [['Person 2', 'moved', undefined]]);
  });
});
