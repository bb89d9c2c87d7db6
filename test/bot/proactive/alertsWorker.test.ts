import assert from 'node:assert/strict';
import { AlertWorker } from '../../../bot/proactive/alertWorker.js';
import { silentLogger } from '../../../bot/logger.js';
import { createI18n } from '../../../locales/i18n.js';
import { defaultPolicy } from '../../../rules/index.js';
import { AlertEvaluation } from '../../../services/alerts/evaluation.js';
import type { DeliveryTarget, SendResult } from '../../../services/outbox/dispatcher.js';
import { createMemoryLedger, credentialKey } from '../../../storage/index.js';
import { ALERT_NOW, seedAlertOrg } from '../../support/alertFixtures.js';
import { FakeTimer } from '../../support/fakeTimer.js';
import { allRecords, findRecords } from '../../support/ledgerRecords.js';

const DAY = 24 * 3_600_000;
const tenantId = 'tenant-contoso';

describe('the alert worker (fake time)', () => {
  it('sweeps at start-up and then daily, alerting when an expiry enters the warning window, and delivers the cards', async () => {
    const ledger = createMemoryLedger();
    const timer = new FakeTimer();
    let now = ALERT_NOW;
    await seedAlertOrg(ledger, { channels: 2 });
    await ledger.transact(async (tx) => {
      const key = credentialKey(tenantId, `${tenantId}-c2`);
      const c = (await tx.get('credentials', key))!;
      tx.put('credentials', key, { ...c, expires: new Date('2026-05-03T00:00:00Z') }); // 62 days ahead
    });
    const sent: { conversationId: string; activity: Record<string, unknown> }[] = [];
    const sender = {
      async send(target: DeliveryTarget, activity: Record<string, unknown>, gate: () => Promise<void>): Promise<SendResult> {
        await gate();
        sent.push({ conversationId: target.conversationId, activity });
        return { verdict: 'sent', activityId: `act-${sent.length}` };
      },
    };
    const wiring: { worker?: AlertWorker } = {};
    const alerts = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => now, timerNow: () => timer.now(), onEnqueued: () => wiring.worker?.dispatcher.nudge() });
    // Polls every hour: the test advances whole days of fake time.
    const worker = (wiring.worker = new AlertWorker({ ledger, alerts, sender, i18n: await createI18n(), logger: silentLogger(), clock: () => now, timer, pollIntervalMs: 3_600_000 }));

    await worker.start();
    await timer.advance(1);
    assert.equal((await ledger.get('alertSweeps', 'daily'))?.lastRunAt.toISOString(), ALERT_NOW.toISOString(), 'swept at start-up');
    assert.equal((await ledger.get('competencyStates', `${tenantId}/req-0`))?.status, 'met');

    // The next day the expiry is 61 days away: still nothing. Two days later it is inside the 60-day window.
    now = new Date(ALERT_NOW.getTime() + DAY);
    await timer.advance(DAY);
    assert.equal(sent.length, 0);
    now = new Date(ALERT_NOW.getTime() + 2 * DAY);
    await timer.advance(DAY);
    assert.equal(sent.length, 2, 'one card per subscribed channel');
    assert.equal((await allRecords(ledger, 'alerts'))[0]?.cause, 'daily-sweep');
    now = new Date(ALERT_NOW.getTime() + 3 * DAY);
    await timer.advance(DAY);
    assert.equal(sent.length, 2, 'the same state is not alerted again');
    await worker.stop();
  });

  it('prunes expired processed rows and aged-out audit entries in the daily sweep', async () => {
    const ledger = createMemoryLedger();
    const old = new Date(ALERT_NOW.getTime() - 401 * DAY);
    await ledger.transact((tx) => {
      tx.put('processed', 'card-action/old', { kind: 'card-action', at: old, expiresAt: new Date(ALERT_NOW.getTime() - 1) });
      tx.put('processed', 'card-action/live', { kind: 'card-action', at: ALERT_NOW, expiresAt: new Date(ALERT_NOW.getTime() + DAY) });
      tx.put('auditLog', 'old', { tenantId: 't', at: old, actorId: 'cli', action: 'credentials.import', outcome: 'done' });
      tx.put('auditLog', 'recent', { tenantId: 't', at: ALERT_NOW, actorId: 'cli', action: 'credentials.import', outcome: 'done' });
    });
    const alerts = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW });
    const sender = { send: async (): Promise<SendResult> => ({ verdict: 'sent' }) };
    const worker = new AlertWorker({ ledger, alerts, sender, i18n: await createI18n(), logger: silentLogger(), clock: () => ALERT_NOW, timer: new FakeTimer() });
    await worker.sweep();
    assert.deepEqual((await findRecords(ledger, 'processed', () => true)).map((r) => r.expiresAt.getTime()), [ALERT_NOW.getTime() + DAY]);
    assert.deepEqual((await findRecords(ledger, 'auditLog', () => true)).map((e) => e.at), [ALERT_NOW]);
  });

  it('does not sweep at start-up when the last sweep is less than a day old', async () => {
    const ledger = createMemoryLedger();
    const timer = new FakeTimer();
    await ledger.transact((tx) => tx.put('alertSweeps', 'daily', { lastRunAt: new Date(ALERT_NOW.getTime() - 3_600_000) }));
    // Business time moves with the fake timer: the sweep's claim compares it with the last sweep.
    const start = timer.now();
    const clock = () => new Date(ALERT_NOW.getTime() + timer.now() - start);
    const alerts = new AlertEvaluation({ ledger, policy: defaultPolicy, clock });
    const sender = { send: async (): Promise<SendResult> => ({ verdict: 'sent' }) };
    const worker = new AlertWorker({ ledger, alerts, sender, i18n: await createI18n(), logger: silentLogger(), clock, timer, pollIntervalMs: 3_600_000 });
    await worker.start();
    await timer.advance(DAY - 3_600_000 - 1);
    assert.equal((await ledger.get('alertSweeps', 'daily'))?.lastRunAt.getTime(), ALERT_NOW.getTime() - 3_600_000);
    await timer.advance(1);
    assert.equal((await ledger.get('alertSweeps', 'daily'))?.lastRunAt.getTime(), ALERT_NOW.getTime() + DAY - 3_600_000);
    await worker.stop();
  });
});
