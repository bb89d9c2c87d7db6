import assert from 'node:assert/strict';
import { defaultPolicy, type Association } from '../../rules/index.js';
import { AssociationService } from '../../services/associations/associations.js';
import { FaqService } from '../../services/faq/index.js';
import { SignInCompletion, type SignInOutcome } from '../../services/signin/completion.js';
import type { TicketPayload } from '../../services/signin/tickets.js';
import { ACTIVE, UniqueViolationError, personKey, type Ledger } from '../../storage/index.js';
import { allRecords } from '../support/ledgerRecords.js';
import { ticketPayload } from '../support/tickets.js';

/** Opens a fresh, empty ledger (with the ledger's schemas and indexes) of one adapter; the suite closes it. */
export type MakeLedger = () => Promise<Ledger>;

const NOW = new Date('2026-03-02T09:00:00Z');

const ticket = (fields: Partial<TicketPayload>): TicketPayload => ticketPayload(NOW, { accountId: 'MCID-RACE', ...fields });

function association(id: string, fields: Partial<Association> = {}): Association {
  return { id, personId: 'p1', tenantId: 'contoso', kind: 'learn', accountId: 'MCID-1', start: NOW, ...fields };
}

/** Two transactions at once; what each did. */
async function race<T>(a: () => Promise<T>, b: () => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled([a(), b()]);
}

function oneWon<T>(settled: PromiseSettledResult<T>[], index: string): void {
  assert.equal(settled.filter((r) => r.status === 'fulfilled').length, 1, 'exactly one transaction commits');
  const lost = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  assert.ok(lost?.reason instanceof UniqueViolationError, `the other is refused by a unique index, not by luck: ${String(lost?.reason)}`);
  assert.equal(lost.reason.index, index);
}

/**
 * The ledger's "only one" rules, each backed by a record key or a unique index, whatever the adapter: blind concurrent
 * writes that would break one fail (so a rule holds even where two instances check it at the same time), and the use
 * cases racing each other end with one winner.
 */
export function describeLedgerRules(name: string, makeLedger: MakeLedger): void {
  describe(`ledger "only one" rules: ${name}`, () => {
    let ledger: Ledger;

    beforeEach(async () => {
      ledger = await makeLedger();
      await ledger.transact((tx) => {
        for (const [tenantId, personId] of [['contoso', 'p1'], ['contoso', 'p2'], ['fabrikam', 'q1']] as const) {
          tx.put('people', personKey(tenantId, personId), { id: personId, tenantId, displayName: personId, role: 'member' });
        }
      });
    });

    afterEach(async () => {
      await ledger.close();
    });

    describe('backed by the store', () => {
      it('one organization per MCID at a time: of two active associations written at once in two organizations, one commits', async () => {
        const settled = await race(
          () => ledger.transact((tx) => tx.put('associations', 'a-contoso', association('a-contoso'))),
          () => ledger.transact((tx) => tx.put('associations', 'a-fabrikam', association('a-fabrikam', { personId: 'q1', tenantId: 'fabrikam' }))),
        );
        oneWon(settled, 'activeAccount');
        assert.equal((await ledger.findBy('associations', 'activeAccount', ['learn', 'MCID-1', ACTIVE])).length, 1);
      });

      it('keeps any number of ended associations of an MCID beside its one active association (the index covers active ones only)', async () => {
        await ledger.transact((tx) => {
          tx.put('associations', 'old-1', association('old-1', { end: NOW, endReason: 'unlinked' }));
          tx.put('associations', 'old-2', association('old-2', { tenantId: 'fabrikam', personId: 'q1', end: NOW, endReason: 'moved' }));
          tx.put('associations', 'now', association('now'));
        });
        assert.equal((await ledger.findBy('associations', 'byAccount', ['learn', 'MCID-1'])).length, 3);
        assert.deepEqual((await ledger.findBy('associations', 'activeAccount', ['learn', 'MCID-1', ACTIVE])).map((k) => k.id), ['now']);
        // Ending it frees the MCID for another organization, in the same transaction as the new start (a move).
        await ledger.transact((tx) => {
          tx.put('associations', 'now', association('now', { end: NOW, endReason: 'moved' }));
          tx.put('associations', 'moved', association('moved', { personId: 'q1', tenantId: 'fabrikam' }));
        });
        assert.deepEqual((await ledger.findBy('associations', 'activeAccount', ['learn', 'MCID-1', ACTIVE])).map((k) => k.id), ['moved']);
      });

      it('one MCID per person: of two active learning associations of one person written at once, one commits', async () => {
        const settled = await race(
          () => ledger.transact((tx) => tx.put('associations', 'first', association('first', { accountId: 'MCID-1' }))),
          () => ledger.transact((tx) => tx.put('associations', 'second', association('second', { accountId: 'MCID-2' }))),
        );
        oneWon(settled, 'activePerson');
        // A person is a work account in one organization: the same id in another organization is someone else.
        await ledger.transact((tx) => tx.put('associations', 'elsewhere', association('elsewhere', { tenantId: 'fabrikam', accountId: 'MCID-3' })));
      });

      it('one association start per confirmation: two associations started by one sign-in ticket cannot both be stored', async () => {
        const settled = await race(
          () => ledger.transact((tx) => tx.put('associations', 'by-ticket-1', { ...association('by-ticket-1'), confirmation: 'ticket-x' })),
          () =>
            ledger.transact((tx) =>
              tx.put('associations', 'by-ticket-2', { ...association('by-ticket-2', { personId: 'p2', kind: 'university', accountId: 'p2@contoso.com' }), confirmation: 'ticket-x' }),
            ),
        );
        oneWon(settled, 'byConfirmation');
      });

      it('one proving sign-in per person of an organization: a learning account proves an account for one person there', async () => {
        const account = (personId: string) => ({ personId, tenantId: 'contoso', kind: 'learn' as const, accountId: `MCID-${personId}`, subject: 'login-1', recordedAt: NOW });
        const settled = await race(
          () => ledger.transact((tx) => tx.put('accounts', `${personKey('contoso', 'p1')}/learn`, account('p1'))),
          () => ledger.transact((tx) => tx.put('accounts', `${personKey('contoso', 'p2')}/learn`, account('p2'))),
        );
        oneWon(settled, 'subjectInTenant');
        // The same learning account in another organization is the same person after a move: allowed.
        await ledger.transact((tx) => tx.put('accounts', `${personKey('fabrikam', 'q1')}/learn`, { ...account('q1'), tenantId: 'fabrikam' }));
      });
    });

    describe('use cases racing each other', () => {
      it('two link confirmations for one MCID in two organizations at once (one person moving): one links, the other must wait', async () => {
        const completion = new SignInCompletion({ ledger, policy: defaultPolicy, clock: () => NOW });
        const outcomes = await Promise.all([
          completion.complete(ticket({ personId: 'p1', tenantId: 'contoso' }), { subject: 'login-ada', accountId: 'MCID-RACE' }),
          completion.complete(ticket({ personId: 'q1', tenantId: 'fabrikam' }), { subject: 'login-ada', accountId: 'MCID-RACE' }),
        ]);
        assert.deepEqual(outcomes.map((o: SignInOutcome) => o.kind).sort(), ['linked', 'wait']);
        const active = await ledger.findBy('associations', 'activeAccount', ['learn', 'MCID-RACE', ACTIVE]);
        assert.equal(active.length, 1);
        assert.equal((await ledger.findBy('associations', 'byAccount', ['learn', 'MCID-RACE'])).length, 1, 'no second start was recorded');
      });

      it('two link confirmations for one MCID by two people at once (two learning accounts): one links, the other is refused', async () => {
        const completion = new SignInCompletion({ ledger, policy: defaultPolicy, clock: () => NOW });
        const outcomes = await Promise.all([
          completion.complete(ticket({ personId: 'p1', tenantId: 'contoso' }), { subject: 'login-ada', accountId: 'MCID-RACE' }),
          completion.complete(ticket({ personId: 'q1', tenantId: 'fabrikam' }), { subject: 'login-eve', accountId: 'MCID-RACE' }),
        ]);
        assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['linked', 'refused']);
        assert.equal((await ledger.findBy('associations', 'activeAccount', ['learn', 'MCID-RACE', ACTIVE])).length, 1);
      });

      it('one confirmation submitted twice at once links once', async () => {
        const completion = new SignInCompletion({ ledger, policy: defaultPolicy, clock: () => NOW });
        const same = ticket({ personId: 'p1', tenantId: 'contoso' });
        const outcomes = await Promise.all([completion.complete(same, { subject: 'login-ada' }), completion.complete(same, { subject: 'login-ada' })]);
        assert.deepEqual(outcomes.map((o) => (o.kind === 'refused' ? o.reason : o.kind)).sort(), ['linked', 'ticket-used']);
        const started = await allRecords(ledger, 'associations');
        assert.equal(started.length, 1);
        assert.equal(started[0]?.confirmation, same.jti);
      });

      it('two people of one organization giving the same MCID at once: it is remembered for one of them', async () => {
        const associations = new AssociationService({ ledger, policy: defaultPolicy, clock: () => NOW });
        const outcomes = await Promise.all([
          associations.rememberAccount({ personId: 'p1', tenantId: 'contoso', kind: 'learn', accountId: 'MCID-RACE' }),
          associations.rememberAccount({ personId: 'p2', tenantId: 'contoso', kind: 'learn', accountId: 'MCID-RACE' }),
        ]);
        assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['bound-to-another-person', 'remembered']);
        assert.equal((await ledger.findBy('accounts', 'byAccount', ['learn', 'MCID-RACE'])).length, 1);
      });

      it('one vote per person and answer card: a double click and a changed mind leave one vote, counted once', async () => {
        const faq = new FaqService({ policy: defaultPolicy, ledger, clock: () => NOW, voteSecret: 'rules-contract' });
        const conversationId = 'a:personal-p1';
        const voteTicket = await faq.voteTicket(conversationId, 'find-mcid', 'en');
        const vote = (helpful: boolean) =>
          faq.recordFeedback({ conversationId, voter: { tenantId: 'contoso', personId: 'p1' }, ticket: voteTicket, topic: 'find-mcid', locale: 'en', helpful });
        await Promise.all([vote(true), vote(true), vote(false)]);
        assert.equal((await allRecords(ledger, 'faqFeedback')).length, 1);
        const counted = (await faq.feedbackSummary()).get('find-mcid/en');
        assert.equal((counted?.helpful ?? 0) + (counted?.notHelpful ?? 0), 1);
      });
    });
  });
}
