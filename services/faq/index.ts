/** The FAQ: content in three languages, a local multilingual matcher, and the service the bot calls. */
export { loadFaqContent } from './content.js';
export type { FaqContent, FaqEntry, FaqNumbers } from './content.js';
export { TOPIC_IDS, FAQ_LOCALES, topicInfo, isTopicId } from './topics.js';
export type { TopicId, FaqLocale, TopicInfo, FaqLink, FaqAction } from './topics.js';
export { createFaqMatcher, type FaqMatch, type FaqMatcher } from './faqMatcher.js';
export { FaqService, faqNumbersFrom, type FaqAnswer, type FaqDecline, type TopicRef, type VoteOutcome } from './faqService.js';
