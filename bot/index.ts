import { existsSync } from 'node:fs';
import type restify from 'restify';
import { createI18n } from '../locales/i18n.js';
import { defaultPolicy } from '../rules/index.js';
import { loadOrCreateSecret, mountAdminRoutes } from './adminRoutes.js';
import { assertProductionSignIn, ConfigError, describeConfig, loadConfig } from './config.js';
import { createBot, createCloudAdapter } from './createBot.js';
import { createHealthProbe } from './health.js';
import { createHttpServer, listen } from './httpServer.js';
import { createLogger } from './logger.js';
import { createSignIn } from './signInSetup.js';
import { openStores } from './stores.js';

/** Process entry: configuration, stores, bot, server. */
async function main(): Promise<void> {
  // A local .env is optional; variables already in the environment win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  assertProductionSignIn(config);
  const logger = createLogger(config.logLevel);
  logger.info(describeConfig(config), 'starting');
  if (config.signIn.oidc && !config.signIn.mcidClaim) {
    // Allowed (issue 5), but the ownership proof is then weaker: say so where operators look.
    logger.warn(
      'OIDC_MCID_CLAIM is not set: an MCID is bound to the first learning account that signs in for it. Set the claim if the identity provider has one.',
    );
  }

  const stores = await openStores(config);
  const i18n = await createI18n();
  const adapter = createCloudAdapter(config);
  // With no OIDC_ISSUER this also starts the development identity provider on loopback (never with MicrosoftAppId).
  const signIn = await createSignIn(config, {
    ledger: stores.ledger,
    adapter,
    i18n,
    logger,
    policy: defaultPolicy,
    clock: () => new Date(),
    // A link or a move changes who counts: both organizations are re-evaluated (the bot is built just below).
    onOrganizationChanged: (tenantId, cause) => app.onOrganizationChanged(tenantId, cause),
  });
  const reportSecret = config.admin.reportSecret ?? (await loadOrCreateSecret(config.dataDir, 'report-secret'));
  const app = createBot(config, { stores, i18n, logger, adapter, signInLinks: signIn.tickets, reportSecret });
  const routes = (server: restify.Server): void => {
    signIn.routes(server);
    mountAdminRoutes(server, { admin: app.admin, apiToken: config.admin.apiToken, clock: () => new Date(), logger });
  };
  const server = createHttpServer({ adapter: app.adapter, logic: app.logic, health: createHealthProbe(stores), logger, routes });
  await listen(server, config.port, config.host);
  logger.info({ url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/api/messages` }, 'listening');
  // Alert deliveries a previous run left unfinished resume here; the daily sweep is scheduled.
  await app.alertWorker?.start();

  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'stopping');
    // Turns and sign-in callbacks in flight finish before the stores close (at most a few seconds).
    await closeWithin(server, 5_000);
    await app.alertWorker?.stop();
    await signIn.close();
    await stores.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
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

main().catch((error: unknown) => {
  // Start-up failures are for a person at a terminal: one clear message, no stack for known causes.
  const known =
    error instanceof ConfigError || (error instanceof Error && ['CorruptStoreError', 'DevProviderInProductionError'].includes(error.name));
  process.stderr.write(`${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
