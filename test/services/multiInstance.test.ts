import assert from 'node:assert/strict';
import { AlertWorker } from '../../bot/proactive/alertWorker.js';
import { LinkReminderWorker } from '../../bot/proactive/linkReminderWorker.js';
import { silentLogger } from '../../bot/logger.js';
import { createI18n } from '../../locales/i18n.js';
import { defaultPolicy } from '../../rules/index.js';
import { AlertEvaluation } from '../../services/alerts/evaluation.js';
import type { ChangeCause } from '../../services/organizationEvents.js';
import { AssociationService } from '../../services/associations/associations.js';
import { LinkReminderService } from '../../services/associations/linkReminders.js';
import { Dispatcher, type DeliveryTarget, type DispatcherOptions, type SendResult } from '../../services/outbox/dispatcher.js';
import type { Timer } from '../../services/timer.js';
import { createMemoryLedger, personKey, type Ledger } from '../../storage/index.js';
import { ALERT_NOW, credentialsCountForAll, endAssociation, seedAlertOrg } from '../support/alertFixtures.js';
import { FakeTimer } from '../support/fakeTimer.js';
import { maxInWindow, seededRandom } from '../support/faultyConnector.js';
import { allRecords } from '../support/ledgerRecords.js';

const DAY = 24 * 3_600_000;
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** Stops a dispatcher on fake time: its sends in flight answer only as the clock moves. */
async function stopOn(clock: FakeTimer, dispatcher: Dispatcher): Promise<void> {
  let stopped = false;
  const stopping = dispatcher.stop().then(() => void (stopped = true));
  assert.ok(await clock.runUntil(() => stopped, 5_000, 10), 'stopped');
  await stopping;
}

/** One request as the connector saw it, faulted or not. */
interface Request {
  readonly at: number;
  readonly instance: string;
  readonly tenantId: string;
  readonly conversationId: string;
  readonly row: string;
  readonly delivered: boolean;
}

/**
 * One bot instance on a shared ledger and a shared clock, that can be killed like `kill -9`: from then on its timers
 * never fire, its store calls and connector requests never answer, and it releases nothing.
 */
class Instance {
  private killed = false;
  readonly timer: Timer;
  readonly ledger: Ledger;
  readonly dispatcher: Dispatcher;

  constructor(
    readonly name: string,
    clock: FakeTimer,
    shared: Ledger,
    connector: (instance: string, target: DeliveryTarget, activity: Record<string, unknown>) => SendResult,
    extraOptions: DispatcherOptions = {},
  ) {
    const alive = <T>(work: () => Promise<T>): Promise<T> => (this.killed ? never<T>() : work());
    this.timer = {
      now: () => clock.now(),
      setTimeout: (fn, ms) => clock.setTimeout(() => (this.killed ? undefined : fn()), ms),
      clearTimeout: (handle) => clock.clearTimeout(handle),
    };
    this.ledger = {
      get: (c, id) => alive(() => shared.get(c, id)),
      getMany: (c, ids) => alive(() => shared.getMany(c, ids)),
      findBy: (c, index, values) => alive(() => shared.findBy(c, index, values)),
      scan: (c) => alive(() => shared.scan(c)),
      transact: (fn) => alive(() => shared.transact(fn)),
      close: () => Promise.resolve(),
    };
    const sender = {
      send: async (target: DeliveryTarget, activity: Record<string, unknown>, gate: () => Promise<void>): Promise<SendResult> => {
        await gate();
        if (this.killed) return never();
        const result = connector(name, target, activity);
        // The answer takes a while; an instance killed meanwhile never records it (the request did arrive).
        await new Promise<void>((resolve) => this.timer.setTimeout(resolve, 40));
        return this.killed ? never() : result;
      },
    };
    this.dispatcher = new Dispatcher({
      ledger: this.ledger,
      sender,
      timer: this.timer,
      clock: () => ALERT_NOW,
      owner: name,
      render: (alert, row) => ({ type: 'message', row: `${row.alertId}|${row.conversationId}`, tenantId: alert.tenantId }),
      options: { concurrency: 24, maxAttempts: 30, backoffBaseMs: 200, backoffMaxMs: 5_000, rateMarginMs: 0, random: seededRandom(7), pollIntervalMs: 2_000, ...extraOptions },
    });
  }

  kill(): void {
    this.killed = true;
  }
}

const TENANTS = ['tenant-alpha', 'tenant-bravo', 'tenant-charlie'];

/** Three organizations, each with `channels` subscribed channels and three requirements that one unlink breaks. */
async function organizations(ledger: Ledger, timer: FakeTimer, channels: number): Promise<number> {
  const alerts = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW, timerNow: () => timer.now() });
  let rows = 0;
  for (const tenantId of TENANTS) {
    await seedAlertOrg(ledger, { tenantId, channels, requirements: 3 });
    await credentialsCountForAll(ledger, tenantId, 3);
    await alerts.reevaluate(tenantId, 'requirement-change');
    await endAssociation(ledger, 0, ALERT_NOW, 'unlinked', tenantId);
    rows += (await alerts.reevaluate(tenantId, 'unlink')).deliveries;
  }
  return rows;
}

describe('background work with several instances on one ledger (fake time)', () => {
  it('two dispatchers deliver every alert of several organizations through a connector failing 30% of the time, within the limits, and one killed midway is taken over', async () => {
    const ledger = createMemoryLedger();
    const clock = new FakeTimer();
    const total = await organizations(ledger, clock, 40);
    assert.equal(total, TENANTS.length * 3 * 40);

    const requests: Request[] = [];
    const faults = seededRandom(2026);
    const connector = (instance: string, target: DeliveryTarget, activity: Record<string, unknown>): SendResult => {
      const draw = faults();
      const status = draw < 0.15 ? 429 : draw < 0.3 ? 500 : 200;
      requests.push({ at: clock.now(), instance, tenantId: target.tenantId, conversationId: target.conversationId, row: String(activity.row), delivered: status === 200 });
      if (status === 429) return { verdict: 'throttled', retryAfterMs: 1_000, error: 'HTTP 429' };
      if (status === 500) return { verdict: 'retry', error: 'HTTP 500' };
      return { verdict: 'sent', activityId: `act-${requests.length}` };
    };
    const a = new Instance('instance-a', clock, ledger, connector);
    const b = new Instance('instance-b', clock, ledger, connector);
    // Each starts with one organization's lease, as two instances that have been running a while; the third is free.
    await ledger.transact((tx) => {
      tx.put('senderLeases', TENANTS[0]!, { owner: 'instance-a', until: clock.now() + 30_000 });
      tx.put('senderLeases', TENANTS[1]!, { owner: 'instance-b', until: clock.now() + 30_000 });
    });
    await a.dispatcher.start();
    await b.dispatcher.start();

    const deliveredRows = () => new Set(requests.filter((r) => r.delivered).map((r) => r.row)).size;
    assert.ok(await clock.runUntil(() => deliveredRows() >= total / 2, 60_000, 50), 'half delivered');
    assert.ok(requests.some((r) => r.instance === 'instance-b'), 'both instances sent');
    assert.ok(requests.some((r) => r.instance === 'instance-a'));

    // kill -9 of instance A: its leases stay, its claimed rows stay `sending`.
    const aTenants = new Set((await ledger.scan('senderLeases')).filter((l) => l.record.owner === 'instance-a').map((l) => l.id));
    const inFlightAtKill = new Set(
      (await allRecords(ledger, 'alertOutbox')).filter((r) => r.status === 'sending' && aTenants.has(r.tenantId)).map((r) => `${r.alertId}|${r.conversationId}`),
    );
    assert.ok(aTenants.size > 0, 'instance A held a lease when it died');
    a.kill();
    const killedAt = clock.now();

    const finished = async () => (await allRecords(ledger, 'alertOutbox')).every((r) => r.status === 'sent');
    assert.ok(await clock.runUntil(finished, 180_000, 100), 'every row sent after the takeover');
    await stopOn(clock, b.dispatcher);

    // Nothing lost: every row reached its channel, and is recorded as sent.
    const rows = await allRecords(ledger, 'alertOutbox');
    assert.equal(rows.length, total);
    assert.equal(deliveredRows(), total);
    // Duplicates only for rows A had in flight when it died (one per conversation at most).
    const deliveries = new Map<string, number>();
    for (const r of requests) if (r.delivered) deliveries.set(r.row, (deliveries.get(r.row) ?? 0) + 1);
    const duplicated = [...deliveries].filter(([, n]) => n > 1).map(([row]) => row);
    for (const row of duplicated) assert.ok(inFlightAtKill.has(row), `${row} delivered twice outside the window`);
    assert.ok(inFlightAtKill.size <= 24);
    const resumed = rows.filter((r) => r.interrupted > 0);
    assert.deepEqual(new Set(resumed.map((r) => `${r.alertId}|${r.conversationId}`)), inFlightAtKill);
    // B sent for A's organizations after A died.
    assert.ok(requests.some((r) => r.instance === 'instance-b' && aTenants.has(r.tenantId) && r.at > killedAt));

    // Never more than 50 requests per second per organization, both instances together, faulted ones included;
    // never more than 7 per second per conversation.
    for (const tenantId of TENANTS) {
      const times = requests.filter((r) => r.tenantId === tenantId).map((r) => r.at);
      assert.ok(maxInWindow(times, 1_000) <= 50, `${tenantId}: ${maxInWindow(times, 1_000)} in one second`);
    }
    const byConversation = new Map<string, number[]>();
    for (const r of requests) byConversation.set(r.conversationId, [...(byConversation.get(r.conversationId) ?? []), r.at]);
    for (const [conversationId, times] of byConversation) assert.ok(maxInWindow(times, 1_000) <= 7, conversationId);
  });

  it('carries a conversation\'s 60 per 30 s window over to the instance that takes over from a killed one', async () => {
    const ledger = createMemoryLedger();
    const clock = new FakeTimer();
    const alerts = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW, timerNow: () => clock.now() });
    const tenantId = TENANTS[0]!;
    await seedAlertOrg(ledger, { tenantId, channels: 1, requirements: 90 });
    await credentialsCountForAll(ledger, tenantId, 90);
    await alerts.reevaluate(tenantId, 'requirement-change');
    await endAssociation(ledger, 0, ALERT_NOW, 'unlinked', tenantId);
    const total = (await alerts.reevaluate(tenantId, 'unlink')).deliveries;
    assert.equal(total, 90);
    const requests: Request[] = [];
    const connector = (instance: string, target: DeliveryTarget, activity: Record<string, unknown>): SendResult => {
      requests.push({ at: clock.now(), instance, tenantId: target.tenantId, conversationId: target.conversationId, row: String(activity.row), delivered: true });
      return { verdict: 'sent' };
    };
    // A sends to the one conversation for 20 s (held to 7 per second, 60 per 30 s), then dies.
    const a = new Instance('instance-a', clock, ledger, connector, { leaseMs: 5_000 });
    await a.dispatcher.start();
    await clock.advance(20_000);
    a.kill();
    const byA = requests.length;
    assert.ok(byA >= 50 && byA <= 60, `A sent ${byA}`);
    // B takes over once A's lease has run out, and counts what A sent in the last 30 s.
    const b = new Instance('instance-b', clock, ledger, connector, { leaseMs: 5_000 });
    await b.dispatcher.start();
    assert.ok(await clock.runUntil(async () => (await allRecords(ledger, 'alertOutbox')).every((r) => r.status === 'sent'), 120_000, 100));
    await stopOn(clock, b.dispatcher);
    assert.ok(requests.slice(byA).every((r) => r.instance === 'instance-b'));
    assert.ok(maxInWindow(requests.map((r) => r.at), 30_000) <= 60, `${maxInWindow(requests.map((r) => r.at), 30_000)} in 30 s`);
    assert.ok(maxInWindow(requests.map((r) => r.at), 1_000) <= 7);
  });

  it('releases its leases on a clean stop, and the other instance sends for those organizations after the handover', async () => {
    const ledger = createMemoryLedger();
    const clock = new FakeTimer();
    const total = await organizations(ledger, clock, 3);
    const requests: Request[] = [];
    const connector = (instance: string, target: DeliveryTarget, activity: Record<string, unknown>): SendResult => {
      requests.push({ at: clock.now(), instance, tenantId: target.tenantId, conversationId: target.conversationId, row: String(activity.row), delivered: true });
      return { verdict: 'sent' };
    };
    const a = new Instance('instance-a', clock, ledger, connector);
    await a.dispatcher.start();
    assert.ok(await clock.runUntil(() => requests.length > 0, 5_000, 10));
    await stopOn(clock, a.dispatcher);
    const sentByA = requests.length;
    assert.ok(sentByA < total, 'stopped midway');
    const leases = await ledger.scan('senderLeases');
    assert.ok(leases.length > 0 && leases.every((l) => l.record.until <= clock.now() + 2_000), 'released, closed for the handover only');

    const b = new Instance('instance-b', clock, ledger, connector);
    await b.dispatcher.start();
    assert.ok(await clock.runUntil(async () => (await allRecords(ledger, 'alertOutbox')).every((r) => r.status === 'sent'), 10_000, 50));
    await stopOn(clock, b.dispatcher);
    assert.equal(requests.length, total, 'each row once');
    const lastOfA = requests[sentByA - 1]!.at;
    assert.ok(requests.slice(sentByA).every((r) => r.instance === 'instance-b' && r.at - lastOfA >= 2_000), 'B waited for the handover');
  });

  it('runs the daily sweep once when two workers are due at the same moment', async () => {
    const ledger = createMemoryLedger();
    const timer = new FakeTimer();
    const start = timer.now();
    const clock = () => new Date(ALERT_NOW.getTime() + timer.now() - start);
    await seedAlertOrg(ledger, { channels: 1 });
    await ledger.transact((tx) => tx.put('alertSweeps', 'daily', { lastRunAt: new Date(ALERT_NOW.getTime() - DAY) }));
    let sweeps = 0;
    class CountingAlerts extends AlertEvaluation {
      override async reevaluateAll(cause: ChangeCause): Promise<number> {
        sweeps += 1;
        return super.reevaluateAll(cause);
      }
    }
    const i18n = await createI18n();
    const sender = { send: async (): Promise<SendResult> => ({ verdict: 'sent' }) };
    const workers = ['one', 'two'].map(
      (owner) =>
        new AlertWorker({
          ledger, alerts: new CountingAlerts({ ledger, policy: defaultPolicy, clock }), sender, i18n, logger: silentLogger(), clock, timer, owner, pollIntervalMs: 3_600_000,
        }),
    );
    await Promise.all(workers.map((w) => w.start()));
    await timer.advance(1);
    assert.equal(sweeps, 1, 'one sweep for both');
    assert.equal((await ledger.get('alertSweeps', 'daily'))?.lastRunAt.getTime(), ALERT_NOW.getTime());
    await timer.advance(DAY);
    assert.equal(sweeps, 2, 'and one the next day');
    await Promise.all(workers.map((w) => w.stop()));
  });

  it('completes a sweep that an instance died during: the day is not skipped, and only finished sweeps count', async () => {
    const ledger = createMemoryLedger();
    const timer = new FakeTimer();
    const start = timer.now();
    const clock = () => new Date(ALERT_NOW.getTime() + timer.now() - start);
    await seedAlertOrg(ledger, { channels: 1 });
    const yesterday = new Date(ALERT_NOW.getTime() - DAY);
    await ledger.transact((tx) => tx.put('alertSweeps', 'daily', { lastRunAt: yesterday }));
    const finished: string[] = [];
    class OwnedAlerts extends AlertEvaluation {
      constructor(private readonly owner: string, private readonly dies: boolean) {
        super({ ledger, policy: defaultPolicy, clock });
      }
      override async reevaluateAll(cause: ChangeCause): Promise<number> {
        // The first instance "dies" mid-sweep: its sweep never finishes (as after a SIGKILL, nothing more is written).
        if (this.dies) return new Promise<number>(() => undefined);
        const raised = await super.reevaluateAll(cause);
        finished.push(this.owner);
        return raised;
      }
    }
    const i18n = await createI18n();
    const sender = { send: async (): Promise<SendResult> => ({ verdict: 'sent' }) };
    const worker = (owner: string, dies: boolean) =>
      new AlertWorker({ ledger, alerts: new OwnedAlerts(owner, dies), sender, i18n, logger: silentLogger(), clock, timer, owner, pollIntervalMs: 3_600_000 });
    const dying = worker('dying', true);
    await dying.start();
    await timer.advance(1);
    const claim = await ledger.get('alertSweeps', 'daily');
    assert.equal(claim?.lastRunAt.getTime(), yesterday.getTime(), 'a sweep that has not finished is not recorded as done');
    assert.ok(claim?.runningUntil && claim.runningUntil.getTime() > clock().getTime());
    // Another instance (or the restarted one) due at the same moment leaves the claimed sweep alone...
    const survivor = worker('survivor', false);
    await survivor.start();
    await timer.advance(1);
    assert.deepEqual(finished, []);
    // ...and completes it once the dead instance's claim has run out.
    await timer.advance(31 * 60_000);
    assert.deepEqual(finished, ['survivor']);
    const done = await ledger.get('alertSweeps', 'daily');
    assert.equal(done?.runningUntil, undefined);
    assert.ok(done!.lastRunAt.getTime() > ALERT_NOW.getTime() + 30 * 60_000);
    await survivor.stop();
  });

  it('gives a failed sweep back at once, and it is run again soon', async () => {
    const ledger = createMemoryLedger();
    const timer = new FakeTimer();
    const start = timer.now();
    const clock = () => new Date(ALERT_NOW.getTime() + timer.now() - start);
    await seedAlertOrg(ledger, { channels: 1 });
    let calls = 0;
    class FlakyAlerts extends AlertEvaluation {
      override async reevaluateAll(cause: ChangeCause): Promise<number> {
        calls += 1;
        if (calls === 1) throw new Error('store went away');
        return super.reevaluateAll(cause);
      }
    }
    const sender = { send: async (): Promise<SendResult> => ({ verdict: 'sent' }) };
    const w = new AlertWorker({ ledger, alerts: new FlakyAlerts({ ledger, policy: defaultPolicy, clock }), sender, i18n: await createI18n(), logger: silentLogger(), clock, timer, pollIntervalMs: 3_600_000 });
    await w.start();
    await timer.advance(1);
    assert.equal(calls, 1);
    assert.equal((await ledger.get('alertSweeps', 'daily'))?.runningUntil, undefined, 'the claim is given back');
    await timer.advance(11 * 60_000);
    assert.equal(calls, 2);
    assert.ok((await ledger.get('alertSweeps', 'daily'))!.lastRunAt.getTime() > ALERT_NOW.getTime());
    await w.stop();
  });

  it('re-evaluates at the next start an organization whose change committed without its re-evaluation (a crash between the two)', async () => {
    const ledger = createMemoryLedger();
    const timer = new FakeTimer();
    await seedAlertOrg(ledger, { channels: 2 });
    const alerts = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW, timerNow: () => timer.now() });
    await alerts.reevaluate('tenant-contoso', 'requirement-change');
    // The unlink commits; the process dies before anything re-evaluates (no hook ran).
    const associations = new AssociationService({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW });
    const outcome = await associations.unlink({ tenantId: 'tenant-contoso', personId: 'p0', kind: 'learn', nonce: 'card-1' });
    assert.equal(outcome.kind, 'unlinked');
    assert.equal((await ledger.get('organizationEvents', 'tenant-contoso'))?.cause, 'unlink');
    assert.equal((await allRecords(ledger, 'alertOutbox')).length, 0);

    const sent: string[] = [];
    const sender = {
      async send(target: DeliveryTarget, _activity: Record<string, unknown>, gate: () => Promise<void>): Promise<SendResult> {
        await gate();
        sent.push(target.conversationId);
        return { verdict: 'sent' };
      },
    };
    const wiring: { worker?: AlertWorker } = {};
    const restarted = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW, timerNow: () => timer.now(), onEnqueued: () => wiring.worker?.dispatcher.nudge() });
    const worker = (wiring.worker = new AlertWorker({ ledger, alerts: restarted, sender, i18n: await createI18n(), logger: silentLogger(), clock: () => ALERT_NOW, timer }));
    await worker.start();
    assert.equal(await ledger.get('organizationEvents', 'tenant-contoso'), undefined, 'processed at start-up');
    const [alert] = await allRecords(ledger, 'alerts');
    assert.equal(alert?.cause, 'unlink');
    assert.ok(await timer.runUntil(() => sent.length === 2, 5_000));

    // A change another instance commits while this one runs is found by the next poll.
    await associations.unlink({ tenantId: 'tenant-contoso', personId: 'p1', kind: 'learn', nonce: 'card-2' });
    assert.ok(await ledger.get('organizationEvents', 'tenant-contoso'));
    await timer.advance(3_000);
    assert.equal(await ledger.get('organizationEvents', 'tenant-contoso'), undefined, 'processed by the poll');
    await worker.stop();
  });

  describe('link reminders', () => {
    const key = personKey('tenant-contoso', 'p0');
    async function reminderLedger(timer: FakeTimer): Promise<Ledger> {
      const ledger = createMemoryLedger();
      await ledger.transact((tx) =>
        tx.put('linkReminders', key, {
          tenantId: 'tenant-contoso', personId: 'p0', dueAt: new Date(timer.now()), locale: 'en', reference: { conversation: { id: 'a:p0' } }, requestedAt: ALERT_NOW,
        }),
      );
      return ledger;
    }
    async function worker(ledger: Ledger, timer: FakeTimer, sent: string[], name: string): Promise<LinkReminderWorker> {
      const clock = () => new Date(timer.now());
      return new LinkReminderWorker({
        reminders: new LinkReminderService({ ledger, clock }),
        sender: { send: async () => (sent.push(name), true) },
        i18n: await createI18n(),
        logger: silentLogger(),
        clock,
        timer,
      });
    }

    it('sends a due reminder once when two instances look at the same moment', async () => {
      const timer = new FakeTimer(ALERT_NOW.getTime());
      const ledger = await reminderLedger(timer);
      const sent: string[] = [];
      const workers = [await worker(ledger, timer, sent, 'one'), await worker(ledger, timer, sent, 'two')];
      for (const w of workers) w.start();
      await timer.advance(60 * 60_000);
      assert.equal(sent.length, 1);
      assert.equal(await ledger.get('linkReminders', key), undefined);
      await Promise.all(workers.map((w) => w.stop()));
    });

    it('sends a reminder claimed by an instance that died before sending it, once the claim runs out', async () => {
      const timer = new FakeTimer(ALERT_NOW.getTime());
      const ledger = await reminderLedger(timer);
      // The dead instance: claimed, never sent, never forgot.
      assert.ok(await new LinkReminderService({ ledger, clock: () => new Date(timer.now()) }).claim(key, new Date(timer.now())));
      const sent: string[] = [];
      const survivor = await worker(ledger, timer, sent, 'survivor');
      survivor.start();
      await timer.advance(60_000);
      assert.deepEqual(sent, [], 'not while the claim holds');
      await timer.advance(5 * 60_000);
      assert.deepEqual(sent, ['survivor']);
      assert.equal(await ledger.get('linkReminders', key), undefined);
      await survivor.stop();
    });
  });
});
