/** The admin workspace's services, built together so the chat, the command line and the HTTP endpoint share them. */
import type { Policy } from '../../rules/index.js';
import type { Ledger } from '../../storage/index.js';
import type { OnOrganizationChanged } from '../organizationEvents.js';
import { AuditLog } from './audit.js';
import { ImportService } from './importCredentials.js';
import { OrganizationService } from './organizations.js';
import { PeopleService } from './people.js';
import { RequirementsService } from './requirements.js';
import { TokenSigner, type TokenProblem } from '../signing.js';
import { SkillsReportService } from './skillsReport.js';

/** How long a skills-report download link works. */
const REPORT_LINK_TTL_MS = 15 * 60 * 1000;

/** Longest report-link token accepted, in characters (ours are about 250). */
const MAX_REPORT_TOKEN_LENGTH = 1024;

/** What the admin services need. */
export interface AdminServicesDeps {
  readonly ledger: Ledger;
  readonly policy: Policy;
  readonly clock: () => Date;
  readonly bootstrapAdmins?: readonly string[];
  readonly onOrganizationChanged?: OnOrganizationChanged;
  readonly onHookError?: (error: unknown) => void;
  /** Secret of the skills-report links. */
  readonly reportSecret: string | Buffer;
  /** The bot's address as a browser reaches it, without a trailing slash. */
  readonly publicBaseUrl: string;
}

/** The admin services. */
export interface AdminServices {
  readonly people: PeopleService;
  readonly audit: AuditLog;
  readonly requirements: RequirementsService;
  readonly reports: SkillsReportService;
  readonly imports: ImportService;
  readonly organizations: OrganizationService;
  /** A signed link to the skills-report CSV of one organization, valid for fifteen minutes from now. */
  reportLink(tenantId: string, locale?: string): Promise<{ url: string; minutes: number }>;
  /** Whether a link's `token` was made for this organization's report and has not expired; never throws. */
  checkReportLink(tenantId: string, token: string | undefined): Promise<{ ok: true } | { ok: false; problem: TokenProblem }>;
}

/** The subject (`sub`) a skills-report link signs: it works only for this organization. */
function reportSubject(tenantId: string): string {
  return `skills-report:${tenantId}`;
}

/** The path of an organization's skills-report CSV. */
function reportPath(tenantId: string): string {
  return `/api/reports/${encodeURIComponent(tenantId)}/skills.csv`;
}

/** Builds the admin services over one ledger. */
export function createAdminServices(deps: AdminServicesDeps): AdminServices {
  const { ledger, policy, clock, onOrganizationChanged, onHookError } = deps;
  const reportSigner = new TokenSigner(deps.reportSecret, 'skills-report');
  return {
    people: new PeopleService({ ledger, policy, clock, bootstrapAdmins: new Set(deps.bootstrapAdmins ?? []), onOrganizationChanged, onHookError }),
    audit: new AuditLog({ ledger, clock }),
    requirements: new RequirementsService({ ledger, clock, onOrganizationChanged, onHookError }),
    reports: new SkillsReportService({ ledger, policy, clock }),
    imports: new ImportService({ ledger, clock, onOrganizationChanged, onHookError }),
    organizations: new OrganizationService({ ledger, clock }),
    async reportLink(tenantId, locale) {
      const token = await reportSigner.sign({ sub: reportSubject(tenantId) }, clock(), REPORT_LINK_TTL_MS);
      // The language only chooses how a refusal reads (expired, invalid); the signature does not cover it.
      const lang = locale ? `&lang=${encodeURIComponent(locale)}` : '';
      return { url: `${deps.publicBaseUrl}${reportPath(tenantId)}?token=${token}${lang}`, minutes: REPORT_LINK_TTL_MS / 60_000 };
    },
    async checkReportLink(tenantId, token) {
      if (token === undefined || token.length > MAX_REPORT_TOKEN_LENGTH) return { ok: false, problem: 'malformed' };
      const opened = await reportSigner.open(token, clock());
      if (!opened.ok) return opened;
      // Signed by us, for another organization: as good as forged for this one.
      return opened.claims.sub === reportSubject(tenantId) ? { ok: true } : { ok: false, problem: 'bad-signature' };
    },
  };
}
