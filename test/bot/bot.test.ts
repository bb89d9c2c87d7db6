import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MemoryStorage, TestAdapter, type Activity, type Storage } from 'botbuilder';
import type { i18n } from 'i18next';
import { loadConfig } from '../../bot/config.js';
import { createBot, type BotApp } from '../../bot/createBot.js';
import { silentLogger } from '../../bot/logger.js';
import { openStores } from '../../bot/stores.js';
import { createI18n } from '../../locales/i18n.js';
import { translatorFor, type Translate } from '../../locales/translate.js';
import { createMemoryLedger, type Ledger } from '../../storage/index.js';
import { cardSubmit, installationAdded, message } from '../support/activities.js';
import { cardTexts, submitActions } from '../support/cards.js';
import { testSignInLinks } from '../support/signInLinks.js';
import { allRecords } from '../support/ledgerRecords.js';

const config = loadConfig({ LOG_LEVEL: 'silent' });
const clock = () => new Date('2026-03-02T09:00:00Z');

/** A bot on a TestAdapter; `say` sends one activity and returns every reply of that turn. */
function startBot(i18nInstance: i18n, stores: { state: Storage; ledger: Ledger }) {
  const adapter: TestAdapter = new TestAdapter(async (context) => app.logic(context));
  const app: BotApp<TestAdapter> = createBot(config, { stores, i18n: i18nInstance, logger: silentLogger(), adapter, clock, signInLinks: testSignInLinks() });
  return {
    async say(activity: Partial<Activity>): Promise<Record<string, unknown>[]> {
      await adapter.processActivity(activity);
      return adapter.activeQueue.splice(0) as unknown as Record<string, unknown>[];
    },
  };
}

describe('the bot through createBot()', () => {
  let instance: i18n;
  let t: Record<'en' | 'fr' | 'zh-CN', Translate>;
  before(async () => {
    instance = await createI18n();
    t = { en: translatorFor(instance, 'en'), fr: translatorFor(instance, 'fr'), 'zh-CN': translatorFor(instance, 'zh-CN') };
  });
  const fresh = () => startBot(instance, { state: new MemoryStorage(), ledger: createMemoryLedger() });

  it('greets a person in French with the welcome menu when the app is installed from a French client', async () => {
    const [reply] = await fresh().say(installationAdded({ locale: 'fr-FR' }));
    assert.ok(cardTexts(reply!).includes(t.fr('welcome.title')));
    assert.deepEqual(
      submitActions(reply!).map((a) => a.title),
      [t.fr('menu.link'), t.fr('menu.unlink'), t.fr('menu.status'), t.fr('menu.faq'), t.fr('menu.language')],
    );
  });

  it('shows the menu again for "help", "aide" and "帮助", in the language of the client', async () => {
    const bot = fresh();
    for (const [text, locale] of [['help', 'en'], ['Aide !', 'fr'], ['帮助', 'zh-CN']] as const) {
      const [reply] = await bot.say(message(text, { locale }));
      assert.ok(cardTexts(reply!).includes(t[locale]('menu.title')), `${text} in ${locale}`);
    }
  });

  it('answers in English when the client speaks a language the bot does not', async () => {
    const [reply] = await fresh().say(message('help', { locale: 'de-DE' }));
    assert.ok(cardTexts(reply!).includes(t.en('menu.title')));
  });

  it('keeps the language a person chose over the client locale, in later turns', async () => {
    const bot = fresh();
    const [picker] = await bot.say(message('langue', { locale: 'fr-FR' }));
    assert.ok(submitActions(picker!).some((a) => JSON.stringify(a.data) === JSON.stringify({ action: 'language.set', locale: 'zh-CN' })));
    const [changed] = await bot.say(cardSubmit({ action: 'language.set', locale: 'zh-CN' }, { locale: 'fr-FR' }));
    assert.equal(changed!.text, t['zh-CN']('languageChanged', { language: '中文（简体）' }));
    const [menu] = await bot.say(message('help', { locale: 'en-US' }));
    assert.ok(cardTexts(menu!).includes(t['zh-CN']('menu.title')));
  });

  it('remembers the language choice across a restart, on the file store', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-bot-'));
    try {
      const fileConfig = loadConfig({ DATA_DIR: dataDir });
      const first = await openStores(fileConfig);
      await startBot(instance, first).say(cardSubmit({ action: 'language.set', locale: 'fr' }, { locale: 'en-US' }));
      await first.close();
      const second = await openStores(fileConfig);
      const [menu] = await startBot(instance, second).say(message('help', { locale: 'en-US' }));
      await second.close();
      assert.ok(cardTexts(menu!).includes(t.fr('menu.title')));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('answers a button whose data was tampered with politely, with the menu, and loses nothing', async () => {
    const bot = fresh();
    for (const value of [{ action: 'language.set', locale: 'de' }, { action: 'admin.deleteEveryone' }, 'plain string', [1, 2]]) {
      const [reply] = await bot.say(cardSubmit(value, { locale: 'fr-FR' }));
      assert.equal(reply!.text, t.fr('errors.badAction'));
      assert.ok(cardTexts(reply!).includes(t.fr('menu.title')));
    }
  });

  it('asks for text when a message carries only an attachment', async () => {
    const [reply] = await fresh().say(message('', { locale: 'zh-CN' }));
    assert.equal(reply!.text, t['zh-CN']('errors.textOnly'));
  });

  it('answers the unlink button with the unlink flow instead of leaving a button dead', async () => {
    const [reply] = await fresh().say(cardSubmit({ action: 'menu.unlink' }, { locale: 'en-US' }));
    assert.ok(cardTexts(reply!).includes(t.en('employee:unlink.nothingTitle')));
  });

  it('apologises in the person\'s language and keeps serving when the state store fails', async () => {
    const broken: Storage = {
      read: () => Promise.reject(new Error('disk on fire')),
      write: () => Promise.reject(new Error('disk on fire')),
      delete: () => Promise.reject(new Error('disk on fire')),
    };
    const bot = startBot(instance, { state: broken, ledger: createMemoryLedger() });
    const [reply] = await bot.say(message('aide', { locale: 'fr-FR' }));
    assert.equal(reply!.text, t.fr('errors.turn'));
  });

  it('writes no state for turns that change nothing (help, the FAQ list, an answered question, a vote, an out-of-scope question), and does for a flow', async () => {
    const written: string[] = [];
    const memory = new MemoryStorage();
    const counting: Storage = {
      read: (keys) => memory.read(keys),
      write: (changes) => (written.push(...Object.keys(changes)), memory.write(changes)),
      delete: (keys) => memory.delete(keys),
    };
    const bot = startBot(instance, { state: counting, ledger: createMemoryLedger() });
    for (const text of ['help', 'faq', 'Where do I find my MCID?', 'what is the weather like on Mars today', 'help']) {
      const replies = await bot.say(message(text, { locale: 'en-US' }));
      assert.ok(replies.length > 0, `"${text}" is answered`);
    }
    const [answer] = await bot.say(message('Where do I find my MCID?', { locale: 'en-US' }));
    const vote = submitActions(answer!).find((a) => (a.data as { action: string }).action === 'faq.feedback');
    assert.ok(vote, 'the answer card has feedback buttons');
    const [thanks] = await bot.say(cardSubmit(vote.data, { locale: 'en-US' }));
    assert.equal(thanks!.text, t.en('faqCard.thanks'), 'the vote is counted');
    assert.deepEqual([...written], [], 'nothing written');
    await bot.say(message('link my mcid', { locale: 'en-US' }));
    assert.ok(written.some((key) => key.includes('/conversations/')), 'a flow that waits for an answer keeps its dialog stack');
  });

  describe('the FAQ', () => {
    it('answers a typed question with the answer card of the right topic', async () => {
      const [reply] = await fresh().say(message('Where do I find my MCID?', { locale: 'en-US' }));
      const feedback = submitActions(reply!).filter((a) => (a.data as { action: string }).action === 'faq.feedback');
      assert.deepEqual(
        feedback.map((a) => { const d = a.data as Record<string, unknown>; return [d.topic, d.helpful, d.locale, Object.keys(d).sort().join()]; }),
        [['find-mcid', true, 'en', 'action,card,helpful,locale,proof,topic'], ['find-mcid', false, 'en', 'action,card,helpful,locale,proof,topic']],
      );
    });

    it('answers a Chinese question in Chinese even when the person chose French', async () => {
      const bot = fresh();
      await bot.say(cardSubmit({ action: 'language.set', locale: 'fr' }));
      const [reply] = await bot.say(message('我在哪里可以找到我的 MCID？', { locale: 'fr-FR' }));
      assert.ok(cardTexts(reply!).includes(t['zh-CN']('faqCard.helpfulPrompt')));
    });

    it('re-renders the same answer in another language on request', async () => {
      const [reply] = await fresh().say(cardSubmit({ action: 'faq.show', topic: 'credit-time', locale: 'fr' }, { locale: 'en-US' }));
      assert.ok(cardTexts(reply!).includes(t.fr('faqCard.helpfulPrompt')));
      assert.ok(submitActions(reply!).some((a) => { const d = a.data as Record<string, unknown>; return d.action === 'faq.feedback' && d.topic === 'credit-time' && d.locale === 'fr'; }));
    });

    it('declines an out-of-scope question with the fallback card, which carries no topic id', async () => {
      const [reply] = await fresh().say(message('How do I reset my Windows password?', { locale: 'en-US' }));
      assert.ok(cardTexts(reply!).includes(t.en('faqCard.fallbackTitle')));
      assert.ok(submitActions(reply!).every((a) => (a.data as { action: string }).action !== 'faq.feedback'));
    });

    /** The data of an answer card's "helpful" button. */
    const helpfulButton = (reply: Record<string, unknown>): Record<string, unknown> =>
      submitActions(reply).map((a) => a.data as Record<string, unknown>).find((d) => d.action === 'faq.feedback' && d.helpful === true)!;

    it('records one vote per person and card however often the button is pressed', async () => {
      const ledger = createMemoryLedger();
      const bot = startBot(instance, { state: new MemoryStorage(), ledger });
      const [answer] = await bot.say(message('Why should I link my MCID?', { locale: 'en-US' }));
      const vote = cardSubmit(helpfulButton(answer!), { locale: 'en-US' });
      const [thanks] = await bot.say(vote);
      await bot.say(vote);
      assert.equal(thanks!.text, t.en('faqCard.thanks'));
      assert.equal((await allRecords(ledger, 'faqFeedback')).length, 1);
      assert.deepEqual((await allRecords(ledger, 'faqFeedback')).map((v) => [v.locale, v.helpful]), [['en', true]]);
    });

    it('refuses votes on cards this conversation never received, and made-up card ids', async () => {
      const ledger = createMemoryLedger();
      const bot = startBot(instance, { state: new MemoryStorage(), ledger });
      const [answer] = await bot.say(message('Why should I link my MCID?', { locale: 'en-US' }));
      const data = helpfulButton(answer!);
      const elsewhere = await bot.say(cardSubmit(data, { locale: 'en-US', conversationId: 'another-conversation' }));
      const invented = await bot.say(cardSubmit({ ...data, card: 'CCCCCCCCCCCCCCCCCCCCCC' }, { locale: 'en-US' }));
      const otherTopic = await bot.say(cardSubmit({ ...data, topic: 'unlink' }, { locale: 'en-US' }));
      const otherLanguage = await bot.say(cardSubmit({ ...data, locale: 'fr' }, { locale: 'en-US' }));
      for (const [reply] of [elsewhere, invented, otherTopic, otherLanguage]) assert.equal(reply!.text, t.en('errors.badAction'));
      assert.equal((await allRecords(ledger, 'faqFeedback')).length, 0);
    });

    it('counts no vote from an identity a non-Teams client chose, once the bot is authenticated', async () => {
      const ledger = createMemoryLedger();
      const authenticated = loadConfig({ LOG_LEVEL: 'silent', MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'app-secret', MicrosoftAppTenantId: '72f988bf-0000-0000-0000-000000000001' });
      const adapter: TestAdapter = new TestAdapter(async (context) => app.logic(context));
      const app: BotApp<TestAdapter> = createBot(authenticated, {
        stores: { state: new MemoryStorage(), ledger }, i18n: instance, logger: silentLogger(), adapter, clock, signInLinks: testSignInLinks(),
      });
      await adapter.processActivity(message('Why should I link my MCID?', { locale: 'en-US' }));
      const [answer] = adapter.activeQueue.splice(0) as unknown as Record<string, unknown>[];
      const vote = helpfulButton(answer!);
      await adapter.processActivity(cardSubmit(vote, { locale: 'en-US', channelId: 'webchat', personId: 'anyone-1' }));
      const [refused] = adapter.activeQueue.splice(0) as unknown as Record<string, unknown>[];
      assert.equal(refused!.text, t.en('teamsOnly'));
      assert.equal((await allRecords(ledger, 'faqFeedback')).length, 0);
      await adapter.processActivity(cardSubmit(vote, { locale: 'en-US' }));
      assert.equal((await allRecords(ledger, 'faqFeedback')).length, 1, 'the same vote from Teams counts');
    });

    it('refuses feedback for a topic that does not exist', async () => {
      const ledger = createMemoryLedger();
      const [reply] = await startBot(instance, { state: new MemoryStorage(), ledger }).say(
        cardSubmit({ action: 'faq.feedback', topic: 'free-money', helpful: true }, { locale: 'en-US' }),
      );
      assert.equal(reply!.text, t.en('errors.badAction'));
      assert.equal((await allRecords(ledger, 'faqFeedback')).length, 0);
    });

    it('lists every topic when the person browses the FAQ', async () => {
      const [reply] = await fresh().say(message('faq', { locale: 'zh-CN' }));
      assert.ok(cardTexts(reply!).includes(t['zh-CN']('faqCard.browserTitle')));
      assert.equal(submitActions(reply!).filter((a) => (a.data as { action: string }).action === 'faq.show').length, 19);
    });
  });
});
