/**
 * Self-proving "Was this helpful?" buttons. An answer card's buttons carry a random card id, the topic, the answer's
 * language and an HMAC over them and the conversation: a vote is accepted only with a proof the bot made for this
 * conversation, so no conversation state has to list the cards sent, and no one can vote on a card they never got or
 * invent card ids to vote many times.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What an answer card's feedback buttons carry besides the topic: its id and the proof. */
export interface VoteTicket {
  /** A random id of this answer card (22 base64url characters). */
  readonly card: string;
  /** HMAC-SHA256 over conversation, card, topic and language (43 base64url characters). */
  readonly proof: string;
}

/** What a vote names, all of it covered by the proof. */
export interface VoteSubject {
  readonly conversationId: string;
  readonly topic: string;
  readonly locale: string;
}

/** Signs and checks the feedback buttons of answer cards with one key. */
export class VoteSigner {
  private readonly key: Buffer;

  constructor(secret: string | Buffer) {
    this.key = createHmac('sha256', secret).update('mcid-link-assistant/faq-vote').digest();
  }

  /** A new card id and its proof for an answer card sent to `subject.conversationId`. */
  issue(subject: VoteSubject): VoteTicket {
    const card = randomBytes(16).toString('base64url');
    return { card, proof: this.mac(subject, card) };
  }

  /** Whether `ticket` was issued by this signer for exactly this subject (the spelling we issued, constant time). */
  verify(subject: VoteSubject, ticket: VoteTicket): boolean {
    if (!/^[A-Za-z0-9_-]{22}$/.test(ticket.card) || !/^[A-Za-z0-9_-]{43}$/.test(ticket.proof)) return false;
    const expected = Buffer.from(this.mac(subject, ticket.card), 'utf8');
    const given = Buffer.from(ticket.proof, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(subject: VoteSubject, card: string): string {
    return createHmac('sha256', this.key).update([subject.conversationId, card, subject.topic, subject.locale].join('\u0000')).digest('base64url');
  }
}

/** The key of one person's vote on one answer card: a fixed-length digest, whatever the ids' lengths. */
export function voteKey(conversationId: string, tenantId: string, personId: string, card: string): string {
  return createHash('sha256').update([conversationId, tenantId, personId, card].join('\u0000')).digest('hex');
}
