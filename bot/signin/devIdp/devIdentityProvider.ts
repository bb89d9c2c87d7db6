/**
 * The development identity provider: a real, standards-compliant OpenID provider (oidc-provider) that `npm start`
 * runs on loopback when no issuer is configured, so that the sign-in that completes a link works locally and in
 * end-to-end tests. Its login form takes a learning account's email address and MCID, with no password, and says
 * plainly that it is for development only. It refuses to start in a production configuration.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type OidcContext } from 'oidc-provider';
import { z } from 'zod';
import { matchSupportedLocale } from '../../../locales/resolveLocale.js';
import type { Locale } from '../../../locales/locale.js';
import type { Translate } from '../../../locales/translate.js';
import { normalizeAccountId } from '../../../services/associations/associations.js';
import type { Logger } from '../../logger.js';
import { memoryAdapterClass } from './memoryAdapter.js';
import { html, htmlPage, readFormBody, sendHtml } from '../../http/pages.js';

/** A client registered with the development provider. */
export interface DevClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
}

/** What starting the development provider needs. */
export interface DevIdentityProviderOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** The bot's client; its secret is generated when not given. */
  readonly redirectUris: readonly string[];
  /** Name of the ID-token claim that carries the MCID. */
  readonly mcidClaim: string;
  /** The bot's app id: when set this is a production configuration, and the provider refuses to start. */
  readonly botAppId?: string;
  /** Other clients (tests use one to obtain a token for another audience). */
  readonly extraClients?: readonly DevClient[];
  /** Serve discovery and tokens under another issuer URL (a test proxy in front of the provider). */
  readonly issuerOverride?: (ownUrl: string) => string;
  readonly translate: (locale: Locale) => Translate;
  readonly logger: Logger;
}

/** A running development provider. */
export interface DevIdentityProvider {
  readonly issuer: string;
  /** Where the provider itself listens (the issuer, unless overridden). */
  readonly url: string;
  readonly client: DevClient;
  close(): Promise<void>;
}

/** Thrown when something would start the development provider in a production configuration. */
export class DevProviderInProductionError extends Error {
  constructor() {
    super('The development identity provider never runs in production: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (MicrosoftAppId is set).');
    this.name = 'DevProviderInProductionError';
  }
}

const loginFormSchema = z.object({
  email: z.email().max(254),
  mcid: z.string().max(60).optional(),
});

/** Whether an OpenID `claims` request parameter asks for `claim` in the ID token (the bot asks for the MCID only when linking one). */
function asksForClaim(parameter: unknown, claim: string): boolean {
  if (typeof parameter !== 'string' || parameter.length > 4096) return false;
  try {
    const parsed = JSON.parse(parameter) as { id_token?: Record<string, unknown> } | null;
    return typeof parsed?.id_token === 'object' && parsed.id_token !== null && claim in parsed.id_token;
  } catch {
    return false;
  }
}

const interactionPath = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/login)?$/;

/** Starts the development provider on 127.0.0.1 only. */
export async function startDevIdentityProvider(options: DevIdentityProviderOptions): Promise<DevIdentityProvider> {
  if (options.botAppId) throw new DevProviderInProductionError();

  // Accounts typed into the form, by subject; the subject is derived from the email so it is stable across sign-ins.
  const accounts = new Map<string, { email: string; mcid?: string }>();
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'development identity provider failed');
      if (!res.headersSent) sendHtml(res, 500, htmlPage('en', 'Error', html`<p>Internal error.</p>`));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = options.issuerOverride?.(url) ?? url;
  const client: DevClient = {
    clientId: 'mcid-link-assistant-dev',
    clientSecret: randomBytes(32).toString('base64url'),
    redirectUris: options.redirectUris,
  };
  const clients = [client, ...(options.extraClients ?? [])];
  const redirectOrigins = [...new Set(clients.flatMap((c) => c.redirectUris.map((u) => new URL(u).origin)))];

  const mcidClaim = options.mcidClaim;
  const configuration: Configuration = {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: [...c.redirectUris],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    adapter: memoryAdapterClass(),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], [mcidClaim]: null },
    // The ID token carries the email and MCID itself, so the bot needs no UserInfo call.
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      revocation: { enabled: false },
      // The bot never signs people out of the provider; without it there is no logout page to serve.
      rpInitiatedLogout: { enabled: false },
    },
    jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }] },
    pkce: { required: () => true, methods: ['S256'] },
    // Short lives: a development sign-in takes a minute, and nothing here should outlive the bot's flow cookie.
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: account.email, email_verified: true, ...(account.mcid !== undefined ? { [mcidClaim]: account.mcid } : {}) }),
      };
    },
    // A development provider has no consent screen: the bot's scopes and the MCID claim are granted on login.
    loadExistingGrant: async (ctx: OidcContext) => {
      const { session, client: oidcClient, result } = ctx.oidc;
      if (!session?.accountId || !oidcClient) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(oidcClient.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: oidcClient.clientId });
      grant.addOIDCScope('openid email profile');
      grant.addOIDCClaims([mcidClaim]);
      await grant.save();
      return grant;
    },
    renderError: (ctx, out) => {
      const t = options.translate('en');
      ctx.type = 'html';
      ctx.body = htmlPage('en', t('signin:devIdp.title'), html`<p class="dev">${t('signin:devIdp.banner')}</p><pre>${JSON.stringify(out, null, 2)}</pre>`);
    },
  };
  // Requests reach `handle` only after this line: nobody knows the issuer before it.
  const provider = new Provider(issuer, configuration);
  provider.on('server_error', (_ctx: unknown, error: unknown) => {
    options.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'development identity provider error');
  });
  const callback = provider.callback();
  options.logger.warn({ issuer }, 'development identity provider started: for local use only, never in production');

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const op = provider;
    const path = (req.url ?? '/').split('?')[0]!;
    const match = interactionPath.exec(path);
    if (!match) {
      callback(req, res);
      return;
    }
    const details = await op.interactionDetails(req, res).catch(() => undefined);
    if (!details || details.uid !== match[1]) {
      sendHtml(res, 400, htmlPage('en', 'Error', html`<p>This sign-in session has expired or does not exist.</p>`));
      return;
    }
    const locale = uiLocale(details.params.ui_locales);
    const t = options.translate(locale);
    // A Partner University sign-in does not ask for the MCID claim: the form then has no MCID field.
    const withMcid = asksForClaim(details.params.claims, mcidClaim);
    if (req.method === 'GET' && !match[2]) {
      sendHtml(res, 200, loginForm(t, locale, details.uid, undefined, withMcid), redirectOrigins);
      return;
    }
    if (req.method !== 'POST' || !match[2]) {
      sendHtml(res, 405, htmlPage(locale, 'Error', html`<p>Method not allowed.</p>`));
      return;
    }
    const form = await readFormBody(req, 4096);
    const parsed = loginFormSchema.safeParse(form ?? {});
    const mcid = parsed.success && withMcid ? normalizeAccountId('learn', parsed.data.mcid ?? '') : undefined;
    if (!parsed.success || (withMcid && mcid === undefined)) {
      sendHtml(res, 400, loginForm(t, locale, details.uid, t(withMcid ? 'signin:devIdp.invalid' : 'signin:devIdp.invalidEmail'), withMcid), redirectOrigins);
      return;
    }
    const email = parsed.data.email.toLowerCase();
    const accountId = `dev-${createHash('sha256').update(email).digest('base64url').slice(0, 24)}`;
    accounts.set(accountId, { email, ...(mcid !== undefined ? { mcid } : {}) });
    await op.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
  }

  return {
    issuer,
    url,
    client,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The first supported language of an OpenID `ui_locales` parameter (space-separated tags). */
function uiLocale(value: unknown): Locale {
  if (typeof value !== 'string') return 'en';
  for (const tag of value.split(' ')) {
    const locale = matchSupportedLocale(tag);
    if (locale) return locale;
  }
  return 'en';
}

function loginForm(t: Translate, locale: Locale, uid: string, error: string | undefined, withMcid: boolean): string {
  const mcidField = withMcid
    ? html`
  <label for="mcid">${t('signin:devIdp.mcid')}</label>
  <input id="mcid" name="mcid" required autocomplete="off" maxlength="60">`
    : undefined;
  const body = html`
<p class="dev" role="alert"><strong>${t('signin:devIdp.banner')}</strong></p>
<p>${t(withMcid ? 'signin:devIdp.intro' : 'signin:devIdp.introUniversity')}</p>
${error ? html`<p class="error" role="alert">${error}</p>` : undefined}
<form method="post" action="/interaction/${uid}/login">
  <label for="email">${t(withMcid ? 'signin:devIdp.email' : 'signin:devIdp.emailUniversity')}</label>
  <input id="email" name="email" type="email" required autocomplete="off" maxlength="254">${mcidField}
  <button type="submit">${t('signin:devIdp.submit')}</button>
</form>`;
  return htmlPage(locale, t('signin:devIdp.title'), body);
}
