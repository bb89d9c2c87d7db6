import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { createI18n } from '../../locales/i18n.js';
import { submitActions } from '../support/cards.js';
import { freshStores, startBot, type Reply } from './harness.js';
import { allRecords } from '../support/ledgerRecords.js';

/** The "Was this helpful?" payload of an answer card, exactly as the card carries it. */
function vote(reply: Reply, helpful: boolean): Record<string, unknown> {
  const data = submitActions(reply)
    .map((a) => a.data as Record<string, unknown>)
    .find((d) => d.action === 'faq.feedback' && d.helpful === helpful);
  assert.ok(data, JSON.stringify(reply));
  assert.deepEqual(Object.keys(data).sort(), ['action', 'card', 'helpful', 'locale', 'proof', 'topic']);
  return data;
}

describe('FAQ votes are filed under the answer card’s language, which the button carries', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  it('files a vote on a French answer as French when the person’s Teams is in English', async () => {
    const stores = freshStores();
    const bot = startBot(instance, stores);
    const [answer] = await bot.say('Combien de temps avant que ma certification compte ?', { locale: 'en' });
    assert.ok(answer?.id);
    await bot.click(vote(answer, true), { locale: 'en', replyToId: String(answer.id) });
    assert.deepEqual((await allRecords(stores.ledger, 'faqFeedback')).map((v) => [v.locale, v.helpful]), [['fr', true]]);
  });

  it('tells apart two cards of the same conversation in different languages, even after a restart (no state kept)', async () => {
    const stores = freshStores();
    const [zh] = await startBot(instance, stores).say('我在哪里可以找到我的 MCID？', { locale: 'fr' });
    const bot = startBot(instance, stores);
    const [en] = await bot.say('Where do I find my MCID?', { locale: 'fr' });
    await bot.click(vote(zh!, false), { locale: 'fr', replyToId: String(zh!.id) });
    await bot.click(vote(en!, true), { locale: 'fr', replyToId: String(en!.id) });
    // Votes are keyed by a digest, so they are compared in a fixed order rather than as stored.
    const votes = (await allRecords(stores.ledger, 'faqFeedback')).map((v) => [v.topic, v.locale, v.helpful] as const);
    assert.deepEqual([...votes].sort((x, y) => x[1].localeCompare(y[1])), [['find-mcid', 'en', true], ['find-mcid', 'zh-CN', false]]);
  });

  it('refuses a vote whose language was changed from the card’s, and one on a card it never sent', async () => {
    const stores = freshStores();
    const bot = startBot(instance, stores);
    const [answer] = await bot.say('Where do I find my MCID?', { locale: 'en' });
    await bot.click({ ...vote(answer!, true), locale: 'fr' }, { locale: 'fr' });
    await bot.click({ action: 'faq.feedback', topic: 'why-link', helpful: true, locale: 'fr', card: 'A'.repeat(22), proof: 'B'.repeat(43) }, { locale: 'fr' });
    assert.equal((await allRecords(stores.ledger, 'faqFeedback')).length, 0);
  });
});
