/**
 * The one signer of the bot's short-lived tokens: sign-in tickets, the sign-in flow cookie and the skills-report
 * links. Each is a JSON Web Token (RFC 7519) signed with HMAC-SHA256 by `jose`, with the standard claims: `iat`
 * and `exp` (seconds since the epoch), a random `jti`, and `aud` naming what the token is for, so a token made for
 * one purpose is refused by the others. Each purpose also has its own key, derived from the configured or generated
 * secret (SIGNIN_SECRET, REPORT_SECRET or the files in DATA_DIR); the secret itself never signs anything.
 *
 * Verification checks the signature before it reads anything, then the claims, then the expiry at the caller's
 * `now`, and never throws: a problem is a value. What is proven but never expires and travels apart from its content
 * (the "was this helpful?" buttons) is a JWS with a detached payload (RFC 7515, appendix F), verified by the same
 * library. Only the exact spelling we issued is accepted: base64url leaves spare bits in a part's last character,
 * so a decoder alone would accept several spellings of one signature.
 */
import { createHmac, randomBytes, webcrypto } from 'node:crypto';
import { errors, flattenedVerify, jwtVerify, SignJWT, type JWTPayload } from 'jose';

/** Why a token was not accepted. */
export type TokenProblem = 'malformed' | 'bad-signature' | 'expired';

/** The claims every token carries. */
interface StandardClaims {
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
}

/** The outcome of opening a token. */
export type Opened = { ok: true; claims: Record<string, unknown> & StandardClaims } | { ok: false; problem: TokenProblem };

const ALGORITHM = 'HS256';
const PART = /^[A-Za-z0-9_-]+$/;

/** Signs and verifies tokens of one purpose with one key. */
export class TokenSigner {
  private readonly key: Uint8Array;

  /** `secret` is the configured or generated secret; `purpose` (e.g. `sign-in-ticket`) separates keys and audiences. */
  constructor(
    secret: string | Buffer,
    private readonly purpose: string,
  ) {
    this.key = purposeKey(secret, purpose);
  }

  /** A token carrying `claims`, issued at `now` and valid for `ttlMs` (whole seconds; the rest is dropped). */
  async sign(claims: Record<string, unknown>, now: Date, ttlMs: number): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + Math.floor(ttlMs / 1000))
      .setJti(randomBytes(18).toString('base64url'))
      .setAudience(this.purpose)
      .sign(this.key);
  }

  /** The claims of a token that is well formed, signed with this key for this purpose, issued by `now` and not expired. */
  async open(token: string, now: Date): Promise<Opened> {
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((p) => PART.test(p))) return { ok: false, problem: 'malformed' };
    const [header, payload, signature] = parts as [string, string, string];
    if (!canonical(header) || !canonical(payload)) return { ok: false, problem: 'malformed' };
    if (!canonical(signature)) return { ok: false, problem: 'bad-signature' };
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        audience: this.purpose,
        requiredClaims: ['iat', 'exp', 'jti'],
        currentDate: now,
      }));
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, problem: 'bad-signature' };
      if (error instanceof errors.JWTExpired) return { ok: false, problem: 'expired' };
      return { ok: false, problem: 'malformed' };
    }
    const { iat, exp, jti } = claims;
    // Issued after `now`: we never issue those, so the key or the clock is not what we think.
    if (typeof iat !== 'number' || typeof exp !== 'number' || typeof jti !== 'string' || iat > Math.floor(now.getTime() / 1000)) {
      return { ok: false, problem: 'malformed' };
    }
    return { ok: true, claims: { ...claims, iat, exp, jti } };
  }
}

/**
 * Proves a subject that travels apart from its proof: a JWS (HS256) whose payload is detached (RFC 7515, appendix
 * F), so only its 43-character signature is sent. No expiry: the caller decides what the subject names.
 */
export class DetachedSigner {
  private readonly key: Uint8Array;
  /** The key as WebCrypto holds it, imported once: jose would import raw bytes again for every check. */
  private verifyKey: Promise<webcrypto.CryptoKey> | undefined;

  constructor(secret: string | Buffer, purpose: string) {
    this.key = purposeKey(secret, purpose);
  }

  /**
   * The proof of `subject`: the signature part of its detached JWS, base64url. The same bytes `jose`'s FlattenedSign
   * makes (HMAC-SHA256 over `protected.payload`, RFC 7515 section 5.1; a test holds the two equal), computed with
   * node:crypto directly: jose signs through WebCrypto, importing the key and crossing to the thread pool for every
   * answer card, which was a seventh of an FAQ turn's CPU. `check` still verifies with jose.
   */
  async prove(subject: string): Promise<string> {
    return createHmac('sha256', this.key).update(`${DETACHED_PROTECTED}.${Buffer.from(subject, 'utf8').toString('base64url')}`).digest('base64url');
  }

  /** Whether `proof` is exactly the proof this signer makes for `subject`; never throws. */
  async check(subject: string, proof: string): Promise<boolean> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(proof) || !canonical(proof)) return false;
    const jws = { protected: DETACHED_PROTECTED, payload: Buffer.from(subject, 'utf8').toString('base64url'), signature: proof };
    try {
      this.verifyKey ??= webcrypto.subtle.importKey('raw', this.key, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
      await flattenedVerify(jws, await this.verifyKey, { algorithms: [ALGORITHM] });
      return true;
    } catch {
      return false;
    }
  }
}

const DETACHED_HEADER = { alg: ALGORITHM };
const DETACHED_PROTECTED = Buffer.from(JSON.stringify(DETACHED_HEADER), 'utf8').toString('base64url');

/** The key of one purpose, derived from the secret: the secret itself never signs anything. */
function purposeKey(secret: string | Buffer, purpose: string): Uint8Array {
  return createHmac('sha256', secret).update(`mcid-link-assistant/${purpose}`).digest();
}

/** Whether a base64url text is the one spelling its bytes encode to. */
function canonical(part: string): boolean {
  return Buffer.from(part, 'base64url').toString('base64url') === part;
}
