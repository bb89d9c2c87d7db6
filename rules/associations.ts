/**
 * Rules 1–6: who may link which account to which organization, and when.
 *
 * The history is the list of every stored association (any person, organization and kind; extra records are
 * harmless). Rule 4 follows the MCID, not the work account: a person who moves company gets a new work account,
 * but their MCID keeps its starts, so the limits count every start of that MCID in any organization.
 *
 * Window counting: a start counts toward the limit from its instant until its window end, and not from then on.
 * `rolling`: the window end is the start plus `associationWindowMonths` calendar months, same UTC time of day,
 * day clamped (a start on 2024-02-29 10:00Z stops counting at 2025-02-28 10:00Z). `calendar`: the window end is
 * 00:00 UTC on the first day of the next calendar block of `associationWindowMonths` months counted from January
 * (for 12: January 1 of the next year). Defining the window from each start (rather than as "now minus 12 months")
 * keeps the count non-increasing as time passes, so the next allowed date is well defined even around clamped days.
 */
import { addDays, addUtcMonths, utcInstant } from './dates.js';
import type { Policy } from './policy.js';
import type { AccountKind, Association, AssociationRequest, Role } from './schemas.js';

/** Why a link request is refused outright (waiting would not help). */
export type RefusalReason =
  | 'not-self-service'
  | 'not-registered'
  | 'account-bound-to-another-person'
  | 'person-has-another-account';

/** Which rule-4 constraint sets a wait: the 30 days between starts, or the starts per window. */
export type WaitConstraint = 'cool-off' | 'yearly-limit';

/** Starts of an MCID counted in the window; for `allowed`, counted with the new start included. */
export interface StartQuota {
  startsUsed: number;
  startsLeft: number;
}

/** The outcome of a link request. */
export type AssociationDecision =
  | {
      kind: 'allowed';
      /** The active association in another organization that this start ends with reason `moved` (rule 5). */
      endsExisting: Association | null;
      /** Rule-4 counts after this start; null for Partner University accounts, which are not limited. */
      quota: StartQuota | null;
    }
  | { kind: 'already-linked'; association: Association }
  | { kind: 'wait'; until: Date; constraint: WaitConstraint; startsUsed: number; startsLeft: number }
  | { kind: 'refused'; reason: RefusalReason };

/** The outcome of `applyAssociation`: the new history, or why nothing changed. */
export type ApplyAssociationResult =
  | { kind: 'applied'; history: Association[]; started: Association; ended: Association | null }
  | Exclude<AssociationDecision, { kind: 'allowed' }>;

/** A request to end associations: a person unlinking their own account, or a Global admin deleting a work account. */
export type EndAssociationRequest =
  | { kind: 'unlink'; personId: string; accountKind: AccountKind; actorPersonId: string }
  | { kind: 'delete-account'; personId: string; actorRole: Role };

/** The outcome of `endAssociation`. */
export type EndAssociationResult =
  | { kind: 'ended'; history: Association[]; ended: Association[] }
  | { kind: 'not-linked' }
  | { kind: 'refused'; reason: 'not-self-service' | 'not-global-admin' };

/** True while an association has not ended. */
export function isActive(association: Association): boolean {
  return association.end === undefined;
}

/** The instant from which a start no longer counts toward the association limit. */
export function associationWindowEnd(start: Date, policy: Policy): Date {
  const months = policy.associationWindowMonths;
  if (policy.associationWindow === 'rolling') return addUtcMonths(start, months);
  const monthIndex = start.getUTCFullYear() * 12 + start.getUTCMonth();
  const nextBlock = (Math.floor(monthIndex / months) + 1) * months;
  return utcInstant(Math.floor(nextBlock / 12), nextBlock % 12, 1);
}

/** The starts of the MCIDs in a history that rule 4 limits (every `learn` association, ended or not). */
function limitedStarts(history: readonly Association[], accountId?: string): Date[] {
  return history
    .filter((a) => a.kind === 'learn' && (accountId === undefined || a.accountId === accountId))
    .map((a) => a.start);
}

interface LimitState {
  startsUsed: number;
  wait: { until: Date; constraint: WaitConstraint } | null;
}

/** Rule 4 on a list of starts: how many count at `now`, and until when a new start must wait (null: it may start now). */
function limitState(starts: readonly Date[], policy: Policy, now: Date): LimitState {
  const t = now.getTime();
  const windowEnds = starts
    .map((s) => associationWindowEnd(s, policy).getTime())
    .filter((end) => end > t)
    .sort((a, b) => a - b);
  const startsUsed = windowEnds.length;
  // Enough starts must leave the window that one more fits: the (used - max + 1)-th window end to come.
  const excess = startsUsed - policy.maxAssociationStartsPerWindow;
  const yearlyUntil = excess >= 0 ? windowEnds[excess] : undefined;

  const lastStart = Math.max(...starts.map((s) => s.getTime()));
  const coolOffUntil = starts.length > 0 ? addDays(new Date(lastStart), policy.daysBetweenAssociationStarts).getTime() : -Infinity;

  // The later constraint decides; each alone only loosens with time, so at the later date both are met.
  if (yearlyUntil !== undefined && yearlyUntil >= coolOffUntil) {
    return { startsUsed, wait: { until: new Date(yearlyUntil), constraint: 'yearly-limit' } };
  }
  if (coolOffUntil > t) return { startsUsed, wait: { until: new Date(coolOffUntil), constraint: 'cool-off' } };
  return { startsUsed, wait: null };
}

/** Decides whether a person may link an account to their organization at `now` (rules 1–5), without changing anything. */
export function checkAssociation(
  history: readonly Association[],
  request: AssociationRequest,
  policy: Policy,
  now: Date,
): AssociationDecision {
  // Privacy first: nobody learns anything about someone else's account by asking on their behalf.
  if (request.actorPersonId !== request.personId) return { kind: 'refused', reason: 'not-self-service' };
  if (!request.isRegisteredUser) return { kind: 'refused', reason: 'not-registered' };

  const active = history.filter(isActive);
  const current = active.find((a) => a.kind === request.kind && a.accountId === request.accountId);
  if (current !== undefined && current.personId === request.personId && current.tenantId === request.tenantId) {
    return { kind: 'already-linked', association: current };
  }
  // The same account on another person of the same organization is a conflict; in another organization it is a move.
  if (current !== undefined && current.tenantId === request.tenantId) {
    return { kind: 'refused', reason: 'account-bound-to-another-person' };
  }
  const otherAccount = active.some(
    (a) => a.personId === request.personId && a.kind === request.kind && a.accountId !== request.accountId,
  );
  if (otherAccount) return { kind: 'refused', reason: 'person-has-another-account' };

  const endsExisting = current ?? null;
  if (request.kind === 'university') return { kind: 'allowed', endsExisting, quota: null };

  const { startsUsed, wait } = limitState(limitedStarts(history, request.accountId), policy, now);
  const startsLeft = Math.max(0, policy.maxAssociationStartsPerWindow - startsUsed);
  if (wait !== null) return { kind: 'wait', until: wait.until, constraint: wait.constraint, startsUsed, startsLeft };
  return { kind: 'allowed', endsExisting, quota: { startsUsed: startsUsed + 1, startsLeft: startsLeft - 1 } };
}

/**
 * The earliest instant, at or after `now`, at which rule 4 allows a new start of an MCID. Pass the MCID's
 * associations, or the whole history with `accountId`; Partner University associations are ignored.
 */
export function nextAvailableAssociation(history: readonly Association[], policy: Policy, now: Date, accountId?: string): Date {
  return limitState(limitedStarts(history, accountId), policy, now).wait?.until ?? now;
}

/** Checks a link request and, when allowed, returns the history with the new association (and the move's end) applied. */
export function applyAssociation(
  history: readonly Association[],
  request: AssociationRequest,
  policy: Policy,
  now: Date,
  newId: string,
): ApplyAssociationResult {
  const decision = checkAssociation(history, request, policy, now);
  if (decision.kind !== 'allowed') return decision;
  const started: Association = {
    id: newId,
    personId: request.personId,
    tenantId: request.tenantId,
    kind: request.kind,
    accountId: request.accountId,
    start: now,
  };
  const previous = decision.endsExisting;
  const ended: Association | null = previous === null ? null : { ...previous, end: now, endReason: 'moved' };
  const updated = history.map((a) => (ended !== null && a.id === ended.id ? ended : a));
  return { kind: 'applied', history: [...updated, started], started, ended };
}

/** Ends associations: the person's own active one of a kind (`unlinked`), or all of a deleted work account (`account-deleted`, Global admin only). */
export function endAssociation(history: readonly Association[], request: EndAssociationRequest, now: Date): EndAssociationResult {
  let targets: Association[];
  if (request.kind === 'unlink') {
    if (request.actorPersonId !== request.personId) return { kind: 'refused', reason: 'not-self-service' };
    targets = history.filter((a) => isActive(a) && a.personId === request.personId && a.kind === request.accountKind);
    if (targets.length === 0) return { kind: 'not-linked' };
  } else {
    if (request.actorRole !== 'global-admin') return { kind: 'refused', reason: 'not-global-admin' };
    targets = history.filter((a) => isActive(a) && a.personId === request.personId);
  }
  const endReason = request.kind === 'unlink' ? 'unlinked' : 'account-deleted';
  const ended = targets.map((a): Association => ({ ...a, end: now, endReason }));
  const byId = new Map(ended.map((a) => [a.id, a]));
  return { kind: 'ended', history: history.map((a) => byId.get(a.id) ?? a), ended };
}
