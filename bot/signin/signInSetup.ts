/**
 * Wiring of the sign-in that completes a link: the secret, the identity provider (configured, or the development
 * one on loopback), the relying party, tickets, the completion use case and the routes.
 */
import type { CloudAdapter } from 'botbuilder';
import type { i18n } from 'i18next';
import type restify from 'restify';
import { loadOrCreateSecret } from '../secretFile.js';
import { translatorFor } from '../../locales/translate.js';
import type { Policy } from '../../rules/index.js';
import type { OnOrganizationChanged } from '../../services/organizationEvents.js';
import { SignInCompletion } from '../../services/signin/completion.js';
import { SignInTickets } from '../../services/signin/tickets.js';
import type { Ledger } from '../../storage/index.js';
import { organizationName, personName } from '../../services/ledgerQueries.js';
import type { AppConfig } from '../config.js';
import { startDevIdentityProvider, type DevIdentityProvider, type DevIdentityProviderOptions } from './devIdp/devIdentityProvider.js';
import type { Logger } from '../logger.js';
import { adapterProactiveSender } from '../proactive/proactive.js';
import { RelyingParty } from './signInRelyingParty.js';
import type { NoticeOutbox } from '../../services/outbox/outbox.js';
import { signInRoutes } from './signInRoutes.js';

/** The sign-in, assembled. */
export interface SignIn {
  /** Issues the link cards' sign-in URLs (the bot's `SignInLinks`). */
  readonly tickets: SignInTickets;
  readonly completion: SignInCompletion;
  /** Mounts /signin/start and /signin/callback (for `createHttpServer`'s `routes`). */
  readonly routes: (server: restify.Server) => void;
  /** The development identity provider, when it was started. */
  readonly devProvider?: DevIdentityProvider;
  close(): Promise<void>;
}

/** What `createSignIn` needs besides the configuration. */
export interface SignInEnvironment {
  readonly ledger: Ledger;
  readonly adapter: Pick<CloudAdapter, 'continueConversationAsync'>;
  readonly i18n: i18n;
  readonly logger: Logger;
  readonly policy: Policy;
  readonly clock: () => Date;
  /** Called after a sign-in links (and, for a move, for the organization left): re-evaluate competencies (alerts). */
  readonly onOrganizationChanged?: OnOrganizationChanged;
  /** The outbox the outcome cards go to (read lazily: the bot is built after the sign-in); none: posted at once. */
  readonly notices?: () => NoticeOutbox | undefined;
  /**
   * Tests only: options passed on to the development identity provider, and `withoutMcidClaim` to sign in as
   * against a provider that has no MCID claim.
   */
  readonly devProvider?: Partial<Pick<DevIdentityProviderOptions, 'extraClients' | 'issuerOverride'>> & { readonly withoutMcidClaim?: boolean };
}

/** Name of the generated secret in the data directory. */
export const SECRET_FILE = 'signin-secret';

/** The configured secret, or the one generated once in the data directory, readable by its owner only. */
export async function loadSignInSecret(config: AppConfig, logger: Logger): Promise<string> {
  return config.signIn.secret ?? (await loadOrCreateSecret(config.dataDir, SECRET_FILE, logger));
}

/**
 * Assembles the sign-in. With no issuer configured it starts the development identity provider on 127.0.0.1,
 * which refuses to run when `MicrosoftAppId` is set.
 */
export async function createSignIn(config: AppConfig, env: SignInEnvironment): Promise<SignIn> {
  const secret = await loadSignInSecret(config, env.logger);
  const { publicBaseUrl } = config.signIn;
  const redirectUri = `${publicBaseUrl}/signin/callback`;

  let devProvider: DevIdentityProvider | undefined;
  let oidc = config.signIn.oidc;
  let mcidClaim = config.signIn.mcidClaim;
  if (!oidc) {
    const { withoutMcidClaim, ...devOptions } = env.devProvider ?? {};
    devProvider = await startDevIdentityProvider({
      port: config.signIn.devIdpPort,
      redirectUris: [redirectUri],
      mcidClaim: mcidClaim ?? 'mcid',
      botAppId: config.botAuth.appId,
      translate: (locale) => translatorFor(env.i18n, locale),
      logger: env.logger,
      ...devOptions,
    });
    oidc = { issuer: devProvider.issuer, clientId: devProvider.client.clientId, clientSecret: devProvider.client.clientSecret };
    mcidClaim = withoutMcidClaim ? undefined : (mcidClaim ?? 'mcid');
  }

  const tickets = new SignInTickets({ secret, publicBaseUrl, clock: env.clock });
  const completion = new SignInCompletion({
    ledger: env.ledger,
    policy: env.policy,
    clock: env.clock,
    onOrganizationChanged: env.onOrganizationChanged,
    onHookError: (error) => env.logger.error({ err: (error as Error).message }, 'competency re-evaluation after a sign-in failed'),
  });
  const relyingParty = new RelyingParty({ ...oidc, redirectUri, mcidClaim });
  const routes = signInRoutes({
    publicBaseUrl,
    mcidClaim,
    universityClaim: config.signIn.universityClaim,
    secret,
    relyingParty,
    tickets,
    completion,
    ...(env.notices ? { notices: env.notices } : {}),
    post: adapterProactiveSender(env.adapter, config.botAuth.appId, env.logger),
    i18n: env.i18n,
    policy: env.policy,
    clock: env.clock,
    logger: env.logger,
    personName: (tenantId, personId) => personName(env.ledger, { tenantId, personId }),
    organizationName: (tenantId) => organizationName(env.ledger, tenantId),
  });
  return { tickets, completion, routes, devProvider, close: async () => devProvider?.close() };
}
