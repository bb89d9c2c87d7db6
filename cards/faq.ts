import type { Attachment } from 'botbuilder';
import { LOCALES, LOCALE_NAMES, type Locale } from '../locales/locale.js';
import type { CommonTranslate, Translate } from '../locales/translate.js';
import type { Button, CardAction, CardActionPayload } from './actions.js';
import { renderCard } from './render.js';
import faqAnswerTemplate from './templates/faqAnswer.json' with { type: 'json' };
import faqBrowserTemplate from './templates/faqBrowser.json' with { type: 'json' };
import faqFallbackTemplate from './templates/faqFallback.json' with { type: 'json' };
import faqNotHelpfulTemplate from './templates/faqNotHelpful.json' with { type: 'json' };
import didYouMeanTemplate from './templates/didYouMean.json' with { type: 'json' };

interface LinkButton {
  label: string;
  url: string;
}

/** A deep link an answer offers (Partner Center, support, …). */
export interface FaqCardLink {
  readonly kind: 'dashboard' | 'support' | 'certificationSupport' | 'competencies';
  readonly url: string;
}

/** A topic as a card lists it: its id and its question in the card's language. */
export interface FaqTopicRef {
  readonly topic: string;
  readonly title: string;
}

/** What an answer card shows; `t` and `locale` are the answer's language, which may differ from the person's. */
export interface FaqAnswerInput {
  readonly topic: string;
  readonly locale: Locale;
  readonly title: string;
  readonly answer: string;
  readonly links: readonly FaqCardLink[];
  /** The bot flow that follows from this answer, if any. */
  readonly next?: 'link' | 'status' | 'unlink';
  /** The card id and proof the feedback buttons carry; without it the card has no feedback buttons. */
  readonly vote?: { readonly card: string; readonly proof: string };
}

const NEXT: Record<NonNullable<FaqAnswerInput['next']>, { key: 'faqCard.startLinking' | 'faqCard.checkDates' | 'faqCard.startUnlinking'; payload: CardAction }> = {
  link: { key: 'faqCard.startLinking', payload: { action: 'menu.link' } },
  status: { key: 'faqCard.checkDates', payload: { action: 'menu.status' } },
  unlink: { key: 'faqCard.startUnlinking', payload: { action: 'menu.unlink' } },
};

const linkButtons = (tr: CommonTranslate, links: readonly FaqCardLink[]): LinkButton[] =>
  links.map((link) => ({ label: tr(`faqCard.links.${link.kind}`), url: link.url }));

/**
 * An FAQ answer: title, answer, deep links, the matching bot action, buttons to show the same answer in
 * the other languages (support staff forward answers), and "Was this helpful?" buttons whose data is
 * exactly `{ action: 'faq.feedback', topic, helpful, locale, card, proof }` (the answer's language, and the proof
 * that this conversation received this card).
 */
export function faqAnswerCard(t: Translate, input: FaqAnswerInput): Attachment {
  const tr: CommonTranslate = t;
  const vote = input.vote;
  const feedback = (helpful: boolean): Button[] =>
    vote
      ? [{ label: tr(helpful ? 'faqCard.yes' : 'faqCard.no'), payload: { action: 'faq.feedback', topic: input.topic, helpful, locale: input.locale, ...vote } }]
      : [];
  return renderCard(faqAnswerTemplate, {
    title: input.title,
    answer: input.answer,
    helpfulPrompt: tr('faqCard.helpfulPrompt'),
    feedback: [...feedback(true), ...feedback(false)],
    languages: LOCALES.filter((l) => l !== input.locale).map((locale) => ({
      label: `🌐 ${LOCALE_NAMES[locale]}`,
      payload: { action: 'faq.show', topic: input.topic, locale },
    })),
    links: linkButtons(tr, input.links),
    next: input.next ? [{ label: tr(NEXT[input.next].key), payload: NEXT[input.next].payload }] : [],
  });
}

/** The polite decline for a question outside the FAQ: the closest topics, the support contacts, no topic id. */
export function faqFallbackCard(t: Translate, input: { locale: Locale; suggestions: readonly FaqTopicRef[]; supportLinks: readonly FaqCardLink[] }): Attachment {
  const tr: CommonTranslate = t;
  return renderCard(faqFallbackTemplate, {
    title: tr('faqCard.fallbackTitle'),
    text: tr('faqCard.fallbackText'),
    suggestionsTitle: tr('faqCard.suggestionsTitle'),
    suggestions: input.suggestions.map((s) => ({ label: s.title, payload: { action: 'faq.show', topic: s.topic, locale: input.locale } })),
    supportText: tr('faqCard.supportText'),
    links: linkButtons(tr, input.supportLinks),
    buttons: [{ label: tr('menu.back'), payload: { action: 'menu.help' } }],
  });
}

/** Every FAQ topic, as its question in the person's language; a click shows the answer. */
export function faqBrowserCard(t: Translate, input: { locale: Locale; topics: readonly FaqTopicRef[] }): Attachment {
  const tr: CommonTranslate = t;
  return renderCard(faqBrowserTemplate, {
    title: tr('faqCard.browserTitle'),
    intro: tr('faqCard.browserIntro'),
    topics: input.topics.map((s) => ({ label: s.title, payload: { action: 'faq.show', topic: s.topic, locale: input.locale } })),
    buttons: [{ label: tr('menu.back'), payload: { action: 'menu.help' } }],
  });
}

/**
 * After a 👎: the nearest other answers, the support contacts, and a box to say what was missing (sent with the
 * topic and language it is about); `t` is the answer's language.
 */
export function faqNotHelpfulCard(
  t: Translate,
  input: { topic: string; locale: Locale; related: readonly FaqTopicRef[]; supportLinks: readonly FaqCardLink[] },
): Attachment {
  const tr: CommonTranslate = t;
  return renderCard(faqNotHelpfulTemplate, {
    title: tr('faqCard.notHelpfulTitle'),
    suggestionsTitle: tr('faqCard.relatedTitle'),
    suggestions: input.related.map((s) => ({ label: s.title, payload: { action: 'faq.show', topic: s.topic, locale: input.locale } })),
    supportText: tr('faqCard.supportText'),
    commentLabel: tr('faqCard.commentLabel'),
    commentPlaceholder: tr('faqCard.commentPlaceholder'),
    send: [{ label: tr('faqCard.commentSend'), payload: { action: 'faq.comment', topic: input.topic, locale: input.locale } }] satisfies Array<{ label: string; payload: CardActionPayload }>,
    links: linkButtons(tr, input.supportLinks),
  });
}

/** One choice of a "Did you mean …?" card: a flow of the bot, or an FAQ topic shown by its question. */
export type DidYouMeanChoice = { readonly kind: 'flow'; readonly flow: 'link' | 'unlink' | 'status' } | { readonly kind: 'topic'; readonly topic: FaqTopicRef };

const FLOW_CHOICE: Record<'link' | 'unlink' | 'status', { key: 'didYouMean.link' | 'didYouMean.unlink' | 'didYouMean.status'; payload: CardAction }> = {
  link: { key: 'didYouMean.link', payload: { action: 'menu.link' } },
  unlink: { key: 'didYouMean.unlink', payload: { action: 'menu.unlink' } },
  status: { key: 'didYouMean.status', payload: { action: 'menu.status' } },
};

/**
 * Asks which of two close readings the person meant ("link your account" or "how linking works"); each button does
 * exactly what the menu button or the FAQ topic does, so nothing new is trusted from the card.
 */
export function didYouMeanCard(t: Translate, input: { locale: Locale; choices: readonly [DidYouMeanChoice, DidYouMeanChoice] }): Attachment {
  const tr: CommonTranslate = t;
  return renderCard(didYouMeanTemplate, {
    title: tr('didYouMean.title'),
    text: tr('didYouMean.text'),
    choices: input.choices.map((choice) =>
      choice.kind === 'flow'
        ? { label: tr(FLOW_CHOICE[choice.flow].key), payload: FLOW_CHOICE[choice.flow].payload }
        : { label: choice.topic.title, payload: { action: 'faq.show', topic: choice.topic.topic, locale: input.locale } },
    ),
    buttons: [{ label: tr('menu.back'), payload: { action: 'menu.help' } }],
  });
}
