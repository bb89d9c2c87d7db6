/**
 * Self-proving "Was this helpful?" buttons. An answer card's buttons carry a random card id, the topic, the answer's
 * language and a proof over them and the conversation (a detached JWS, services/signing.ts): a vote is accepted only with a proof the bot made for this
 * conversation, so no conversation state has to list the cards sent, and no one can vote on a card they never got or
 * invent card ids to vote many times.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { DetachedSigner } from '../signing.js';

/** What an answer card's feedback buttons carry besides the topic: its id and the proof. */
export interface VoteTicket {
  /** A random id of this answer card (22 base64url characters). */
  readonly card: string;
  /** HS256 signature over conversation, card, topic and language (43 base64url characters). */
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
  private readonly signer: DetachedSigner;

  constructor(secret: string | Buffer) {
    this.signer = new DetachedSigner(secret, 'faq-vote');
  }

  /** A new card id and its proof for an answer card sent to `subject.conversationId`. */
  async issue(subject: VoteSubject): Promise<VoteTicket> {
    const card = randomCardId();
    return { card, proof: await this.signer.prove(proofSubject(subject, card)) };
  }

  /** Whether `ticket` was issued by this signer for exactly this subject (the spelling we issued). */
  async verify(subject: VoteSubject, ticket: VoteTicket): Promise<boolean> {
    if (!/^[A-Za-z0-9_-]{22}$/.test(ticket.card)) return false;
    return this.signer.check(proofSubject(subject, ticket.card), ticket.proof);
  }
}

/**
 * Random bytes drawn 4 KiB at a time and handed out 16 by 16: one system call per 256 cards instead of one per card
 * (as Node's own randomUUID does), each id still 128 fresh random bits used once.
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function randomCardId(): string {
  if (poolAt + 16 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const id = pool.toString('base64url', poolAt, poolAt + 16);
  poolAt += 16;
  return id;
}

function proofSubject(subject: VoteSubject, card: string): string {
  return [subject.conversationId, card, subject.topic, subject.locale].join('\u0000');
}

/** The key of one person's vote on one answer card: a fixed-length digest, whatever the ids' lengths. */
export function voteKey(conversationId: string, tenantId: string, personId: string, card: string): string {
  return createHash('sha256').update([conversationId, tenantId, personId, card].join('\u0000')).digest('hex');
}
