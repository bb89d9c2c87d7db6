/**
 * The counted "Was this helpful?" votes of each topic and language, so that the admins' summary reads one small record
 * per topic and language instead of every vote: changed with each vote, and recounted from the votes by the daily
 * sweep (which keeps them right whatever happened, and counts votes recorded before the totals existed).
 */
import type { RecordOf, Transaction, ledgerSchemas } from '../../storage/index.js';

type Vote = Pick<RecordOf<typeof ledgerSchemas, 'faqFeedback'>, 'topic' | 'locale' | 'helpful'>;

/** The key of a topic's totals in one language. */
function voteTotalsKey(vote: Pick<Vote, 'topic' | 'locale'>): string {
  return `${vote.topic}/${vote.locale}`;
}

/** Adds (`+1`) or takes back (`-1`) one vote in its topic's totals. */
export async function countVote(tx: Transaction<typeof ledgerSchemas>, vote: Vote, change: 1 | -1): Promise<void> {
  const key = voteTotalsKey(vote);
  const totals = (await tx.get('faqFeedbackTotals', key)) ?? { topic: vote.topic, locale: vote.locale, helpful: 0, notHelpful: 0 };
  const field = vote.helpful ? 'helpful' : 'notHelpful';
  tx.put('faqFeedbackTotals', key, { ...totals, [field]: Math.max(0, totals[field] + change) });
}

/** Replaces every total with the count of `votes` (all the votes stored). */
export async function recountVotes(tx: Transaction<typeof ledgerSchemas>, votes: Iterable<Vote>): Promise<void> {
  const counted = new Map<string, RecordOf<typeof ledgerSchemas, 'faqFeedbackTotals'>>();
  for (const vote of votes) {
    const key = voteTotalsKey(vote);
    const totals = counted.get(key) ?? { topic: vote.topic, locale: vote.locale, helpful: 0, notHelpful: 0 };
    counted.set(key, vote.helpful ? { ...totals, helpful: totals.helpful + 1 } : { ...totals, notHelpful: totals.notHelpful + 1 });
  }
  // A small fixed collection (topics × languages).
  for (const { id } of await tx.scan('faqFeedbackTotals')) if (!counted.has(id)) tx.delete('faqFeedbackTotals', id);
  for (const [key, totals] of counted) tx.put('faqFeedbackTotals', key, totals);
}
