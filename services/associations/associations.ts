/**
 * The employee's use cases on associations: check a link, remember the account a person gives, complete a link
 * after sign-in, unlink, and read one's status. Each call is one store transaction that reads the ledger, asks
 * `rules/` and writes the outcome; none of them returns text.
 */
import {
  associationWindowEnd,
  checkAssociation,
  creditCountsFrom,
  creditCountsUntil,
  creditPeriod,
  endAssociation,
  isActive,
  nextAvailableAssociation,
  type AccountKind,
  type Association,
  type Credential,
  type CreditPeriod,
  type Policy,
  type StartQuota,
  type WaitConstraint,
} from '../../rules/index.js';
import { ACTIVE, personKey, type Ledger, type ReadView, type ledgerSchemas } from '../../storage/index.js';
import { accountHistory, historyFor, personHistory, records } from '../ledgerQueries.js';
import type { PersonRef } from '../actor.js';
import { notifyOrganizationChanged, stageOrganizationChange, type OnOrganizationChanged } from '../organizationEvents.js';

/** What stands between a person and the sign-in that completes a link, checked before sending them there. */
export type LinkCheck =
  | { kind: 'not-registered' }
  | { kind: 'needs-account' }
  | { kind: 'ready'; accountId: string; quota: StartQuota | null }
  /** The account is linked to another organization now: linking here ends that association (rule 5). */
  | { kind: 'move'; accountId: string; quota: StartQuota | null }
  | { kind: 'already-linked'; association: Association }
  | { kind: 'wait'; accountId: string; until: Date; constraint: WaitConstraint; startsUsed: number; startsLeft: number }
  | { kind: 'refused'; accountId: string; reason: 'account-bound-to-another-person' | 'person-has-another-account' };

/** The outcome of recording the account a person typed. */
export type RememberOutcome =
  | { kind: 'remembered'; accountId: string }
  | { kind: 'not-registered' }
  | { kind: 'bound-to-another-person' }
  /** The person's account of this kind was proven by signing in with it, or is linked here: it is kept, never replaced. */
  | { kind: 'fixed'; accountId: string };

/** The outcome of unlinking one's own account of one kind. */
export type UnlinkOutcome =
  | { kind: 'unlinked'; ended: Association[]; creditUntil: Date; nextAllowed: Date | null }
  | { kind: 'not-linked' }
  /** The same confirmation (nonce) was already acted upon: a double click or a replayed submit. */
  | { kind: 'already-done' };

/** A credential of a linked account, and the period in which it counts for the organization (null: it never does). */
interface CredentialCredit {
  readonly credential: Credential;
  readonly counts: CreditPeriod | null;
  /**
   * When credit starts is known only as a range (rule 7: a Partner University assessment passed after linking counts
   * 7 to 10 days after it was passed): the range to show people; `counts.from` is its upper bound. Absent otherwise.
   */
  readonly range?: { readonly earliest: Date; readonly latest: Date };
}

/** What a person sees under "my status". */
export interface PersonStatus {
  readonly registered: boolean;
  /** The person's active associations in this organization. */
  readonly linked: readonly Association[];
  /** Rule 4 for the person's MCID, when one is known. */
  readonly learn: {
    readonly accountId: string;
    readonly startsUsed: number;
    /** The next instant a new association may start; null when it may start now. */
    readonly nextAllowed: Date | null;
    /** The MCID is linked to another organization now. */
    readonly linkedElsewhere: boolean;
  } | null;
  readonly credentials: readonly CredentialCredit[];
  /**
   * For each kind not linked here now, the person's latest ended association here and until when its credit still
   * counts (rule 8; null when it never counted or has stopped): what was true before the unlink stays visible.
   */
  readonly unlinked: ReadonlyArray<{ readonly association: Association; readonly creditUntil: Date | null }>;
}

/** Collaborators of the association service. */
export interface AssociationServiceDeps {
  readonly ledger: Ledger;
  readonly policy: Policy;
  readonly clock: () => Date;
  /** Told after an unlink commits, so competencies are re-evaluated (alerts); its failure never undoes the unlink. */
  readonly onOrganizationChanged?: OnOrganizationChanged;
  readonly onHookError?: (error: unknown) => void;
}

/** How long a card submit is remembered as done; far longer than anyone keeps a confirmation card open. */
const PROCESSED_TTL_MS = 90 * 24 * 3_600_000;

/** What the helpers read through: a transaction, or the store itself. */
type LedgerTx = ReadView<typeof ledgerSchemas>;

/**
 * Reads what a person typed as an account id, leniently: an MCID (the public format is not documented) is 4 to 40
 * letters, digits or hyphens with at least one digit, spaces ignored; a Partner University account is the e-mail
 * address it signs in with. Returns the normalized id, or undefined when it cannot be one.
 */
export function normalizeAccountId(kind: AccountKind, text: string): string | undefined {
  if (kind === 'learn') {
    const compact = text.replace(/\s+/g, '');
    return /^[A-Za-z0-9-]{4,40}$/.test(compact) && /\d/.test(compact) ? compact.toUpperCase() : undefined;
  }
  const email = text.trim().toLowerCase();
  return email.length <= 254 && /^[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(email) ? email : undefined;
}

/** The key of a person's account of one kind in the `accounts` collection. */
export function accountKey(person: PersonRef, kind: AccountKind): string {
  return `${personKey(person.tenantId, person.personId)}/${kind}`;
}

/** Links, unlinks and reports associations, one store transaction per call. */
export class AssociationService {
  constructor(private readonly deps: AssociationServiceDeps) {}

  /** The policy the rules apply, for the numbers shown to people. */
  get policy(): Policy {
    return this.deps.policy;
  }

  /** Checks, without changing anything, what a link of `kind` would meet now (rules 1–5). */
  checkLink(input: PersonRef & { kind: AccountKind }): Promise<LinkCheck> {
    const now = this.deps.clock();
    return this.deps.ledger.transact(async (tx): Promise<LinkCheck> => {
      if (!(await isRegistered(tx, input))) return { kind: 'not-registered' };
      const account = await tx.get('accounts', accountKey(input, input.kind));
      if (account === undefined) return { kind: 'needs-account' };
      const accountId = account.accountId;
      // Until the person proves this account by signing in with it, its history is somebody else's as far as we know:
      // nothing about it is revealed now, and the rules are applied (and explained) when the sign-in completes.
      const proven = account.subject !== undefined;
      const decision = checkAssociation(
        await historyFor(tx, input, input.kind, accountId),
        { ...input, accountId, actorPersonId: input.personId, isRegisteredUser: true },
        this.deps.policy,
        now,
      );
      if (!proven && (decision.kind === 'allowed' || decision.kind === 'wait')) {
        return { kind: 'ready', accountId, quota: null };
      }
      switch (decision.kind) {
        case 'allowed':
          return decision.endsExisting === null
            ? { kind: 'ready', accountId, quota: decision.quota }
            : { kind: 'move', accountId, quota: decision.quota };
        case 'already-linked':
          return decision;
        case 'wait':
          return { ...decision, accountId };
        case 'refused':
          // not-self-service and not-registered cannot happen here: the actor is the person, registration was checked.
          return {
            kind: 'refused',
            accountId,
            reason: decision.reason === 'person-has-another-account' ? 'person-has-another-account' : 'account-bound-to-another-person',
          };
      }
    });
  }

  /**
   * Records the account a person gave for `kind`. Refuses an account that another person of the same organization
   * gave or linked; in another organization it is the same person moving company (rule 5), which sign-in settles.
   */
  rememberAccount(input: PersonRef & { kind: AccountKind; accountId: string }): Promise<RememberOutcome> {
    const now = this.deps.clock();
    return this.deps.ledger.transact(async (tx): Promise<RememberOutcome> => {
      if (!(await isRegistered(tx, input))) return { kind: 'not-registered' };
      const mine = accountKey(input, input.kind);
      const otherHere = (await tx.findBy('accounts', 'byAccount', [input.kind, input.accountId])).filter(
        ({ id, record: a }) => id !== mine && a.tenantId === input.tenantId,
      );
      const linkedHere = (await tx.findBy('associations', 'activeAccount', [input.kind, input.accountId, ACTIVE])).filter(
        ({ record: a }) => a.tenantId === input.tenantId && a.personId !== input.personId,
      );
      const existing = await tx.get('accounts', mine);
      // One account of a kind per person once proven: a proven binding is never replaced (nor one linked here).
      if (existing !== undefined && existing.accountId !== input.accountId && !(await isChangeable(tx, input, existing))) {
        return { kind: 'fixed', accountId: existing.accountId };
      }
      if (otherHere.length > 0 || linkedHere.length > 0) return { kind: 'bound-to-another-person' };
      if (existing?.accountId !== input.accountId) {
        tx.put('accounts', mine, { personId: input.personId, tenantId: input.tenantId, kind: input.kind, accountId: input.accountId, recordedAt: now });
      }
      return { kind: 'remembered', accountId: input.accountId };
    });
  }

  /**
   * The account id the person gave for `kind` earlier, when they may still confirm or change it: it was never proven
   * by signing in with it (no `subject`) and nothing of that kind is linked for them here. Undefined otherwise.
   */
  changeableAccount(input: PersonRef & { kind: AccountKind }): Promise<string | undefined> {
    return this.deps.ledger.transact(async (tx) => {
      const existing = await tx.get('accounts', accountKey(input, input.kind));
      return existing !== undefined && (await isChangeable(tx, input, existing)) ? existing.accountId : undefined;
    });
  }

  /** The person's active associations in this organization, learning account first. */
  linkedAccounts(person: PersonRef): Promise<Association[]> {
    return this.deps.ledger.transact((tx) => activeHere(tx, person));
  }

  /**
   * Ends the person's own association of `kind` here (rule 3: only for oneself). `nonce` identifies the confirmation
   * card: a second submit of the same card changes nothing and says so.
   */
  async unlink(input: PersonRef & { kind: AccountKind; nonce: string }): Promise<UnlinkOutcome> {
    const now = this.deps.clock();
    const { policy } = this.deps;
    const outcome = await this.deps.ledger.transact(async (tx): Promise<UnlinkOutcome> => {
      const processedKey = `card-action/${input.nonce}`;
      if ((await tx.get('processed', processedKey)) !== undefined) return { kind: 'already-done' };
      const mine = (await activeHere(tx, input)).filter((a) => a.kind === input.kind);
      const result = endAssociation(mine, { kind: 'unlink', personId: input.personId, accountKind: input.kind, actorPersonId: input.personId }, now);
      if (result.kind !== 'ended') return { kind: 'not-linked' };
      for (const ended of result.ended) tx.put('associations', ended.id, ended);
      stageOrganizationChange(tx, input.tenantId, 'unlink', now);
      tx.put('processed', processedKey, { kind: 'card-action', at: now, expiresAt: new Date(now.getTime() + PROCESSED_TTL_MS) });
      const first = result.ended[0]!;
      const next = input.kind === 'learn' ? nextAvailableAssociation(await accountHistory(tx, 'learn', first.accountId), policy, now, first.accountId) : now;
      return {
        kind: 'unlinked',
        ended: result.ended,
        creditUntil: creditCountsUntil(first, policy) ?? now,
        nextAllowed: next.getTime() > now.getTime() ? next : null,
      };
    });
    if (outcome.kind === 'unlinked') {
      await notifyOrganizationChanged(this.deps.onOrganizationChanged, input.tenantId, 'unlink', this.deps.onHookError);
    }
    return outcome;
  }

  /** The person's associations here, their MCID's rule-4 counts and next date, and when each credential counts. */
  status(person: PersonRef): Promise<PersonStatus> {
    const now = this.deps.clock();
    const { policy } = this.deps;
    return this.deps.ledger.transact(async (tx): Promise<PersonStatus> => {
      const history = await personHistory(tx, person);
      const linked = activeIn(history, person);
      // An MCID's history is shown only to the person who proved it by signing in (or has it linked here).
      const given = await tx.get('accounts', accountKey(person, 'learn'));
      const mcid = linked.find((a) => a.kind === 'learn')?.accountId ?? (given?.subject !== undefined ? given.accountId : undefined);
      let learn: PersonStatus['learn'] = null;
      if (mcid !== undefined) {
        const starts = await accountHistory(tx, 'learn', mcid);
        const next = nextAvailableAssociation(starts, policy, now, mcid);
        learn = {
          accountId: mcid,
          startsUsed: starts.filter((a) => associationWindowEnd(a.start, policy).getTime() > now.getTime()).length,
          nextAllowed: next.getTime() > now.getTime() ? next : null,
          linkedElsewhere: starts.some((a) => isActive(a) && a.tenantId !== person.tenantId),
        };
      }
      // Only credentials this organization imported: after a move, the previous organization's records never show here.
      const imported = await Promise.all(
        linked.map(async (association) => records(await tx.findBy('credentials', 'byAccount', [person.tenantId, association.kind, association.accountId]))),
      );
      const credentials = linked.flatMap((association, i) =>
        (imported[i] ?? [])
          .sort((a, b) => a.passed.getTime() - b.passed.getTime())
          .map((credential): CredentialCredit => {
            const counts = creditPeriod(credential, association, policy);
            const { earliest, latest } = creditCountsFrom(credential, association, policy);
            return counts !== null && earliest.getTime() < latest.getTime() ? { credential, counts, range: { earliest, latest } } : { credential, counts };
          }),
      );
      const unlinked = (['learn', 'university'] as const).flatMap((kind) => {
        if (linked.some((a) => a.kind === kind)) return [];
        const latest = history
          .filter((a) => a.kind === kind && a.tenantId === person.tenantId && !isActive(a))
          .sort((a, b) => b.start.getTime() - a.start.getTime())[0];
        if (latest === undefined) return [];
        const until = creditCountsUntil(latest, policy);
        return [{ association: latest, creditUntil: until !== null && until.getTime() > now.getTime() ? until : null }];
      });
      return { registered: await isRegistered(tx, person), linked, learn, credentials, unlinked };
    });
  }
}

async function isRegistered(tx: LedgerTx, person: PersonRef): Promise<boolean> {
  return (await tx.get('people', personKey(person.tenantId, person.personId))) !== undefined;
}

/** Whether a recorded account may still be replaced: never proven by a sign-in, and nothing of its kind linked for the person here. */
async function isChangeable(tx: LedgerTx, person: PersonRef, account: { kind: AccountKind; subject?: string }): Promise<boolean> {
  return account.subject === undefined && !(await activeHere(tx, person)).some((a) => a.kind === account.kind);
}

/** The active associations in a person's history that are in their organization, learning account first. */
function activeIn(history: readonly Association[], person: PersonRef): Association[] {
  return history
    .filter((a) => isActive(a) && a.personId === person.personId && a.tenantId === person.tenantId)
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'learn' ? -1 : 1));
}

async function activeHere(tx: LedgerTx, person: PersonRef): Promise<Association[]> {
  return activeIn(await personHistory(tx, person), person);
}
