import type { CloudAdapter } from 'botbuilder';
import type restify from 'restify';
import type { RosterLookup } from '../dialogs/commands/admin/rosterLookup.js';
import { createI18n } from '../locales/i18n.js';
import { translatorFor } from '../locales/translate.js';
import { defaultPolicy } from '../rules/index.js';
import { mountAdminRoutes } from './admin/adminRoutes.js';
import { loadOrCreateSecret } from './secretFile.js';
import type { AppConfig } from './config.js';
import { createBot, createCloudAdapter, type BotApp } from './createBot.js';
import { createHealthProbe } from './http/health.js';
import { createHttpServer, listen } from './http/httpServer.js';
import type { Logger } from './logger.js';
import { createSignIn } from './signin/signInSetup.js';
import { openStores, type OpenStores } from './stores.js';

/** A bot serving HTTP, with what it takes to stop it cleanly. */
export interface RunningBot {
  readonly app: BotApp<CloudAdapter>;
  /** Where Bot Framework clients post activities. */
  readonly messagesUrl: string;
  /** Waits for requests in flight (at most a few seconds), stops alert delivery and sign-in, closes the stores. */
  stop(): Promise<void>;
}

/** What a caller may add before the bot is built (the demo loads its organization and roster). */
export interface StartOptions {
  readonly prepare?: (stores: OpenStores) => Promise<{ readonly roster?: RosterLookup } | void>;
}

/**
 * Starts everything `npm start` runs: stores, sign-in (with the development identity provider when no issuer is
 * configured), the bot, its routes and the alert worker. Used by bot/index.ts and the demo, so they cannot drift.
 */
export async function startBot(config: AppConfig, logger: Logger, options: StartOptions = {}): Promise<RunningBot> {
  if (config.signIn.oidc && !config.signIn.mcidClaim) {
    // Allowed (README, "Sign-in that completes a link"), but the ownership proof is then weaker: say so where operators look.
    logger.warn(
      'OIDC_MCID_CLAIM is not set: an MCID is bound to the first learning account that signs in for it. Set the claim if the identity provider has one.',
    );
  }
  const stores = await openStores(config, logger);
  const extras = (await options.prepare?.(stores)) ?? {};
  const i18n = await createI18n();
  const adapter = createCloudAdapter(config);
  const clock = () => new Date();
  // With no OIDC_ISSUER this also starts the development identity provider on loopback (never with MicrosoftAppId).
  const signIn = await createSignIn(config, {
    ledger: stores.ledger,
    adapter,
    i18n,
    logger,
    policy: defaultPolicy,
    clock,
    // A link or a move changes who counts: both organizations are re-evaluated (the bot is built just below).
    onOrganizationChanged: (tenantId, cause) => app.onOrganizationChanged(tenantId, cause),
    // The outcome card is a notice of the bot's outbox, enqueued with the outcome.
    notices: () => app.notices,
  });
  const reportSecret = config.admin.reportSecret ?? (await loadOrCreateSecret(config.dataDir, 'report-secret'));
  const app = createBot(config, { stores, i18n, logger, adapter, clock, signInLinks: signIn.tickets, reportSecret, roster: extras.roster });
  const routes = (server: restify.Server): void => {
    signIn.routes(server);
    mountAdminRoutes(server, { admin: app.admin, apiToken: config.admin.apiToken, clock, logger, translate: (locale) => translatorFor(i18n, locale) });
  };
  const server = createHttpServer({ adapter: app.adapter, logic: app.logic, health: createHealthProbe(stores, stores.kind === 'embedded' ? { dataDir: config.dataDir } : {}), logger, routes });
  await listen(server, config.port, config.host);
  const messagesUrl = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/api/messages`;
  logger.info({ url: messagesUrl }, 'listening');
  // Alert deliveries a previous run left unfinished resume here; the daily sweep is scheduled.
  await app.alertWorker?.start();
  app.reminderWorker?.start();

  return {
    app,
    messagesUrl,
    async stop() {
      // Turns and sign-in callbacks in flight finish before the stores close.
      await closeWithin(server, 5_000);
      await app.alertWorker?.stop();
      await app.reminderWorker?.stop();
      await signIn.close();
      await stores.close();
    },
  };
}

/** Stops accepting connections and waits for open requests to end, or for `ms`, whichever comes first. */
function closeWithin(server: restify.Server, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
