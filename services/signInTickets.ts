/**
 * Sign-in tickets: the signed, short-lived, single-use token in the link card's sign-in URL.
 *
 * Format: `base64url(JSON payload) "." base64url(HMAC-SHA256(key, first part))`. The payload names the person,
 * the organization, the account kind and id, the conversation to answer in and the person's language, with an
 * id (`jti`) and an expiry. Verification checks the signature (constant time) before it reads anything, then
 * validates the payload with zod, then the expiry. Single use is not decided here: the ticket id is checked and
 * recorded in the same ledger transaction that records the association (see signInCompletion.ts), so a ticket
 * whose sign-in was abandoned can be used again until it expires, and one that completed never again.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { LOCALES } from '../locales/locale.js';
import { accountKindSchema } from '../rules/index.js';
import type { SignInLinks, SignInRequest } from './signInLinks.js';

/** How long a ticket may be used after it was issued. */
export const TICKET_TTL_MS = 10 * 60 * 1000;

/** Largest ticket accepted, in characters: a conversation reference is well under this. */
export const MAX_TICKET_LENGTH = 8 * 1024;

const id = z.string().trim().min(1).max(200);

/** The signed content of a ticket. */
export const ticketPayloadSchema = z.object({
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
  /** Issued and expires, in milliseconds since the epoch. */
  iat: z.number().int().nonnegative(),
  exp: z.number().int().nonnegative(),
});
/** The verified content of a ticket. */
export type TicketPayload = z.output<typeof ticketPayloadSchema>;

/** Why a ticket was not accepted. */
export type TicketProblem = 'malformed' | 'bad-signature' | 'expired';

/** The outcome of verifying a ticket. */
export type TicketCheck = { ok: true; ticket: TicketPayload } | { ok: false; problem: TicketProblem };

/** Signs and verifies values with one key (tickets, and the sign-in flow cookie). */
export class Signer {
  private readonly key: Buffer;

  /** `secret` is the configured or generated sign-in secret; `purpose` separates keys used for different things. */
  constructor(secret: string | Buffer, purpose: string) {
    this.key = createHmac('sha256', secret).update(`mcid-link-assistant/${purpose}`).digest();
  }

  /** `payload.signature`, both base64url. */
  sign(value: unknown): string {
    const body = Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The JSON value inside a token whose signature is right, or a problem; never throws. */
  open(token: string): { ok: true; value: unknown } | { ok: false; problem: 'malformed' | 'bad-signature' } {
    const parts = token.split('.');
    if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]!) || !/^[A-Za-z0-9_-]+$/.test(parts[1]!)) {
      return { ok: false, problem: 'malformed' };
    }
    const [body, signature] = parts as [string, string];
    // The text is compared, not the decoded bytes: base64url leaves spare bits in its last character, so decoding
    // first would accept several spellings of one signature. Only the exact spelling we issued is accepted.
    if (!sameText(signature, this.mac(body))) return { ok: false, problem: 'bad-signature' };
    const decoded = Buffer.from(body, 'base64url');
    if (decoded.toString('base64url') !== body) return { ok: false, problem: 'malformed' };
    try {
      return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(decoded)) as unknown };
    } catch {
      return { ok: false, problem: 'malformed' };
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** Issues sign-in links with tickets and verifies tickets; the bot's `SignInLinks`. */
export class SignInTickets implements SignInLinks {
  private readonly signer: Signer;

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
    this.signer = new Signer(options.secret, 'sign-in-ticket');
  }

  /** A signed ticket for a request, valid for ten minutes from now; an optional `timeZone` says how to show dates. */
  issue(request: SignInRequest): string {
    const iat = this.options.clock().getTime();
    const payload: TicketPayload = {
      v: 1,
      jti: randomBytes(18).toString('base64url'),
      personId: request.personId,
      tenantId: request.tenantId,
      kind: request.kind,
      accountId: request.accountId,
      conversation: pickReference(request.conversation),
      locale: request.locale,
      ...(request.timeZone !== undefined && isTimeZone(request.timeZone) ? { timeZone: request.timeZone } : {}),
      iat,
      exp: iat + (this.options.ttlMs ?? TICKET_TTL_MS),
    };
    return this.signer.sign(payload);
  }

  /** The URL of `/signin/start` with a fresh ticket. */
  createLink(request: SignInRequest): Promise<string> {
    const url = new URL('/signin/start', `${this.options.publicBaseUrl}/`);
    url.searchParams.set('ticket', this.issue(request));
    return Promise.resolve(url.toString());
  }

  /** Checks signature, content and expiry (at `now`, default the clock); does not check single use. */
  verify(token: string, now: Date = this.options.clock()): TicketCheck {
    if (token.length > MAX_TICKET_LENGTH) return { ok: false, problem: 'malformed' };
    const opened = this.signer.open(token);
    if (!opened.ok) return opened;
    const parsed = ticketPayloadSchema.safeParse(opened.value);
    // A correctly signed but invalid payload means our own format changed: treat it as unusable.
    if (!parsed.success) return { ok: false, problem: 'malformed' };
    if (now.getTime() >= parsed.data.exp) return { ok: false, problem: 'expired' };
    return { ok: true, ticket: parsed.data };
  }
}

/** Compares two ASCII texts in constant time (for equal lengths). */
export function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
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

/** Whether `Intl` knows a time zone name. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
