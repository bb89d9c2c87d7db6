/**
 * The sign-in flow's cookie: the state, nonce and PKCE verifier of one sign-in, its ticket and the confirmation
 * form's token, signed (a JWT of services/signing.ts under its own purpose) and kept HttpOnly in the browser that
 * started the sign-in, for FLOW_TTL_MS.
 */
import { serialize as serializeCookie } from 'cookie';
import type http from 'node:http';
import { z } from 'zod';
import { TokenSigner } from '../../services/signing.js';
import { readCookie } from '../http/pages.js';
import type { AuthorizationChecks } from './signInRelyingParty.js';

/** How long a browser has between /signin/start and the callback. */
const FLOW_TTL_MS = 10 * 60 * 1000;

/** The flow cookie; on https a `__Host-` cookie, which no sibling subdomain can plant or overwrite. */
const COOKIE_NAME = 'mcid_signin';
const HOST_COOKIE_NAME = `__Host-${COOKIE_NAME}`;
/** Browsers keep cookies up to about 4 KB; a flow cookie is about 2 KB. */
const MAX_COOKIE_CHARS = 3800;

const flowSchema = z.object({
  state: z.string().min(1).max(512),
  nonce: z.string().min(1).max(512),
  codeVerifier: z.string().min(43).max(128),
  ticket: z.string().min(1).max(8192),
  /** The confirmation form's token: the Continue request must carry it, with this cookie. */
  formToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  /** When the sign-in started (the cookie's JWT `iat`, seconds since the epoch). */
  iat: z.number().int().nonnegative(),
});

/** One browser's sign-in, as read back from its cookie. */
export type Flow = z.output<typeof flowSchema>;

/** Writes and reads the flow cookie of the sign-in routes. */
export class FlowCookie {
  readonly #signer: TokenSigner;
  readonly #name: string;
  readonly #secure: boolean;
  readonly #clock: () => Date;
  /** The `set-cookie` value that removes the cookie. */
  readonly clear: string;

  /** `secret` is the sign-in secret (the cookie's key is derived from it); `secure` when the bot is reached over https. */
  constructor(secret: string | Buffer, secure: boolean, clock: () => Date) {
    this.#signer = new TokenSigner(secret, 'sign-in-flow');
    // `__Host-` requires Secure and Path=/; over plain http (local development) the cookie keeps to /signin/.
    this.#name = secure ? HOST_COOKIE_NAME : COOKIE_NAME;
    this.#secure = secure;
    this.#clock = clock;
    this.clear = this.#header('', 0);
  }

  /** The `set-cookie` value of a new flow, or undefined when it would be too long for a browser to keep. */
  async issue(checks: AuthorizationChecks, ticket: string, formToken: string): Promise<string | undefined> {
    const value = await this.#signer.sign({ ...checks, ticket, formToken }, this.#clock(), FLOW_TTL_MS);
    if (value.length > MAX_COOKIE_CHARS) return undefined;
    return this.#header(value, Math.floor(FLOW_TTL_MS / 1000));
  }

  /** This browser's flow: signed by us for this purpose, not older than FLOW_TTL_MS and well formed; else undefined. */
  async read(req: http.IncomingMessage): Promise<Flow | undefined> {
    const value = readCookie(req, this.#name);
    if (!value) return undefined;
    // Signature, audience and lifetime (FLOW_TTL_MS from the start) are the signer's; the content is ours.
    const opened = await this.#signer.open(value, this.#clock());
    if (!opened.ok) return undefined;
    const parsed = flowSchema.safeParse(opened.claims);
    return parsed.success ? parsed.data : undefined;
  }

  #header(value: string, maxAgeSeconds: number): string {
    return serializeCookie(this.#name, value, { path: this.#secure ? '/' : '/signin/', httpOnly: true, sameSite: 'lax', maxAge: maxAgeSeconds, secure: this.#secure });
  }
}
