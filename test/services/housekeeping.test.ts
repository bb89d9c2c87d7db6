import assert from 'node:assert/strict';
import { auditKey } from '../../services/admin/audit.js';
import { AUDIT_RETENTION_DAYS, AUDIT_VIEW_RETENTION_DAYS, auditRetentionDays, FAQ_VOTE_RETENTION_DAYS, pruneExpired } from '../../services/housekeeping.js';
import { createMemoryLedger, type Ledger } from '../../storage/index.js';
import { allRecords, findRecords } from '../support/ledgerRecords.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const DAY = 86_400_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

async function seed(ledger: Ledger): Promise<void> {
  await ledger.transact((tx) => {
    const processed = (kind: 'card-action' | 'sign-in-ticket', expiresAt: Date) => ({ kind, at: ago(90 * DAY), expiresAt });
    tx.put('processed', 'card-action/expired', processed('card-action', ago(1)));
    tx.put('processed', 'card-action/expires-now', processed('card-action', NOW));
    tx.put('processed', 'card-action/live', processed('card-action', new Date(NOW.getTime() + 1)));
    tx.put('processed', 'sign-in-ticket/used-long-ago', processed('sign-in-ticket', ago(DAY)));
    tx.put('processed', 'sign-in-ticket/just-used', processed('sign-in-ticket', new Date(NOW.getTime() + 20 * 60_000)));

    const entry = (action: 'account.delete' | 'status.view' | 'role.grant', outcome: 'done' | 'refused', at: Date, target: string) =>
      tx.put('auditLog', auditKey(at), { tenantId: 't', at, actorId: 'aad-admin', action, outcome, target });
    entry('account.delete', 'done', ago(AUDIT_RETENTION_DAYS * DAY + 1), 'change-too-old');
    entry('account.delete', 'done', ago(AUDIT_RETENTION_DAYS * DAY), 'change-last-day');
    entry('role.grant', 'refused', ago(AUDIT_VIEW_RETENTION_DAYS * DAY + 1), 'refused-change-kept');
    entry('status.view', 'done', ago(AUDIT_VIEW_RETENTION_DAYS * DAY + 1), 'view-too-old');
    entry('status.view', 'refused', ago(AUDIT_VIEW_RETENTION_DAYS * DAY + 1), 'refused-view-too-old');
    entry('status.view', 'done', ago(AUDIT_VIEW_RETENTION_DAYS * DAY), 'view-last-day');
    tx.put('pendingDeletions', 'card-expired', { tenantId: 't', personId: 'aad-x', requestedBy: 'aad-admin', expiresAt: NOW });
    tx.put('pendingDeletions', 'card-live', { tenantId: 't', personId: 'aad-y', requestedBy: 'aad-admin', expiresAt: new Date(NOW.getTime() + 1) });
  });
}

describe('housekeeping (fixed clock)', () => {
  it('keeps changes and refused changes for 400 days, views (refused or not) for 90', () => {
    assert.equal(AUDIT_RETENTION_DAYS, 400);
    assert.equal(auditRetentionDays({ action: 'account.delete' }), 400);
    assert.equal(auditRetentionDays({ action: 'credentials.import' }), 400);
    assert.equal(auditRetentionDays({ action: 'report.download' }), 400, 'a download took data out: kept like a change');
    assert.equal(auditRetentionDays({ action: 'menu.view' }), 90);
    assert.equal(auditRetentionDays({ action: 'users.list' }), 90);
  });

  it('prunes processed rows at their expiresAt and audit entries past their retention, nothing else', async () => {
    const ledger = createMemoryLedger();
    await seed(ledger);
    assert.deepEqual(await pruneExpired(ledger, NOW), { processed: 3, pendingDeletions: 1, auditLog: 3, faqVotes: 0 });
    assert.deepEqual((await findRecords(ledger, 'pendingDeletions', (_, key) => key === 'card-live')).length, 1);
    assert.deepEqual((await findRecords(ledger, 'processed', () => true)).length, 2);
    assert.ok(await ledger.get('processed', 'card-action/live'));
    assert.ok(await ledger.get('processed', 'sign-in-ticket/just-used'));
    assert.deepEqual((await allRecords(ledger, 'auditLog')).map((e) => e.target).sort(), ['change-last-day', 'refused-change-kept', 'view-last-day']);
    // Idempotent: a second run the same day removes nothing more.
    assert.deepEqual(await pruneExpired(ledger, NOW), { processed: 0, pendingDeletions: 0, auditLog: 0, faqVotes: 0 });
    // A day later, the remaining rows have expired and the entries that were on their last day are past it.
    assert.deepEqual(await pruneExpired(ledger, new Date(NOW.getTime() + DAY)), { processed: 2, pendingDeletions: 1, auditLog: 2, faqVotes: 0 });
    assert.deepEqual((await allRecords(ledger, 'auditLog')).map((e) => e.target), ['refused-change-kept']);
  });
});

describe('housekeeping of FAQ votes (fixed clock)', () => {
  it('prunes votes older than their retention and keeps the rest', async () => {
    const ledger = createMemoryLedger();
    const ago = (ms: number) => new Date(NOW.getTime() - ms);
    await ledger.transact((tx) => {
      tx.put('faqFeedback', 'old', { topic: 'why-link', locale: 'en', helpful: true, at: ago(FAQ_VOTE_RETENTION_DAYS * DAY + 1) });
      tx.put('faqFeedback', 'last-day', { topic: 'why-link', locale: 'fr', helpful: false, at: ago(FAQ_VOTE_RETENTION_DAYS * DAY) });
    });
    assert.equal((await pruneExpired(ledger, NOW)).faqVotes, 1);
    assert.deepEqual((await allRecords(ledger, 'faqFeedback')).map((v) => v.locale), ['fr']);
  });
});

describe('FAQ vote totals (fixed clock)', () => {
  it('counts votes recorded before the totals existed, and those left after pruning, when the sweep recounts', async () => {
    const ledger = createMemoryLedger();
    const ago = (ms: number) => new Date(NOW.getTime() - ms);
    // As an older ledger holds them: votes, and no totals.
    await ledger.transact((tx) => {
      tx.put('faqFeedback', 'old', { topic: 'why-link', locale: 'en', helpful: true, at: ago((FAQ_VOTE_RETENTION_DAYS + 1) * DAY) });
      tx.put('faqFeedback', 'kept-1', { topic: 'why-link', locale: 'en', helpful: false, at: ago(DAY) });
      tx.put('faqFeedback', 'kept-2', { topic: 'why-link', locale: 'en', helpful: true, at: ago(DAY) });
      tx.put('faqFeedback', 'kept-3', { topic: 'find-mcid', locale: 'fr', helpful: true, at: ago(DAY) });
    });
    assert.deepEqual(await allRecords(ledger, 'faqFeedbackTotals'), []);
    await pruneExpired(ledger, NOW);
    assert.deepEqual(await allRecords(ledger, 'faqFeedbackTotals'), [
      { topic: 'find-mcid', locale: 'fr', helpful: 1, notHelpful: 0 },
      { topic: 'why-link', locale: 'en', helpful: 1, notHelpful: 1 },
    ]);
  });
});
