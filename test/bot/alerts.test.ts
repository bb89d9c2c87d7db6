import assert from 'node:assert/strict';
import { MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import type { i18n } from 'i18next';
import { loadConfig } from '../../bot/config.js';
import { createBot, type BotApp } from '../../bot/createBot.js';
import { silentLogger } from '../../bot/logger.js';
import { createI18n } from '../../locales/i18n.js';
import { translatorFor, type Translate } from '../../locales/translate.js';
import { alertIdOf } from '../../services/alerts/evaluation.js';
import { outboxKey } from '../../services/outbox/outbox.js';
import { createMemoryLedger, type Ledger } from '../../storage/index.js';
import { cardSubmit, message, teamsActivity, type ActivityOptions } from '../support/activities.js';
import { ALERT_NOW, channelId, endAssociation, seedAlertOrg } from '../support/alertFixtures.js';
import { cardTexts, submitActions } from '../support/cards.js';
import { testSignInLinks } from '../support/signInLinks.js';

const config = loadConfig({ LOG_LEVEL: 'silent' });
const tenantId = 'tenant-contoso';
const TEAM = '19:team-general@thread.tacv2';
const CHANNEL = '19:partner-ops@thread.tacv2';

/** A channel message or event from the team, as Teams posts it (a thread id after the channel's). */
function inChannel(fields: Partial<Activity>, options: ActivityOptions & { channel?: string } = {}): Partial<Activity> {
  const channel = options.channel ?? CHANNEL;
  const activity = teamsActivity(fields, { personId: 'admin', tenantId, ...options, conversationId: `${channel};messageid=1700000000000` });
  return {
    ...activity,
    conversation: { id: `${channel};messageid=1700000000000`, conversationType: 'channel', isGroup: true, name: '', tenantId },
    channelData: { tenant: { id: tenantId }, team: { id: TEAM, name: 'Partner team' }, channel: { id: channel, name: 'Partner ops' } },
  };
}

function startBot(i18nInstance: i18n, ledger: Ledger) {
  const adapter = new TestAdapter(async (context) => app.logic(context));
  const updates: Partial<Activity>[] = [];
  adapter.updateActivity = async (_context, activity) => {
    updates.push(activity);
    return { id: activity.id ?? '' };
  };
  const app: BotApp<TestAdapter> = createBot(config, {
    stores: { state: new MemoryStorage(), ledger }, i18n: i18nInstance, logger: silentLogger(), adapter, clock: () => ALERT_NOW, signInLinks: testSignInLinks(),
  });
  return {
    app,
    updates,
    async say(activity: Partial<Activity>): Promise<Record<string, unknown>[]> {
      await adapter.processActivity(activity);
      return adapter.activeQueue.splice(0) as unknown as Record<string, unknown>[];
    },
  };
}

describe('alerts in the bot (TestAdapter)', () => {
  let instance: i18n;
  let t: Record<'en' | 'fr' | 'zh-CN', Translate>;
  let ledger: Ledger;
  before(async () => {
    instance = await createI18n();
    t = { en: translatorFor(instance, 'en'), fr: translatorFor(instance, 'fr'), 'zh-CN': translatorFor(instance, 'zh-CN') };
  });
  beforeEach(async () => {
    ledger = createMemoryLedger();
    await seedAlertOrg(ledger, { channels: 2 });
  });

  describe('conversation references', () => {
    it('stores the team channel the app was installed in (Bot Framework conversation id) and forgets the team on uninstall', async () => {
      const bot = startBot(instance, ledger);
      await bot.say(inChannel({ type: 'installationUpdate', action: 'add' }, { channel: TEAM, locale: 'en-US' }));
      const stored = await ledger.get('conversationReferences', TEAM);
      assert.equal(stored?.scope, 'channel');
      assert.equal(stored?.tenantId, tenantId);
      assert.equal((stored?.reference.conversation as { id: string }).id, TEAM);
      assert.equal(stored?.reference.activityId, undefined);
      await bot.say(inChannel({ type: 'message', text: '<at>MCID Link Assistant</at> alerts on' }));
      assert.ok(await ledger.get('alertSubscriptions', CHANNEL));
      await bot.say(inChannel({ type: 'installationUpdate', action: 'remove' }, { channel: TEAM }));
      assert.equal(await ledger.get('conversationReferences', TEAM), undefined);
      assert.equal(await ledger.get('conversationReferences', CHANNEL), undefined, 'the subscribed channel of the team goes too');
      assert.equal(await ledger.get('alertSubscriptions', CHANNEL), undefined);
    });

    it('stores a personal install from conversationUpdate (the bot among membersAdded) and removes it with membersRemoved', async () => {
      const bot = startBot(instance, ledger);
      const options = { personId: 'admin', tenantId, conversationId: 'a:personal-admin' };
      await bot.say(teamsActivity({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot', name: 'bot' }] }, options));
      assert.equal((await ledger.get('conversationReferences', 'a:personal-admin'))?.personId, 'admin');
      await bot.say(teamsActivity({ type: 'installationUpdate', action: 'add-upgrade' }, options));
      assert.ok(await ledger.get('conversationReferences', 'a:personal-admin'));
      await bot.say(teamsActivity({ type: 'conversationUpdate', membersRemoved: [{ id: '28:bot', name: 'bot' }] }, options));
      assert.equal(await ledger.get('conversationReferences', 'a:personal-admin'), undefined);
    });

    it('forgets a personal install on installationUpdate remove-upgrade', async () => {
      const bot = startBot(instance, ledger);
      const options = { personId: 'admin', tenantId, conversationId: 'a:personal-admin' };
      await bot.say(teamsActivity({ type: 'installationUpdate', action: 'add' }, options));
      await bot.say(teamsActivity({ type: 'installationUpdate', action: 'remove-upgrade' }, options));
      assert.equal(await ledger.get('conversationReferences', 'a:personal-admin'), undefined);
    });
  });

  describe('commands', () => {
    it('subscribes a channel for a Global admin saying "alerts on", in the channel (not the thread), and stops with "alertes off"', async () => {
      const bot = startBot(instance, ledger);
      const [on] = await bot.say(inChannel({ type: 'message', text: '<at>MCID Link Assistant</at> alerts on', locale: 'en-US' }));
      assert.equal(on!.text, t.en('alerts:commands.subscribed'));
      const subscription = await ledger.get('alertSubscriptions', CHANNEL);
      assert.deepEqual([subscription?.scope, subscription?.teamId, subscription?.name, subscription?.locale], ['channel', TEAM, 'Partner ops', 'en']);
      const [again] = await bot.say(inChannel({ type: 'message', text: 'Alerts on!', locale: 'en-US' }));
      assert.equal(again!.text, t.en('alerts:commands.alreadySubscribed'));
      const [off] = await bot.say(inChannel({ type: 'message', text: 'alertes off', locale: 'fr-FR' }));
      assert.equal(off!.text, t.fr('alerts:commands.unsubscribed'));
      assert.equal(await ledger.get('alertSubscriptions', CHANNEL), undefined);
    });

    it('refuses "开启提醒" from someone who is not a Global or Partner admin, in Chinese', async () => {
      const bot = startBot(instance, ledger);
      const [reply] = await bot.say(inChannel({ type: 'message', text: '开启提醒', locale: 'zh-CN' }, { personId: 'member' }));
      assert.equal(reply!.text, t['zh-CN']('alerts:commands.notAdmin'));
      assert.equal(await ledger.get('alertSubscriptions', CHANNEL), undefined);
    });

    it('subscribes an admin’s personal chat', async () => {
      const bot = startBot(instance, ledger);
      const [reply] = await bot.say(message('activer les alertes', { personId: 'admin', tenantId, locale: 'fr-FR' }));
      assert.equal(reply!.text, t.fr('alerts:commands.subscribed'));
      const subscription = await ledger.get('alertSubscriptions', 'a:personal-admin');
      assert.deepEqual([subscription?.scope, subscription?.locale], ['personal', 'fr']);
      assert.equal((await ledger.get('conversationReferences', 'a:personal-admin'))?.personId, 'admin');
    });

    it('lists the subscribed channels, dead ones marked, to admins only', async () => {
      await ledger.transact(async (tx) => {
        const ref = (await tx.get('conversationReferences', channelId(1)))!;
        tx.put('conversationReferences', channelId(1), { ...ref, deadSince: new Date('2026-02-20T00:00:00Z') });
      });
      const bot = startBot(instance, ledger);
      const [list] = await bot.say(message('alert channels', { personId: 'admin', tenantId, locale: 'en-US' }));
      const texts = cardTexts(list!);
      assert.ok(texts.includes(t.en('alerts:commands.listTitle')));
      const body = texts.join('\n');
      assert.match(body, /Channel 0: subscribed by Ada Admin on January 5, 2026/);
      assert.match(body, /Channel 1: unreachable since February 20, 2026/);
      const [refused] = await bot.say(message('canaux d’alerte', { personId: 'member', tenantId, locale: 'fr-FR' }));
      assert.equal(refused!.text, t.fr('alerts:commands.notAdmin'));
    });
  });

  describe('acknowledge', () => {
    async function raiseAlert(app: BotApp<TestAdapter>): Promise<string> {
      await app.alerts.reevaluate(tenantId, 'requirement-change');
      await endAssociation(ledger, 0, ALERT_NOW);
      await app.alerts.reevaluate(tenantId, 'unlink');
      const alertId = alertIdOf(tenantId, 'req-0', 1);
      await ledger.transact(async (tx) => {
        const key = outboxKey(alertId, channelId(0));
        tx.put('alertOutbox', key, { ...(await tx.get('alertOutbox', key))!, status: 'sent', activityId: 'card-activity-1' });
      });
      return alertId;
    }

    it('updates the card for the whole channel to show who acknowledged and when, in the channel’s language', async () => {
      const bot = startBot(instance, ledger);
      const alertId = await raiseAlert(bot.app);
      const replies = await bot.say(inChannel({ type: 'message', value: { action: 'alert.ack', alert: alertId }, replyToId: 'card-activity-1', locale: 'fr-FR' }, { channel: channelId(0) }));
      assert.equal(replies.length, 0);
      assert.equal(bot.updates.length, 1);
      const [update] = bot.updates;
      assert.equal(update!.id, 'card-activity-1');
      const texts = cardTexts(update as Record<string, unknown>);
      assert.ok(texts.includes(t.en('alerts:card.acknowledged', { name: 'Test Person', date: 'March 2, 2026' })), texts.join(' | '));
      assert.ok(submitActions(update as Record<string, unknown>).every((a) => (a.data as { action: string }).action !== 'alert.ack'));
    });

    it('refuses an acknowledgement from someone who is not an admin, and leaves the card', async () => {
      const bot = startBot(instance, ledger);
      const alertId = await raiseAlert(bot.app);
      const [reply] = await bot.say(inChannel({ type: 'message', value: { action: 'alert.ack', alert: alertId }, locale: 'en-US' }, { channel: channelId(0), personId: 'member' }));
      assert.equal(reply!.text, t.en('alerts:commands.ackNotAdmin'));
      assert.equal(bot.updates.length, 0);
    });

    it('opens the status card of the alert’s requirement', async () => {
      const bot = startBot(instance, ledger);
      await raiseAlert(bot.app);
      const [reply] = await bot.say(cardSubmit({ action: 'alert.status', requirement: 'req-0' }, { personId: 'admin', tenantId, locale: 'en-US' }));
      const texts = cardTexts(reply!);
      assert.ok(texts.includes(t.en('alerts:card.title.status', { competency: 'Azure' })));
      assert.ok(texts.includes(t.en('alerts:card.summary.status', { date: 'March 2, 2026', status: t.en('alerts:card.status.at-risk') })));
    });
  });
});
