import type { FaqContent } from './content.js';
import type { MatchResult, IndexedQuestion } from './matcher.js';
import { TopicMatcher } from './matcher.js';
import type { FaqLocale, TopicId } from './topics.js';
import { FAQ_LOCALES, TOPIC_IDS } from './topics.js';

/** The outcome of matching one question: a topic and the language to answer in, or a polite decline. */
export type FaqMatch = MatchResult<TopicId>;

/** Matches free-text questions to FAQ topics; pure and synchronous. */
export interface FaqMatcher {
  /** Picks the topic of a question, answering in the language the question is written in. */
  match(text: string, personLocale: FaqLocale): FaqMatch;
  /** The topics closest to a text in `locale`, best first (those with any likeness only). */
  nearest(text: string, locale: FaqLocale): TopicId[];
}

/** Builds the matcher's indexes once from the loaded content (all languages feed one index). */
export function createFaqMatcher(content: FaqContent): FaqMatcher {
  const questions: IndexedQuestion<TopicId>[] = [];
  for (const topic of TOPIC_IDS) {
    for (const locale of FAQ_LOCALES) {
      content.questions(topic, locale).forEach((text, i) => questions.push({ topic, locale, text, isTitle: i === 0 }));
    }
  }
  const matcher = new TopicMatcher(questions);
  return {
    match: (text, personLocale) => matcher.match(text, personLocale),
    nearest: (text, locale) => matcher.scores(text, locale).filter((r) => r.score > 0).map((r) => r.topic),
  };
}
