/**
 * Completing a link after the person signed in: in one ledger transaction, the ticket is checked and marked used,
 * the signed-in account is bound to the account id (on first use), the association rules are applied at this
 * moment, and the association (with the end of a previous organization's one, when the MCID moves) is recorded.
 * Anything refused records nothing. This is the only place a link is recorded: nobody links without signing in.
 */
import { randomUUID } from 'node:crypto';
import { applyAssociation, linkCreditFrom, type Association, type Policy, type RefusalReason, type WaitConstraint } from '../../rules/index.js';
import { UniqueViolationError } from '../../storage/errors.js';
import type { Transaction } from '../../storage/index.js';
import { personKey, type Ledger, type ledgerSchemas } from '../../storage/ledger.js';
import { historyFor } from '../ledgerQueries.js';
import type { Notice, NoticeOutbox, OutboxEntry } from '../outbox/outbox.js';
import { notifyOrganizationChanged, stageOrganizationChange, type OnOrganizationChanged } from '../organizationEvents.js';
import { ticketProcessedKey, type TicketPayload } from './tickets.js';

/** How long after a ticket's expiry its "used" mark is kept: a sign-in started just before expiry may finish later. */
const USED_TICKET_RETENTION_MS = 20 * 60 * 1000;

/** Who signed in, as the identity provider's verified ID token says. */
export interface SignedInIdentity {
  /** The provider's subject of the learning account. */
  readonly subject: string;
  readonly email?: string;
  /**
   * The account id from the configured claim: the MCID when the provider has one; for a Partner University account the
   * address it signed in with (always checked: a link is recorded only when it is the address given).
   */
  readonly accountId?: string;
}

/** Refusals that come from the sign-in itself rather than from the association rules. */
type SignInRefusal =
  /** The ticket already completed a sign-in (a replay). */
  | 'ticket-used'
  /** The provider says this learning account has another MCID than the one the person gave. */
  | 'account-mismatch'
  /** The Partner University account signed in is not the address the person gave (or the provider did not say which). */
  | 'university-mismatch'
  /** The MCID was proved earlier by signing in with another learning account. */
  | 'subject-mismatch'
  /** This learning account already proved another MCID. */
  | 'login-bound-to-another-account'
  /** This learning account is already bound to another person of the organization. */
  | 'login-bound-to-another-person';

/** The outcome of a completed sign-in. */
export type SignInOutcome =
  | { kind: 'linked'; association: Association; ended: Association | null; creditFrom: Date }
  | { kind: 'already-linked'; association: Association }
  | { kind: 'wait'; until: Date; constraint: WaitConstraint; startsUsed: number; startsLeft: number }
  | { kind: 'refused'; reason: RefusalReason | SignInRefusal };

/** The message that tells the person the outcome, enqueued in the outbox in the outcome's own transaction. */
export interface OutcomeNotice {
  readonly notices: NoticeOutbox;
  readonly render: (outcome: SignInOutcome) => Notice | undefined;
}

/** The completion use case of the sign-in callback. */
export class SignInCompletion {
  constructor(
    private readonly deps: {
      readonly ledger: Ledger;
      readonly policy: Policy;
      readonly clock: () => Date;
      readonly newId?: () => string;
      /** Told after a link commits: for the organization linked, and for the one an MCID moved away from. */
      readonly onOrganizationChanged?: OnOrganizationChanged;
      readonly onHookError?: (error: unknown) => void;
    },
  ) {}

  /** Whether a ticket already completed a sign-in (a read, for a friendly early refusal at /signin/start). */
  async isUsed(jti: string): Promise<boolean> {
    return (await this.deps.ledger.get('processed', ticketProcessedKey(jti))) !== undefined;
  }

  /**
   * Applies the rules now and records the outcome of a sign-in, atomically with the ticket's single use, and with the
   * notice that tells the person (`outcomeNotice`, rendered from the outcome; none when it renders undefined).
   */
  async complete(ticket: TicketPayload, identity: SignedInIdentity, outcomeNotice?: OutcomeNotice): Promise<SignInOutcome> {
    let outcome: SignInOutcome;
    try {
      outcome = await this.record(ticket, identity, outcomeNotice);
    } catch (error) {
      // A concurrent sign-in (another instance) took what this one would have: decided again, the rules see it.
      if (!(error instanceof UniqueViolationError)) throw error;
      outcome = await this.record(ticket, identity, outcomeNotice);
    }
    if (outcome.kind === 'linked') {
      const { onOrganizationChanged, onHookError } = this.deps;
      await notifyOrganizationChanged(onOrganizationChanged, ticket.tenantId, 'link', onHookError);
      const left = outcome.ended?.tenantId;
      if (left !== undefined && left !== ticket.tenantId) await notifyOrganizationChanged(onOrganizationChanged, left, 'move', onHookError);
    }
    return outcome;
  }

  private async record(ticket: TicketPayload, identity: SignedInIdentity, outcomeNotice?: OutcomeNotice): Promise<SignInOutcome> {
    let staged: OutboxEntry | undefined;
    const outcome = await this.deps.ledger.transact(async (tx) => {
      const decided = await this.decide(tx, ticket, identity);
      // The card that tells the person is enqueued with the outcome itself: sent if and only if it committed.
      const notice = outcomeNotice?.render(decided);
      staged = notice && (await outcomeNotice!.notices.stage(tx, notice));
      return decided;
    });
    if (staged) outcomeNotice!.notices.enqueued([staged]);
    return outcome;
  }

  private decide(tx: Transaction<typeof ledgerSchemas>, ticket: TicketPayload, identity: SignedInIdentity): Promise<SignInOutcome> {
    const { policy, clock } = this.deps;
    const newId = this.deps.newId ?? randomUUID;
    return (async (): Promise<SignInOutcome> => {
      const now = clock();
      const usedKey = ticketProcessedKey(ticket.jti);
      if ((await tx.get('processed', usedKey)) !== undefined) return { kind: 'refused', reason: 'ticket-used' };

      const { personId, tenantId, kind } = ticket;
      if (ticket.kind === 'university' && identity.accountId !== ticket.accountId) {
        return { kind: 'refused', reason: 'university-mismatch' };
      }
      if (identity.accountId !== undefined && identity.accountId !== ticket.accountId) {
        return { kind: 'refused', reason: 'account-mismatch' };
      }
      const accountId = ticket.accountId;
      const me = personKey(tenantId, personId);

      // Bindings between accounts (MCIDs) and the learning accounts that proved them.
      const sameAccount = await tx.findBy('accounts', 'byAccount', [kind, accountId]);
      if (sameAccount.some(({ record: a }) => a.subject !== undefined && a.subject !== identity.subject)) {
        return { kind: 'refused', reason: 'subject-mismatch' };
      }
      const sameLogin = (await tx.findBy('accounts', 'bySubject', [kind, identity.subject])).map((k) => k.record);
      if (sameLogin.some((a) => a.accountId !== accountId)) return { kind: 'refused', reason: 'login-bound-to-another-account' };
      // The same learning account in another organization is the same person moving company (rule 5).
      if (sameLogin.some((a) => a.tenantId === tenantId && a.personId !== personId)) {
        return { kind: 'refused', reason: 'login-bound-to-another-person' };
      }

      // One account of a kind per person once proven: a ticket for another one (issued before the proof) links nothing.
      const mine = await tx.get('accounts', `${me}/${kind}`);
      if (mine?.subject !== undefined && mine.accountId !== accountId) return { kind: 'refused', reason: 'person-has-another-account' };

      const result = applyAssociation(
        await historyFor(tx, ticket, kind, accountId),
        // Self-service by construction: the ticket was issued to the person in their own chat.
        { personId, tenantId, kind, accountId, actorPersonId: personId, isRegisteredUser: (await tx.get('people', me)) !== undefined },
        policy,
        now,
        newId(),
      );
      if (result.kind === 'wait' || result.kind === 'refused') return result;

      tx.put('processed', usedKey, { kind: 'sign-in-ticket', at: now, expiresAt: new Date(ticket.exp * 1000 + USED_TICKET_RETENTION_MS) });
      const recordedAt = mine?.accountId === accountId ? mine.recordedAt : now;
      tx.put('accounts', `${me}/${kind}`, { personId, tenantId, kind, accountId, subject: identity.subject, recordedAt });
      if (result.kind === 'already-linked') return result;

      // The ticket that confirmed it starts one association at most (a unique index backs this).
      tx.put('associations', result.started.id, { ...result.started, confirmation: ticket.jti });
      if (result.ended) tx.put('associations', result.ended.id, result.ended);
      stageOrganizationChange(tx, tenantId, 'link', now);
      if (result.ended && result.ended.tenantId !== tenantId) stageOrganizationChange(tx, result.ended.tenantId, 'move', now);
      return { kind: 'linked', association: result.started, ended: result.ended, creditFrom: linkCreditFrom(result.started, policy) };
    })();
  }
}
