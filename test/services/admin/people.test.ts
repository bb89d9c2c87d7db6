import assert from 'node:assert/strict';
import { defaultPolicy } from '../../../rules/index.js';
import { can } from '../../../services/admin/access.js';
import type { Actor } from '../../../services/actor.js';
import { DELETE_CONFIRMATION_TTL_MS, PeopleService } from '../../../services/admin/people.js';
import { createMemoryLedger, personKey, type Ledger } from '../../../storage/index.js';
import { allRecords } from '../../support/ledgerRecords.js';

const TENANT = 'tenant-contoso';
const boss = { tenantId: TENANT, personId: 'aad-boss', displayName: 'Boss' };

const NOW = new Date('2026-01-20T12:00:00Z');

function setup({ now = NOW, ledger = createMemoryLedger() }: { now?: Date; ledger?: Ledger } = {}) {
  const changes: string[] = [];
  const people = new PeopleService({ ledger, policy: defaultPolicy, clock: () => now, bootstrapAdmins: new Set(['aad-boss']), onOrganizationChanged: (t, c) => void changes.push(`${t}:${c}`) });
  return { ledger, people, changes };
}

describe('people and roles', () => {
  it('gives each role its capabilities, and a member none', () => {
    assert.ok(can('global-admin', 'delete-accounts'));
    assert.ok(!can('account-admin', 'delete-accounts'));
    assert.ok(can('account-admin', 'add-users'));
    assert.ok(!can('partner-admin', 'add-users'));
    assert.ok(can('partner-admin', 'view-report'));
    assert.ok(!can('account-admin', 'view-report'));
    for (const capability of ['menu', 'manage-roles', 'add-users', 'view-status', 'view-audit'] as const) assert.ok(!can('member', capability));
  });

  it('treats configured bootstrap admins as Global admins and records them on first use', async () => {
    const { ledger, people } = setup();
    assert.equal(await people.roleOf(TENANT, 'aad-boss'), 'global-admin');
    assert.equal(await people.roleOf(TENANT, 'aad-stranger'), 'member');
    assert.deepEqual(await people.authorize(boss, 'manage-roles', 'role.grant'), { kind: 'allowed', role: 'global-admin' });
    assert.equal((await ledger.get('people', personKey(TENANT, 'aad-boss')))?.role, 'global-admin');
  });

  it('writes the audit line in the same call that authorizes: every refusal, and the opening of an audited view', async () => {
    const { ledger, people } = setup();
    const member = { tenantId: TENANT, personId: 'aad-member', displayName: 'Mia' };
    assert.equal((await people.authorize(boss, 'view-status', 'status.view')).kind, 'allowed');
    assert.equal((await people.authorize(boss, 'menu', 'menu.view')).kind, 'allowed');
    assert.equal((await people.authorize(member, 'view-report', 'report.view')).kind, 'refused');
    const lines = (await allRecords(ledger, 'auditLog')).map((e) => `${e.actorId} ${e.action} ${e.outcome}`).sort();
    // The menu is not an audited view: allowing it writes nothing.
    assert.deepEqual(lines, ['aad-boss status.view done', 'aad-member report.view refused']);
  });

  it('grants a role to an unregistered person, which registers them, and removes it again', async () => {
    const { ledger, people } = setup();
    const ann = { personId: 'aad-ann', displayName: 'Ann Lee', email: 'ann@contoso.com' };
    assert.deepEqual(await people.grantRole(boss, ann, 'account-admin'), { kind: 'granted', role: 'account-admin', previous: null });
    assert.deepEqual(await people.grantRole(boss, ann, 'account-admin'), { kind: 'unchanged', role: 'account-admin' });
    assert.equal((await ledger.get('registrations', personKey(TENANT, 'aad-ann')))?.email, 'ann@contoso.com');
    assert.deepEqual(await people.removeRole(boss, ann), { kind: 'removed', previous: 'account-admin' });
    assert.equal((await ledger.get('people', personKey(TENANT, 'aad-ann')))?.role, 'member');
    assert.deepEqual(await people.removeRole(boss, { personId: 'aad-boss', displayName: 'Boss' }), { kind: 'bootstrap' });
    const carol = { tenantId: TENANT, personId: 'aad-carol', displayName: 'Carol' };
    await people.grantRole(boss, { personId: 'aad-carol', displayName: 'Carol' }, 'global-admin');
    assert.deepEqual(await people.grantRole(carol, { personId: 'aad-carol', displayName: 'Carol' }, 'partner-admin'), { kind: 'self' });
    assert.deepEqual(await people.removeRole(carol, { personId: 'aad-carol', displayName: 'Carol' }), { kind: 'self' });
    assert.equal((await ledger.get('people', personKey(TENANT, 'aad-carol')))?.role, 'global-admin', 'nobody demotes themselves');
    assert.deepEqual(
      (await allRecords(ledger, 'auditLog')).map((e) => [e.action, e.outcome]),
      [['role.grant', 'done'], ['role.grant', 'unchanged'], ['role.remove', 'done'], ['role.remove', 'refused'], ['role.grant', 'done'], ['role.grant', 'refused'], ['role.remove', 'refused']],
    );
  });

  /** What the dialog does: record the confirmation card's request, then confirm it with the card's nonce. */
  async function confirmDeletion(people: PeopleService, actor: Actor, personId: string, nonce: string) {
    await people.requestDeletion(actor, personId, nonce);
    return people.deleteAccount(actor, personId, nonce);
  }

  it('deletes an account: ends every active association, keeps ended ones, and gives the latest date credit stops', async () => {
    const { ledger, people, changes } = setup();
    await people.addUser(boss, { personId: 'aad-dan', displayName: 'Dan Diaz' });
    await ledger.transact((tx) => {
      tx.put('associations', 'a1', { id: 'a1', personId: 'aad-dan', tenantId: TENANT, kind: 'learn', accountId: 'MCID1', start: new Date('2025-01-01T00:00:00Z') });
      tx.put('associations', 'a2', { id: 'a2', personId: 'aad-dan', tenantId: TENANT, kind: 'university', accountId: 'dan@uni', start: new Date('2025-01-01T00:00:00Z') });
      tx.put('associations', 'a0', { id: 'a0', personId: 'aad-dan', tenantId: TENANT, kind: 'learn', accountId: 'MCID0', start: new Date('2024-01-01T00:00:00Z'), end: new Date('2024-06-01T00:00:00Z'), endReason: 'unlinked' });
    });
    const outcome = await confirmDeletion(people, boss, 'aad-dan', 'nonce-delete-1');
    // Ended on 20 January: credit stops at the refresh on 10 February, 00:00 UTC (rule 8).
    assert.deepEqual(outcome, { kind: 'deleted', displayName: 'Dan Diaz', endedAssociations: 2, creditStopsAt: new Date('2026-02-10T00:00:00Z') });
    assert.equal((await ledger.get('associations', 'a1'))?.endReason, 'account-deleted');
    assert.equal((await ledger.get('associations', 'a0'))?.endReason, 'unlinked');
    assert.equal(await ledger.get('people', personKey(TENANT, 'aad-dan')), undefined);
    assert.equal((await ledger.get('registrations', personKey(TENANT, 'aad-dan')))?.displayName, 'Dan Diaz', 'the name is kept for the status card');
    assert.deepEqual(changes, [`${TENANT}:account-deleted`]);
    assert.deepEqual(await confirmDeletion(people, boss, 'aad-dan', 'nonce-delete-2'), { kind: 'not-found' });
    assert.deepEqual(await confirmDeletion(people, boss, 'aad-boss', 'nonce-delete-3'), { kind: 'self' });
  });

  it('carries out a deletion confirmation once: a replay of the same nonce changes nothing, even after re-registration', async () => {
    const { ledger, people, changes } = setup();
    await people.addUser(boss, { personId: 'aad-dan', displayName: 'Dan Diaz' });
    assert.equal((await confirmDeletion(people, boss, 'aad-dan', 'nonce-once-0001')).kind, 'deleted');
    // Dan comes back and links again; the old confirmation card is pressed (or replayed) again.
    await people.addUser(boss, { personId: 'aad-dan', displayName: 'Dan Diaz' });
    await ledger.transact((tx) => {
      tx.put('associations', 'a9', { id: 'a9', personId: 'aad-dan', tenantId: TENANT, kind: 'learn', accountId: 'MCID9', start: new Date('2026-01-20T00:00:00Z') });
    });
    assert.deepEqual(await people.deleteAccount(boss, 'aad-dan', 'nonce-once-0001'), { kind: 'already-done' });
    assert.equal((await ledger.get('people', personKey(TENANT, 'aad-dan')))?.displayName, 'Dan Diaz', 'the new registration stays');
    assert.equal((await ledger.get('associations', 'a9'))?.end, undefined, 'the new link stays');
    assert.deepEqual(changes, [`${TENANT}:account-deleted`]);
    // A new confirmation (a new nonce) works.
    assert.equal((await confirmDeletion(people, boss, 'aad-dan', 'nonce-once-0002')).kind, 'deleted');
  });

  it('refuses a deletion asked by an Account or Partner admin calling the service directly (rule 6), changing nothing', async () => {
    const { ledger, people, changes } = setup();
    await people.addUser(boss, { personId: 'aad-dan', displayName: 'Dan Diaz' });
    await ledger.transact((tx) => {
      tx.put('associations', 'a1', { id: 'a1', personId: 'aad-dan', tenantId: TENANT, kind: 'learn', accountId: 'MCID1', start: new Date('2025-01-01T00:00:00Z') });
    });
    for (const [personId, role] of [['aad-acct', 'account-admin'], ['aad-partner', 'partner-admin'], ['aad-member', 'member']] as const) {
      if (role !== 'member') await people.grantRole(boss, { personId, displayName: personId }, role);
      const actor = { tenantId: TENANT, personId, displayName: personId };
      assert.deepEqual(await people.requestDeletion(actor, 'aad-dan', `nonce-${personId}`), { kind: 'refused', role });
      assert.deepEqual(await people.deleteAccount(actor, 'aad-dan', `nonce-${personId}`), { kind: 'refused', role });
    }
    assert.equal((await ledger.get('people', personKey(TENANT, 'aad-dan')))?.displayName, 'Dan Diaz');
    assert.equal((await ledger.get('associations', 'a1'))?.end, undefined);
    assert.deepEqual(changes, []);
    assert.deepEqual(
      (await allRecords(ledger, 'auditLog')).filter((e) => e.action === 'account.delete').map((e) => e.outcome),
      ['refused', 'refused', 'refused'],
    );
    // A Global admin (here a bootstrap one) still may.
    assert.equal((await confirmDeletion(people, boss, 'aad-dan', 'nonce-by-boss')).kind, 'deleted');
  });

  it('refuses a confirmation card past its lifetime, or one never issued, and deletes nobody', async () => {
    const { ledger, people } = setup();
    await people.addUser(boss, { personId: 'aad-dan', displayName: 'Dan Diaz' });
    assert.deepEqual(await people.deleteAccount(boss, 'aad-dan', 'nonce-never-issued'), { kind: 'already-done' });
    const later = setup({ ledger, now: new Date(NOW.getTime() + DELETE_CONFIRMATION_TTL_MS) });
    await people.requestDeletion(boss, 'aad-dan', 'nonce-old-card');
    assert.deepEqual(await later.people.deleteAccount(boss, 'aad-dan', 'nonce-old-card'), { kind: 'expired' });
    assert.deepEqual(await later.people.deleteAccount(boss, 'aad-dan', 'nonce-old-card'), { kind: 'already-done' }, 'consumed');
    // A card made to delete someone else cannot delete Dan.
    await people.requestDeletion(boss, 'aad-eve', 'nonce-for-eve');
    assert.deepEqual(await people.deleteAccount(boss, 'aad-dan', 'nonce-for-eve'), { kind: 'already-done' });
    assert.equal((await ledger.get('people', personKey(TENANT, 'aad-dan')))?.displayName, 'Dan Diaz');
  });

  it('lists registered people who never linked, by name', async () => {
    const { ledger, people } = setup();
    await people.addUser(boss, { personId: 'aad-zoe', displayName: 'Zoe' });
    await people.addUser(boss, { personId: 'aad-amy', displayName: 'Amy' });
    await people.addUser(boss, { personId: 'aad-dan', displayName: 'Dan' });
    await ledger.transact((tx) => tx.put('associations', 'a', { id: 'a', personId: 'aad-dan', tenantId: TENANT, kind: 'learn', accountId: 'M1', start: new Date('2025-01-01T00:00:00Z') }));
    assert.deepEqual((await people.pendingUsers(TENANT)).map((p) => p.displayName), ['Amy', 'Zoe']);
    assert.deepEqual(await people.pendingUsers('tenant-other'), []);
  });
});
