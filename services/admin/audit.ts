import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { adminCollections } from '../../storage/collections/admin.js';
import type { Ledger, Transaction, ledgerSchemas } from '../../storage/index.js';
import { timeOrderedKey } from '../timeOrderedKey.js';

/** One entry of the audit log. */
export type AuditEntry = z.output<(typeof adminCollections)['auditLog']>;

/** What a caller says about an action; `at` is added from the clock. */
export type AuditInput = Omit<AuditEntry, 'at'>;

/** A time-ordered key, so that the log reads in order and two entries of one millisecond do not collide. */
export function auditKey(at: Date): string {
  return timeOrderedKey(at);
}

/** Stages an audit entry inside a transaction, so the log and the change it records commit together. */
export function stageAudit(tx: Transaction<typeof ledgerSchemas>, entry: AuditInput, at: Date): void {
  tx.put('auditLog', auditKey(at), { ...entry, at });
}

/** The window in which a person's refusals of one action share one audit row. */
const REFUSAL_WINDOW_MS = 60 * 60 * 1000;

/**
 * Stages a refusal counted per person, action and hour: the first refusal of the window writes a row, the next ones
 * raise its `count`, so a member typing "admin" in a loop adds one row an hour, not one row each time.
 */
export async function stageCountedRefusal(tx: Transaction<typeof ledgerSchemas>, entry: AuditInput & { outcome: 'refused' }, at: Date): Promise<void> {
  const windowStart = new Date(Math.floor(at.getTime() / REFUSAL_WINDOW_MS) * REFUSAL_WINDOW_MS);
  const who = createHash('sha256').update([entry.tenantId, entry.actorId, entry.action].join('\u0000')).digest('hex').slice(0, 32);
  // Time-ordered like every key (the window's start), and the same for every refusal of the window.
  const key = `${windowStart.toISOString()}/refused-${who}`;
  const existing = await tx.get('auditLog', key);
  const count = typeof existing?.detail?.count === 'number' ? existing.detail.count + 1 : 1;
  tx.put('auditLog', key, { ...entry, at: existing?.at ?? at, detail: { ...entry.detail, count } });
}

/** The audit log of every admin action: written with each action, read by Global admins. */
export class AuditLog {
  constructor(private readonly deps: { readonly ledger: Ledger; readonly clock: () => Date }) {}

  /** Records an action on its own (a refusal, a view). */
  async record(entry: AuditInput): Promise<void> {
    const at = this.deps.clock();
    await this.deps.ledger.transact((tx) => stageAudit(tx, entry, at));
  }

  /** The latest `limit` entries of an organization, newest first. */
  async latest(tenantId: string, limit = 20): Promise<AuditEntry[]> {
    const entries = (await this.deps.ledger.findBy('auditLog', 'byTenant', [tenantId])).map((k) => k.record);
    return entries.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
  }
}
