/**
 * Housekeeping of ledger records that would otherwise grow forever, run by the daily sweep: `processed` rows (card
 * nonces acted upon, used sign-in tickets) past their `expiresAt`, and audit-log entries past their retention.
 */
import type { Ledger } from '../storage/index.js';
import type { AuditEntry } from './audit.js';

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
 * FAQ_VOTE_RETENTION_DAYS.
 */
export function pruneExpired(ledger: Ledger, now: Date): Promise<PruneOutcome> {
  const t = now.getTime();
  return ledger.transact((tx): PruneOutcome => {
    let processed = 0;
    let pendingDeletions = 0;
    let auditLog = 0;
    tx.find('processed', (row, key) => {
      if (row.expiresAt.getTime() <= t) {
        tx.delete('processed', key);
        processed += 1;
      }
      return false;
    });
    // An expired deletion confirmation is refused anyway; its row only takes space.
    tx.find('pendingDeletions', (row, key) => {
      if (row.expiresAt.getTime() <= t) {
        tx.delete('pendingDeletions', key);
        pendingDeletions += 1;
      }
      return false;
    });
    tx.find('auditLog', (entry, key) => {
      if (t - entry.at.getTime() > auditRetentionDays(entry) * DAY_MS) {
        tx.delete('auditLog', key);
        auditLog += 1;
      }
      return false;
    });
    let faqVotes = 0;
    tx.find('faqFeedback', (vote, key) => {
      if (t - vote.at.getTime() > FAQ_VOTE_RETENTION_DAYS * DAY_MS) {
        tx.delete('faqFeedback', key);
        faqVotes += 1;
      }
      return false;
    });
    return { processed, pendingDeletions, auditLog, faqVotes };
  });
}
