/**
 * "Organization changed": a change that can move a requirement's status (an unlink, a link, a move, a deleted
 * account, a credential import, a requirement change) records a pending event for the organization in its own
 * transaction, so the re-evaluation that follows cannot be lost to a crash between the two: the alert worker
 * processes pending events at start-up and on every poll, and the process that made the change is told after the
 * commit (the hook below) so it processes the event at once.
 */
import type { z } from 'zod';
import type { changeCauseSchema } from '../storage/collections/alerts.js';
import type { Transaction, ledgerSchemas } from '../storage/index.js';

/**
 * Why an organization's competency picture may have changed, for whoever re-evaluates it (alerts): a change someone
 * made (recorded as a pending event), or the daily sweep. Stored with the event and with each alert it raised.
 */
export type ChangeCause = z.output<typeof changeCauseSchema>;

/**
 * Called after a committed change that can move a requirement's status; the pending event is already in the ledger.
 * Errors it throws are logged by the caller, never undo the change (the event stays pending for the worker).
 */
export type OnOrganizationChanged = (tenantId: string, cause: ChangeCause) => void | Promise<void>;

/**
 * Stages the organization's pending event in the caller's transaction. One per organization: a later change
 * replaces the cause of one not yet processed (a single re-evaluation covers both).
 */
export function stageOrganizationChange(tx: Transaction<typeof ledgerSchemas>, tenantId: string, cause: ChangeCause, at: Date): void {
  tx.put('organizationEvents', tenantId, { tenantId, cause, at });
}

/** Calls the hook, if any, and swallows (reports) its failure: the change is already committed. */
export async function notifyOrganizationChanged(
  hook: OnOrganizationChanged | undefined,
  tenantId: string,
  cause: ChangeCause,
  onError: (error: unknown) => void = () => undefined,
): Promise<void> {
  if (!hook) return;
  try {
    await hook(tenantId, cause);
  } catch (error) {
    onError(error);
  }
}
