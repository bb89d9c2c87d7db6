import assert from 'node:assert/strict';
import { defaultPolicy } from '../../../rules/index.js';
import { AlertEvaluation, alertIdOf } from '../../../services/alerts/evaluation.js';
import { SignInCompletion } from '../../../services/signin/completion.js';
import { createMemoryLedger, credentialKey, personKey, type Ledger } from '../../../storage/index.js';
import { ALERT_NOW, channelId, credentialsCountForAll, endAssociation, seedAlertOrg } from '../../support/alertFixtures.js';
import { allRecords } from '../../support/ledgerRecords.js';

const tenantId = 'tenant-contoso';

describe('AlertEvaluation', () => {
  let ledger: Ledger;
  let now: Date;
  let nudges: number;
  let alerts: AlertEvaluation;

  beforeEach(async () => {
    ledger = createMemoryLedger();
    now = ALERT_NOW;
    nudges = 0;
    alerts = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => now, timerNow: () => 5_000, onEnqueued: () => void nudges++ });
    await seedAlertOrg(ledger, { channels: 3 });
    // The first evaluation records "met" and raises nothing.
    const first = await alerts.reevaluate(tenantId, 'requirement-change');
    assert.equal(first.alerts.length, 0);
  });

  it('raises one at-risk alert with one outbox row per subscribed channel when an unlink breaks a requirement', async () => {
    await endAssociation(ledger, 0, ALERT_NOW);
    const outcome = await alerts.reevaluate(tenantId, 'unlink');
    assert.equal(outcome.alerts.length, 1);
    const [alert] = outcome.alerts;
    assert.equal(alert!.kind, 'at-risk');
    assert.equal(alert!.required, 3);
    assert.equal(alert!.current, 3);
    assert.equal(alert!.lowest, 2);
    // Rule 8: unlinked in March, the credit stops on April 10 at 00:00 UTC.
    assert.equal(alert!.effectiveAt.toISOString(), '2026-04-10T00:00:00.000Z');
    assert.deepEqual(alert!.involved.map((p) => [p.name, p.change, p.endReason, p.credentials.map((c) => c.code)]), [['Person 0', 'stops', 'unlinked', ['AZ-104']]]);
    const rows = await allRecords(ledger, 'alertOutbox');
    assert.deepEqual(rows.map((r) => r.conversationId).sort(), [0, 1, 2].map((i) => channelId(i)).sort());
    assert.deepEqual([...new Set(rows.map((r) => r.status))], ['pending']);
    assert.deepEqual(rows.map((r) => r.locale).sort(), ['en', 'fr', 'zh-CN']);
    assert.ok(rows.every((r) => r.nextAttemptAt === 5_000 && r.alertId === alertIdOf(tenantId, 'req-0', 1)));
    assert.equal(nudges, 1);
  });

  it('never alerts the same state twice, however often the organization is re-evaluated', async () => {
    await endAssociation(ledger, 0, ALERT_NOW);
    await Promise.all([alerts.reevaluate(tenantId, 'unlink'), alerts.reevaluate(tenantId, 'unlink'), alerts.reevaluate(tenantId, 'daily-sweep')]);
    assert.equal((await allRecords(ledger, 'alerts')).length, 1);
    assert.equal((await allRecords(ledger, 'alertOutbox')).length, 3);
  });

  it('raises a not-met alert when the removal date passes, then an all-clear when someone new counts', async () => {
    await endAssociation(ledger, 0, ALERT_NOW);
    await alerts.reevaluate(tenantId, 'unlink');
    now = new Date('2026-04-10T00:00:00Z');
    const notMet = await alerts.reevaluate(tenantId, 'daily-sweep');
    assert.deepEqual(notMet.alerts.map((a) => [a.kind, a.from, a.current]), [['not-met', 'at-risk', 2]]);
    assert.deepEqual(notMet.alerts[0]!.involved.map((p) => [p.name, p.change]), [['Person 0', 'stopped']]);
    await ledger.transact((tx) => {
      tx.put('associations', 'new', { id: 'new', personId: 'p9', tenantId, kind: 'learn', accountId: 'M9', start: new Date('2026-03-20T00:00:00Z') });
      tx.put('credentials', credentialKey(tenantId, 'c9'), {
        id: 'c9', tenantId, kind: 'learn', accountId: 'M9', type: 'certification', code: 'AZ-104', title: 'Azure Administrator Associate',
        passed: new Date('2025-01-01T00:00:00Z'), competencies: ['Azure'],
      });
    });
    const allClear = await alerts.reevaluate(tenantId, 'credential-import');
    assert.deepEqual(allClear.alerts.map((a) => [a.kind, a.from, a.seq]), [['all-clear', 'not-met', 3]]);
    assert.equal((await allRecords(ledger, 'alertOutbox')).length, 9);
  });

  it('raises an alert when a credential expiry enters the warning window, found by the daily sweep', async () => {
    await ledger.transact(async (tx) => {
      const key = credentialKey(tenantId, `${tenantId}-c1`);
      const c = (await tx.get('credentials', key))!;
      tx.put('credentials', key, { ...c, expires: new Date('2026-06-30T00:00:00Z') });
    });
    assert.equal((await alerts.reevaluate(tenantId, 'credential-import')).alerts.length, 0, 'the expiry is outside the window');
    now = new Date('2026-05-15T00:00:00Z');
    const swept = await alerts.reevaluateAll('daily-sweep');
    assert.equal(swept, 1);
    const [alert] = await allRecords(ledger, 'alerts');
    assert.equal(alert!.kind, 'at-risk');
    assert.equal(alert!.cause, 'daily-sweep');
    assert.deepEqual(alert!.involved.map((p) => [p.name, p.reason]), [['Person 1', 'credential-expires']]);
  });

  it('sends nothing to a dead or uninstalled channel, nor to a personal chat of someone who is no longer an admin', async () => {
    await ledger.transact(async (tx) => {
      const ref = (await tx.get('conversationReferences', channelId(0)))!;
      tx.put('conversationReferences', channelId(0), { ...ref, deadSince: ALERT_NOW });
      tx.delete('conversationReferences', channelId(1));
      tx.put('conversationReferences', 'a:personal-former', { tenantId, personId: 'former', scope: 'personal', reference: {}, installedAt: ALERT_NOW });
      tx.put('people', personKey(tenantId, 'former'), { id: 'former', tenantId, displayName: 'Former Admin', role: 'member' });
      tx.put('alertSubscriptions', 'a:personal-former', {
        tenantId, scope: 'personal', locale: 'en', subscribedBy: { personId: 'former', name: 'Former Admin', at: ALERT_NOW },
      });
    });
    await endAssociation(ledger, 0, ALERT_NOW);
    await alerts.reevaluate(tenantId, 'unlink');
    assert.deepEqual((await allRecords(ledger, 'alertOutbox')).map((r) => r.conversationId), [channelId(2)]);
  });

  it('raises the alert for the organization a person moved away from, naming the move, and for no one else', async () => {
    const ledger = createMemoryLedger();
    const service = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW });
    await seedAlertOrg(ledger, { people: 3, required: 3 });
    await seedAlertOrg(ledger, { tenantId: 'tenant-fabrikam', people: 0, required: 1 });
    await service.reevaluate(tenantId, 'requirement-change');
    await service.reevaluate('tenant-fabrikam', 'requirement-change');
    const alertsBefore = (await allRecords(ledger, 'alerts')).length;
    // Person 0 of Contoso proved this MCID there, and links it at Fabrikam with the same learning account: a move.
    await ledger.transact((tx) => {
      tx.put('accounts', `${personKey(tenantId, 'p0')}/learn`, { personId: 'p0', tenantId, kind: 'learn', accountId: `${tenantId}-M0`, subject: 'login-p0', recordedAt: ALERT_NOW });
      tx.put('people', personKey('tenant-fabrikam', 'f0'), { id: 'f0', tenantId: 'tenant-fabrikam', displayName: 'Person 0 at Fabrikam', role: 'member' });
    });
    const completion = new SignInCompletion({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW, onOrganizationChanged: (t, cause) => service.reevaluate(t, cause).then(() => undefined) });
    const outcome = await completion.complete(
      { v: 1, jti: 'ticket-move-000001', personId: 'f0', tenantId: 'tenant-fabrikam', kind: 'learn', accountId: `${tenantId}-M0`, conversation: {}, locale: 'en', iat: ALERT_NOW.getTime() / 1000, exp: ALERT_NOW.getTime() / 1000 + 600 },
      { subject: 'login-p0', accountId: `${tenantId}-M0` },
    );
    assert.equal(outcome.kind, 'linked');
    const raised = (await allRecords(ledger, 'alerts')).slice(alertsBefore);
    const contoso = raised.filter((a) => a.tenantId === tenantId);
    assert.deepEqual(contoso.map((a) => [a.kind, a.cause]), [['at-risk', 'move']]);
    assert.deepEqual(contoso[0]!.involved.map((p) => [p.name, p.endReason]), [['Person 0', 'moved']]);
  });

  it('alerts each broken requirement separately, with deterministic ids', async () => {
    const other = createMemoryLedger();
    const service = new AlertEvaluation({ ledger: other, policy: defaultPolicy, clock: () => ALERT_NOW });
    await seedAlertOrg(other, { requirements: 3, channels: 2 });
    await credentialsCountForAll(other, tenantId, 3);
    await service.reevaluate(tenantId, 'requirement-change');
    await endAssociation(other, 2, ALERT_NOW, 'moved');
    const outcome = await service.reevaluate(tenantId, 'move');
    assert.deepEqual(outcome.alerts.map((a) => a.requirementId), ['req-0', 'req-1', 'req-2']);
    assert.deepEqual(
      (await allRecords(other, 'alertOutbox')).map((r) => r.alertId).sort(),
      ['req-0', 'req-1', 'req-2'].flatMap((r) => [alertIdOf(tenantId, r, 1), alertIdOf(tenantId, r, 1)]).sort(),
    );
  });
});
