/**
 * Housekeeping of ledger records that would otherwise grow forever, run by the daily sweep: `processed` rows (card
 * nonces acted upon, used sign-in tickets) past their `expiresAt`, and audit-log entries past their retention.
 */
import type { Ledger } from '../storage/index.js';
import type { AuditEntry } from './admin/audit.js';
import { recountVotes } from './faq/voteTotals.js';

const DAY_MS = 86_400_000;

/**
 * How long an audit entry of a change, or of a refused or rejected change, is kept: a little over a year, so that a
 * yearly review (Partner Center roles, the program's anniversary date) still finds the whole previous year.
 */
export const AUDIT_RETENTION_DAYS = 400;

/**
 * How long an entry that only records someone looking is kept (status, report, menu, lists, the audit log itself),
 * refused or not: these come with every view and every unauthorized "admin" typed, and tell little after a quarter.
 * Refused attempts to change something (a role, an account, an import) are kept the full `AUDIT_RETENTION_DAYS`.
 */
export const AUDIT_VIEW_RETENTION_DAYS = 90;

/** Audit actions that change nothing. */
const VIEW_ACTIONS: ReadonlySet<AuditEntry['action']> = new Set<AuditEntry['action']>([
  'status.view',
  'report.view',
  'audit.view',
  'users.list',
  'menu.view',
  'roles.view',
  'requirements.view',
]);

/** How many days an audit entry is kept. */
export function auditRetentionDays(entry: Pick<AuditEntry, 'action'>): number {
  return VIEW_ACTIONS.has(entry.action) ? AUDIT_VIEW_RETENTION_DAYS : AUDIT_RETENTION_DAYS;
}

/** How long an FAQ vote counts: the summary speaks of the answers as they are now, not as they were years ago. */
export const FAQ_VOTE_RETENTION_DAYS = 365;

/** What one pruning removed. */
export interface PruneOutcome {
  readonly processed: number;
  readonly pendingDeletions: number;
  readonly auditLog: number;
  readonly faqVotes: number;
}

/**
 * Removes, in one transaction, the `processed` rows and pending deletion confirmations whose `expiresAt` is at or
 * before `now`, and the audit entries older than their retention. A marker only goes once it cannot matter: a sign-in
 * ticket is refused as expired by then, an unlink confirmation replayed that late finds no prompt waiting for its card,
 * and a deletion confirmation is refused unless its own pending record exists and is unexpired. FAQ votes go after
 * FAQ_VOTE_RETENTION_DAYS, and the vote totals the admins' summary reads are recounted from the votes kept.
 */
export function pruneExpired(ledger: Ledger, now: Date): Promise<PruneOutcome> {
  const t = now.getTime();
  // The daily sweep, in the background: the one place these collections are read whole.
  return ledger.transact(async (tx): Promise<PruneOutcome> => {
    let processed = 0;
    let pendingDeletions = 0;
    let auditLog = 0;
    for (const { id, record } of await tx.scan('processed')) {
      if (record.expiresAt.getTime() <= t) {
        tx.delete('processed', id);
        processed += 1;
      }
    }
    // An expired deletion confirmation is refused anyway; its row only takes space.
    for (const { id, record } of await tx.scan('pendingDeletions')) {
      if (record.expiresAt.getTime() <= t) {
        tx.delete('pendingDeletions', id);
        pendingDeletions += 1;
      }
    }
    for (const { id, record } of await tx.scan('auditLog')) {
      if (t - record.at.getTime() > auditRetentionDays(record) * DAY_MS) {
        tx.delete('auditLog', id);
        auditLog += 1;
      }
    }
    let faqVotes = 0;
    const kept = [];
    for (const { id, record } of await tx.scan('faqFeedback')) {
      if (t - record.at.getTime() > FAQ_VOTE_RETENTION_DAYS * DAY_MS) {
        tx.delete('faqFeedback', id);
        faqVotes += 1;
      } else {
        kept.push(record);
      }
    }
    await recountVotes(tx, kept);
    return { processed, pendingDeletions, auditLog, faqVotes };
  });
}
