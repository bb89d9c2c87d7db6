/**
 * Partner Center users and their roles (rule 1, rule 6): who may link, who is an admin, and the deletion of a
 * departed person's work account. Each change is one transaction with its audit entry.
 */
import { creditCountsUntil, endAssociation, type Person, type Policy, type Role } from '../../rules/index.js';
import { personKey, type Ledger, type ReadView, type ledgerSchemas } from '../../storage/index.js';
import { personHistory, records } from '../ledgerQueries.js';
import { can, isAuditedWhenAllowed, type AdminCapability } from './access.js';
import { notifyOrganizationChanged, stageOrganizationChange, type OnOrganizationChanged } from '../organizationEvents.js';
import type { Actor } from '../actor.js';
import { stageAudit, stageCountedRefusal } from './audit.js';

/** A person an admin designates (resolved from a mention or the roster). */
export interface Member {
  readonly personId: string;
  readonly displayName: string;
  readonly email?: string;
}

/** The outcome of a permission check: the actor's role, or a refusal naming the role they have. */
export type Access = { kind: 'allowed'; role: Role } | { kind: 'refused'; role: Role };

/** A role change. */
export type RoleChangeOutcome =
  | { kind: 'granted'; role: Role; previous: Role | null }
  | { kind: 'removed'; previous: Role }
  | { kind: 'unchanged'; role: Role }
  | { kind: 'bootstrap' }
  | { kind: 'self' };

/** Adding a Partner Center user. */
export type AddUserOutcome = { kind: 'added' } | { kind: 'already'; role: Role };

/** A registered person who never linked an account. */
export interface PendingUser {
  readonly personId: string;
  readonly displayName: string;
  readonly email?: string;
  readonly addedAt?: Date;
  readonly remindedAt?: Date;
}

/** Deleting a departed person's work account. */
export type DeleteAccountOutcome =
  | { kind: 'deleted'; displayName: string; endedAssociations: number; creditStopsAt: Date | null }
  | { kind: 'not-found' }
  | { kind: 'self' }
  /** The actor is not a Global admin (rule 6); nothing changed. */
  | { kind: 'refused'; role: Role }
  /** This confirmation (its nonce) was already carried out: a replayed or double-clicked confirm changes nothing. */
  | { kind: 'already-done' }
  /** The confirmation card is older than its lifetime: nothing changed, the admin asks again. */
  | { kind: 'expired' };

/** Registering by e-mail someone the bot has not met: recorded as pending until they first write to the bot. */
export type EmailRegistrationOutcome =
  | { kind: 'pending'; role: Role }
  | { kind: 'unchanged'; role: Role };

/** A registration by e-mail address still waiting for the person's first message. */
export interface PendingEmail {
  readonly email: string;
  readonly role: Role;
  readonly addedAt: Date;
}

/** The key of a pending e-mail registration. */
function pendingEmailKey(tenantId: string, email: string): string {
  return `${tenantId}/${email.toLowerCase()}`;
}

/** The roles that make a person an admin. */
const ADMIN_ROLES: readonly Exclude<Role, 'member'>[] = ['global-admin', 'partner-admin', 'account-admin'];

/** How long a deletion confirmation card can be used: long enough to read it, short enough that it cannot linger. */
export const DELETE_CONFIRMATION_TTL_MS = 60 * 60 * 1000;

/** Collaborators of the people service. */
export interface PeopleServiceDeps {
  readonly ledger: Ledger;
  readonly policy: Policy;
  readonly clock: () => Date;
  /** Teams object ids that are Global admins by configuration (`BOOTSTRAP_ADMINS`), in any organization. */
  readonly bootstrapAdmins?: ReadonlySet<string>;
  readonly onOrganizationChanged?: OnOrganizationChanged;
  readonly onHookError?: (error: unknown) => void;
}

/** Registration of Partner Center users, roles, and account deletion. */
export class PeopleService {
  constructor(private readonly deps: PeopleServiceDeps) {}

  /** The stored role of a person; configured bootstrap admins are Global admins; unknown people are members. */
  async roleOf(tenantId: string, personId: string, reader: Pick<ReadView<typeof ledgerSchemas>, 'get'> = this.deps.ledger): Promise<Role> {
    if (this.deps.bootstrapAdmins?.has(personId)) return 'global-admin';
    return (await reader.get('people', personKey(tenantId, personId)))?.role ?? 'member';
  }

  /**
   * Checks a capability against the role in the store and writes the audit line: every refusal (counted per hour),
   * and the opening of a view whose every reading is audited (`isAuditedWhenAllowed`). The one call an admin command
   * makes before it runs.
   */
  async authorize(actor: Actor, capability: AdminCapability, action: Parameters<typeof stageAudit>[1]['action']): Promise<Access> {
    const role = await this.roleOf(actor.tenantId, actor.personId);
    if (can(role, capability)) {
      await this.ensureBootstrapRecord(actor);
      if (isAuditedWhenAllowed(action)) {
        const entry = { tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action, outcome: 'done' } as const;
        await this.deps.ledger.transact((tx) => stageAudit(tx, entry, this.deps.clock()));
      }
      return { kind: 'allowed', role };
    }
    await this.deps.ledger.transact((tx) =>
      stageCountedRefusal(tx, { tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action, outcome: 'refused', detail: { role } }, this.deps.clock()),
    );
    return { kind: 'refused', role };
  }

  /** A person's record, if registered. */
  person(tenantId: string, personId: string): Promise<Person | undefined> {
    return this.deps.ledger.get('people', personKey(tenantId, personId));
  }

  /** A registered person found by the e-mail an admin gave when adding them (a departed person is no longer in the roster). */
  async findByEmail(tenantId: string, email: string): Promise<Member | undefined> {
    const registration = records(await this.deps.ledger.findBy('registrations', 'byEmail', [tenantId, email.toLowerCase()])).find((r) => r.deletedAt === undefined);
    const person = registration && (await this.person(tenantId, registration.personId));
    return person && { personId: person.id, displayName: person.displayName, email: registration.email };
  }

  /** Everyone with an admin role in an organization (bootstrap admins who spoke to the bot included), by name. */
  async admins(tenantId: string): Promise<Person[]> {
    const found = new Map<string, Person>();
    for (const role of ADMIN_ROLES) for (const { record } of await this.deps.ledger.findBy('people', 'byTenantRole', [tenantId, role])) found.set(record.id, record);
    // A configured bootstrap admin is one whatever role is stored (a handful of ids, looked up one by one).
    for (const personId of this.deps.bootstrapAdmins ?? []) {
      const person = found.get(personId) ?? (await this.person(tenantId, personId));
      if (person) found.set(personId, { ...person, role: 'global-admin' });
    }
    return [...found.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  /** Grants a role (Global admin only; the caller checked); registers the person if needed; never to oneself. */
  grantRole(actor: Actor, member: Member, role: Exclude<Role, 'member'>): Promise<RoleChangeOutcome> {
    const now = this.deps.clock();
    return this.deps.ledger.transact(async (tx): Promise<RoleChangeOutcome> => {
      const key = personKey(actor.tenantId, member.personId);
      const existing = await tx.get('people', key);
      const audit = (outcome: 'done' | 'unchanged' | 'refused') =>
        stageAudit(tx, { tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action: 'role.grant', target: member.displayName, outcome, detail: { role, personId: member.personId } }, now);
      // A Global admin who gave themselves a lower role would lock themselves out.
      if (member.personId === actor.personId) {
        audit('refused');
        return { kind: 'self' };
      }
      if (existing?.role === role) {
        audit('unchanged');
        return { kind: 'unchanged', role };
      }
      tx.put('people', key, { id: member.personId, tenantId: actor.tenantId, displayName: existing?.displayName ?? member.displayName, role });
      if (!existing) this.stageRegistration(tx, actor, member, now);
      audit('done');
      return { kind: 'granted', role, previous: existing?.role ?? null };
    });
  }

  /** Takes an admin role away (the person stays a registered member); not from bootstrap admins nor from oneself. */
  removeRole(actor: Actor, member: Member): Promise<RoleChangeOutcome> {
    const now = this.deps.clock();
    return this.deps.ledger.transact(async (tx): Promise<RoleChangeOutcome> => {
      const audit = (outcome: 'done' | 'unchanged' | 'refused', previous?: Role) =>
        stageAudit(tx, { tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action: 'role.remove', target: member.displayName, outcome, detail: { personId: member.personId, ...(previous ? { previous } : {}) } }, now);
      if (this.deps.bootstrapAdmins?.has(member.personId)) {
        audit('refused');
        return { kind: 'bootstrap' };
      }
      if (member.personId === actor.personId) {
        audit('refused');
        return { kind: 'self' };
      }
      const key = personKey(actor.tenantId, member.personId);
      const existing = await tx.get('people', key);
      if (!existing || existing.role === 'member') {
        audit('unchanged');
        return { kind: 'unchanged', role: 'member' };
      }
      tx.put('people', key, { ...existing, role: 'member' });
      audit('done', existing.role);
      return { kind: 'removed', previous: existing.role };
    });
  }

  /** Registers a Partner Center user so they may link (rule 1). */
  addUser(actor: Actor, member: Member): Promise<AddUserOutcome> {
    const now = this.deps.clock();
    return this.deps.ledger.transact(async (tx): Promise<AddUserOutcome> => {
      const key = personKey(actor.tenantId, member.personId);
      const existing = await tx.get('people', key);
      const base = { tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action: 'user.add' as const, target: member.displayName };
      if (existing) {
        stageAudit(tx, { ...base, outcome: 'unchanged', detail: { personId: member.personId } }, now);
        return { kind: 'already', role: existing.role };
      }
      tx.put('people', key, { id: member.personId, tenantId: actor.tenantId, displayName: member.displayName, role: 'member' });
      this.stageRegistration(tx, actor, member, now);
      stageAudit(tx, { ...base, outcome: 'done', detail: { personId: member.personId } }, now);
      return { kind: 'added' };
    });
  }

  /**
   * Registers, by address, a person the bot cannot look up yet (they never wrote to it, and no team roster it can
   * read has them): they are recognised by that e-mail address or UPN on first contact, with `role`.
   */
  registerEmail(actor: Actor, email: string, role: Role): Promise<EmailRegistrationOutcome> {
    const now = this.deps.clock();
    const address = email.toLowerCase();
    return this.deps.ledger.transact(async (tx): Promise<EmailRegistrationOutcome> => {
      const action = role === 'member' ? ('user.add' as const) : ('role.grant' as const);
      const base = { tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action, target: address };
      const key = pendingEmailKey(actor.tenantId, address);
      const existing = await tx.get('pendingEmails', key);
      if (existing?.role === role || (existing && role === 'member')) {
        stageAudit(tx, { ...base, outcome: 'unchanged', detail: { email: address, role: existing.role } }, now);
        return { kind: 'unchanged', role: existing.role };
      }
      tx.put('pendingEmails', key, { tenantId: actor.tenantId, email: address, role, addedBy: actor.personId, addedAt: existing?.addedAt ?? now });
      stageAudit(tx, { ...base, outcome: 'done', detail: { email: address, role, pending: 'first-contact' } }, now);
      return { kind: 'pending', role };
    });
  }

  /** A pending registration by address, if any. */
  async pendingEmail(tenantId: string, email: string): Promise<PendingEmail | undefined> {
    const record = await this.deps.ledger.get('pendingEmails', pendingEmailKey(tenantId, email));
    return record && { email: record.email, role: record.role, addedAt: record.addedAt };
  }

  /** Withdraws a pending registration by address (only a Global admin; the caller checked); false when there was none. */
  async withdrawEmail(actor: Actor, email: string): Promise<boolean> {
    const now = this.deps.clock();
    const key = pendingEmailKey(actor.tenantId, email);
    return this.deps.ledger.transact(async (tx) => {
      if ((await tx.get('pendingEmails', key)) === undefined) return false;
      tx.delete('pendingEmails', key);
      stageAudit(tx, { tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action: 'account.delete', target: email.toLowerCase(), outcome: 'done', detail: { email: email.toLowerCase(), pending: 'withdrawn' } }, now);
      return true;
    });
  }

  /** Whether the organization has registrations by address still waiting for someone's first message. */
  async hasPendingEmails(tenantId: string): Promise<boolean> {
    return (await this.deps.ledger.findBy('pendingEmails', 'byTenant', [tenantId])).length > 0;
  }

  /** The registrations by address still waiting, by address. */
  async pendingEmails(tenantId: string): Promise<PendingEmail[]> {
    return records(await this.deps.ledger.findBy('pendingEmails', 'byTenant', [tenantId]))
      .map((r) => ({ email: r.email, role: r.role, addedAt: r.addedAt }))
      .sort((a, b) => a.email.localeCompare(b.email));
  }

  /**
   * Recognises a person on first contact: when one of `addresses` (their e-mail and UPN, from Teams) was registered
   * by an admin and the person is not registered yet, they become a Partner Center user with the role given. Returns
   * the role, or undefined when nothing was pending for them.
   */
  claimPendingEmail(person: Actor, addresses: readonly string[]): Promise<Role | undefined> {
    const now = this.deps.clock();
    return this.deps.ledger.transact(async (tx): Promise<Role | undefined> => {
      const key = personKey(person.tenantId, person.personId);
      if ((await tx.get('people', key)) !== undefined) return undefined;
      for (const address of new Set(addresses.map((a) => a.toLowerCase()))) {
        const pendingKey = pendingEmailKey(person.tenantId, address);
        const pending = await tx.get('pendingEmails', pendingKey);
        if (!pending) continue;
        tx.put('people', key, { id: person.personId, tenantId: person.tenantId, displayName: person.displayName ?? address, role: pending.role });
        tx.put('registrations', key, { tenantId: person.tenantId, personId: person.personId, email: address, addedBy: pending.addedBy, addedAt: pending.addedAt });
        tx.delete('pendingEmails', pendingKey);
        const action = pending.role === 'member' ? ('user.add' as const) : ('role.grant' as const);
        stageAudit(tx, { tenantId: person.tenantId, actorId: pending.addedBy, action, target: person.displayName ?? address, outcome: 'done', detail: { personId: person.personId, email: address, role: pending.role, pending: 'recognised' } }, now);
        return pending.role;
      }
      return undefined;
    });
  }

  /** Registered people of an organization who never linked any account to it, by name. */
  async pendingUsers(tenantId: string): Promise<PendingUser[]> {
    const { ledger } = this.deps;
    const linked = new Set(records(await ledger.findBy('associations', 'byTenant', [tenantId])).map((a) => a.personId));
    const pending: PendingUser[] = [];
    for (const { record: p } of await ledger.findBy('people', 'byTenant', [tenantId])) {
      if (linked.has(p.id)) continue;
      const registration = await ledger.get('registrations', personKey(tenantId, p.id));
      pending.push({ personId: p.id, displayName: p.displayName, email: registration?.email, addedAt: registration?.addedAt, remindedAt: registration?.remindedAt });
    }
    return pending.sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  /** Notes that a person was reminded (or could not be), in the audit log and on their registration. */
  async recordReminder(actor: Actor, personId: string, delivered: boolean): Promise<void> {
    const now = this.deps.clock();
    await this.deps.ledger.transact(async (tx) => {
      const key = personKey(actor.tenantId, personId);
      const registration = await tx.get('registrations', key);
      if (delivered && registration) tx.put('registrations', key, { ...registration, remindedAt: now });
      const name = (await tx.get('people', key))?.displayName;
      stageAudit(tx, { tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action: 'user.remind', target: name ?? personId, outcome: delivered ? 'done' : 'not-found', detail: { personId } }, now);
    });
  }

  /**
   * Records that `actor` is about to be shown a confirmation to delete `personId`'s account, under `nonce` (the card's);
   * only a Global admin may ask (rule 6).
   */
  requestDeletion(actor: Actor, personId: string, nonce: string): Promise<{ kind: 'requested'; expiresAt: Date } | { kind: 'refused'; role: Role }> {
    const now = this.deps.clock();
    return this.deps.ledger.transact(async (tx) => {
      const role = await this.roleOf(actor.tenantId, actor.personId, tx);
      if (!can(role, 'delete-accounts')) return { kind: 'refused' as const, role };
      const expiresAt = new Date(now.getTime() + DELETE_CONFIRMATION_TTL_MS);
      tx.put('pendingDeletions', nonce, { tenantId: actor.tenantId, personId, requestedBy: actor.personId, expiresAt });
      return { kind: 'requested' as const, expiresAt };
    });
  }

  /**
   * Deletes a departed person's work account (rule 6: only a Global admin, checked here against the actor's role in
   * the store): ends every active association (reason `account-deleted`), removes the registration and the accounts
   * the person gave, and returns when their credentials leave the skills report (rule 8). `nonce` identifies the
   * confirmation card: it is checked and recorded in the deletion's transaction, so it works once.
   */
  async deleteAccount(actor: Actor, personId: string, nonce: string): Promise<DeleteAccountOutcome> {
    const now = this.deps.clock();
    const outcome = await this.deps.ledger.transact(async (tx): Promise<DeleteAccountOutcome> => {
      const key = personKey(actor.tenantId, personId);
      const person = await tx.get('people', key);
      const base = { tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action: 'account.delete' as const, target: person?.displayName ?? personId };
      const actorRole = await this.roleOf(actor.tenantId, actor.personId, tx);
      if (!can(actorRole, 'delete-accounts')) {
        stageAudit(tx, { ...base, outcome: 'refused', detail: { personId, role: actorRole } }, now);
        return { kind: 'refused', role: actorRole };
      }
      if (personId === actor.personId) {
        stageAudit(tx, { ...base, outcome: 'refused', detail: { personId, reason: 'self' } }, now);
        return { kind: 'self' };
      }
      // The card's own record, for this organization and this person: consumed now, so a replay finds nothing.
      const pending = await tx.get('pendingDeletions', nonce);
      if (!pending || pending.tenantId !== actor.tenantId || pending.personId !== personId) return { kind: 'already-done' };
      tx.delete('pendingDeletions', nonce);
      if (pending.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
      if (!person) {
        stageAudit(tx, { ...base, outcome: 'not-found', detail: { personId } }, now);
        return { kind: 'not-found' };
      }
      const history = await personHistory(tx, { tenantId: actor.tenantId, personId });
      const result = endAssociation(history, { kind: 'delete-account', personId, actorRole }, now);
      if (result.kind === 'refused') {
        stageAudit(tx, { ...base, outcome: 'refused', detail: { personId, role: actorRole, reason: result.reason } }, now);
        return { kind: 'refused', role: actorRole };
      }
      const ended = result.kind === 'ended' ? result.ended : [];
      for (const association of ended) tx.put('associations', association.id, association);
      stageOrganizationChange(tx, actor.tenantId, 'account-deleted', now);
      const stops = ended.map((a) => creditCountsUntil(a, this.deps.policy)).filter((d): d is Date => d !== null);
      const creditStopsAt = stops.length > 0 ? new Date(Math.max(...stops.map((d) => d.getTime()))) : null;
      tx.delete('people', key);
      const registration = await tx.get('registrations', key);
      tx.put('registrations', key, {
        tenantId: actor.tenantId,
        personId,
        addedBy: registration?.addedBy ?? actor.personId,
        addedAt: registration?.addedAt ?? now,
        displayName: person.displayName,
        deletedAt: now,
      });
      tx.delete('accounts', `${key}/learn`);
      tx.delete('accounts', `${key}/university`);
      stageAudit(
        tx,
        { ...base, outcome: 'done', detail: { personId, endedAssociations: ended.length, ...(creditStopsAt ? { creditStopsAt: creditStopsAt.toISOString() } : {}) } },
        now,
      );
      return { kind: 'deleted', displayName: person.displayName, endedAssociations: ended.length, creditStopsAt };
    });
    if (outcome.kind === 'deleted') {
      await notifyOrganizationChanged(this.deps.onOrganizationChanged, actor.tenantId, 'account-deleted', this.deps.onHookError);
    }
    return outcome;
  }

  /** A configured bootstrap admin gets a people record the first time they act, so they can link like anyone. */
  private async ensureBootstrapRecord(actor: Actor): Promise<void> {
    if (!this.deps.bootstrapAdmins?.has(actor.personId)) return;
    const key = personKey(actor.tenantId, actor.personId);
    if ((await this.deps.ledger.get('people', key))?.role === 'global-admin') return;
    await this.deps.ledger.transact(async (tx) => {
      const existing = await tx.get('people', key);
      tx.put('people', key, { id: actor.personId, tenantId: actor.tenantId, displayName: existing?.displayName ?? actor.displayName ?? actor.personId, role: 'global-admin' });
    });
  }

  private stageRegistration(tx: Parameters<typeof stageAudit>[0], actor: Actor, member: Member, now: Date): void {
    tx.put('registrations', personKey(actor.tenantId, member.personId), {
      tenantId: actor.tenantId,
      personId: member.personId,
      ...(member.email ? { email: member.email } : {}),
      addedBy: actor.personId,
      addedAt: now,
    });
  }
}
