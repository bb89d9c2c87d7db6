import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { parseCardAction } from '../../cards/actions.js';
import { faqAnswerCard, faqBrowserCard, faqFallbackCard } from '../../cards/faq.js';
import { createI18n } from '../../locales/i18n.js';
import { LOCALES } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import { defaultPolicy } from '../../rules/index.js';
import { FaqService, TOPIC_IDS } from '../../services/faq/index.js';
import { createMemoryLedger } from '../../storage/index.js';
import { submitPayloads, validateAdaptiveCard } from './validateCard.js';

/** A card id and proof as the FAQ service makes them (the card does not check them). */
const VOTE = { card: 'AAAAAAAAAAAAAAAAAAAAAA', proof: 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' };

describe('FAQ cards', () => {
  let instance: i18n;
  const faq = new FaqService({ policy: defaultPolicy, ledger: createMemoryLedger(), clock: () => new Date('2026-03-02T09:00:00Z') });
  before(async () => {
    instance = await createI18n();
  });

  for (const locale of LOCALES) {
    describe(`in ${locale}`, () => {
      it('renders the answer of every topic as a valid 1.5 card whose buttons all parse', () => {
        const t = translatorFor(instance, locale);
        for (const topic of TOPIC_IDS) {
          const card = faqAnswerCard(t, { ...faq.answer(topic, locale), vote: VOTE });
          assert.deepEqual(validateAdaptiveCard(card), [], topic);
          for (const payload of submitPayloads(card)) assert.ok(parseCardAction(payload).ok, `${topic}: ${JSON.stringify(payload)}`);
        }
      });

      it('gives every answer card feedback buttons whose data is exactly { action, topic, helpful, locale, card, proof }', () => {
        const t = translatorFor(instance, locale);
        for (const topic of TOPIC_IDS) {
          const feedback = submitPayloads(faqAnswerCard(t, { ...faq.answer(topic, locale), vote: VOTE })).filter(
            (p) => (p as { action?: string }).action === 'faq.feedback',
          );
          assert.deepEqual(feedback, [
            { action: 'faq.feedback', topic, helpful: true, locale, ...VOTE },
            { action: 'faq.feedback', topic, helpful: false, locale, ...VOTE },
          ]);
        }
      });

      it('offers the same answer in the two other languages', () => {
        const shows = submitPayloads(faqAnswerCard(translatorFor(instance, locale), faq.answer('credit-time', locale))).filter(
          (p) => (p as { action?: string }).action === 'faq.show',
        );
        assert.deepEqual(
          shows,
          LOCALES.filter((l) => l !== locale).map((l) => ({ action: 'faq.show', topic: 'credit-time', locale: l })),
        );
      });

      it('renders the fallback with the closest topics and no topic id in any feedback action', () => {
        const t = translatorFor(instance, locale);
        const card = faqFallbackCard(t, {
          locale,
          suggestions: faq.topics(locale).slice(0, 3),
          supportLinks: faq.answer('support', locale).links,
        });
        assert.deepEqual(validateAdaptiveCard(card), []);
        const payloads = submitPayloads(card);
        assert.equal(payloads.filter((p) => (p as { action?: string }).action === 'faq.feedback').length, 0);
        assert.equal(payloads.filter((p) => (p as { action?: string }).action === 'faq.show').length, 3);
      });

      it('renders the fallback without suggestions as a valid card', () => {
        const card = faqFallbackCard(translatorFor(instance, locale), { locale, suggestions: [], supportLinks: [] });
        assert.deepEqual(validateAdaptiveCard(card), []);
      });

      it('lists every topic in the topic browser, each opening its answer', () => {
        const card = faqBrowserCard(translatorFor(instance, locale), { locale, topics: faq.topics(locale) });
        assert.deepEqual(validateAdaptiveCard(card), []);
        const topics = submitPayloads(card)
          .filter((p) => (p as { action?: string }).action === 'faq.show')
          .map((p) => (p as { topic: string }).topic);
        assert.deepEqual(topics, [...TOPIC_IDS]);
      });
    });
  }

  it('fills the policy numbers into the answers, so a changed policy changes the text', () => {
    const changed = new FaqService({
      policy: { ...defaultPolicy, daysBetweenAssociationStarts: 45 },
      ledger: createMemoryLedger(),
      clock: () => new Date('2026-03-02T09:00:00Z'),
    });
    assert.match(changed.answer('association-limited', 'en').answer, /45/);
    assert.doesNotMatch(faq.answer('association-limited', 'en').answer, /45/);
  });
});
