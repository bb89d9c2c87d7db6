import * as client from 'openid-client';

/** The identity provider as the bot's sign-in sees it. */
export interface RelyingPartyOptions {
  readonly issuer: string;
  readonly clientId: string;
  /** Absent: a public client (PKCE only). */
  readonly clientSecret?: string;
  /** The bot's `/signin/callback` on its public base URL. */
  readonly redirectUri: string;
  /** The ID-token claim that carries the MCID, asked for with the `claims` parameter when the provider supports it. */
  readonly mcidClaim?: string;
}

/** What the start of a sign-in remembers (in the browser's signed cookie) to check the callback. */
export interface AuthorizationChecks {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/**
 * The OpenID Connect relying party, on openid-client (a certified RP library): authorization-code flow with PKCE,
 * `state` and `nonce`, and ID-token signature verification (non-repudiation checks) on top of its claim checks
 * (issuer, audience, expiry, nonce). Discovery is done on first use and retried after a failure.
 */
export class RelyingParty {
  private configuration?: Promise<client.Configuration>;

  constructor(private readonly options: RelyingPartyOptions) {}

  /** Fresh random checks for one sign-in. */
  static newChecks(): AuthorizationChecks {
    return { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
  }

  /** The origin of the provider's authorization endpoint (discovering the provider on first use). */
  async authorizationOrigin(): Promise<string> {
    const endpoint = (await this.config()).serverMetadata().authorization_endpoint;
    if (!endpoint) throw new Error('the identity provider announces no authorization endpoint');
    return new URL(endpoint).origin;
  }

  /**
   * The provider's authorization URL for one sign-in, in the person's language. The MCID claim is asked for only when a
   * Microsoft Learning account is being linked: a Partner University account has no MCID.
   */
  async authorizationUrl(checks: AuthorizationChecks, locale: string, kind: 'learn' | 'university' = 'learn'): Promise<URL> {
    const config = await this.config();
    const parameters: Record<string, string> = {
      redirect_uri: this.options.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
      // The person proves the account now, with the account they choose, not with a session left open earlier.
      prompt: 'login',
      ui_locales: locale,
    };
    if (kind === 'learn' && this.options.mcidClaim && config.serverMetadata().claims_parameter_supported) {
      parameters.claims = JSON.stringify({ id_token: { [this.options.mcidClaim]: null } });
    }
    return client.buildAuthorizationUrl(config, parameters);
  }

  /** Exchanges the callback's code and returns the verified ID token's claims; throws when anything does not verify. */
  async exchange(callbackUrl: URL, checks: AuthorizationChecks): Promise<Record<string, unknown>> {
    const config = await this.config();
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the token response has no ID token');
    return { ...claims };
  }

  private config(): Promise<client.Configuration> {
    if (!this.configuration) {
      const { issuer, clientId, clientSecret } = this.options;
      const insecure = new URL(issuer).protocol === 'http:';
      this.configuration = client
        .discovery(new URL(issuer), clientId, undefined, clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(), {
          // http is accepted by config.ts only on loopback (the development provider).
          execute: [client.enableNonRepudiationChecks, ...(insecure ? [client.allowInsecureRequests] : [])],
        })
        .catch((error: unknown) => {
          this.configuration = undefined;
          throw error;
        });
    }
    return this.configuration;
  }
}
