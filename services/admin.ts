/** The admin workspace's services, built together so the chat, the command line and the HTTP endpoint share them. */
import type { Policy } from '../rules/index.js';
import type { Ledger } from '../storage/index.js';
import type { OnOrganizationChanged } from './organizationEvents.js';
import { AuditLog } from './audit.js';
import { ImportService } from './importCredentials.js';
import { OrganizationService } from './organizations.js';
import { PeopleService } from './people.js';
import { RequirementsService } from './requirements.js';
import { SIGNED_URL_TTL_MS, UrlSigner } from './signedUrl.js';
import { SkillsReportService } from './skillsReport.js';

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
  readonly reportSigner: UrlSigner;
  /** A signed link to the skills-report CSV of one organization, valid for fifteen minutes from now. */
  reportLink(tenantId: string, locale?: string): { url: string; minutes: number };
}

/** The subject a skills-report link signs: it works only for this organization. */
export function reportSubject(tenantId: string): string {
  return `skills-report:${tenantId}`;
}

/** The path of an organization's skills-report CSV. */
export function reportPath(tenantId: string): string {
  return `/api/reports/${encodeURIComponent(tenantId)}/skills.csv`;
}

/** Builds the admin services over one ledger. */
export function createAdminServices(deps: AdminServicesDeps): AdminServices {
  const { ledger, policy, clock, onOrganizationChanged, onHookError } = deps;
  const reportSigner = new UrlSigner(deps.reportSecret, 'skills-report');
  return {
    people: new PeopleService({ ledger, policy, clock, bootstrapAdmins: new Set(deps.bootstrapAdmins ?? []), onOrganizationChanged, onHookError }),
    audit: new AuditLog({ ledger, clock }),
    requirements: new RequirementsService({ ledger, clock, onOrganizationChanged, onHookError }),
    reports: new SkillsReportService({ ledger, policy, clock }),
    imports: new ImportService({ ledger, clock, onOrganizationChanged, onHookError }),
    organizations: new OrganizationService({ ledger, clock }),
    reportSigner,
    reportLink(tenantId, locale) {
      const { expires, sig } = reportSigner.sign(reportSubject(tenantId), clock(), SIGNED_URL_TTL_MS);
      // The language only chooses how a refusal reads (expired, invalid); the signature does not cover it.
      const lang = locale ? `&lang=${encodeURIComponent(locale)}` : '';
      return { url: `${deps.publicBaseUrl}${reportPath(tenantId)}?expires=${expires}&sig=${sig}${lang}`, minutes: SIGNED_URL_TTL_MS / 60_000 };
    },
  };
}
