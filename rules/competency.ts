/**
 * Rule 9: whether an organization meets a competency requirement now, and whether a known future change will
 * make it fall short. A person counts at an instant when at least one qualifying credential counts through one of
 * their associations with the organization (rules 7 and 8) and has not expired. Only credentials the organization
 * imported count: another organization's records of the same MCID are ignored.
 *
 * Known changes: credit still pending (rule 7), credit stopping after an association ended (rule 8, at any future
 * date: the date is certain), and credential expiries within `expiryWarningDays` of `now` (later expiries are
 * ignored until they come closer).
 */
import { addDays } from './dates.js';
import { creditPeriod } from './credit.js';
import type { CreditStopReason } from './credit.js';
import type { Policy } from './policy.js';
import type { Association, CompetencyRequirement, Credential, EndReason } from './schemas.js';

/** A requirement's status at an instant. */
export type CompetencyStatus = 'met' | 'at-risk' | 'not-met';

/** A person who counts now, with the qualifying credentials that make them count. */
export interface CountingPerson {
  personId: string;
  credentialIds: string[];
}

/** A future instant at which a person starts or stops counting, and the association and credential responsible. */
export interface CountChange {
  at: Date;
  personId: string;
  change: 'starts-counting' | 'stops-counting';
  reason: 'credit-pending' | CreditStopReason;
  associationId: string;
  credentialId: string;
  /** Why the association ended, when `reason` is `association-ended`. */
  endReason: EndReason | null;
}

interface EvaluationBase {
  requirementId: string;
  competency: string;
  required: number;
  /** People counting at `now`. */
  current: number;
  /** The lowest count from `now` on, once pending removals and expiries in the warning window take effect. */
  lowest: number;
  /** The count once every known change has happened. */
  after: number;
  counting: CountingPerson[];
  /** Every known change after `now`, in time order. */
  changes: CountChange[];
  /** For `at-risk`, the stops up to `changesAt`; otherwise empty (compare evaluations for what already happened). */
  causes: CountChange[];
}

/**
 * A requirement's evaluation. `changesAt` is when the status changes: for `at-risk` the first instant the count falls
 * below `required`; for `not-met` the instant pending credit makes it met (null if none); for `met` null.
 */
export type CompetencyEvaluation =
  | (EvaluationBase & { kind: 'met'; changesAt: null })
  | (EvaluationBase & { kind: 'at-risk'; changesAt: Date })
  | (EvaluationBase & { kind: 'not-met'; changesAt: Date | null });

/** A change of a requirement's status between two evaluations; `raisesAlert` when it becomes `at-risk` or `not-met`. */
export interface CompetencyTransition {
  requirementId: string;
  from: CompetencyStatus | null;
  to: CompetencyStatus;
  raisesAlert: boolean;
  evaluation: CompetencyEvaluation;
  /** People who counted in the earlier evaluation and no longer do, with the credentials they counted with. */
  stoppedCounting: CountingPerson[];
}

/**
 * True when a credential can satisfy a requirement (before any timing): it was imported by the requirement's
 * organization (competency names are that organization's vocabulary) and names the competency and, if any, a code.
 */
export function qualifies(credential: Credential, requirement: CompetencyRequirement): boolean {
  return (
    credential.tenantId === requirement.tenantId &&
    credential.competencies.includes(requirement.competency) &&
    (requirement.credentialCodes.length === 0 || requirement.credentialCodes.includes(credential.code))
  );
}

interface Piece {
  from: number;
  until: number; // Infinity while nothing ends it
  associationId: string;
  credentialId: string;
  reason: CreditStopReason | null;
  endReason: EndReason | null;
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Orders pieces so that picking the first of a group is independent of input order. */
function comparePieces(a: Piece, b: Piece): number {
  return a.from - b.from || b.until - a.until || byId(a.credentialId, b.credentialId) || byId(a.associationId, b.associationId);
}

/** The counting pieces of each person of the requirement's organization. */
function piecesByPerson(
  requirement: CompetencyRequirement,
  associations: readonly Association[],
  credentials: readonly Credential[],
  policy: Policy,
  horizon: number,
): Map<string, Piece[]> {
  const byAccount = new Map<string, Credential[]>();
  for (const c of credentials) {
    if (!qualifies(c, requirement)) continue;
    const key = `${c.kind}\u0000${c.accountId}`;
    byAccount.set(key, [...(byAccount.get(key) ?? []), c]);
  }
  const result = new Map<string, Piece[]>();
  for (const a of associations) {
    if (a.tenantId !== requirement.tenantId) continue;
    for (const c of byAccount.get(`${a.kind}\u0000${a.accountId}`) ?? []) {
      const period = creditPeriod(c, a, policy);
      if (period === null) continue;
      let until = period.until?.getTime() ?? Infinity;
      let reason = period.stopReason;
      // Expiries beyond the warning window are not yet a known change.
      if (reason === 'credential-expires' && until > horizon) {
        until = Infinity;
        reason = null;
      }
      const piece: Piece = {
        from: period.from.getTime(),
        until,
        associationId: a.id,
        credentialId: c.id,
        reason,
        endReason: reason === 'association-ended' ? (a.endReason ?? null) : null,
      };
      result.set(a.personId, [...(result.get(a.personId) ?? []), piece]);
    }
  }
  return result;
}

/** The person's counting spans: overlapping or touching pieces merged, each with the pieces that open and close it. */
function spans(pieces: Piece[]): { from: Piece; until: Piece }[] {
  const sorted = [...pieces].sort(comparePieces);
  const result: { from: Piece; until: Piece }[] = [];
  for (const piece of sorted) {
    const last = result.at(-1);
    if (last !== undefined && piece.from <= last.until.until) {
      if (piece.until > last.until.until) last.until = piece;
    } else {
      result.push({ from: piece, until: piece });
    }
  }
  return result;
}

/** Evaluates a competency requirement of an organization at `now` (rule 9). */
export function evaluateCompetency(
  requirement: CompetencyRequirement,
  associations: readonly Association[],
  credentials: readonly Credential[],
  policy: Policy,
  now: Date,
): CompetencyEvaluation {
  const t = now.getTime();
  const horizon = addDays(now, policy.expiryWarningDays).getTime();
  const counting: CountingPerson[] = [];
  const changes: CountChange[] = [];

  for (const [personId, pieces] of piecesByPerson(requirement, associations, credentials, policy, horizon)) {
    const countingNow = pieces.filter((p) => p.from <= t && t < p.until);
    if (countingNow.length > 0) {
      counting.push({ personId, credentialIds: [...new Set(countingNow.map((p) => p.credentialId))].sort(byId) });
    }
    for (const span of spans(pieces)) {
      if (span.from.from > t) changes.push(change(span.from.from, personId, 'starts-counting', span.from));
      if (span.until.until > t && span.until.until !== Infinity) changes.push(change(span.until.until, personId, 'stops-counting', span.until));
    }
  }
  counting.sort((a, b) => byId(a.personId, b.personId));
  changes.sort((a, b) => a.at.getTime() - b.at.getTime() || byId(a.personId, b.personId) || byId(a.change, b.change));

  const required = requirement.requiredPeople;
  const current = counting.length;
  let count = current;
  let lowest = current;
  let fallsAt: Date | null = null;
  let metAt: Date | null = null;
  // Apply all changes of one instant together before looking at the count.
  for (let i = 0; i < changes.length; ) {
    const at = changes[i].at.getTime();
    for (; i < changes.length && changes[i].at.getTime() === at; i++) count += changes[i].change === 'starts-counting' ? 1 : -1;
    lowest = Math.min(lowest, count);
    if (current >= required && fallsAt === null && count < required) fallsAt = new Date(at);
    if (current < required && metAt === null && count >= required) metAt = new Date(at);
  }

  const base = { requirementId: requirement.id, competency: requirement.competency, required, current, lowest, after: count, counting, changes };
  if (current < required) return { ...base, kind: 'not-met', changesAt: metAt, causes: [] };
  if (fallsAt === null) return { ...base, kind: 'met', changesAt: null, causes: [] };
  const until = fallsAt.getTime();
  const causes = changes.filter((c) => c.change === 'stops-counting' && c.at.getTime() <= until);
  return { ...base, kind: 'at-risk', changesAt: fallsAt, causes };
}

function change(at: number, personId: string, kind: CountChange['change'], piece: Piece): CountChange {
  return {
    at: new Date(at),
    personId,
    change: kind,
    reason: kind === 'starts-counting' ? 'credit-pending' : (piece.reason ?? 'credential-expires'),
    associationId: piece.associationId,
    credentialId: piece.credentialId,
    endReason: kind === 'stops-counting' ? piece.endReason : null,
  };
}

/** The status changes between two sets of evaluations of an organization, for alerts; unchanged requirements are left out. */
export function competencyTransitions(
  before: readonly CompetencyEvaluation[],
  after: readonly CompetencyEvaluation[],
): CompetencyTransition[] {
  const previous = new Map(before.map((e) => [e.requirementId, e]));
  const transitions: CompetencyTransition[] = [];
  for (const evaluation of after) {
    const earlier = previous.get(evaluation.requirementId);
    if (earlier?.kind === evaluation.kind) continue;
    const stillCounting = new Set(evaluation.counting.map((p) => p.personId));
    transitions.push({
      requirementId: evaluation.requirementId,
      from: earlier?.kind ?? null,
      to: evaluation.kind,
      raisesAlert: evaluation.kind !== 'met',
      evaluation,
      stoppedCounting: (earlier?.counting ?? []).filter((p) => !stillCounting.has(p.personId)),
    });
  }
  return transitions.sort((a, b) => byId(a.requirementId, b.requirementId));
}
