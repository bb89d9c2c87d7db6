import assert from 'node:assert/strict';
import type { Locale } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import { loadFaqContent, type TopicId } from '../../services/faq/index.js';
import { EVAL_NUMBERS } from '../../scripts/evalFaq.js';
import { labelledSet } from '../../scripts/evalSets.js';
import { LANGUAGES, baseExamples } from '../../scripts/understandingData.js';
import { normalize } from '../../understanding/index.js';
import { cardTexts } from '../support/cards.js';
import { useI18n } from '../support/localeSuites.js';
import { freshStores, register, startBot, type Reply } from './harness.js';

const texts = (replies: Reply[]) => replies.flatMap((r) => [...(typeof r.text === 'string' ? [r.text] : []), ...cardTexts(r)]);
const faq = loadFaqContent(EVAL_NUMBERS);

/** What the bot should do with a message: start a flow, answer a topic, show the status, or decline. */
type Expected = { readonly flow: 'link' | 'unlink' } | { readonly topic: TopicId } | 'status' | 'fallback';

/**
 * The hardest phrasings of the dev set (test/fixtures/understanding/dev, never trained on), sent to the running bot:
 * synonyms of linking and unlinking, questions and requests about the same thing, long and code-mixed messages,
 * personal questions, and off-topic look-alikes that use the domain's words.
 */
const CASES: ReadonlyArray<readonly [Locale, string, Expected]> = [
  ['en', "hello! how do i tie my exams to my employer's partner account", { topic: 'link-learn' }],
  ['en', "what's the procedure to disassociate my learning account", { topic: 'unlink' }],
  ['en', 'an engineer left us in march, when do his exams disappear from our report', { topic: 'left-company' }],
  ['en', "let's do the association", { flow: 'link' }],
  ['en', 'can u unlink my account pls', { flow: 'unlink' }],
  ['en', 'how many associations have i got left for this year', 'status'],
  ['en', 'where can I download my certificate as a PDF', 'fallback'],
  ['en', 'how do i unlink my phone from authenticator', 'fallback'],
  ['zh-CN', '我想问下考试成绩怎么才能挂到公司名下', { topic: 'link-learn' }],
  ['zh-CN', 'Partner Center 里 remove access 在哪里', { topic: 'unlink' }],
  ['zh-CN', '在microsoft learn上找不到mcid怎么办', { topic: 'find-mcid' }],
  ['zh-CN', '帮我绑定mcid吧', { flow: 'link' }],
  ['zh-CN', '麻烦帮我解绑一下', { flow: 'unlink' }],
  ['zh-CN', '我还要等多少天才能重新关联', 'status'],
  ['zh-CN', 'Partner Center会员费多少钱', 'fallback'],
  ['zh-CN', '怎么把手机从Authenticator解绑', 'fallback'],
  ['fr', 'comment rattacher mes examens au compte partenaire de ma boîte', { topic: 'link-learn' }],
  ['fr', 'quelle est la procédure pour retirer mon compte learning', { topic: 'unlink' }],
  ['fr', 'si je ne fais pas l’association, on perd des points pour la specialization ?', { topic: 'why-link' }],
  ['fr', 'relie mon profil de certif à la boîte', { flow: 'link' }],
  ['fr', 'dissocie-moi', { flow: 'unlink' }],
  ['fr', 'il me reste combien d’associations cette année', 'status'],
  ['fr', 'où télécharger mon certificat en PDF', 'fallback'],
  ['fr', 'comment dissocier mon téléphone d’Authenticator', 'fallback'],
];

describe('hard phrasings through the bot', () => {
  const instance = useI18n();

  it('is tested on phrasings the model was never trained on', () => {
    const trained = new Set(baseExamples().map((e) => normalize(e.text)));
    for (const locale of LANGUAGES) {
      for (const { text } of labelledSet('dev', locale)) assert.ok(!trained.has(normalize(text)), `the dev “${text}” is a training example`);
    }
    for (const [, text] of CASES) assert.ok(!trained.has(normalize(text)), `“${text}” is a training example`);
  });

  for (const [locale, text, expected] of CASES) {
    it(`${locale}: “${text}” → ${typeof expected === 'string' ? expected : 'flow' in expected ? `the ${expected.flow} flow` : `the FAQ on ${expected.topic}`}`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const bot = startBot(instance(), stores);
      const t = translatorFor(instance(), locale);
      const first = texts(await bot.say(text, { locale }))[0];
      if (expected === 'status') assert.equal(first, t('employee:status.title'));
      else if (expected === 'fallback') assert.equal(first, t('faqCard.fallbackTitle'));
      else if ('topic' in expected) assert.equal(first, faq.entry(expected.topic, locale).title);
      else if (expected.flow === 'link') assert.equal(first, t('employee:kind.title'));
      // Nothing is linked yet, so the unlink flow starts by saying so.
      else assert.equal(first, t('employee:unlink.nothingTitle'));
    });
  }
});
