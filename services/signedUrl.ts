/**
 * Signed, expiring links (the skills-report download): an HMAC-SHA256 over the purpose, the organization and the
 * expiry, so a link works only for the organization it was made for, only until it expires, and not once altered.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a download link works. */
export const SIGNED_URL_TTL_MS = 15 * 60 * 1000;

/** Why a link was refused. */
export type SignedLinkProblem = 'malformed' | 'bad-signature' | 'expired';

/** Signs and checks links with one secret. */
export class UrlSigner {
  private readonly key: Buffer;

  /** `purpose` separates keys used for different kinds of link. */
  constructor(secret: string | Buffer, purpose: string) {
    this.key = createHmac('sha256', secret).update(`mcid-link-assistant/signed-url/${purpose}`).digest();
  }

  /** The query parameters (`expires` in epoch seconds, `sig`) of a link for `subject` valid until `now + ttl`. */
  sign(subject: string, now: Date, ttlMs: number = SIGNED_URL_TTL_MS): { expires: string; sig: string } {
    const expires = String(Math.floor((now.getTime() + ttlMs) / 1000));
    return { expires, sig: this.mac(subject, expires) };
  }

  /** Checks a link's parameters for `subject` at `now`; never throws. */
  verify(subject: string, expires: unknown, sig: unknown, now: Date): { ok: true } | { ok: false; problem: SignedLinkProblem } {
    if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof sig !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(sig)) {
      return { ok: false, problem: 'malformed' };
    }
    // The text is compared, not the decoded bytes: the last base64url character has spare bits, so decoding first
    // would accept four spellings of one signature. Only the exact spelling we issued is accepted.
    const expected = Buffer.from(this.mac(subject, expires), 'utf8');
    const given = Buffer.from(sig, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'bad-signature' };
    if (now.getTime() >= Number(expires) * 1000) return { ok: false, problem: 'expired' };
    return { ok: true };
  }

  private mac(subject: string, expires: string): string {
    return createHmac('sha256', this.key).update(`${subject}\u0000${expires}`).digest('base64url');
  }
}
