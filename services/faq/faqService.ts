import type { Policy } from '../../rules/index.js';
import type { Ledger } from '../../storage/index.js';
import type { FaqContent, FaqNumbers } from './content.js';
import { loadFaqContent } from './content.js';
import { createFaqMatcher, type FaqMatcher } from './faqMatcher.js';
import { isTopicId, topicInfo, TOPIC_IDS, type FaqLink, type FaqLocale, type TopicId } from './topics.js';

/** A topic as cards list it. */
export interface TopicRef {
  readonly topic: TopicId;
  readonly title: string;
}

/** An answer ready to show: the text in one language and the topic's links and follow-up action. */
export interface FaqAnswer {
  readonly kind: 'answer';
  readonly topic: TopicId;
  readonly locale: FaqLocale;
  readonly title: string;
  readonly answer: string;
  readonly links: readonly FaqLink[];
  readonly next?: 'link' | 'status' | 'unlink';
}

/** A question the FAQ does not cover: the closest topics, in the language of the question. */
export interface FaqDecline {
  readonly kind: 'out-of-scope';
  readonly locale: FaqLocale;
  readonly suggestions: readonly TopicRef[];
  readonly supportLinks: readonly FaqLink[];
}

const NEXT = { 'link.start': 'link', 'status.show': 'status', 'unlink.start': 'unlink' } as const;

/** The FAQ numbers, taken from the rules policy so that answers and rules never disagree. */
export function faqNumbersFrom(policy: Policy): FaqNumbers {
  return {
    daysBetween: policy.daysBetweenAssociationStarts,
    startsPerYear: policy.maxAssociationStartsPerWindow,
    creditDays: policy.creditDelayDays,
    universityHours: policy.universityExistingCreditHours,
    universityMinDays: policy.universityNewCreditMinDays,
    universityMaxDays: policy.universityNewCreditMaxDays,
    refreshDay: policy.reportRefreshDayOfMonth,
  };
}

/** Answers questions, lists topics and records "was this helpful?" votes. */
export class FaqService {
  private readonly content: FaqContent;
  private readonly matcher: FaqMatcher;

  constructor(private readonly deps: { policy: Policy; ledger: Ledger; clock: () => Date }) {
    this.content = loadFaqContent(faqNumbersFrom(deps.policy));
    this.matcher = createFaqMatcher(this.content);
  }

  /** Answers a typed question in the language it is written in, or declines with the closest topics. */
  ask(text: string, personLocale: FaqLocale): FaqAnswer | FaqDecline {
    const match = this.matcher.match(text, personLocale);
    if (match.kind === 'answer') return this.answer(match.topic, match.locale);
    return {
      kind: 'out-of-scope',
      locale: match.locale,
      suggestions: match.suggestions.map((topic) => this.ref(topic, match.locale)),
      supportLinks: topicInfo('support').links,
    };
  }

  /** One topic's answer in one language. */
  answer(topic: TopicId, locale: FaqLocale): FaqAnswer {
    const { title, answer } = this.content.entry(topic, locale);
    const info = topicInfo(topic);
    return { kind: 'answer', topic, locale, title, answer, links: info.links, next: info.action ? NEXT[info.action] : undefined };
  }

  /** Every topic, as its question in one language. */
  topics(locale: FaqLocale): TopicRef[] {
    return TOPIC_IDS.map((topic) => this.ref(topic, locale));
  }

  /**
   * Records a vote; one per voter and answer card (`voteId`), so a double click or a changed mind
   * replaces the earlier vote instead of counting twice.
   */
  async recordFeedback(vote: { voteId: string; topic: string; locale: FaqLocale; helpful: boolean }): Promise<'recorded' | 'unknown-topic'> {
    if (!isTopicId(vote.topic)) return 'unknown-topic';
    const topic = vote.topic;
    await this.deps.ledger.transact((tx) => {
      tx.put('faqFeedback', vote.voteId, { topic, locale: vote.locale, helpful: vote.helpful, at: this.deps.clock() });
    });
    return 'recorded';
  }

  /** Votes per topic and language: how many found the answer helpful and how many did not. */
  feedbackSummary(): Map<string, { helpful: number; notHelpful: number }> {
    const summary = new Map<string, { helpful: number; notHelpful: number }>();
    for (const vote of this.deps.ledger.all('faqFeedback')) {
      const key = `${vote.topic}/${vote.locale}`;
      const entry = summary.get(key) ?? { helpful: 0, notHelpful: 0 };
      if (vote.helpful) entry.helpful += 1;
      else entry.notHelpful += 1;
      summary.set(key, entry);
    }
    return summary;
  }

  private ref(topic: TopicId, locale: FaqLocale): TopicRef {
    return { topic, title: this.content.entry(topic, locale).title };
  }
}
