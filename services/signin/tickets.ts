/**
 * Sign-in tickets: the signed, short-lived, single-use token in the link card's sign-in URL.
 *
 * A ticket is a JSON Web Token made by the one signer (services/signing.ts: HMAC-SHA256, `iat`, `exp`, `jti`, and
 * the audience `sign-in-ticket`). Its claims name the person, the organization, the account kind and id, the
 * conversation to answer in and the person's language. Verification checks the signature before it reads anything,
 * then validates the claims with zod, then the expiry. Single use is not decided here: the ticket id is checked and
 * recorded in the same ledger transaction that records the association (see completion.ts), so a ticket
 * whose sign-in was abandoned can be used again until it expires, and one that completed never again.
 */
import { z } from 'zod';
import { isTimeZone, LOCALES } from '../../locales/locale.js';
import { accountKindSchema } from '../../rules/index.js';
import { TokenSigner, type TokenProblem } from '../signing.js';
import type { SignInLinks, SignInRequest } from './links.js';

/** How long a ticket may be used after it was issued. */
export const TICKET_TTL_MS = 10 * 60 * 1000;

/** Largest ticket accepted, in characters: a conversation reference is well under this. */
const MAX_TICKET_LENGTH = 8 * 1024;

const id = z.string().trim().min(1).max(200);

/** The signed content of a ticket. */
const ticketPayloadSchema = z.object({
  v: z.literal(1),
  jti: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  personId: id,
  tenantId: id,
  kind: accountKindSchema,
  accountId: id,
  conversation: z.record(z.string(), z.unknown()),
  locale: z.enum(LOCALES),
  /** The person's IANA time zone (Teams' `localTimezone`), when the link dialog knew it: dates are shown in it. */
  timeZone: z.string().max(64).refine(isTimeZone).optional(),
  /** Issued and expires, in seconds since the epoch (JWT `iat` and `exp`). */
  iat: z.number().int().nonnegative(),
  exp: z.number().int().nonnegative(),
});
/** The verified content of a ticket. */
export type TicketPayload = z.output<typeof ticketPayloadSchema>;

/** Why a ticket was not accepted. */
type TicketProblem = TokenProblem;

/** The outcome of verifying a ticket. */
export type TicketCheck = { ok: true; ticket: TicketPayload } | { ok: false; problem: TicketProblem };

/** Issues sign-in links with tickets and verifies tickets; the bot's `SignInLinks`. */
export class SignInTickets implements SignInLinks {
  private readonly signer: TokenSigner;

  constructor(
    private readonly options: {
      /** The sign-in secret (SIGNIN_SECRET, or the one generated in DATA_DIR). */
      readonly secret: string | Buffer;
      /** Where the bot is reachable from a browser, without a trailing slash. */
      readonly publicBaseUrl: string;
      readonly clock: () => Date;
      readonly ttlMs?: number;
    },
  ) {
    this.signer = new TokenSigner(options.secret, 'sign-in-ticket');
  }

  /** A signed ticket for a request, valid for ten minutes from now; an optional `timeZone` says how to show dates. */
  issue(request: SignInRequest): Promise<string> {
    const claims = {
      v: 1,
      personId: request.personId,
      tenantId: request.tenantId,
      kind: request.kind,
      accountId: request.accountId,
      conversation: pickReference(request.conversation),
      locale: request.locale,
      ...(request.timeZone !== undefined && isTimeZone(request.timeZone) ? { timeZone: request.timeZone } : {}),
    };
    return this.signer.sign(claims, this.options.clock(), this.options.ttlMs ?? TICKET_TTL_MS);
  }

  /** The URL of `/signin/start` with a fresh ticket. */
  async createLink(request: SignInRequest): Promise<string> {
    const url = new URL('/signin/start', `${this.options.publicBaseUrl}/`);
    url.searchParams.set('ticket', await this.issue(request));
    return url.toString();
  }

  /** Checks signature, content and expiry (at `now`, default the clock); does not check single use. */
  async verify(token: string, now: Date = this.options.clock()): Promise<TicketCheck> {
    if (token.length > MAX_TICKET_LENGTH) return { ok: false, problem: 'malformed' };
    const opened = await this.signer.open(token, now);
    if (!opened.ok) return opened;
    const parsed = ticketPayloadSchema.safeParse(opened.claims);
    // A correctly signed but invalid payload means our own format changed: treat it as unusable.
    if (!parsed.success) return { ok: false, problem: 'malformed' };
    return { ok: true, ticket: parsed.data };
  }
}

/** The `processed` key that marks a ticket as used. */
export function ticketProcessedKey(jti: string): string {
  return `sign-in-ticket:${jti}`;
}

/** The fields of a botbuilder ConversationReference that a proactive message needs; the rest would only lengthen the link. */
const REFERENCE_FIELDS = ['activityId', 'user', 'bot', 'conversation', 'channelId', 'locale', 'serviceUrl'] as const;

function pickReference(reference: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of REFERENCE_FIELDS) if (reference[field] !== undefined) picked[field] = reference[field];
  return picked;
}
