import assert from 'node:assert/strict';
import { defaultPolicy } from '../../../rules/index.js';
import type { Actor } from '../../../services/actor.js';
import { AlertEvaluation, alertIdOf } from '../../../services/alerts/evaluation.js';
import { AlertSubscriptions } from '../../../services/alerts/subscriptions.js';
import { outboxKey } from '../../../services/outbox/outbox.js';
import { createMemoryLedger, type Ledger } from '../../../storage/index.js';
import { ALERT_NOW, channelId, channelReference, endAssociation, seedAlertOrg } from '../../support/alertFixtures.js';
import { allRecords } from '../../support/ledgerRecords.js';

const tenantId = 'tenant-contoso';
const admin: Actor = { personId: 'admin', tenantId, displayName: 'Ada Admin' };

describe('AlertSubscriptions', () => {
  let ledger: Ledger;
  let now: Date;
  let alerts: AlertEvaluation;
  let subscriptions: AlertSubscriptions;

  beforeEach(async () => {
    ledger = createMemoryLedger();
    now = ALERT_NOW;
    alerts = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => now, timerNow: () => 5_000 });
    subscriptions = new AlertSubscriptions({ ledger, policy: defaultPolicy, clock: () => now });
    await seedAlertOrg(ledger, { channels: 3 });
    // The first evaluation records "met" and raises nothing.
    await alerts.reevaluate(tenantId, 'requirement-change');
  });

  describe('subscriptions', () => {
    const target = (conversationId: string) => ({
      conversationId, scope: 'channel' as const, teamId: '19:team', name: 'Partner ops', locale: 'fr' as const,
      reference: channelReference(conversationId, 'https://smba.example.invalid/', tenantId),
    });

    it('lets a Global or Partner admin subscribe a channel, and refuses anyone else', async () => {
      assert.equal(await subscriptions.subscribe(admin, target('19:new')), 'subscribed');
      assert.equal(await subscriptions.subscribe(admin, target('19:new')), 'already-subscribed');
      assert.equal(await subscriptions.subscribe({ personId: 'member', tenantId, displayName: 'Mo' }, target('19:other')), 'not-admin');
      assert.equal(await subscriptions.subscribe({ personId: 'stranger', tenantId, displayName: 'X' }, target('19:other')), 'not-admin');
      assert.equal((await ledger.get('alertSubscriptions', '19:new'))?.locale, 'fr');
      assert.ok(await ledger.get('conversationReferences', '19:new'));
      assert.equal(await ledger.get('alertSubscriptions', '19:other'), undefined);
    });

    it('unsubscribes a channel and drops its undelivered alerts', async () => {
      await endAssociation(ledger, 0, ALERT_NOW);
      await alerts.reevaluate(tenantId, 'unlink');
      assert.equal(await subscriptions.unsubscribe(admin, channelId(0)), 'unsubscribed');
      assert.equal(await subscriptions.unsubscribe(admin, channelId(0)), 'not-subscribed');
      assert.ok((await allRecords(ledger, 'alertOutbox')).every((r) => r.conversationId !== channelId(0)));
    });

    it('lists the subscribed conversations with dead ones and failed deliveries, for admins only', async () => {
      await ledger.transact(async (tx) => {
        const ref = (await tx.get('conversationReferences', channelId(1)))!;
        tx.put('conversationReferences', channelId(1), { ...ref, deadSince: new Date('2026-02-01T00:00:00Z') });
      });
      const listed = await subscriptions.listTargets(admin);
      assert.equal(listed.kind, 'targets');
      if (listed.kind !== 'targets') return;
      assert.equal(listed.targets.length, 3);
      assert.deepEqual(listed.targets.filter((t) => t.deadSince).map((t) => t.conversationId), [channelId(1)]);
      assert.deepEqual(await subscriptions.listTargets({ personId: 'member', tenantId, displayName: 'Mo' }), { kind: 'not-admin' });
    });
  });

  describe('acknowledge', () => {
    it('records the first admin who acknowledges in a channel, once', async () => {
      await endAssociation(ledger, 0, ALERT_NOW);
      const [alert] = (await alerts.reevaluate(tenantId, 'unlink')).alerts;
      const alertId = alertIdOf(tenantId, alert!.requirementId, alert!.seq);
      const first = await subscriptions.acknowledge(admin, alertId, channelId(0));
      assert.equal(first.kind, 'acknowledged');
      now = new Date('2026-03-03T09:00:00Z');
      const second = await subscriptions.acknowledge(admin, alertId, channelId(0));
      assert.equal(second.kind, 'already-acknowledged');
      assert.equal((await ledger.get('alertOutbox', outboxKey(alertId, channelId(0))))?.acknowledged?.at.toISOString(), ALERT_NOW.toISOString());
      assert.equal((await ledger.get('alertOutbox', outboxKey(alertId, channelId(0))))?.acknowledged?.name, 'Ada Admin');
      assert.equal((await ledger.get('alertOutbox', outboxKey(alertId, channelId(1))))?.acknowledged, undefined);
      assert.deepEqual(await subscriptions.acknowledge({ personId: 'member', tenantId, displayName: 'Mo' }, alertId, channelId(1)), { kind: 'not-admin' });
      assert.deepEqual(await subscriptions.acknowledge({ ...admin, tenantId: 'tenant-other' }, alertId, channelId(1)), { kind: 'unknown-alert' });
    });
  });
});
