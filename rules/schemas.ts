/**
 * The domain records the rules read, as zod schemas (for storage and imports to validate what they load) and the
 * types inferred from them. All instants are `Date` values; stored ISO 8601 strings with an offset parse into them.
 */
// zod is the one dependency rules/ may have: pure validation, no I/O.
import { z } from 'zod';
import type { Policy } from './policy.js';

/** An instant: a valid `Date`, or an ISO 8601 date-time with `Z` or an offset (as JSON stores it). */
export const instantSchema = z.union([z.date(), z.iso.datetime({ offset: true }).transform((text) => new Date(text))]);

const id = z.string().trim().min(1).max(200);

/** `learn`: a Microsoft Learning account, identified by its MCID, limited by rule 4; `university`: a Partner University account, not limited. */
export const accountKindSchema = z.enum(['learn', 'university']);
/** Which kind of account an association or credential belongs to. */
export type AccountKind = z.output<typeof accountKindSchema>;

/** Partner Center roles; only a Global admin deletes work accounts (rule 6). */
export const roleSchema = z.enum(['global-admin', 'partner-admin', 'account-admin', 'member']);
/** A Partner Center role. */
export type Role = z.output<typeof roleSchema>;

/** Why an association ended: the person unlinked, linked the account to another organization, or their work account was deleted. */
export const endReasonSchema = z.enum(['unlinked', 'moved', 'account-deleted']);
/** Why an association ended. */
export type EndReason = z.output<typeof endReasonSchema>;

/** A partner organization, identified by its Entra ID (Teams) tenant id. */
export const organizationSchema = z.object({ tenantId: id, name: z.string().trim().min(1).max(200) });
/** A partner organization. */
export type Organization = z.output<typeof organizationSchema>;

/** A registered Partner Center user: a work account (Teams `aadObjectId`) in one organization (rule 1). */
export const personSchema = z.object({
  id,
  tenantId: id,
  displayName: z.string().trim().min(1).max(200),
  role: roleSchema,
});
/** A registered Partner Center user. */
export type Person = z.output<typeof personSchema>;

/** A personal account a person links: `id` is the MCID for `learn`, the Partner University account id for `university`. */
export const accountSchema = z.object({ kind: accountKindSchema, id });
/** A Microsoft Learning account (MCID) or a Partner University account. */
export type Account = z.output<typeof accountSchema>;

/**
 * One association of an account with a person of an organization, from `start` until `end` (absent while active).
 * The list of all associations is the history the association rules read and write.
 */
export const associationSchema = z
  .object({
    id,
    personId: id,
    tenantId: id,
    kind: accountKindSchema,
    accountId: id,
    start: instantSchema,
    end: instantSchema.optional(),
    endReason: endReasonSchema.optional(),
  })
  .refine((a) => (a.end === undefined) === (a.endReason === undefined), { message: 'end and endReason go together' })
  .refine((a) => a.end === undefined || a.end.getTime() >= a.start.getTime(), { message: 'end is before start' });
/** One association of an account with a person of an organization. */
export type Association = z.output<typeof associationSchema>;

/** What a credential is: an exam, a certification, a Partner University assessment, or a training. */
export const credentialTypeSchema = z.enum(['exam', 'certification', 'assessment', 'training']);
/** What a credential is. */
export type CredentialType = z.output<typeof credentialTypeSchema>;

/**
 * A credential earned under an account, and the competencies it counts toward, as one organization imported it from
 * its skills report: `tenantId` is that organization. Competency names are the organization's own vocabulary, so the
 * record counts for that organization only (rules 7–10); another organization importing the same credential has its
 * own record.
 */
export const credentialSchema = z.object({
  id,
  /** The organization that imported the record; it counts for no other. */
  tenantId: id,
  kind: accountKindSchema,
  accountId: id,
  type: credentialTypeSchema,
  code: z.string().trim().min(1).max(50),
  title: z.string().trim().min(1).max(300),
  passed: instantSchema,
  expires: instantSchema.optional(),
  competencies: z.array(z.string().trim().min(1).max(200)).max(100),
});
/** A credential earned under an account. */
export type Credential = z.output<typeof credentialSchema>;

/**
 * An organization's requirement: `requiredPeople` distinct people, each with a counting credential toward `competency`
 * (and, when `credentialCodes` is not empty, with one of those codes).
 */
export const competencyRequirementSchema = z.object({
  id,
  tenantId: id,
  competency: z.string().trim().min(1).max(200),
  requiredPeople: z.number().int().min(1).max(10_000),
  credentialCodes: z.array(z.string().trim().min(1).max(50)).max(500).default([]),
});
/** An organization's competency requirement. */
export type CompetencyRequirement = z.output<typeof competencyRequirementSchema>;

/**
 * A request to link an account: `personId` and `tenantId` come from the activity, `actorPersonId` is who asked
 * (rule 3), `isRegisteredUser` says whether the person is a Partner Center user of that organization (rule 1).
 */
export const associationRequestSchema = z.object({
  personId: id,
  tenantId: id,
  kind: accountKindSchema,
  accountId: id,
  actorPersonId: id,
  isRegisteredUser: z.boolean(),
});
/** A request to link an account. */
export type AssociationRequest = z.output<typeof associationRequestSchema>;

const positiveInt = z.number().int().min(1);

/** Validates a policy, for a deployment that overrides numbers: `policySchema.parse({ ...defaultPolicy, ...overrides })`. */
export const policySchema = z
  .object({
    daysBetweenAssociationStarts: z.number().int().min(0),
    maxAssociationStartsPerWindow: positiveInt,
    associationWindow: z.enum(['rolling', 'calendar']),
    associationWindowMonths: positiveInt,
    creditDelayDays: z.number().int().min(0),
    universityExistingCreditHours: z.number().int().min(0),
    universityNewCreditMinDays: z.number().int().min(0),
    universityNewCreditMaxDays: z.number().int().min(0),
    reportRefreshDayOfMonth: z.number().int().min(1).max(31),
    expiryWarningDays: z.number().int().min(0),
  })
  .refine((p) => p.universityNewCreditMinDays <= p.universityNewCreditMaxDays, { message: 'universityNewCreditMinDays exceeds universityNewCreditMaxDays' })
  .transform((p): Policy => Object.freeze(p)) satisfies z.ZodType<Policy>;
