/**
 * Competency alerts: re-evaluates an organization's requirements after anything that can change them, compares with
 * the last stored evaluation, and in the same transaction records the new states, the alerts and one outbox row per
 * alert and subscribed conversation (deterministic ids: a duplicate row cannot exist). The admin side (subscribing a
 * conversation, acknowledging an alert) is in subscriptions.ts.
 */
import { createHash } from 'node:crypto';
import {
  competencyTransitions,
  evaluateCompetency,
  type CompetencyEvaluation,
  type CompetencyTransition,
  type Policy,
} from '../../rules/index.js';
import type { Locale } from '../../locales/locale.js';
import { alertCardBudget } from '../../cards/alertBudget.js';
import { credentialKey, personKey, type Ledger, type RecordOf, type Transaction, type ledgerSchemas } from '../../storage/index.js';
import { organizationInputs } from '../ledgerQueries.js';
import type { ChangeCause } from '../organizationEvents.js';
import { outboxKey, type OutboxEntry, type OutboxRow } from '../outbox/outbox.js';
import { timeSlice } from '../../storage/timeSlice.js';
import { alertAdminCheck, type RoleLookup } from './alertAdmins.js';

type Schemas = typeof ledgerSchemas;
type LedgerTx = Transaction<Schemas>;
/** A stored alert. */
export type AlertRecord = RecordOf<Schemas, 'alerts'>;
/** A requirement's last evaluated state. */
export type StateRecord = RecordOf<Schemas, 'competencyStates'>;

/** Collaborators of the alert evaluation. */
export interface AlertEvaluationDeps {
  readonly ledger: Ledger;
  readonly policy: Policy;
  /** Business time: evaluations and the dates on cards. */
  readonly clock: () => Date;
  /** Scheduling time of the dispatcher, in ms (new outbox rows are due at once). */
  readonly timerNow?: () => number;
  /** Told the outbox rows that committed (the dispatcher adds them to its queue and looks). */
  readonly onEnqueued?: (rows: readonly OutboxEntry[]) => void;
  /**
   * Who holds which role: the admin workspace's people service (configured bootstrap admins included), so alerts are
   * authorized on the same path as every admin command. Default: the stored roles only.
   */
  readonly people?: RoleLookup;
}

/** What a re-evaluation did. */
export interface ReevaluateOutcome {
  readonly transitions: readonly CompetencyTransition[];
  readonly alerts: readonly AlertRecord[];
  /** Outbox rows written (alerts × targets). */
  readonly deliveries: number;
}

/** The alert id of a requirement's `seq`-th alert: deterministic, and safe in card data. */
export function alertIdOf(tenantId: string, requirementId: string, seq: number): string {
  return createHash('sha256').update(`${tenantId}\u0000${requirementId}\u0000${seq}`).digest('hex').slice(0, 32);
}

/** The key of a requirement's stored state. */
export function stateKey(tenantId: string, requirementId: string): string {
  return `${tenantId}/${requirementId}`;
}

/** Rebuilds the part of an evaluation that `competencyTransitions` compares from a stored state. */
function evaluationOf(state: StateRecord): CompetencyEvaluation {
  const base = {
    requirementId: state.requirementId,
    competency: state.competency,
    required: state.required,
    current: state.current,
    lowest: state.lowest,
    after: state.after,
    counting: state.counting.map((p) => ({ personId: p.personId, credentialIds: [...p.credentialIds] })),
    changes: [],
    causes: [],
  };
  if (state.status === 'met') return { ...base, kind: 'met', changesAt: null };
  if (state.status === 'at-risk') return { ...base, kind: 'at-risk', changesAt: state.changesAt ?? new Date(0) };
  return { ...base, kind: 'not-met', changesAt: state.changesAt };
}

/**
 * The conversations that receive an organization's alerts now: subscribed, installed, not dead, personal ones of
 * admins. Thousands of channels are read in time slices.
 */
async function deliverableTargets(
  tx: LedgerTx,
  tenantId: string,
  isAlertAdmin: (tenantId: string, personId: string) => Promise<boolean>,
): Promise<{ conversationId: string; locale: Locale }[]> {
  const targets: { conversationId: string; locale: Locale }[] = [];
  const slice = timeSlice();
  // In conversation id order (the index's), which is the order the outbox rows are written in.
  for (const { id: conversationId, record: s } of await tx.findBy('alertSubscriptions', 'byTenant', [tenantId])) {
    if (slice.due()) await slice.pause();
    const reference = await tx.get('conversationReferences', conversationId);
    if (!reference || reference.deadSince !== undefined) continue;
    if (s.scope === 'personal' && !(await isAlertAdmin(tenantId, s.subscribedBy.personId))) continue;
    targets.push({ conversationId, locale: s.locale });
  }
  return targets;
}

/** The alert evaluation: re-evaluates organizations and writes the alerts and their deliveries into the outbox. */
export class AlertEvaluation {
  private readonly timerNow: () => number;
  private readonly isAlertAdmin: (tenantId: string, personId: string) => Promise<boolean>;

  constructor(private readonly deps: AlertEvaluationDeps) {
    this.timerNow = deps.timerNow ?? (() => Date.now());
    this.isAlertAdmin = alertAdminCheck(deps);
  }

  /**
   * Re-evaluates every requirement of an organization now and, in one transaction, stores the new states and raises
   * an alert (at-risk, not-met) or an all-clear (back to met) for each status change, with one outbox row per
   * deliverable target. The same state never alerts twice: an unchanged status raises nothing.
   */
  async reevaluate(tenantId: string, cause: ChangeCause): Promise<ReevaluateOutcome> {
    const now = this.deps.clock();
    const due = this.timerNow();
    const { staged, ...outcome } = await this.deps.ledger.transact((tx) => this.reevaluateIn(tx, tenantId, cause, now, due));
    if (staged.length > 0) this.deps.onEnqueued?.(staged);
    return outcome;
  }

  /**
   * Processes the organization's pending "organization changed" event, if any: re-evaluates it with the event's cause
   * and deletes the event in the same transaction, so the event goes exactly when its re-evaluation is committed (a
   * change committed meanwhile either came before, and this re-evaluation sees it, or after, and leaves a new event).
   * Undefined when no event was pending (another instance, or an earlier call, processed it).
   */
  async processPendingChange(tenantId: string): Promise<ReevaluateOutcome | undefined> {
    const now = this.deps.clock();
    const due = this.timerNow();
    const result = await this.deps.ledger.transact(async (tx) => {
      const event = await tx.get('organizationEvents', tenantId);
      if (!event) return undefined;
      const evaluated = await this.reevaluateIn(tx, tenantId, event.cause, now, due);
      tx.delete('organizationEvents', tenantId);
      return evaluated;
    });
    if (!result) return undefined;
    const { staged, ...outcome } = result;
    if (staged.length > 0) this.deps.onEnqueued?.(staged);
    return outcome;
  }

  /**
   * Processes every pending event (at start-up and on each poll of the alert worker: changes committed by an instance
   * that stopped before processing them, or by another instance); returns how many organizations were re-evaluated.
   * The pending events are few (one per organization changed since the last poll), so they are read whole.
   */
  async processPendingChanges(): Promise<number> {
    let processed = 0;
    for (const { id: tenantId } of await this.deps.ledger.scan('organizationEvents')) if (await this.processPendingChange(tenantId)) processed += 1;
    return processed;
  }

  /** Re-evaluates every organization that has requirements or stored states (the daily sweep); returns the alerts raised. */
  async reevaluateAll(cause: ChangeCause): Promise<number> {
    const tenants = new Set<string>();
    // Every organization, once a day, in the background: the one place that reads these collections whole.
    for (const { record } of await this.deps.ledger.scan('requirements')) tenants.add(record.tenantId);
    for (const { record } of await this.deps.ledger.scan('competencyStates')) tenants.add(record.tenantId);
    let alerts = 0;
    // One organization per transaction: a large sweep does not hold the store for everyone at once.
    for (const tenantId of [...tenants].sort()) alerts += (await this.reevaluate(tenantId, cause)).alerts.length;
    return alerts;
  }

  private async reevaluateIn(tx: LedgerTx, tenantId: string, cause: ChangeCause, now: Date, due: number): Promise<ReevaluateOutcome & { readonly staged: OutboxEntry[] }> {
    const { requirements, associations, credentials } = await organizationInputs(tx, tenantId);
    const states = new Map<string, StateRecord>();
    for (const { record } of await tx.findBy('competencyStates', 'byTenant', [tenantId])) states.set(record.requirementId, record);

    const evaluations = requirements.map((r) => evaluateCompetency(r, associations, credentials, this.deps.policy, now));
    const transitions = competencyTransitions([...states.values()].map(evaluationOf), evaluations);
    const byRequirement = new Map(transitions.map((t) => [t.requirementId, t]));

    // A requirement that no longer exists is forgotten (its alerts stay in the history).
    const live = new Set(requirements.map((r) => r.id));
    for (const requirementId of states.keys()) if (!live.has(requirementId)) tx.delete('competencyStates', stateKey(tenantId, requirementId));

    // An organization with thousands of subscribed channels stages thousands of rows: in time slices, so that the
    // transaction (whose reads resolve at once on the embedded store) is no long block.
    const slice = timeSlice();
    const targets = await deliverableTargets(tx, tenantId, this.isAlertAdmin);
    const alerts: AlertRecord[] = [];
    const staged: OutboxEntry[] = [];
    for (const evaluation of evaluations) {
      const previous = states.get(evaluation.requirementId);
      const transition = byRequirement.get(evaluation.requirementId);
      let seq = previous?.seq ?? 0;
      const recovers = transition !== undefined && transition.to === 'met' && transition.from !== null && transition.from !== 'met';
      if (transition && (transition.raisesAlert || recovers)) {
        seq += 1;
        const alertId = alertIdOf(tenantId, evaluation.requirementId, seq);
        const alert = await this.alertRecord(tx, tenantId, transition, seq, cause, now);
        tx.put('alerts', alertId, alert);
        alerts.push(alert);
        for (const target of targets) {
          if (slice.due()) await slice.pause();
          const key = outboxKey(alertId, target.conversationId);
          if (await tx.get('alertOutbox', key)) continue;
          const row: OutboxRow = {
            kind: 'alert',
            alertId,
            tenantId,
            conversationId: target.conversationId,
            locale: target.locale,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: due,
            createdAt: now,
            order: now.getTime() * 1000 + seq,
            interrupted: 0,
          };
          tx.put('alertOutbox', key, row);
          staged.push([key, row]);
        }
      }
      if (transition || !previous || changedCounting(previous, evaluation)) {
        tx.put('competencyStates', stateKey(tenantId, evaluation.requirementId), {
          tenantId,
          requirementId: evaluation.requirementId,
          status: evaluation.kind,
          changesAt: evaluation.changesAt,
          competency: evaluation.competency,
          required: evaluation.required,
          current: evaluation.current,
          lowest: evaluation.lowest,
          after: evaluation.after,
          counting: evaluation.counting,
          seq,
          evaluatedAt: now,
        });
      }
    }
    return { transitions, alerts, deliveries: staged.length, staged };
  }

  private async alertRecord(tx: LedgerTx, tenantId: string, transition: CompetencyTransition, seq: number, cause: ChangeCause, now: Date): Promise<AlertRecord> {
    const e = transition.evaluation;
    // A deleted person keeps the name they had (stored at deletion); '' (shown as "a former member") rather than an id.
    const nameOf = async (personId: string) =>
      (await tx.get('people', personKey(tenantId, personId)))?.displayName ?? (await tx.get('registrations', personKey(tenantId, personId)))?.displayName ?? '';
    const credentialOf = async (credentialId: string) => {
      const c = await tx.get('credentials', credentialKey(tenantId, credentialId));
      return { id: credentialId, code: c?.code ?? '', title: c?.title ?? credentialId };
    };
    const involved: AlertRecord['involved'] = [];
    if (transition.to !== 'met') {
      // Who stops counting (at-risk: up to the date it falls short), then who already stopped since the last evaluation.
      const stops = new Map<string, AlertRecord['involved'][number]>();
      for (const c of e.causes) {
        const entry = stops.get(c.personId);
        if (entry) {
          if (!entry.credentials.some((x) => x.id === c.credentialId)) entry.credentials.push(await credentialOf(c.credentialId));
          continue;
        }
        stops.set(c.personId, {
          personId: c.personId,
          name: await nameOf(c.personId),
          credentials: [await credentialOf(c.credentialId)],
          change: 'stops',
          at: c.at,
          reason: c.reason === 'credit-pending' ? undefined : c.reason,
          ...(c.endReason ? { endReason: c.endReason } : {}),
        });
      }
      involved.push(...stops.values());
      for (const p of transition.stoppedCounting) {
        if (stops.has(p.personId)) continue;
        const credentials = [];
        for (const credentialId of p.credentialIds) credentials.push(await credentialOf(credentialId));
        involved.push({ personId: p.personId, name: await nameOf(p.personId), credentials, change: 'stopped' });
      }
    }
    const effectiveAt = e.kind === 'at-risk' ? e.changesAt : now;
    return {
      tenantId,
      requirementId: e.requirementId,
      seq,
      kind: transition.to === 'met' ? 'all-clear' : transition.to,
      from: transition.from,
      cause,
      createdAt: now,
      competency: e.competency,
      required: e.required,
      current: e.current,
      lowest: e.lowest,
      effectiveAt,
      ...alertCardBudget(involved),
    };
  }

}

function changedCounting(previous: StateRecord, evaluation: CompetencyEvaluation): boolean {
  return (
    previous.current !== evaluation.current ||
    previous.lowest !== evaluation.lowest ||
    previous.after !== evaluation.after ||
    previous.required !== evaluation.required ||
    (previous.changesAt?.getTime() ?? null) !== (evaluation.changesAt?.getTime() ?? null) ||
    JSON.stringify(previous.counting) !== JSON.stringify(evaluation.counting)
  );
}
