/**
 * What the organization's admins see: the status of each competency requirement (rule 9) with who and what puts it
 * at risk and when, and the skills report (rule 10) as a summary and as CSV.
 */
import {
  evaluateCompetency,
  skillsReport,
  type Association,
  type CompetencyStatus,
  type Credential,
  type Policy,
  type SkillsReportRow,
} from '../../rules/index.js';
import { personKey, type Ledger } from '../../storage/index.js';
import { organizationInputs, records } from '../ledgerQueries.js';
import { csvLine } from './importCsv.js';
import { RequirementsService, type NamedRequirement } from './requirements.js';

/** One change that makes a requirement fall short: whose credit stops, which credential, when, and why. */
export interface RiskCause {
  readonly personName: string;
  readonly credentialTitle: string;
  readonly at: Date;
  readonly reason: 'association-ended' | 'credential-expires';
  /** Why the association ended (unlinked, moved to another organization, work account deleted), when it did. */
  readonly endReason?: 'unlinked' | 'moved' | 'account-deleted';
  /** The person linked again: when their credit counts again (the cause is a gap, not a departure). */
  readonly resumesAt?: Date;
}

/** A person whose credit toward a requirement starts later (rule 7: the delay after linking or passing). */
export interface PendingStart {
  readonly personId: string;
  readonly personName: string;
  readonly at: Date;
}

/** A requirement's status at a glance. */
export interface RequirementStatus {
  readonly requirement: NamedRequirement;
  readonly status: CompetencyStatus;
  readonly required: number;
  readonly current: number;
  /** The lowest count once pending removals and expiries take effect. */
  readonly afterPending: number;
  /** For `at-risk`: when the count falls below the requirement. */
  readonly fallsAt: Date | null;
  readonly causes: readonly RiskCause[];
  /** For `not-met`: when pending credit makes it met, if it does. */
  readonly metAt: Date | null;
  /** People who do not count now and start counting later, earliest first. */
  readonly pendingStarts: readonly PendingStart[];
}

/** The skills report's summary. */
export interface SkillsReportSummary {
  readonly rows: number;
  readonly people: number;
  /** When nobody counts yet: how many people start counting later, and the first of those dates. */
  readonly upcoming: { readonly people: number; readonly from: Date } | null;
  readonly byCompetency: ReadonlyArray<{ readonly requirement: NamedRequirement; readonly people: number; readonly credentials: number }>;
}

/** The report CSV's columns: those of the import, so that a report can be read back. */
/** The person cell of a row whose name was never known (the CSV is read in spreadsheets, in no one language). */
const FORMER_MEMBER = 'Former member';

/** The skills report's CSV columns. */
const REPORT_COLUMNS = ['person', 'mcid', 'type', 'code', 'title', 'passed', 'expires', 'competency'] as const;

/** Collaborators of the report service. */
export interface SkillsReportServiceDeps {
  readonly ledger: Ledger;
  readonly policy: Policy;
  readonly clock: () => Date;
}

/** Competency status and skills report of an organization, at the clock's `now`. */
export class SkillsReportService {
  private readonly requirements: RequirementsService;

  constructor(private readonly deps: SkillsReportServiceDeps) {
    this.requirements = new RequirementsService({ ledger: deps.ledger, clock: deps.clock });
  }

  /** Every requirement's status, with the causes of any risk. */
  async status(tenantId: string): Promise<RequirementStatus[]> {
    const now = this.deps.clock();
    const { associations, credentials } = await this.inputs(tenantId);
    const names = await this.names(tenantId, associations);
    const nameOf = (personId: string) => names.get(personId);
    const credentialTitles = new Map(credentials.map((c) => [c.id, c.title]));
    return (await this.requirements.list(tenantId)).map((requirement) => {
      const evaluation = evaluateCompetency(requirement, associations, credentials, this.deps.policy, now);
      const causes = evaluation.causes.map((c): RiskCause => {
        // A stop followed by a start for the same person is a relink: the cause says when they count again.
        const resumes = evaluation.changes.find((s) => s.personId === c.personId && s.change === 'starts-counting' && s.at.getTime() >= c.at.getTime());
        return {
          personName: nameOf(c.personId) ?? '',
          credentialTitle: credentialTitles.get(c.credentialId) ?? c.credentialId,
          at: c.at,
          reason: c.reason === 'credential-expires' ? ('credential-expires' as const) : ('association-ended' as const),
          ...(c.endReason ? { endReason: c.endReason } : {}),
          ...(resumes ? { resumesAt: resumes.at } : {}),
        };
      });
      const countingNow = new Set(evaluation.counting.map((p) => p.personId));
      const pendingStarts = evaluation.changes
        .filter((s) => s.change === 'starts-counting' && !countingNow.has(s.personId))
        .filter((s, i, all) => all.findIndex((o) => o.personId === s.personId && o.change === 'starts-counting') === i)
        .map((s) => ({ personId: s.personId, personName: nameOf(s.personId) ?? '', at: s.at }));
      return {
        requirement,
        status: evaluation.kind,
        required: evaluation.required,
        current: evaluation.current,
        afterPending: evaluation.lowest,
        fallsAt: evaluation.kind === 'at-risk' ? evaluation.changesAt : null,
        causes,
        metAt: evaluation.kind === 'not-met' ? evaluation.changesAt : null,
        pendingStarts,
      };
    });
  }

  /** The skills-report rows (rule 10). */
  async rows(tenantId: string): Promise<SkillsReportRow[]> {
    const now = this.deps.clock();
    const { associations, credentials } = await this.inputs(tenantId);
    const people = records(await this.deps.ledger.findBy('people', 'byTenant', [tenantId]));
    return skillsReport(tenantId, await this.requirements.list(tenantId), people, associations, credentials, this.deps.policy, now);
  }

  /** The summary card's numbers. */
  async summary(tenantId: string): Promise<SkillsReportSummary> {
    const rows = await this.rows(tenantId);
    const requirements = await this.requirements.list(tenantId);
    let upcoming: SkillsReportSummary['upcoming'] = null;
    if (rows.length === 0) {
      // An empty report is not the whole truth when credit is about to start: say who starts, and from when.
      const starts = (await this.status(tenantId)).flatMap((s) => s.pendingStarts);
      if (starts.length > 0) {
        upcoming = { people: new Set(starts.map((s) => s.personId)).size, from: new Date(Math.min(...starts.map((s) => s.at.getTime()))) };
      }
    }
    return {
      rows: rows.length,
      people: new Set(rows.map((r) => r.personId)).size,
      upcoming,
      byCompetency: requirements.map((requirement) => {
        const mine = rows.filter((r) => r.competency === requirement.competency);
        return { requirement, people: new Set(mine.map((r) => r.personId)).size, credentials: new Set(mine.map((r) => r.credentialId)).size };
      }),
    };
  }

  /** The report as CSV (RFC 4180, UTF-8 with a BOM so spreadsheets read Chinese names). */
  async csv(tenantId: string): Promise<string> {
    const { associations, credentials } = await this.inputs(tenantId);
    const byId = new Map(credentials.map((c) => [c.id, c]));
    const names = await this.names(tenantId, associations);
    let text = `\ufeff${csvLine([...REPORT_COLUMNS])}`;
    for (const row of await this.rows(tenantId)) {
      const expires = byId.get(row.credentialId)?.expires;
      // A person whose work account was deleted keeps the name they had (stored at deletion), never a blank cell.
      text += csvLine([row.name ?? names.get(row.personId) ?? FORMER_MEMBER, row.mcid, row.type, row.code, row.title, isoDate(row.passed), expires ? isoDate(expires) : '', row.competency]);
    }
    return text;
  }

  /** The organization's associations and the credentials it imported for the accounts it ever had (never another organization's). */
  private async inputs(tenantId: string): Promise<{ associations: Association[]; credentials: Credential[] }> {
    const { associations, credentials } = await organizationInputs(this.deps.ledger, tenantId);
    return { associations, credentials };
  }

  /**
   * The names of the people of these associations: their own, or the one they had when their work account was
   * deleted; a person whose name was never known is absent.
   */
  private async names(tenantId: string, associations: readonly Association[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const personId of new Set(associations.map((a) => a.personId))) {
      const key = personKey(tenantId, personId);
      const name = (await this.deps.ledger.get('people', key))?.displayName ?? (await this.deps.ledger.get('registrations', key))?.displayName;
      if (name !== undefined) names.set(personId, name);
    }
    return names;
  }
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
