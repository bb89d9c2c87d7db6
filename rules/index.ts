/**
 * The public surface of the rules: pure functions of (inputs, policy, now) that return values with reason codes
 * and dates, never text. Other folders import only from here.
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
