import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import type { BotApp } from '../../bot/createBot.js';
import type { OpenStores } from '../../bot/stores.js';
import type { CloudAdapter } from 'botbuilder';
import { createI18n } from '../../locales/i18n.js';
import { translatorFor } from '../../locales/translate.js';
import { teamsActivity } from '../support/activities.js';
import { startBotServer, type BotServer } from '../support/botServer.js';
import { ALERT_NOW, credentialsCountForAll, endAssociation, seedAlertOrg } from '../support/alertFixtures.js';
import { cardTexts, submitActions } from '../support/cards.js';
import { alertIdOfActivity, maxInWindow, RecordingConnector, seededRandom } from '../support/faultyConnector.js';
import { allRecords } from '../support/ledgerRecords.js';

const tenantId = 'tenant-contoso';
const LOCALES = ['en-US', 'fr-FR', 'zh-CN'] as const;
const channel = (i: number) => `19:http-channel-${i}@thread.tacv2`;

/** Resolves when the dispatcher has nothing left to do, or fails after `ms`. */
async function delivered(app: BotApp<CloudAdapter>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`alerts not delivered within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([app.alertWorker!.dispatcher.whenIdle(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('alerts end to end over HTTP, against a stand-in Bot Connector', function () {
  this.timeout(60_000);
  let bot: BotServer<RecordingConnector>;
  let stores: OpenStores;
  let connector: RecordingConnector;
  let app: BotApp<CloudAdapter>;
  let baseUrl: string;

  beforeEach(async () => {
    bot = await startBotServer({
      connector: new RecordingConnector(),
      bot: { clock: () => ALERT_NOW, alertDispatcher: { backoffBaseMs: 200, backoffMaxMs: 2_000, maxAttempts: 12 } },
    });
    ({ stores, connector, app, baseUrl } = bot);
    await app.alertWorker!.start();
  });

  afterEach(() => bot.close());

  /** Posts an activity to the bot; returns the replies when it asks for them (expectReplies). */
  const post = async (activity: Partial<Activity>): Promise<Record<string, unknown>[]> => {
    const response = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    assert.equal(response.status, 200);
    const text = await response.text();
    return text ? ((JSON.parse(text) as { activities?: Record<string, unknown>[] }).activities ?? []) : [];
  };

  /** A channel activity from the admin, as Teams posts it. */
  const inChannel = (i: number, fields: Partial<Activity>, personId = 'admin') => ({
    ...teamsActivity(fields, { personId, tenantId, serviceUrl: connector.serviceUrl, locale: LOCALES[i % 3] }),
    conversation: { id: `${channel(i)};messageid=17000000${i}`, conversationType: 'channel', isGroup: true, name: '', tenantId },
    channelData: { tenant: { id: tenantId }, team: { id: '19:http-team@thread.tacv2' }, channel: { id: channel(i), name: `Channel ${i}` } },
  });

  /** Seeds the organization (requirements met by three people), installs the app in the team and subscribes `channels` channels with "alerts on" in three languages, all over HTTP. */
  async function subscribeChannels(channels: number, requirements = 1): Promise<void> {
    await seedAlertOrg(stores.ledger, { channels: 0, requirements });
    await credentialsCountForAll(stores.ledger, tenantId, requirements);
    await app.alerts.reevaluate(tenantId, 'requirement-change');
    await post(inChannel(0, { type: 'installationUpdate', action: 'add' }));
    const phrases = ['alerts on', 'alertes on', '开启提醒'];
    for (let i = 0; i < channels; i++) await post(inChannel(i, { type: 'message', text: `<at>MCID Link Assistant</at> ${phrases[i % 3]}` }));
    assert.equal((await allRecords(stores.ledger, 'alertSubscriptions')).length, channels);
  }

  /** One of the three people who meet the requirements unlinks (and the unlink hook re-evaluates). */
  async function unlinkBreaking(requirements: number): Promise<void> {
    await endAssociation(stores.ledger, 0, ALERT_NOW);
    const outcome = await app.alerts.reevaluate(tenantId, 'unlink');
    assert.equal(outcome.alerts.length, requirements);
  }

  /** Alert cards that reached each channel: conversation → alert ids (duplicates kept). */
  function alertCardsByChannel(): Map<string, string[]> {
    const byChannel = new Map<string, string[]>();
    for (const call of connector.calls) {
      const alertId = call.method === 'POST' ? alertIdOfActivity(call.activity) : undefined;
      if (alertId) byChannel.set(call.conversationId, [...(byChannel.get(call.conversationId) ?? []), alertId]);
    }
    return byChannel;
  }

  it('posts exactly one alert card to each subscribed channel when a person unlinks in chat and breaks a requirement, in each channel’s language', async () => {
    await subscribeChannels(6);
    // Person 0 unlinks through the employee dialog, over HTTP: "unlink", then the confirmation card's button.
    const person = (fields: Partial<Activity>) => ({
      ...teamsActivity(fields, { personId: 'p0', tenantId, serviceUrl: connector.serviceUrl, locale: 'en-US', conversationId: 'a:personal-p0' }),
      deliveryMode: 'expectReplies',
    });
    const [confirm] = await post(person({ type: 'message', text: 'unlink' }));
    const confirmAction = submitActions(confirm!).find((a) => (a.data as { action?: string }).action === 'unlink.confirm');
    assert.ok(confirmAction, `a confirmation card: ${JSON.stringify(confirm)}`);
    await post(person({ type: 'message', value: confirmAction.data }));
    assert.ok((await stores.ledger.get('associations', `${tenantId}-a0`))?.end, 'the association ended');
    // A second press of the same button changes nothing and alerts nothing more.
    await post(person({ type: 'message', value: confirmAction.data }));
    await delivered(app, 20_000);
    const byChannel = alertCardsByChannel();
    assert.deepEqual([...byChannel.keys()].sort(), [0, 1, 2, 3, 4, 5].map(channel).sort());
    for (const ids of byChannel.values()) assert.equal(ids.length, 1);
    const i18n = await createI18n();
    const fr = translatorFor(i18n, 'fr');
    const frCard = connector.activitiesIn(channel(1)).find((a) => alertIdOfActivity(a))!;
    assert.ok(cardTexts(frCard).includes(fr('alerts:card.title.at-risk', { competency: 'Azure' })));
    // A new message in the channel, not a reply in the thread where "alerts on" was said.
    assert.equal(frCard.replyToId, undefined);
    assert.ok((await allRecords(stores.ledger, 'alertOutbox')).every((r) => r.status === 'sent' && r.activityId));
  });

  it('delivers every alert exactly once with 30% of sends answered 429 (Retry-After) or 500, within the Teams rate limits', async () => {
    await subscribeChannels(16, 9);
    const random = seededRandom(8);
    connector.failWith((call) => {
      if (call.method !== 'POST' || !alertIdOfActivity(call.activity)) return undefined;
      const x = random();
      if (x < 0.15) return { status: 429, headers: { 'retry-after': '1' } };
      if (x < 0.3) return { status: 500 };
      return undefined;
    });
    await unlinkBreaking(9);
    await delivered(app, 50_000);
    const byChannel = alertCardsByChannel();
    assert.equal(byChannel.size, 16);
    for (const [conversationId, ids] of byChannel) {
      assert.equal(ids.length, 9, conversationId);
      assert.equal(new Set(ids).size, 9, `${conversationId} got an alert twice`);
    }
    const faulted = connector.attempts.filter((a) => a.status !== 200);
    assert.ok(faulted.some((a) => a.status === 429) && faulted.some((a) => a.status === 500), 'the connector did fail');
    // Rates from the connector's own timestamps, every attempt counted.
    const sends = connector.attempts.filter((a) => alertIdOfActivity(a.call.activity));
    assert.ok(maxInWindow(sends.map((a) => a.call.at), 1_000) <= 50, 'tenant: 50 requests per second');
    for (let i = 0; i < 16; i++) {
      const times = sends.filter((a) => a.call.conversationId === channel(i)).map((a) => a.call.at);
      assert.ok(maxInWindow(times, 1_000) <= 7, `${channel(i)}: 7 per second`);
      assert.ok(maxInWindow(times, 30_000) <= 60, `${channel(i)}: 60 per 30 seconds`);
    }
    // After a 429 with Retry-After: 1, that conversation waited at least a second.
    for (const throttled of faulted.filter((a) => a.status === 429)) {
      const next = sends.find((a) => a.call.conversationId === throttled.call.conversationId && a.call.at > throttled.call.at);
      if (next) assert.ok(next.call.at - throttled.call.at >= 950, `retried ${next.call.at - throttled.call.at} ms after a 429`);
    }
  });

  it('marks a channel that answers 403 dead, delivers to the others, and lists it to admins as unreachable', async () => {
    await subscribeChannels(4, 2);
    connector.failWith((call) => (call.conversationId === channel(2) && call.method === 'POST' ? { status: 403 } : undefined));
    await unlinkBreaking(2);
    await delivered(app, 20_000);
    const byChannel = alertCardsByChannel();
    assert.deepEqual([...byChannel.keys()].sort(), [0, 1, 3].map(channel).sort());
    const tries = connector.attempts.filter((a) => a.call.conversationId === channel(2) && alertIdOfActivity(a.call.activity));
    assert.equal(tries.length, 1, 'a dead target is never retried');
    assert.ok((await stores.ledger.get('conversationReferences', channel(2)))?.deadSince);
    connector.failWith(() => undefined);
    const [listing] = await post(inChannel(0, { type: 'message', text: 'alert channels', deliveryMode: 'expectReplies' }));
    assert.ok(listing);
    assert.ok(cardTexts(listing).some((text) => text.includes('Channel 2: unreachable since')), JSON.stringify(cardTexts(listing)));
  });

  it('updates the alert card in place when an admin acknowledges it', async () => {
    await subscribeChannels(1);
    await unlinkBreaking(1);
    await delivered(app, 20_000);
    const card = connector.calls.find((c) => c.method === 'POST' && alertIdOfActivity(c.activity))!;
    const [row] = await allRecords(stores.ledger, 'alertOutbox');
    await post({
      ...inChannel(0, { type: 'message', value: { action: 'alert.ack', alert: row!.alertId } }),
      replyToId: row!.activityId,
    });
    const update = connector.calls.find((c) => c.method === 'PUT');
    assert.ok(update, 'the card was updated');
    assert.equal(update.replyToId, row!.activityId);
    assert.equal(update.conversationId.startsWith(channel(0)), true);
    assert.ok(cardTexts(update.activity).some((text) => text.startsWith('Acknowledged by Test Person on March 2, 2026')));
    assert.ok(card);
  });
});
