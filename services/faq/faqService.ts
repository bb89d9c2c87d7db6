import { randomBytes } from 'node:crypto';
import type { Policy } from '../../rules/index.js';
import type { Ledger } from '../../storage/index.js';
import { channelConversationId } from '../outbox/conversationReferences.js';
import { timeOrderedKey } from '../timeOrderedKey.js';
import { countVote } from './voteTotals.js';
import type { FaqContent, FaqNumbers } from './content.js';
import { loadFaqContent } from './content.js';
import { createFaqMatcher, type FaqMatcher } from './faqMatcher.js';
import { isTopicId, topicInfo, TOPIC_IDS, type FaqLink, type FaqLocale, type TopicId } from './topics.js';
import { VoteSigner, voteKey, type VoteTicket } from './votes.js';

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

/** What a vote on an answer card came to. */
export type VoteOutcome =
  | { readonly kind: 'recorded'; readonly helpful: true }
  /** Counted as not helpful: the nearest other answers and the support contacts to offer instead. */
  | { readonly kind: 'recorded'; readonly helpful: false; readonly related: readonly TopicRef[]; readonly supportLinks: readonly FaqLink[] }
  /** Not counted: a topic the FAQ does not have, or a card this conversation never received. */
  | { readonly kind: 'unknown-topic' }
  | { readonly kind: 'refused' };

/** A question the FAQ does not cover: the closest topics, in the language of the question. */
export interface FaqDecline {
  readonly kind: 'out-of-scope';
  readonly locale: FaqLocale;
  readonly suggestions: readonly TopicRef[];
  readonly supportLinks: readonly FaqLink[];
}

/** The longest comment kept: a few sentences. */
const MAX_COMMENT_CHARS = 500;
/** Comments kept per organization. */
const COMMENTS_KEPT = 200;

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
  private readonly relatedCache = new Map<string, TopicId[]>();
  private readonly content: FaqContent;
  private readonly matcher: FaqMatcher;

  private readonly votes: VoteSigner;

  /** `voteSecret` signs the feedback buttons (default: a random key, so buttons of an earlier process are refused). */
  constructor(private readonly deps: { policy: Policy; ledger: Ledger; clock: () => Date; voteSecret?: string | Buffer }) {
    this.votes = new VoteSigner(deps.voteSecret ?? randomBytes(32));
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
   * The card id and proof an answer card's feedback buttons carry, for an answer sent into `conversationId` (as the
   * activity names it: a reply thread of a channel counts as the channel).
   */
  voteTicket(conversationId: string, topic: TopicId, locale: FaqLocale): Promise<VoteTicket> {
    return this.votes.issue({ conversationId: channelConversationId(conversationId), topic, locale });
  }

  /**
   * The vote rule. A vote counts only on an answer card this conversation received (the proof says so; the
   * conversation as the activity names it, a reply thread counting as its channel), and once per person and card, so
   * a double click or a changed mind replaces the earlier vote instead of counting twice. The stored row is small and
   * of fixed shape whatever the vote carried. After "not helpful", the outcome carries what to offer instead.
   */
  async recordFeedback(vote: {
    conversationId: string;
    voter: { tenantId: string; personId: string };
    ticket: VoteTicket;
    topic: string;
    locale: FaqLocale;
    helpful: boolean;
  }): Promise<VoteOutcome> {
    if (!isTopicId(vote.topic)) return { kind: 'unknown-topic' };
    const conversationId = channelConversationId(vote.conversationId);
    if (!(await this.votes.verify({ conversationId, topic: vote.topic, locale: vote.locale }, vote.ticket))) return { kind: 'refused' };
    const topic = vote.topic;
    const key = voteKey(conversationId, vote.voter.tenantId, vote.voter.personId, vote.ticket.card);
    const at = this.deps.clock();
    await this.deps.ledger.transact(async (tx) => {
      const previous = await tx.get('faqFeedback', key);
      const current = { topic, locale: vote.locale, helpful: vote.helpful, at };
      tx.put('faqFeedback', key, current);
      // A changed mind moves the vote from one count to the other; the same vote again changes nothing.
      if (previous) await countVote(tx, previous, -1);
      await countVote(tx, current, 1);
    });
    if (vote.helpful) return { kind: 'recorded', helpful: true };
    // Not helpful: the nearest other answers and the support contacts, in the answer's language.
    return { kind: 'recorded', helpful: false, related: this.related(topic, vote.locale), supportLinks: topicInfo('support').links };
  }

  /** Votes per topic and language: how many found the answer helpful and how many did not. */
  async feedbackSummary(): Promise<Map<string, { helpful: number; notHelpful: number }>> {
    const summary = new Map<string, { helpful: number; notHelpful: number }>();
    // One small record per topic and language (a fixed set), not the votes themselves.
    for (const { record } of await this.deps.ledger.scan('faqFeedbackTotals')) {
      if (record.helpful + record.notHelpful > 0) summary.set(`${record.topic}/${record.locale}`, { helpful: record.helpful, notHelpful: record.notHelpful });
    }
    return summary;
  }

  /**
   * The topics nearest to one answer (by its questions in that language), for a person who found it unhelpful;
   * computed once per topic and language, since the content never changes while the bot runs.
   */
  related(topic: TopicId, locale: FaqLocale, count = 3): TopicRef[] {
    const key = `${topic}/${locale}`;
    let ids = this.relatedCache.get(key);
    if (!ids) {
      const text = this.content.questions(topic, locale).join('\n');
      ids = this.matcher.nearest(text, locale).filter((t) => t !== topic && t !== 'support');
      this.relatedCache.set(key, ids);
    }
    return ids.slice(0, count).map((t) => this.ref(t, locale));
  }

  /** Stores the comment written under a 👎 for the organization's admins; keeps the latest ones of each organization. */
  async recordComment(comment: { tenantId: string; topic: string; locale: FaqLocale; text: string }): Promise<'recorded' | 'unknown-topic' | 'empty'> {
    if (!isTopicId(comment.topic)) return 'unknown-topic';
    const text = comment.text.replace(/\s+/g, ' ').trim().slice(0, MAX_COMMENT_CHARS);
    if (text === '') return 'empty';
    const at = this.deps.clock();
    const key = timeOrderedKey(at);
    await this.deps.ledger.transact(async (tx) => {
      tx.put('faqComments', key, { tenantId: comment.tenantId, topic: comment.topic, locale: comment.locale, text, at });
      // Bounded per organization: the oldest go once there are more than the admin view could ever show.
      const mine = (await tx.findBy('faqComments', 'byTenant', [comment.tenantId])).map((k) => k.id);
      for (const old of mine.slice(0, Math.max(0, mine.length - COMMENTS_KEPT))) tx.delete('faqComments', old);
    });
    return 'recorded';
  }

  /** The latest comments of one organization, newest first. */
  async latestComments(tenantId: string, limit = 10): Promise<Array<{ topic: string; locale: FaqLocale; text: string; at: Date }>> {
    return (await this.deps.ledger.findBy('faqComments', 'byTenant', [tenantId]))
      .map((k) => k.record)
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, limit)
      .map(({ topic, locale, text, at }) => ({ topic, locale, text, at }));
  }

  /** A topic's question in one language (its title), or undefined for an id the FAQ does not have. */
  topicTitle(topic: string, locale: FaqLocale): string | undefined {
    return isTopicId(topic) ? this.content.entry(topic, locale).title : undefined;
  }

  private ref(topic: TopicId, locale: FaqLocale): TopicRef {
    return { topic, title: this.content.entry(topic, locale).title };
  }
}
