import assert from 'node:assert/strict';
import { defaultPolicy, type Association, type Credential } from '../../../rules/index.js';
import { AssociationService, normalizeAccountId } from '../../../services/associations/associations.js';
import { createMemoryLedger, credentialKey, type Ledger } from '../../../storage/index.js';
import { history, knownAccount, ME, NOW, provenAccount, register } from '../../dialogs/harness.js';
import { allRecords } from '../../support/ledgerRecords.js';

const at = (iso: string) => new Date(iso);
const MCID = '12345678';
const OTHER_ORG = 'tenant-fabrikam';

function learn(id: string, start: string, fields: Partial<Association> = {}): Association {
  return { id, personId: ME.personId, tenantId: ME.tenantId, kind: 'learn', accountId: MCID, start: at(start), ...fields };
}

function service(ledger: Ledger, now: Date = NOW): AssociationService {
  return new AssociationService({ ledger, policy: defaultPolicy, clock: () => now });
}

describe('AssociationService', () => {
  let ledger: Ledger;
  beforeEach(() => {
    ledger = createMemoryLedger();
  });

  describe('checkLink', () => {
    it('refuses a person who is not a Partner Center user of the organization', async () => {
      assert.deepEqual(await service(ledger).checkLink({ ...ME, kind: 'learn' }), { kind: 'not-registered' });
    });

    it('asks for the MCID when none is known for the person', async () => {
      await register(ledger);
      assert.deepEqual(await service(ledger).checkLink({ ...ME, kind: 'learn' }), { kind: 'needs-account' });
    });

    it('is ready with the quota after this start when nothing stands in the way', async () => {
      await register(ledger);
      await provenAccount(ledger, 'learn', MCID);
      assert.deepEqual(await service(ledger).checkLink({ ...ME, kind: 'learn' }), {
        kind: 'ready',
        accountId: MCID,
        quota: { startsUsed: 1, startsLeft: 2 },
      });
    });

    it('offers the next date when the last association started 10 days ago (30-day cool-off)', async () => {
      await register(ledger);
      await provenAccount(ledger, 'learn', MCID);
      await history(ledger, [learn('a1', '2026-02-20T09:00:00Z', { end: at('2026-02-25T09:00:00Z'), endReason: 'unlinked' })]);
      assert.deepEqual(await service(ledger).checkLink({ ...ME, kind: 'learn' }), {
        kind: 'wait',
        accountId: MCID,
        until: at('2026-03-22T09:00:00Z'),
        constraint: 'cool-off',
        startsUsed: 1,
        startsLeft: 2,
      });
    });

    it('offers the date the oldest start leaves the window when three starts were used in twelve months', async () => {
      await register(ledger);
      await provenAccount(ledger, 'learn', MCID);
      await history(ledger, [
        learn('a1', '2025-04-10T09:00:00Z', { end: at('2025-05-01T00:00:00Z'), endReason: 'unlinked' }),
        learn('a2', '2025-06-15T09:00:00Z', { end: at('2025-07-01T00:00:00Z'), endReason: 'unlinked' }),
        learn('a3', '2025-09-01T09:00:00Z', { end: at('2025-10-01T00:00:00Z'), endReason: 'unlinked' }),
      ]);
      assert.deepEqual(await service(ledger).checkLink({ ...ME, kind: 'learn' }), {
        kind: 'wait',
        accountId: MCID,
        until: at('2026-04-10T09:00:00Z'),
        constraint: 'yearly-limit',
        startsUsed: 3,
        startsLeft: 0,
      });
    });

    it('says already linked when the MCID is linked to this person here', async () => {
      await register(ledger);
      await knownAccount(ledger, 'learn', MCID);
      await history(ledger, [learn('a1', '2025-11-02T09:00:00Z')]);
      const check = await service(ledger).checkLink({ ...ME, kind: 'learn' });
      assert.equal(check.kind, 'already-linked');
    });

    it('announces a move when the MCID is linked to another organization', async () => {
      await register(ledger);
      await provenAccount(ledger, 'learn', MCID);
      await history(ledger, [learn('a1', '2025-11-02T09:00:00Z', { personId: 'aad-old', tenantId: OTHER_ORG })]);
      assert.deepEqual(await service(ledger).checkLink({ ...ME, kind: 'learn' }), {
        kind: 'move',
        accountId: MCID,
        quota: { startsUsed: 2, startsLeft: 1 },
      });
    });

    it('reveals nothing of the history of an MCID the person typed but never proved: another organization’s three links stay private', async () => {
      await register(ledger);
      await knownAccount(ledger, 'learn', MCID);
      await history(ledger, [
        learn('b1', '2025-04-10T09:00:00Z', { personId: 'aad-owner', tenantId: OTHER_ORG, end: at('2025-05-01T00:00:00Z'), endReason: 'unlinked' }),
        learn('b2', '2025-06-15T09:00:00Z', { personId: 'aad-owner', tenantId: OTHER_ORG, end: at('2025-07-01T00:00:00Z'), endReason: 'unlinked' }),
        learn('b3', '2025-09-01T09:00:00Z', { personId: 'aad-owner', tenantId: OTHER_ORG }),
      ]);
      assert.deepEqual(await service(ledger).checkLink({ ...ME, kind: 'learn' }), { kind: 'ready', accountId: MCID, quota: null });
      const status = await service(ledger).status(ME);
      assert.equal(status.learn, null, 'no starts used, no next date, no "linked elsewhere" for an unproven MCID');
    });

    it('refuses an MCID linked to another person of the same organization', async () => {
      await register(ledger);
      await knownAccount(ledger, 'learn', MCID);
      await history(ledger, [learn('a1', '2025-11-02T09:00:00Z', { personId: 'aad-colleague' })]);
      assert.deepEqual(await service(ledger).checkLink({ ...ME, kind: 'learn' }), {
        kind: 'refused',
        accountId: MCID,
        reason: 'account-bound-to-another-person',
      });
    });
  });

  describe('rememberAccount', () => {
    it('records the account once for the person and kind', async () => {
      await register(ledger);
      assert.deepEqual(await service(ledger).rememberAccount({ ...ME, kind: 'learn', accountId: MCID }), { kind: 'remembered', accountId: MCID });
      assert.equal((await ledger.get('accounts', `${ME.tenantId}/${ME.personId}/learn`))?.accountId, MCID);
    });

    it('refuses an MCID another person of the organization gave', async () => {
      await register(ledger);
      await knownAccount(ledger, 'learn', MCID, { personId: 'aad-colleague', tenantId: ME.tenantId });
      assert.deepEqual(await service(ledger).rememberAccount({ ...ME, kind: 'learn', accountId: MCID }), { kind: 'bound-to-another-person' });
      assert.equal(await ledger.get('accounts', `${ME.tenantId}/${ME.personId}/learn`), undefined);
    });

    it('accepts an MCID known in another organization: the same person moving company', async () => {
      await register(ledger);
      await knownAccount(ledger, 'learn', MCID, { personId: 'aad-old', tenantId: OTHER_ORG });
      assert.equal((await service(ledger).rememberAccount({ ...ME, kind: 'learn', accountId: MCID })).kind, 'remembered');
    });

    it('refuses a person who is not registered', async () => {
      assert.deepEqual(await service(ledger).rememberAccount({ ...ME, kind: 'learn', accountId: MCID }), { kind: 'not-registered' });
    });
  });

  describe('unlink', () => {
    it('tells the organization-change hook after the unlink commits, and not when nothing was linked', async () => {
      await register(ledger);
      await history(ledger, [learn('a1', '2026-01-15T09:00:00Z')]);
      const changes: Array<[string, string, boolean]> = [];
      const hooked = new AssociationService({
        ledger,
        policy: defaultPolicy,
        clock: () => NOW,
        onOrganizationChanged: async (tenantId, cause) => void changes.push([tenantId, cause, (await ledger.get('associations', 'a1'))?.end !== undefined]),
      });
      await hooked.unlink({ ...ME, kind: 'learn', nonce: 'nonce-hook-1' });
      await hooked.unlink({ ...ME, kind: 'learn', nonce: 'nonce-hook-2' });
      assert.deepEqual(changes, [[ME.tenantId, 'unlink', true]]);
    });

    it('ends the association and says until when credit counts and when the MCID may link again', async () => {
      await register(ledger);
      await history(ledger, [learn('a1', '2026-01-15T09:00:00Z')]);
      const outcome = await service(ledger).unlink({ ...ME, kind: 'learn', nonce: 'nonce-0001' });
      assert.ok(outcome.kind === 'unlinked');
      assert.equal(outcome.ended[0]?.endReason, 'unlinked');
      // Ended in March: counts until the skills-report refresh of April 10, 00:00 UTC.
      assert.deepEqual(outcome.creditUntil, at('2026-04-10T00:00:00Z'));
      // 30 days after the start of January 15 have passed: a new start is allowed now.
      assert.equal(outcome.nextAllowed, null);
      assert.deepEqual((await ledger.get('associations', 'a1'))?.end, NOW);
    });

    it('acts once on two submits of the same confirmation, even at the same time', async () => {
      await register(ledger);
      await history(ledger, [learn('a1', '2026-01-15T09:00:00Z')]);
      const svc = service(ledger);
      const outcomes = await Promise.all([1, 2].map(() => svc.unlink({ ...ME, kind: 'learn', nonce: 'nonce-0001' })));
      assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['already-done', 'unlinked']);
      assert.equal((await allRecords(ledger, 'processed')).length, 1);
    });

    it('says not linked when nothing of that kind is linked here', async () => {
      await register(ledger);
      await history(ledger, [learn('a1', '2026-01-15T09:00:00Z', { personId: 'aad-old', tenantId: OTHER_ORG })]);
      assert.deepEqual(await service(ledger).unlink({ ...ME, kind: 'learn', nonce: 'nonce-0001' }), { kind: 'not-linked' });
      assert.equal((await ledger.get('associations', 'a1'))?.end, undefined);
    });
  });

  describe('status', () => {
    it('counts the starts in the window, gives the next date and when each credential counts', async () => {
      await register(ledger);
      await knownAccount(ledger, 'learn', MCID);
      await history(ledger, [
        learn('a0', '2025-01-10T09:00:00Z', { end: at('2025-02-01T00:00:00Z'), endReason: 'unlinked' }),
        learn('a1', '2026-02-20T09:00:00Z'),
      ]);
      const credential: Credential = {
        id: 'c1', tenantId: ME.tenantId, kind: 'learn', accountId: MCID, type: 'certification', code: 'AZ-104', title: 'Azure Administrator',
        passed: at('2025-12-01T00:00:00Z'), competencies: ['azure'],
      };
      await ledger.transact((tx) => tx.put('credentials', credentialKey(ME.tenantId, 'c1'), credential));
      const status = await service(ledger).status(ME);
      assert.equal(status.registered, true);
      assert.deepEqual(status.linked.map((a) => a.id), ['a1']);
      assert.deepEqual(status.learn, { accountId: MCID, startsUsed: 1, nextAllowed: at('2026-03-22T09:00:00Z'), linkedElsewhere: false });
      assert.deepEqual(status.credentials[0]?.counts, { from: at('2026-03-02T09:00:00Z'), until: null, stopReason: null });
    });

    it('says "now" (null) when nothing limits a new start', async () => {
      await register(ledger);
      const status = await service(ledger).status(ME);
      assert.equal(status.learn, null);
      assert.deepEqual(status.linked, []);
    });
  });
});

describe('normalizeAccountId', () => {
  const cases: Array<[Parameters<typeof normalizeAccountId>[0], string, string | undefined]> = [
    ['learn', '12345678', '12345678'],
    ['learn', ' 1234 5678 ', '12345678'],
    ['learn', 'ab-12cd', 'AB-12CD'],
    ['learn', '123', undefined],
    ['learn', 'abcdefgh', undefined],
    ['learn', 'P@ssw0rd!', undefined],
    ['learn', '1'.repeat(41), undefined],
    ['university', ' Me@Example.com ', 'me@example.com'],
    ['university', 'me@example', undefined],
    ['university', 'not an email', undefined],
    ['university', '${x}@example.com', undefined],
  ];
  for (const [kind, text, expected] of cases) {
    it(`reads ${JSON.stringify(text)} as a ${kind} account id: ${String(expected)}`, () => {
      assert.equal(normalizeAccountId(kind, text), expected);
    });
  }
});
