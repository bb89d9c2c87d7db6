import assert from 'node:assert/strict';
import sinon from 'sinon';
import { defaultPolicy } from '../../../rules/index.js';
import { NoticeOutbox } from '../../../services/outbox/outbox.js';
import { SignInCompletion, type OutcomeNotice } from '../../../services/signin/completion.js';
import type { TicketPayload } from '../../../services/signin/tickets.js';
import { createMemoryLedger, personKey, type Ledger } from '../../../storage/ledger.js';
import { allRecords } from '../../support/ledgerRecords.js';
import { ticketPayload } from '../../support/tickets.js';

const DAY = 86_400_000;
const t0 = new Date('2026-03-02T09:00:00Z');

const ticket = (fields: Partial<TicketPayload> = {}): TicketPayload => ticketPayload(t0, fields);

async function register(ledger: Ledger, tenantId: string, personId: string): Promise<void> {
  await ledger.transact((tx) => tx.put('people', personKey(tenantId, personId), { id: personId, tenantId, displayName: personId, role: 'member' }));
}

describe('completing a link after sign-in', () => {
  let ledger: Ledger;
  let now: Date;
  let completion: SignInCompletion;

  beforeEach(async () => {
    ledger = createMemoryLedger();
    now = t0;
    completion = new SignInCompletion({ ledger, policy: defaultPolicy, clock: () => now });
    await register(ledger, 'contoso', 'p1');
    await register(ledger, 'contoso', 'p2');
    await register(ledger, 'fabrikam', 'q1');
  });

  it('records the association, the proved learning account and the used ticket, credit counting after the delay', async () => {
    const tk = ticket();
    const outcome = await completion.complete(tk, { subject: 'sub-a', accountId: 'MCID-1' });
    assert.equal(outcome.kind, 'linked');
    assert.equal(outcome.kind === 'linked' && outcome.creditFrom.getTime(), t0.getTime() + defaultPolicy.creditDelayDays * DAY);
    assert.equal((await allRecords(ledger, 'associations')).length, 1);
    assert.equal((await ledger.get('accounts', 'contoso/p1/learn'))?.subject, 'sub-a');
    assert.ok(await completion.isUsed(tk.jti));
  });

  it('enqueues the outcome card in the outbox with the outcome, once per ticket, and nothing for a replay', async () => {
    let nudges = 0;
    const notices = new NoticeOutbox({ ledger, clock: () => now, timerNow: () => 5, onEnqueued: () => (nudges += 1) });
    const outbox = (tk: TicketPayload): OutcomeNotice => ({
      notices,
      render: (outcome) =>
        outcome.kind === 'refused' && outcome.reason === 'ticket-used'
          ? undefined
          : { kind: 'sign-in-outcome', id: `${tk.jti}|${outcome.kind}`, tenantId: tk.tenantId, conversationId: 'a:chat-p1', locale: 'fr', activity: { type: 'message', text: outcome.kind }, reference: { conversation: { id: 'a:chat-p1' } } },
    });
    const tk = ticket();
    assert.equal((await completion.complete(tk, { subject: 'sub-a', accountId: 'MCID-1' }, outbox(tk))).kind, 'linked');
    assert.equal((await completion.complete(tk, { subject: 'sub-a', accountId: 'MCID-1' }, outbox(tk))).kind, 'refused');
    const rows = await allRecords(ledger, 'alertOutbox');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.kind, 'sign-in-outcome');
    assert.equal(rows[0]!.status, 'pending');
    assert.equal(rows[0]!.nextAttemptAt, 5);
    assert.deepEqual(rows[0]!.activity, { type: 'message', text: 'linked' });
    assert.equal(nudges, 1);
    // A refusal that records nothing else still tells the person, in the same transaction.
    const other = ticket({ accountId: 'MCID-2' });
    assert.equal((await completion.complete(other, { subject: 'sub-a', accountId: 'MCID-2' }, outbox(other))).kind, 'refused');
    assert.equal((await allRecords(ledger, 'alertOutbox')).length, 2);
  });

  it('refuses a second completion with the same ticket and records nothing more', async () => {
    const tk = ticket();
    await completion.complete(tk, { subject: 'sub-a' });
    assert.deepEqual(await completion.complete(tk, { subject: 'sub-a' }), { kind: 'refused', reason: 'ticket-used' });
    assert.equal((await allRecords(ledger, 'associations')).length, 1);
  });

  it('records exactly one association when two completions of one ticket race', async () => {
    const tk = ticket();
    const outcomes = await Promise.all([completion.complete(tk, { subject: 'sub-a' }), completion.complete(tk, { subject: 'sub-a' })]);
    assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['linked', 'refused']);
    assert.equal((await allRecords(ledger, 'associations')).length, 1);
  });

  it('refuses a learning account whose MCID claim differs from the MCID the person gave', async () => {
    assert.deepEqual(await completion.complete(ticket(), { subject: 'sub-a', accountId: 'MCID-2' }), { kind: 'refused', reason: 'account-mismatch' });
    assert.equal((await allRecords(ledger, 'associations')).length, 0);
  });

  it('refuses an MCID already proved by another learning account', async () => {
    await completion.complete(ticket(), { subject: 'sub-a' });
    now = new Date(t0.getTime() + 40 * DAY);
    const outcome = await completion.complete(ticket({ personId: 'p2' }), { subject: 'sub-b' });
    assert.deepEqual(outcome, { kind: 'refused', reason: 'subject-mismatch' });
  });

  it('refuses a learning account that already proved another MCID', async () => {
    await completion.complete(ticket(), { subject: 'sub-a' });
    const outcome = await completion.complete(ticket({ personId: 'p2', accountId: 'MCID-2' }), { subject: 'sub-a' });
    assert.deepEqual(outcome, { kind: 'refused', reason: 'login-bound-to-another-account' });
  });

  it('refuses a second MCID for a person whose MCID is proven, even unlinked: one MCID per person', async () => {
    const first = ticket();
    const second = ticket({ accountId: 'MCID-2' });
    await completion.complete(first, { subject: 'sub-a' });
    await ledger.transact(async (tx) => {
      for (const a of await allRecords(tx, 'associations')) tx.put('associations', a.id, { ...a, end: new Date(t0.getTime() + DAY), endReason: 'unlinked' });
    });
    now = new Date(t0.getTime() + 40 * DAY);
    assert.deepEqual(await completion.complete(second, { subject: 'sub-b' }), { kind: 'refused', reason: 'person-has-another-account' });
    assert.equal((await ledger.get('accounts', 'contoso/p1/learn'))?.accountId, 'MCID-1');
    assert.equal((await allRecords(ledger, 'associations')).length, 1);
  });

  it('refuses the same learning account and MCID for another person of the organization', async () => {
    await completion.complete(ticket(), { subject: 'sub-a' });
    now = new Date(t0.getTime() + 40 * DAY);
    const outcome = await completion.complete(ticket({ personId: 'p2' }), { subject: 'sub-a' });
    assert.deepEqual(outcome, { kind: 'refused', reason: 'login-bound-to-another-person' });
  });

  it('moves the MCID to another organization, ending the previous association, once the cool-off has passed', async () => {
    await completion.complete(ticket(), { subject: 'sub-a' });
    now = new Date(t0.getTime() + defaultPolicy.daysBetweenAssociationStarts * DAY);
    const outcome = await completion.complete(ticket({ personId: 'q1', tenantId: 'fabrikam' }), { subject: 'sub-a' });
    assert.equal(outcome.kind, 'linked');
    assert.equal(outcome.kind === 'linked' && outcome.ended?.endReason, 'moved');
    const active = (await allRecords(ledger, 'associations')).filter((a) => a.end === undefined);
    assert.deepEqual(active.map((a) => a.tenantId), ['fabrikam']);
  });

  it('says when to come back during the cool-off and records nothing', async () => {
    await completion.complete(ticket(), { subject: 'sub-a' });
    now = new Date(t0.getTime() + 12 * DAY);
    const tk = ticket({ personId: 'q1', tenantId: 'fabrikam' });
    const outcome = await completion.complete(tk, { subject: 'sub-a' });
    assert.equal(outcome.kind, 'wait');
    assert.equal(outcome.kind === 'wait' && outcome.until.getTime(), t0.getTime() + defaultPolicy.daysBetweenAssociationStarts * DAY);
    assert.equal(await completion.isUsed(tk.jti), false);
    assert.equal((await allRecords(ledger, 'associations')).length, 1);
  });

  it('refuses a person who is not a registered Partner Center user', async () => {
    assert.deepEqual(await completion.complete(ticket({ personId: 'stranger' }), { subject: 'sub-z' }), { kind: 'refused', reason: 'not-registered' });
  });

  it('answers already-linked for the same MCID in the same organization, without a new start', async () => {
    await completion.complete(ticket(), { subject: 'sub-a' });
    const outcome = await completion.complete(ticket(), { subject: 'sub-a' });
    assert.equal(outcome.kind, 'already-linked');
    assert.equal((await allRecords(ledger, 'associations')).length, 1);
  });
  it('counts Partner University assessments already passed from the link plus the policy hours', async () => {
    const outcome = await completion.complete(ticket({ kind: 'university', accountId: 'p1@example.com' }), { subject: 'pu-sub-1', accountId: 'p1@example.com' });
    assert.ok(outcome.kind === 'linked');
    assert.deepEqual(outcome.creditFrom, new Date(t0.getTime() + defaultPolicy.universityExistingCreditHours * 3_600_000));
  });

  it('links a Partner University account only when the account signed in is the address given, and records nothing otherwise', async () => {
    const other = await completion.complete(ticket({ kind: 'university', accountId: 'p2@example.com' }), { subject: 'pu-sub-2', accountId: 'someone.else@example.com' });
    assert.deepEqual(other, { kind: 'refused', reason: 'university-mismatch' });
    const unsaid = await completion.complete(ticket({ kind: 'university', accountId: 'p2@example.com' }), { subject: 'pu-sub-2' });
    assert.deepEqual(unsaid, { kind: 'refused', reason: 'university-mismatch' }, 'a provider that does not say which address signed in proves nothing');
    assert.equal((await allRecords(ledger, 'associations')).filter((a) => a.kind === 'university').length, 0);
    assert.equal(await ledger.get('accounts', 'contoso/p1/university'), undefined);
  });

  it('tells the organization-change hook about the link, and about the organization left on a move', async () => {
    const hook = sinon.fake();
    const hooked = new SignInCompletion({ ledger, policy: defaultPolicy, clock: () => now, onOrganizationChanged: hook });
    assert.equal((await hooked.complete(ticket({ personId: 'q1', tenantId: 'fabrikam' }), { subject: 'sub-move' })).kind, 'linked');
    now = new Date(t0.getTime() + 45 * DAY);
    assert.equal((await hooked.complete(ticket({ iat: now.getTime() / 1000, exp: now.getTime() / 1000 + 600 }), { subject: 'sub-move' })).kind, 'linked');
    assert.deepEqual(hook.args, [['fabrikam', 'link'], ['contoso', 'link'], ['fabrikam', 'move']]);
  });

  it('does not tell the hook when nothing was recorded', async () => {
    const hook = sinon.fake();
    const hooked = new SignInCompletion({ ledger, policy: defaultPolicy, clock: () => now, onOrganizationChanged: hook });
    const used = ticket();
    await hooked.complete(used, { subject: 'sub-x' });
    await hooked.complete(used, { subject: 'sub-x' });
    assert.deepEqual(hook.args, [['contoso', 'link']]);
  });
});
