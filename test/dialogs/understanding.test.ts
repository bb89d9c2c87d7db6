import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { createI18n } from '../../locales/i18n.js';
import { LOCALES } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import { loadFaqContent } from '../../services/faq/index.js';
import { EVAL_NUMBERS } from '../../scripts/evalFaq.js';
import type { Recognizer } from '../../understanding/index.js';
import { cardTexts, submitActions } from '../support/cards.js';
import { freshStores, ME, payloadOf, register, startBot, type Reply } from './harness.js';

const MCID = '12345678';
const texts = (replies: Reply[]) => replies.flatMap((r) => [...(typeof r.text === 'string' ? [r.text] : []), ...cardTexts(r)]);
const faq = loadFaqContent(EVAL_NUMBERS);

/** A recognizer that always hesitates between starting the link and the FAQ topic on linking. */
const hesitant: Recognizer = {
  labels: ['link', 'topic:link-learn'],
  recognize: (_text, personLanguage) => ({
    language: personLanguage,
    top: [
      { label: 'link', score: 0.41 },
      { label: 'topic:link-learn', score: 0.39 },
    ],
    decision: { kind: 'clarify', choices: [{ label: 'link', score: 0.41 }, { label: 'topic:link-learn', score: 0.39 }] },
    entities: {},
  }),
};

describe('understanding through the bot', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  it('starts the link flow from a request and uses the MCID the request gave, without asking for it again', async () => {
    const stores = freshStores();
    await register(stores.ledger);
    const bot = startBot(instance, stores);
    const en = translatorFor(instance, 'en');
    const replies = await bot.say(`hey, I'd like you to link my MCID ${MCID} please`);
    assert.equal(texts(replies)[0], en('employee:signIn.title'));
    assert.equal(bot.signInLinks.requests[0]?.accountId, MCID);
  });

  it('answers a question about linking with the FAQ, offering the bot’s own flow', async () => {
    const bot = startBot(instance, freshStores());
    const en = translatorFor(instance, 'en');
    const replies = await bot.say('could you explain how linking an MCID works?');
    assert.equal(texts(replies)[0], faq.entry('link-learn', 'en').title);
    assert.ok(submitActions(replies[0]!).some((b) => b.title === en('faqCard.startLinking')));
  });

  it('answers in the language of the question, not of the person’s settings', async () => {
    const bot = startBot(instance, freshStores());
    const replies = await bot.say('bonjour, c’est où que je vois mon numéro MCID ?', { locale: 'en' });
    assert.equal(texts(replies)[0], faq.entry('find-mcid', 'fr').title);
  });

  it('shows the person’s own status for a personal question', async () => {
    const stores = freshStores();
    await register(stores.ledger);
    const bot = startBot(instance, stores);
    const zh = translatorFor(instance, 'zh-CN');
    const replies = await bot.say('我还得等几天才可以再关联？', { locale: 'zh-CN' });
    assert.equal(texts(replies)[0], zh('employee:status.title'));
  });

  it('declines an off-topic look-alike with the nearest topics', async () => {
    const bot = startBot(instance, freshStores());
    const en = translatorFor(instance, 'en');
    const replies = await bot.say('how do I link my LinkedIn profile with Microsoft Teams?');
    assert.equal(texts(replies)[0], en('faqCard.fallbackTitle'));
    assert.ok(submitActions(replies[0]!).some((b) => (b.data as { action?: string }).action === 'faq.show'));
  });

  it('answers small talk in a line, with the menu', async () => {
    const bot = startBot(instance, freshStores());
    const fr = translatorFor(instance, 'fr');
    const replies = await bot.say('merci infiniment !', { locale: 'fr' });
    assert.equal(replies[0]?.text, fr('smallTalk.thanks'));
    assert.ok(texts(replies).includes(fr('menu.title')));
  });

  for (const locale of LOCALES) {
    it(`asks “did you mean …?” with the two choices when two readings are close (${locale})`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const bot = startBot(instance, stores, undefined, { recognizer: hesitant });
      const t = translatorFor(instance, locale);
      const card = await bot.say('link?', { locale });
      assert.deepEqual(texts(card).slice(0, 2), [t('didYouMean.title'), t('didYouMean.text')]);
      const choices = submitActions(card[0]!).map((b) => b.title);
      assert.deepEqual(choices.slice(0, 2), [t('didYouMean.link'), faq.entry('link-learn', locale).title]);
      // Each choice does what the menu button or the topic does.
      const started = await bot.click(payloadOf(card, 'menu.link'), { locale });
      assert.equal(texts(started)[0], t('employee:kind.title'));
    });
  }

  describe('in the middle of a flow', () => {
    it('answers a question asked at the MCID prompt and asks for the MCID again', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const bot = startBot(instance, stores);
      const en = translatorFor(instance, 'en');
      await bot.click(payloadOf(await bot.say('link my MCID'), 'link.kind', 'learn'));
      const replies = await bot.say('hmm, where would I find my MCID?');
      assert.equal(texts(replies)[0], faq.entry('find-mcid', 'en').title);
      assert.equal(texts(replies).at(-1), en('employee:askAccount.learn'));
      const signIn = await bot.say(MCID);
      assert.equal(texts(signIn)[0], en('employee:signIn.title'));
      assert.equal(bot.signInLinks.requests[0]?.accountId, MCID);
    });

    it('leaves on cancel words in each language', async () => {
      for (const [locale, words] of [['en', 'forget it, stop'], ['fr', 'laisse tomber, on arrête'], ['zh-CN', '算了算了']] as const) {
        const stores = freshStores();
        await register(stores.ledger);
        const bot = startBot(instance, stores);
        await bot.click(payloadOf(await bot.say('link my MCID', { locale }), 'link.kind', 'learn'), { locale });
        const t = translatorFor(instance, locale);
        assert.equal(texts(await bot.say(words, { locale }))[0], t('employee:flow.cancelled'), words);
        await bot.say(MCID, { locale });
        assert.equal(bot.signInLinks.requests.length, 0, words);
      }
    });

    it('switches to a new request', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const bot = startBot(instance, stores);
      const en = translatorFor(instance, 'en');
      await bot.click(payloadOf(await bot.say('link my MCID'), 'link.kind', 'learn'));
      assert.equal(texts(await bot.say('actually, can you show me my status first'))[0], en('employee:status.title'));
      await bot.say(MCID);
      assert.equal(bot.signInLinks.requests.length, 0);
    });

    it('still reads the step’s own answers first: an MCID, “yes”, an account kind', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const bot = startBot(instance, stores);
      const en = translatorFor(instance, 'en');
      await bot.say('link my MCID');
      assert.deepEqual(texts(await bot.say('Microsoft Learn')), [en('employee:askAccount.learn')]);
      assert.equal(texts(await bot.say(MCID))[0], en('employee:signIn.title'));
      assert.equal(bot.signInLinks.requests[0]?.personId, ME.personId);
    });
  });
});
