import assert from 'node:assert/strict';
import { defaultPolicy } from '../../../rules/index.js';
import { AlertEvaluation } from '../../../services/alerts/evaluation.js';
import { AlertSubscriptions } from '../../../services/alerts/subscriptions.js';
import { Dispatcher, type DeliveryTarget, type DispatcherOptions, type SendResult } from '../../../services/outbox/dispatcher.js';
import { NoticeOutbox } from '../../../services/outbox/outbox.js';
import { createMemoryLedger, type Ledger } from '../../../storage/index.js';
import { ALERT_NOW, channelId, credentialsCountForAll, endAssociation, seedAlertOrg } from '../../support/alertFixtures.js';
import { FakeTimer } from '../../support/fakeTimer.js';
import { maxInWindow } from '../../support/faultyConnector.js';
import { allRecords, findRecords } from '../../support/ledgerRecords.js';

const tenantId = 'tenant-contoso';

interface Call {
  at: number;
  conversationId: string;
  alertId: string;
}

/** A connector double on fake time: answers each call with `answer(call, index)`, after `latencyMs`. */
class FakeSender {
  readonly calls: Call[] = [];
  constructor(
    private readonly timer: FakeTimer,
    private readonly answer: (call: Call, index: number) => SendResult = () => ({ verdict: 'sent' }),
    private readonly latencyMs = 0,
  ) {}

  async send(target: DeliveryTarget, activity: Record<string, unknown>, gate: () => Promise<void>): Promise<SendResult> {
    await gate();
    const call = { at: this.timer.now(), conversationId: target.conversationId, alertId: String(activity.alertId) };
    this.calls.push(call);
    const result = this.answer(call, this.calls.length - 1);
    if (this.latencyMs > 0) await new Promise<void>((resolve) => this.timer.setTimeout(resolve, this.latencyMs));
    return result.verdict === 'sent' ? { verdict: 'sent', activityId: `act-${this.calls.length}` } : result;
  }

  delivered(): Call[] {
    return this.calls.filter((_, i) => this.answer(this.calls[i]!, i).verdict === 'sent');
  }
}

async function organization(options: { channels: number; requirements?: number }): Promise<{ ledger: Ledger; alerts: AlertEvaluation; timer: FakeTimer }> {
  const ledger = createMemoryLedger();
  const timer = new FakeTimer();
  const alerts = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW, timerNow: () => timer.now() });
  await seedAlertOrg(ledger, { channels: options.channels, requirements: options.requirements ?? 1 });
  await credentialsCountForAll(ledger, tenantId, options.requirements ?? 1);
  await alerts.reevaluate(tenantId, 'requirement-change');
  return { ledger, alerts, timer };
}

function dispatcher(ledger: Ledger, timer: FakeTimer, sender: FakeSender, options: DispatcherOptions = {}): Dispatcher {
  return new Dispatcher({
    ledger, sender, timer, clock: () => ALERT_NOW,
    render: (_alert, row) => ({ type: 'message', alertId: row.alertId }),
    options: { random: () => 0.5, rateMarginMs: 0, ...options },
  });
}

const pending = async (ledger: Ledger) => (await findRecords(ledger, 'alertOutbox', (r) => r.status === 'pending' || r.status === 'sending')).length;

/**
 * Starts the dispatcher, unlinks the organization's first person (an alert to every channel), and runs fake time until
 * nothing is pending (true) or `withinMs` passed (false); the dispatcher is stopped either way.
 */
async function deliverAfterUnlink(d: Dispatcher, org: { ledger: Ledger; alerts: AlertEvaluation; timer: FakeTimer }, withinMs: number, stepMs?: number): Promise<boolean> {
  await d.start();
  await endAssociation(org.ledger, 0, ALERT_NOW);
  await org.alerts.reevaluate(tenantId, 'unlink');
  d.nudge();
  const done = await org.timer.runUntil(async () => (await pending(org.ledger)) === 0, withinMs, stepMs);
  await d.stop();
  return done;
}

describe('Dispatcher (fake time)', () => {
  it('delivers one alert to every subscribed channel and records the activity ids', async () => {
    const { ledger, alerts, timer } = await organization({ channels: 4 });
    const sender = new FakeSender(timer);
    const d = dispatcher(ledger, timer, sender);
    assert.ok(await deliverAfterUnlink(d, { ledger, alerts, timer }, 5_000));
    assert.deepEqual(sender.calls.map((c) => c.conversationId).sort(), [0, 1, 2, 3].map((i) => channelId(i)).sort());
    assert.ok((await allRecords(ledger, 'alertOutbox')).every((r) => r.status === 'sent' && r.activityId?.startsWith('act-') && r.attempts === 1));
  });

  it('keeps every conversation within 7 per second and 60 per 30 s, and the tenant within 50 per second', async () => {
    const { ledger, alerts, timer } = await organization({ channels: 30, requirements: 12 });
    const sender = new FakeSender(timer, () => ({ verdict: 'sent' }), 20);
    const d = dispatcher(ledger, timer, sender, { concurrency: 64 });
    assert.ok(await deliverAfterUnlink(d, { ledger, alerts, timer }, 60_000, 50));
    assert.equal(sender.calls.length, 360);
    assert.ok(maxInWindow(sender.calls.map((c) => c.at), 1_000) <= 50);
    for (let i = 0; i < 30; i++) {
      const times = sender.calls.filter((c) => c.conversationId === channelId(i)).map((c) => c.at);
      assert.ok(maxInWindow(times, 1_000) <= 7);
      assert.ok(maxInWindow(times, 30_000) <= 60);
    }
    // 360 sends at 50/s need a little over 7 s, not much more.
    assert.ok(Math.max(...sender.calls.map((c) => c.at)) - Math.min(...sender.calls.map((c) => c.at)) < 9_000);
  });

  it('sends notices from the same outbox as alerts, within the same tenant limit, and a gone notice chat kills no channel', async () => {
    const { ledger, alerts, timer } = await organization({ channels: 40 });
    const notices = new NoticeOutbox({ ledger, clock: () => ALERT_NOW, timerNow: () => timer.now() });
    for (let i = 0; i < 30; i++) {
      await notices.enqueue({
        kind: i % 2 === 0 ? 'link-reminder' : 'sign-in-outcome', id: `n-${i}`, tenantId, conversationId: `a:chat-${i}`, locale: 'en',
        activity: { type: 'message', alertId: `notice-${i}` }, reference: { conversation: { id: `a:chat-${i}` } },
      });
    }
    // Enqueued twice under the same id: stored once.
    assert.equal(await notices.enqueue({ kind: 'link-reminder', id: 'n-0', tenantId, conversationId: 'a:chat-0', locale: 'en', activity: { type: 'message' } }), false);
    const sender = new FakeSender(timer, (call) => (call.conversationId === 'a:chat-3' ? { verdict: 'gone', error: 'HTTP 404' } : { verdict: 'sent' }), 20);
    const d = dispatcher(ledger, timer, sender, { concurrency: 64 });
    assert.ok(await deliverAfterUnlink(d, { ledger, alerts, timer }, 60_000, 50));
    assert.equal(sender.calls.length, 70);
    assert.equal(sender.calls.filter((c) => c.alertId.startsWith('notice-')).length, 30);
    // 70 sends of one tenant, all kinds together: never more than 50 in any second.
    assert.ok(maxInWindow(sender.calls.map((c) => c.at), 1_000) <= 50);
    const rows = await allRecords(ledger, 'alertOutbox');
    assert.equal(rows.filter((r) => r.status === 'sent').length, 69);
    assert.equal(rows.find((r) => r.conversationId === 'a:chat-3')?.status, 'dead');
    assert.equal((await allRecords(ledger, 'conversationReferences')).filter((r) => r.deadSince !== undefined).length, 0);
  });

  it('tells whoever asked for a notice once when it ends dead or given up, and says nothing when it is delivered', async () => {
    const { ledger, timer } = await organization({ channels: 1 });
    const notices = new NoticeOutbox({ ledger, clock: () => ALERT_NOW, timerNow: () => timer.now() });
    const asker = { conversationId: channelId(0), locale: 'fr' as const, activity: { type: 'message', alertId: 'word' } };
    for (const chat of ['gone', 'refused', 'fine']) {
      await notices.enqueue({ kind: 'admin-reminder', id: `remind-${chat}`, tenantId, conversationId: `a:${chat}`, locale: 'en', activity: { type: 'message', alertId: chat }, reference: { conversation: { id: `a:${chat}` } }, undelivered: asker });
    }
    const sender = new FakeSender(timer, (call) =>
      call.conversationId === 'a:gone' ? { verdict: 'gone', error: 'HTTP 403' } : call.conversationId === 'a:refused' ? { verdict: 'rejected', error: 'HTTP 400' } : { verdict: 'sent' },
    );
    const d = dispatcher(ledger, timer, sender);
    await d.start();
    d.nudge();
    assert.ok(await timer.runUntil(async () => (await pending(ledger)) === 0, 10_000, 50));
    await d.stop();
    const words = sender.calls.filter((c) => c.alertId === 'word');
    assert.deepEqual(words.map((c) => c.conversationId), [channelId(0), channelId(0)], 'one word for the dead chat, one for the refused one');
    const rows = await allRecords(ledger, 'alertOutbox');
    assert.deepEqual(rows.filter((r) => r.alertId.endsWith('/undelivered')).map((r) => [r.alertId, r.locale, r.status]).sort(), [
      ['remind-gone/undelivered', 'fr', 'sent'],
      ['remind-refused/undelivered', 'fr', 'sent'],
    ]);
  });

  it('holds one conversation to 60 sends in any 30 seconds when it has 70 alerts to receive', async () => {
    const { ledger, alerts, timer } = await organization({ channels: 1, requirements: 70 });
    const sender = new FakeSender(timer, () => ({ verdict: 'sent' }), 5);
    const d = dispatcher(ledger, timer, sender);
    assert.ok(await deliverAfterUnlink(d, { ledger, alerts, timer }, 60_000, 100));
    const times = sender.calls.map((c) => c.at);
    assert.equal(times.length, 70);
    assert.ok(maxInWindow(times, 1_000) <= 7);
    assert.equal(maxInWindow(times, 30_000), 60);
    assert.ok(times[60]! - times[0]! >= 30_000, 'the 61st waits until the first leaves the 30-second window');
  });

  it('waits for Retry-After on a 429 and backs off with jitter on 412/502/503/504 before succeeding', async () => {
    const { ledger, alerts, timer } = await organization({ channels: 1 });
    const script: SendResult[] = [
      { verdict: 'throttled', retryAfterMs: 3_000, error: 'HTTP 429' },
      { verdict: 'retry', error: 'HTTP 503' },
      { verdict: 'retry', error: 'HTTP 412' },
      { verdict: 'sent' },
    ];
    const sender = new FakeSender(timer, (_c, i) => script[i] ?? { verdict: 'sent' });
    const d = dispatcher(ledger, timer, sender, { backoffBaseMs: 1_000 });
    assert.ok(await deliverAfterUnlink(d, { ledger, alerts, timer }, 30_000, 50));
    const gaps = sender.calls.slice(1).map((c, i) => c.at - sender.calls[i]!.at);
    // Retry-After 3 s; then base·2^(n−1) with the jitter at its midpoint (0.75 of the full delay): 1.5 s, 3 s.
    assert.equal(gaps.length, 3);
    assert.ok(gaps[0]! >= 3_000 && gaps[0]! < 3_100, `gaps ${gaps}`);
    assert.ok(gaps[1]! >= 1_500 && gaps[1]! < 1_600, `gaps ${gaps}`);
    assert.ok(gaps[2]! >= 3_000 && gaps[2]! < 3_100, `gaps ${gaps}`);
    const [row] = await allRecords(ledger, 'alertOutbox');
    assert.equal(row!.status, 'sent');
    assert.equal(row!.attempts, 4);
  });

  it('marks a 403 target dead, never retries it, and delivers to the others', async () => {
    const { ledger, alerts, timer } = await organization({ channels: 3, requirements: 2 });
    const sender = new FakeSender(timer, (c) => (c.conversationId === channelId(1) ? { verdict: 'gone', error: 'HTTP 403' } : { verdict: 'sent' }));
    const d = dispatcher(ledger, timer, sender);
    await d.start();
    await endAssociation(ledger, 0, ALERT_NOW);
    await alerts.reevaluate(tenantId, 'unlink');
    d.nudge();
    assert.ok(await timer.runUntil(async () => (await pending(ledger)) === 0, 10_000));
    await timer.advance(60_000);
    await d.stop();
    assert.equal(sender.calls.filter((c) => c.conversationId === channelId(1)).length, 1);
    assert.equal(sender.calls.filter((c) => c.conversationId !== channelId(1)).length, 4);
    assert.ok((await ledger.get('conversationReferences', channelId(1)))?.deadSince);
    assert.deepEqual((await allRecords(ledger, 'alertOutbox')).filter((r) => r.status === 'dead').map((r) => r.conversationId), [channelId(1), channelId(1)]);
    // The next alert does not even queue for it.
    const listed = await new AlertSubscriptions({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW }).listTargets({ personId: 'admin', tenantId, displayName: 'Ada' });
    assert.ok(listed.kind === 'targets' && listed.targets.some((t) => t.conversationId === channelId(1) && t.deadSince));
  });

  it('gives a row up as failed after the bounded attempts, without holding the other conversations', async () => {
    const { ledger, alerts, timer } = await organization({ channels: 2 });
    const sender = new FakeSender(timer, (c) => (c.conversationId === channelId(0) ? { verdict: 'retry', error: 'HTTP 502' } : { verdict: 'sent' }));
    const d = dispatcher(ledger, timer, sender, { maxAttempts: 4, backoffBaseMs: 100 });
    await d.start();
    await endAssociation(ledger, 0, ALERT_NOW);
    await alerts.reevaluate(tenantId, 'unlink');
    d.nudge();
    // At once: sent, and recorded after the outcome's 100 ms wait to be written with others (`recordLingerMs`).
    await timer.advance(110);
    assert.equal((await allRecords(ledger, 'alertOutbox')).find((r) => r.conversationId === channelId(1))?.status, 'sent', 'the healthy channel got it at once');
    assert.ok(await timer.runUntil(async () => (await pending(ledger)) === 0, 10_000));
    await d.stop();
    assert.equal(sender.calls.filter((c) => c.conversationId === channelId(0)).length, 4);
    assert.equal((await allRecords(ledger, 'alertOutbox')).find((r) => r.conversationId === channelId(0))?.status, 'failed');
  });

  it('sends a conversation its alerts in order, one at a time, even when an earlier one is retried', async () => {
    const { ledger, alerts, timer } = await organization({ channels: 1 });
    let first = true;
    const sender = new FakeSender(timer, () => {
      if (first) return (first = false), { verdict: 'retry', error: 'HTTP 504' };
      return { verdict: 'sent' };
    });
    const d = dispatcher(ledger, timer, sender);
    await d.start();
    await endAssociation(ledger, 0, ALERT_NOW);
    await alerts.reevaluate(tenantId, 'unlink'); // at-risk
    await endAssociation(ledger, 1, ALERT_NOW);
    // Still at-risk: nothing new. The removal date passing makes it not-met.
    const later = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => new Date('2026-04-10T00:00:00Z'), timerNow: () => timer.now() });
    await later.reevaluate(tenantId, 'daily-sweep');
    d.nudge();
    assert.ok(await timer.runUntil(async () => (await pending(ledger)) === 0, 10_000));
    await d.stop();
    const alertsInOrder = [...await allRecords(ledger, 'alerts')].sort((a, b) => a.seq - b.seq);
    assert.deepEqual(alertsInOrder.map((a) => a.kind), ['at-risk', 'not-met']);
    const [firstAlert, secondAlert] = [...await allRecords(ledger, 'alertOutbox')].sort((a, b) => a.order - b.order);
    assert.deepEqual(sender.calls.map((c) => c.alertId), [firstAlert!.alertId, firstAlert!.alertId, secondAlert!.alertId]);
  });

  it('sends again after a restart what a stop interrupted mid-send, and nothing that was recorded as sent', async () => {
    const { ledger, alerts, timer } = await organization({ channels: 3 });
    await endAssociation(ledger, 0, ALERT_NOW);
    await alerts.reevaluate(tenantId, 'unlink');
    // As a crash would leave it: one row sent, one claimed but unanswered, one untouched.
    const rows = (await allRecords(ledger, 'alertOutbox')).map((r) => r.conversationId).sort();
    await ledger.transact(async (tx) => {
      await findRecords(tx, 'alertOutbox', (r, key) => {
        if (r.conversationId === rows[0]) tx.put('alertOutbox', key, { ...r, status: 'sent', attempts: 1, activityId: 'act-old' });
        if (r.conversationId === rows[1]) tx.put('alertOutbox', key, { ...r, status: 'sending', attempts: 1 });
        return false;
      });
    });
    const sender = new FakeSender(timer);
    const d = dispatcher(ledger, timer, sender);
    await d.start();
    assert.ok(await timer.runUntil(async () => (await pending(ledger)) === 0, 5_000));
    await d.stop();
    assert.deepEqual(sender.calls.map((c) => c.conversationId).sort(), [rows[1], rows[2]]);
    const interrupted = (await allRecords(ledger, 'alertOutbox')).find((r) => r.conversationId === rows[1]);
    assert.equal(interrupted?.interrupted, 1);
    assert.equal(interrupted?.attempts, 2);
  });

  it('marks a row dead when its conversation was uninstalled before the send', async () => {
    const { ledger, alerts, timer } = await organization({ channels: 2 });
    await endAssociation(ledger, 0, ALERT_NOW);
    await alerts.reevaluate(tenantId, 'unlink');
    await ledger.transact((tx) => tx.delete('conversationReferences', channelId(0)));
    const sender = new FakeSender(timer);
    const d = dispatcher(ledger, timer, sender);
    await d.start();
    assert.ok(await timer.runUntil(async () => (await pending(ledger)) === 0, 5_000));
    await d.stop();
    assert.deepEqual(sender.calls.map((c) => c.conversationId), [channelId(1)]);
    assert.equal((await allRecords(ledger, 'alertOutbox')).find((r) => r.conversationId === channelId(0))?.status, 'dead');
  });

  it('leaves a row whose delivery the store cannot record alone for a second, instead of retrying it in a loop', async () => {
    const { ledger, alerts, timer } = await organization({ channels: 1 });
    await endAssociation(ledger, 0, ALERT_NOW);
    await alerts.reevaluate(tenantId, 'unlink');
    // The store refuses every transaction for a while (a full disk); reads still work.
    let failing = true;
    let attempts = 0;
    const flaky: Ledger = {
      get: (c, id) => ledger.get(c, id),
      getMany: (c, ids) => ledger.getMany(c, ids),
      findBy: (c, index, values) => ledger.findBy(c, index, values),
      scan: (c) => ledger.scan(c),
      close: () => ledger.close(),
      transact: async (fn) => {
        attempts += 1;
        // A dispatcher retrying at once would spin on microtasks and starve the test's timers: this makes it fail instead.
        if (attempts > 20) await new Promise((resolve) => setImmediate(resolve));
        if (failing) throw new Error('disk full');
        return ledger.transact(fn);
      },
    };
    const sender = new FakeSender(timer);
    const d = dispatcher(flaky, timer, sender);
    failing = false;
    await d.start();
    failing = true;
    attempts = 0;
    d.nudge();
    await timer.advance(900);
    assert.equal(attempts, 1, 'one failed claim, then nothing until the row may be tried again');
    await timer.advance(200);
    assert.equal(attempts, 2);
    failing = false;
    assert.ok(await timer.runUntil(async () => (await pending(ledger)) === 0, 5_000));
    await d.stop();
    assert.equal(sender.calls.length, 1);
  });
});
