/**
 * The admin side of alerts: subscribing a conversation to its organization's alerts, stopping them, listing the
 * subscribed conversations with their delivery health, acknowledging an alert, and a requirement's last evaluated
 * state. Each is for a Global or Partner admin only (the `manage-alerts` capability).
 */
import type { Locale } from '../../locales/locale.js';
import type { Ledger } from '../../storage/index.js';
import type { Actor } from '../actor.js';
import type { ConversationScope } from '../outbox/conversationReferences.js';
import { outboxKey, type OutboxRow } from '../outbox/outbox.js';
import { alertAdminCheck, type AlertAdminDeps } from './alertAdmins.js';
import { stateKey, type AlertRecord, type StateRecord } from './evaluation.js';

/** Outbox statuses of a delivery not made yet. */
const UNDELIVERED = ['pending', 'sending'] as const;

/** Collaborators of the alert subscriptions. */
export interface AlertSubscriptionsDeps extends AlertAdminDeps {
  readonly ledger: Ledger;
  /** Business time: when a subscription or an acknowledgement was made. */
  readonly clock: () => Date;
}

/** The conversation an admin subscribes. */
export interface SubscriptionTarget {
  readonly conversationId: string;
  readonly scope: ConversationScope;
  readonly teamId?: string;
  readonly name?: string;
  readonly teamName?: string;
  readonly locale: Locale;
  readonly reference: Record<string, unknown>;
}

/** A subscribed conversation as the admin list shows it. */
export interface TargetListing {
  readonly conversationId: string;
  readonly scope: ConversationScope;
  readonly name?: string;
  readonly teamName?: string;
  readonly subscribedBy: string;
  readonly subscribedAt: Date;
  /** When sends started failing with 403/404 (the app was removed or blocked); undefined while deliverable. */
  readonly deadSince?: Date;
  /** Deliveries that gave up after their last attempt. */
  readonly failedDeliveries: number;
  readonly pendingDeliveries: number;
}

/** The outcome of acknowledging an alert in a conversation. */
export type AcknowledgeOutcome =
  | { kind: 'acknowledged'; alert: AlertRecord; row: OutboxRow }
  | { kind: 'already-acknowledged'; alert: AlertRecord; row: OutboxRow }
  | { kind: 'not-admin' }
  | { kind: 'unknown-alert' };

/** The name an actor is recorded under (who subscribed, who acknowledged): the one Teams shows, else the id. */
function nameOf(actor: Actor): string {
  return (actor.displayName ?? actor.personId).slice(0, 200);
}

/** The alert subscriptions: the admin commands around alerts. */
export class AlertSubscriptions {
  private readonly isAlertAdmin: (tenantId: string, personId: string) => Promise<boolean>;

  constructor(private readonly deps: AlertSubscriptionsDeps) {
    this.isAlertAdmin = alertAdminCheck(deps);
  }

  /** Subscribes a conversation to the organization's alerts; only a Global or Partner admin may. */
  async subscribe(actor: Actor, target: SubscriptionTarget): Promise<'subscribed' | 'already-subscribed' | 'not-admin'> {
    const now = this.deps.clock();
    return this.deps.ledger.transact(async (tx) => {
      if (!(await this.isAlertAdmin(actor.tenantId, actor.personId))) return 'not-admin';
      const existing = await tx.get('alertSubscriptions', target.conversationId);
      const reference = await tx.get('conversationReferences', target.conversationId);
      // Saying "alerts on" where the bot was marked dead proves it can post there again.
      tx.put('conversationReferences', target.conversationId, {
        tenantId: actor.tenantId,
        ...(target.scope === 'personal' ? { personId: actor.personId } : {}),
        scope: target.scope,
        reference: target.reference,
        installedAt: reference && reference.deadSince === undefined ? reference.installedAt : now,
      });
      tx.put('alertSubscriptions', target.conversationId, {
        tenantId: actor.tenantId,
        scope: target.scope,
        ...(target.teamId ? { teamId: target.teamId } : {}),
        ...(target.name ? { name: target.name.slice(0, 200) } : {}),
        ...(target.teamName ? { teamName: target.teamName.slice(0, 200) } : {}),
        locale: target.locale,
        subscribedBy: existing?.tenantId === actor.tenantId ? existing.subscribedBy : { personId: actor.personId, name: nameOf(actor), at: now },
      });
      return existing?.tenantId === actor.tenantId ? 'already-subscribed' : 'subscribed';
    });
  }

  /** Stops the alerts of a conversation; only a Global or Partner admin may. */
  async unsubscribe(actor: Actor, conversationId: string): Promise<'unsubscribed' | 'not-subscribed' | 'not-admin'> {
    return this.deps.ledger.transact(async (tx) => {
      if (!(await this.isAlertAdmin(actor.tenantId, actor.personId))) return 'not-admin';
      const existing = await tx.get('alertSubscriptions', conversationId);
      if (!existing || existing.tenantId !== actor.tenantId) return 'not-subscribed';
      tx.delete('alertSubscriptions', conversationId);
      // Deliveries not yet made to this conversation are dropped with it.
      for (const status of UNDELIVERED) {
        for (const { id, record } of await tx.findBy('alertOutbox', 'byConversationStatus', [conversationId, status])) if (record.kind === 'alert') tx.delete('alertOutbox', id);
      }
      return 'unsubscribed';
    });
  }

  /** The organization's subscribed conversations with their delivery health, for admins only. */
  async listTargets(actor: Actor): Promise<{ kind: 'not-admin' } | { kind: 'targets'; targets: TargetListing[] }> {
    return this.deps.ledger.transact(async (tx) => {
      if (!(await this.isAlertAdmin(actor.tenantId, actor.personId))) return { kind: 'not-admin' as const };
      const counts = new Map<string, { failed: number; pending: number }>();
      // Only the rows still waiting or given up: delivered history does not count here.
      for (const status of ['failed', ...UNDELIVERED] as const) {
        for (const { record: row } of await tx.findBy('alertOutbox', 'byTenantStatus', [actor.tenantId, status])) {
          if (row.kind !== 'alert') continue;
          const c = counts.get(row.conversationId) ?? { failed: 0, pending: 0 };
          if (status === 'failed') c.failed += 1;
          else c.pending += 1;
          counts.set(row.conversationId, c);
        }
      }
      const targets: TargetListing[] = [];
      for (const { id: conversationId, record: s } of await tx.findBy('alertSubscriptions', 'byTenant', [actor.tenantId])) {
        const reference = await tx.get('conversationReferences', conversationId);
        targets.push({
          conversationId,
          scope: s.scope,
          ...(s.name ? { name: s.name } : {}),
          ...(s.teamName ? { teamName: s.teamName } : {}),
          subscribedBy: s.subscribedBy.name,
          subscribedAt: s.subscribedBy.at,
          ...(reference?.deadSince ? { deadSince: reference.deadSince } : {}),
          failedDeliveries: counts.get(conversationId)?.failed ?? 0,
          pendingDeliveries: counts.get(conversationId)?.pending ?? 0,
        });
      }
      return { kind: 'targets' as const, targets };
    });
  }

  /** Records who acknowledged an alert in a conversation (the first one wins); only a Global or Partner admin may. */
  async acknowledge(actor: Actor, alertId: string, conversationId: string): Promise<AcknowledgeOutcome> {
    const now = this.deps.clock();
    return this.deps.ledger.transact(async (tx): Promise<AcknowledgeOutcome> => {
      const alert = await tx.get('alerts', alertId);
      const key = outboxKey(alertId, conversationId);
      const row = await tx.get('alertOutbox', key);
      if (!alert || alert.tenantId !== actor.tenantId || !row) return { kind: 'unknown-alert' };
      if (!(await this.isAlertAdmin(actor.tenantId, actor.personId))) return { kind: 'not-admin' };
      if (row.acknowledged) return { kind: 'already-acknowledged', alert, row };
      const updated: OutboxRow = { ...row, acknowledged: { personId: actor.personId, name: nameOf(actor), at: now } };
      tx.put('alertOutbox', key, updated);
      return { kind: 'acknowledged', alert, row: updated };
    });
  }

  /** The last evaluated state of one requirement of the actor's organization, for the status card; admins only. */
  async requirementStatus(actor: Actor, requirementId: string): Promise<{ kind: 'not-admin' } | { kind: 'unknown' } | { kind: 'status'; state: StateRecord }> {
    if (!(await this.isAlertAdmin(actor.tenantId, actor.personId))) return { kind: 'not-admin' };
    const state = await this.deps.ledger.get('competencyStates', stateKey(actor.tenantId, requirementId));
    return state ? { kind: 'status', state } : { kind: 'unknown' };
  }
}
