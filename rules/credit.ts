/**
 * Rules 7 and 8: from when, and until when, a credential earned under an account counts for the organization
 * the account is associated with. Periods are half-open: a credential counts at instants `from <= t < until`.
 */
import { addDays, addHours, dayOfNextUtcMonth } from './dates.js';
import type { Policy } from './policy.js';
import type { Association, Credential } from './schemas.js';

/** When credit starts: `from` is the date to rely on ("counts by"); `earliest`–`latest` is the range to show people. */
export interface CreditStart {
  from: Date;
  earliest: Date;
  latest: Date;
}

/** Why a credit period stops: the association ended (rule 8) or the credential expires (rule 9). */
export type CreditStopReason = 'association-ended' | 'credential-expires';

/** The period in which a credential counts through one association; `until` is null while nothing ends it. */
export interface CreditPeriod {
  from: Date;
  until: Date | null;
  stopReason: CreditStopReason | null;
}

/**
 * When a credential starts to count through an association (rule 7): Microsoft Learn credentials from
 * `max(linked, passed) + creditDelayDays`; Partner University assessments passed before linking from the link plus
 * `universityExistingCreditHours`, ones passed later between `passed + universityNewCreditMinDays` and `passed + universityNewCreditMaxDays`.
 */
export function creditCountsFrom(credential: Credential, association: Association, policy: Policy): CreditStart {
  const passed = credential.passed;
  if (passed.getTime() <= association.start.getTime()) {
    const from = linkCreditFrom(association, policy);
    return { from, earliest: from, latest: from };
  }
  if (credential.kind === 'learn') {
    const from = addDays(passed, policy.creditDelayDays);
    return { from, earliest: from, latest: from };
  }
  // The documents give a range; planning relies on its upper bound.
  const latest = addDays(passed, policy.universityNewCreditMaxDays);
  return { from: latest, earliest: addDays(passed, policy.universityNewCreditMinDays), latest };
}

/** When what a person earned before linking starts to count for the organization (rule 7). */
export function linkCreditFrom(association: Association, policy: Policy): Date {
  return association.kind === 'learn'
    ? addDays(association.start, policy.creditDelayDays)
    : addHours(association.start, policy.universityExistingCreditHours);
}

/** When credit through an association stops (rule 8): 00:00 UTC on the refresh day of the month after it ended; null while it is active. */
export function creditCountsUntil(association: Association, policy: Policy): Date | null {
  return association.end === undefined ? null : dayOfNextUtcMonth(association.end, policy.reportRefreshDayOfMonth);
}

/**
 * The period in which a credential counts through an association (rules 7, 8 and expiry), or null when it never
 * does: the credential belongs to another account or was imported by another organization than the association's,
 * was passed after the association ended, or the period is empty.
 */
export function creditPeriod(credential: Credential, association: Association, policy: Policy): CreditPeriod | null {
  if (credential.kind !== association.kind || credential.accountId !== association.accountId) return null;
  // An organization's imported data counts for that organization only, whatever other organization the account joins.
  if (credential.tenantId !== association.tenantId) return null;
  // Credentials earned after the account left the organization never count for it.
  if (association.end !== undefined && credential.passed.getTime() >= association.end.getTime()) return null;
  const { from } = creditCountsFrom(credential, association, policy);
  const ended = creditCountsUntil(association, policy);
  const expires = credential.expires ?? null;
  let until: Date | null = null;
  let stopReason: CreditStopReason | null = null;
  if (ended !== null && (expires === null || ended.getTime() <= expires.getTime())) {
    until = ended;
    stopReason = 'association-ended';
  } else if (expires !== null) {
    until = expires;
    stopReason = 'credential-expires';
  }
  if (until !== null && until.getTime() <= from.getTime()) return null;
  return { from, until, stopReason };
}

/** True when a credit period includes the instant `at`. */
export function periodIncludes(period: CreditPeriod, at: Date): boolean {
  const t = at.getTime();
  return period.from.getTime() <= t && (period.until === null || t < period.until.getTime());
}
