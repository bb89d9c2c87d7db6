/**
 * Rule 10: the skills report of an organization at `now`. It lists only people whose MCID counts for the
 * organization (linked, or ended but before the refresh of rule 8) and only credentials that count now (rules 7, 8,
 * not expired) toward at least one of the organization's requirements: one row per credential and competency. Only
 * credentials the organization imported are listed.
 */
import { qualifies } from './competency.js';
import { creditCountsUntil, creditPeriod, periodIncludes } from './credit.js';
import type { Policy } from './policy.js';
import type { AccountKind, Association, CompetencyRequirement, Credential, CredentialType, Person } from './schemas.js';

/** One row of the skills report: name, MCID, credential type, title, date, competency (plus ids for links). */
export interface SkillsReportRow {
  personId: string;
  /** The person's display name, or null when their work account was deleted and their credit has not stopped yet. */
  name: string | null;
  mcid: string;
  credentialId: string;
  accountKind: AccountKind;
  type: CredentialType;
  code: string;
  title: string;
  passed: Date;
  competency: string;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The skills-report rows of the organization `tenantId` at `now`, in a stable order (person id, date, code, competency). */
export function skillsReport(
  tenantId: string,
  requirements: readonly CompetencyRequirement[],
  people: readonly Person[],
  associations: readonly Association[],
  credentials: readonly Credential[],
  policy: Policy,
  now: Date,
): SkillsReportRow[] {
  const ownRequirements = requirements.filter((r) => r.tenantId === tenantId);
  const ownAssociations = associations.filter((a) => a.tenantId === tenantId);
  // Only what this organization imported: another organization's records of the same MCID never show here.
  const ownCredentials = credentials.filter((c) => c.tenantId === tenantId);
  const names = new Map(people.filter((p) => p.tenantId === tenantId).map((p) => [p.id, p.displayName]));

  // The MCID shown for a person: the one whose association still counts, the latest start if several.
  const mcids = new Map<string, { mcid: string; start: number }>();
  for (const a of ownAssociations) {
    if (a.kind !== 'learn' || !countsNow(a, policy, now)) continue;
    const known = mcids.get(a.personId);
    const start = a.start.getTime();
    if (known === undefined || start > known.start || (start === known.start && a.accountId < known.mcid)) {
      mcids.set(a.personId, { mcid: a.accountId, start });
    }
  }

  const rows = new Map<string, SkillsReportRow>();
  for (const a of ownAssociations) {
    const mcid = mcids.get(a.personId)?.mcid;
    if (mcid === undefined) continue;
    for (const c of ownCredentials) {
      const period = creditPeriod(c, a, policy);
      if (period === null || !periodIncludes(period, now)) continue;
      for (const r of ownRequirements) {
        if (!qualifies(c, r)) continue;
        // The same credential can reach the report through two associations (a re-link): one row.
        rows.set(`${a.personId}\u0000${c.id}\u0000${r.competency}`, {
          personId: a.personId,
          name: names.get(a.personId) ?? null,
          mcid,
          credentialId: c.id,
          accountKind: c.kind,
          type: c.type,
          code: c.code,
          title: c.title,
          passed: c.passed,
          competency: r.competency,
        });
      }
    }
  }
  return [...rows.values()].sort(
    (x, y) =>
      compare(x.personId, y.personId) ||
      x.passed.getTime() - y.passed.getTime() ||
      compare(x.code, y.code) ||
      compare(x.credentialId, y.credentialId) ||
      compare(x.competency, y.competency),
  );
}

/** True while an association is active or its credit has not stopped yet (rule 8). */
function countsNow(association: Association, policy: Policy, now: Date): boolean {
  const until = creditCountsUntil(association, policy);
  return until === null || now.getTime() < until.getTime();
}
