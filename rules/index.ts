/**
 * The public surface of the rules: pure functions of (inputs, policy, now) that return values with reason codes
 * and dates, never text. Other folders import only from here. The figures live in `defaultPolicy` alone.
 *
 * Comments across the code cite the rules by number:
 * 1. Who may link: a work account (the activity's AAD object id) within one tenant, and only once an admin has
 *    registered that person as a Partner Center user of the organization.
 * 2. Uniqueness: a person has one MCID, and an MCID belongs to one organization at a time; the same holds for a
 *    Partner University account.
 * 3. Only the person links or unlinks their own accounts; no admin can do it for them, and who is acting is read
 *    from the activity, never from what a card sends back.
 * 4. MCID association starts are limited: a few per rolling year, with a gap between two starts (policy); the next
 *    allowed day is the later of the two limits. Linking again to the same organization starts nothing. Partner
 *    University links have no limit.
 * 5. Linking an MCID held by organization A to organization B ends A's association as `moved`, in the same step,
 *    and counts as a start under rule 4.
 * 6. A departed person's work account is deleted by a Global admin only, which ends their associations as
 *    `account-deleted`.
 * 7. When a credential starts to count: a certification some days after the later of linking and passing; Partner
 *    University assessments a few days after linking when already passed, within a range of days after passing
 *    otherwise (the upper bound is the "counts by" date).
 * 8. When credit stops: after an association ends, its credentials count until the next skills-report refresh (a
 *    fixed day of the following month, midnight UTC).
 * 9. A competency requirement needs a number of distinct people, each with a counting, unexpired qualifying
 *    credential; its status is met, at risk (met now, below the number at a known later date) or not met, and a
 *    change to at risk or not met raises an alert.
 * 10. The skills report shows linked MCIDs only, and only credentials that count toward some requirement.
 */
export { defaultPolicy } from './policy.js';
export { PARTNER_LINKS } from './partnerLinks.js';
export type { Policy } from './policy.js';
export {
  accountKindSchema,
  accountSchema,
  associationRequestSchema,
  associationSchema,
  competencyRequirementSchema,
  credentialSchema,
  credentialTypeSchema,
  endReasonSchema,
  instantSchema,
  organizationSchema,
  personSchema,
  policySchema,
  roleSchema,
} from './schemas.js';
export type {
  Account,
  AccountKind,
  Association,
  AssociationRequest,
  CompetencyRequirement,
  Credential,
  CredentialType,
  EndReason,
  Organization,
  Person,
  Role,
} from './schemas.js';
export {
  applyAssociation,
  associationWindowEnd,
  checkAssociation,
  endAssociation,
  isActive,
  nextAvailableAssociation,
} from './associations.js';
export type {
  ApplyAssociationResult,
  AssociationDecision,
  EndAssociationRequest,
  EndAssociationResult,
  RefusalReason,
  StartQuota,
  WaitConstraint,
} from './associations.js';
export { creditCountsFrom, creditCountsUntil, creditPeriod, linkCreditFrom, periodIncludes } from './credit.js';
export type { CreditPeriod, CreditStart, CreditStopReason } from './credit.js';
export { competencyTransitions, evaluateCompetency, qualifies } from './competency.js';
export type { CompetencyEvaluation, CompetencyStatus, CompetencyTransition, CountChange, CountingPerson } from './competency.js';
export { skillsReport } from './skillsReport.js';
export type { SkillsReportRow } from './skillsReport.js';
