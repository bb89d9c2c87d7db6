import assert from 'node:assert/strict';
import { MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import type { i18n } from 'i18next';
import { loadConfig } from '../../bot/config.js';
import { createBot, type BotApp } from '../../bot/createBot.js';
import { silentLogger } from '../../bot/logger.js';
import { identityOf } from '../../dialogs/teams/activity.js';
import { createI18n } from '../../locales/i18n.js';
import type { Locale } from '../../locales/locale.js';
import { translatorFor, type Translate } from '../../locales/translate.js';
import { createMemoryLedger, personKey, type Ledger } from '../../storage/index.js';
import { cardSubmit, message, type ActivityOptions } from '../support/activities.js';
import { cardTexts, submitActions } from '../support/cards.js';
import { testSignInLinks } from '../support/signInLinks.js';
import { BOSS, mentioning, seedOrganization, startAdminBot, TENANT } from './adminSupport.js';
import { allRecords } from '../support/ledgerRecords.js';

const CHANNEL = '19:partner-ops@thread.tacv2';
const GROUP = '19:group-chat@thread.v2';

/** The same message, said in a team channel or a group chat instead of the personal chat. */
function shared(activity: Partial<Activity>, kind: 'channel' | 'groupChat'): Partial<Activity> {
  const id = kind === 'channel' ? `${CHANNEL};messageid=1700000000000` : GROUP;
  return {
    ...activity,
    conversation: { id, conversationType: kind, isGroup: true, name: '', tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, ...(kind === 'channel' ? { team: { id: '19:team@thread.tacv2', name: 'Partner team' }, channel: { id: CHANNEL, name: 'Partner ops' } } : {}) },
  };
}

/** The private views in each language (they list people, MCIDs or credentials). */
const PRIVATE: Record<Locale, string[]> = {
  en: ['competency status', 'skills report', 'audit log', 'admins', 'pending users'],
  fr: ['état des compétences', 'rapport de compétences', "journal d'audit", 'administrateurs', 'utilisateurs non liés'],
  'zh-CN': ['能力状态', '技能报告', '审核日志', '管理员列表', '未关联用户'],
};
const LOCALE_TAG: Record<Locale, string> = { en: 'en-US', fr: 'fr-FR', 'zh-CN': 'zh-CN' };

const attachmentsOf = (replies: Record<string, unknown>[]) => replies.flatMap((r) => (r['attachments'] as unknown[] | undefined) ?? []);

describe('admin views stay private, alerts follow the roles, identities come from Teams when authenticated', () => {
  let instance: i18n;
  let t: Record<Locale, Translate>;
  before(async () => {
    instance = await createI18n();
    t = { en: translatorFor(instance, 'en'), fr: translatorFor(instance, 'fr'), 'zh-CN': translatorFor(instance, 'zh-CN') };
  });

  describe('views that list people are answered only in the personal chat', () => {
    for (const locale of ['en', 'fr', 'zh-CN'] as const) {
      it(`answers the status, report, audit, admins and pending views in a channel or group chat with a sentence only, in ${locale}`, async () => {
        const bot = startAdminBot(instance);
        await seedOrganization(bot.ledger);
        for (const kind of ['channel', 'groupChat'] as const) {
          for (const said of PRIVATE[locale]) {
            const replies = await bot.say(shared(message(said, { locale: LOCALE_TAG[locale], personId: BOSS, tenantId: TENANT }), kind));
            assert.deepEqual(replies.map((r) => r['text']), [t[locale]('admin:privateView.personalOnly')], `${kind}: ${said}`);
            assert.deepEqual(attachmentsOf(replies), [], `${kind}: ${said} shows no card`);
            assert.doesNotMatch(JSON.stringify(replies), /Dan Diaz|MCID1001|skills\.csv/);
          }
        }
        assert.deepEqual(bot.sent, [], 'no personal chat is known: nothing was sent anywhere');
      });
    }

    it('sends the view to the admin\'s personal chat when the bot can post there, and says so in the channel', async () => {
      const bot = startAdminBot(instance);
      await seedOrganization(bot.ledger);
      await bot.ledger.transact((tx) => {
        tx.put('conversationReferences', 'a:personal-boss', {
          tenantId: TENANT,
          personId: BOSS,
          scope: 'personal',
          installedAt: new Date('2026-03-01T00:00:00Z'),
          reference: { channelId: 'msteams', serviceUrl: 'https://smba.example.invalid/', conversation: { id: 'a:personal-boss' }, bot: { id: '28:bot' }, user: { id: '29:boss' } },
        });
      });
      const replies = await bot.say(shared(message('skills report', { locale: 'fr-FR', personId: BOSS, tenantId: TENANT }), 'channel'));
      assert.deepEqual(replies.map((r) => r['text']), [t.fr('admin:privateView.sent')]);
      assert.deepEqual(attachmentsOf(replies), []);
      assert.equal(bot.sent.length, 1);
      assert.equal(bot.sent[0]!.conversationId, 'a:personal-boss');
      assert.match(JSON.stringify(bot.sent[0]!.activity), /skills\.csv\?token=/, 'the report card with its link went to the personal chat');
      assert.ok(cardTexts(bot.sent[0]!.activity as never).includes(t.fr('admin:report.title')));
      // If the personal chat turns out to be gone, the channel hears of it, in French.
      const undelivered = bot.sent[0]!.notice?.undelivered;
      assert.equal((undelivered?.reference['conversation'] as { id?: string } | undefined)?.id, CHANNEL);
      assert.equal(undelivered?.activity['text'], t.fr('admin:privateView.undelivered'));
    });

    it('still shows the views in the personal chat, and still allows alerts on/off and the alert channels in a channel', async () => {
      const bot = startAdminBot(instance);
      await seedOrganization(bot.ledger);
      const [status] = await bot.say(message('competency status', { locale: 'en-US', personId: BOSS, tenantId: TENANT }));
      assert.ok(cardTexts(status!).includes(t.en('admin:status.title')));
      const [on] = await bot.say(shared(message('alerts on', { locale: 'en-US', personId: BOSS, tenantId: TENANT }), 'channel'));
      assert.equal(on!['text'], t.en('alerts:commands.subscribed'));
      assert.ok(await bot.ledger.get('alertSubscriptions', CHANNEL));
      const [list] = await bot.say(shared(message('alert channels', { locale: 'en-US', personId: BOSS, tenantId: TENANT }), 'channel'));
      assert.equal(attachmentsOf([list!]).length, 1);
      const [off] = await bot.say(shared(message('alerts off', { locale: 'en-US', personId: BOSS, tenantId: TENANT }), 'channel'));
      assert.equal(off!['text'], t.en('alerts:commands.unsubscribed'));
    });
  });

  describe('alert commands ask the people service for the role', () => {
    it('lets a bootstrap admin (no people record yet) turn alerts on with their first command', async () => {
      const bot = startAdminBot(instance);
      assert.equal(await bot.ledger.get('people', personKey(TENANT, BOSS)), undefined);
      const [on] = await bot.say(message('alerts on', { locale: 'en-US', personId: BOSS, tenantId: TENANT }));
      assert.equal(on!['text'], t.en('alerts:commands.subscribed'));
      assert.ok(await bot.ledger.get('alertSubscriptions', `a:personal-${BOSS}`));
      const [list] = await bot.say(message('alert channels', { locale: 'en-US', personId: BOSS, tenantId: TENANT }));
      assert.notEqual(list!['text'], t.en('alerts:commands.notAdmin'));
    });

    it('still refuses a member and an Account admin', async () => {
      const bot = startAdminBot(instance);
      await bot.ledger.transact((tx) => {
        tx.put('people', personKey(TENANT, 'aad-acct'), { id: 'aad-acct', tenantId: TENANT, displayName: 'Acct', role: 'account-admin' });
      });
      for (const personId of ['aad-acct', 'aad-nobody']) {
        const [on] = await bot.say(message('alerts on', { locale: 'en-US', personId, tenantId: TENANT }));
        assert.equal(on!['text'], t.en('alerts:commands.notAdmin'));
      }
    });
  });

  describe('a deletion confirmation works once', () => {
    it('ignores a replayed confirm after the person was registered again', async () => {
      const bot = startAdminBot(instance);
      await seedOrganization(bot.ledger);
      const as = { locale: 'en-US', personId: BOSS, tenantId: TENANT };
      const [confirm] = await bot.say(mentioning('delete account @', 'dan', as));
      const yes = submitActions(confirm!).find((a) => (a.data as { action: string }).action === 'admin.deleteAccount.confirm')!;
      assert.match(String((yes.data as { nonce?: unknown }).nonce), /^[A-Za-z0-9-]{8,64}$/, 'the button carries a nonce');
      const [done] = await bot.say(cardSubmit(yes.data, as));
      assert.match(String(done!['text']), /Dan Diaz/);
      // Dan is registered again; the old card's button is pressed again.
      await bot.say(mentioning('add user @', 'dan', as));
      assert.ok(await bot.ledger.get('people', personKey(TENANT, 'aad-dan')));
      const [replayed] = await bot.say(cardSubmit(yes.data, as));
      assert.equal(replayed!['text'], t.en('admin:delete.alreadyConfirmed'));
      assert.ok(await bot.ledger.get('people', personKey(TENANT, 'aad-dan')), 'the new registration stays');
      // A confirm without a nonce is not a valid button.
      const [forged] = await bot.say(cardSubmit({ action: 'admin.deleteAccount.confirm', personId: 'aad-dan' }, as));
      assert.equal(forged!['text'], t.en('errors.badAction'));
      assert.ok(await bot.ledger.get('people', personKey(TENANT, 'aad-dan')));
    });
  });

  describe('identities outside Teams', () => {
    /** A bot with or without a MicrosoftAppId, BOSS as bootstrap admin. */
    function startBot(authenticated: boolean, ledger: Ledger = createMemoryLedger()) {
      const config = loadConfig({
        LOG_LEVEL: 'silent',
        BOOTSTRAP_ADMINS: BOSS,
        ...(authenticated ? { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'app-password', MicrosoftAppTenantId: '72f988bf-0000-0000-0000-000000000001', PUBLIC_BASE_URL: 'https://bot.example' } : {}),
      });
      const adapter: TestAdapter = new TestAdapter(async (context) => app.logic(context));
      const app: BotApp<TestAdapter> = createBot(config, {
        stores: { ledger, state: new MemoryStorage() }, i18n: instance, logger: silentLogger(), adapter, clock: () => new Date('2026-03-02T09:00:00Z'),
        signInLinks: testSignInLinks(), proactive: { send: async () => true }, reportSecret: 'test-report-secret-test-report-secret',
      });
      return {
        ledger,
        async say(activity: Partial<Activity>): Promise<Record<string, unknown>[]> {
          await adapter.processActivity(activity);
          return adapter.activeQueue.splice(0) as unknown as Record<string, unknown>[];
        },
      };
    }

    /** A Web Chat / Direct Line message whose client claims to be the bootstrap admin. */
    function fromWebChat(text: string, options: ActivityOptions = {}): Partial<Activity> {
      const activity = message(text, { channelId: 'webchat', locale: 'en-US', ...options });
      return { ...activity, conversation: { id: 'webchat-conv-1', isGroup: false, name: '' } as Activity['conversation'], from: { id: BOSS, name: 'Mallory' }, channelData: {} };
    }

    it('identityOf: Teams only when authenticated; the channel user id otherwise', () => {
      const webchat = fromWebChat('admin');
      assert.equal(identityOf(webchat, 'local-tenant', true), undefined);
      assert.deepEqual(identityOf(webchat, 'local-tenant', false), { personId: BOSS, tenantId: 'local-tenant', displayName: 'Mallory' });
      const teams = message('admin', { personId: BOSS, tenantId: TENANT });
      assert.equal(identityOf(teams, 'local-tenant', true)?.personId, BOSS);
    });

    for (const locale of ['en', 'fr', 'zh-CN'] as const) {
      it(`authenticated: a client naming itself after a bootstrap admin outside Teams gets no admin rights, only a polite answer, in ${locale}`, async () => {
        const bot = startBot(true);
        for (const said of ['admin', 'skills report', 'alerts on', 'alert channels', 'link', 'status']) {
          const replies = await bot.say(fromWebChat(said, { locale: LOCALE_TAG[locale] }));
          assert.deepEqual(replies.map((r) => r['text']), [t[locale]('teamsOnly')], said);
          assert.deepEqual(attachmentsOf(replies), [], said);
        }
        assert.deepEqual(await allRecords(bot.ledger, 'people'), [], 'no bootstrap record was made');
        assert.deepEqual(await allRecords(bot.ledger, 'alertSubscriptions'), []);
      });
    }

    it('authenticated: the same person in Teams is the bootstrap admin', async () => {
      const bot = startBot(true);
      const [menu] = await bot.say(message('admin', { locale: 'en-US', personId: BOSS, tenantId: TENANT }));
      assert.ok(cardTexts(menu!).includes(t.en('admin:menu.title')));
    });

    it('without a MicrosoftAppId (local development): the channel user id is the identity, as before', async () => {
      const bot = startBot(false);
      const [menu] = await bot.say(fromWebChat('admin'));
      assert.ok(cardTexts(menu!).includes(t.en('admin:menu.title')));
      const [on] = await bot.say(fromWebChat('alerts on'));
      assert.equal(on!['text'], t.en('alerts:commands.subscribed'));
    });
  });
});
