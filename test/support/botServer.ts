import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { CloudAdapter } from 'botbuilder';
import type { i18n } from 'i18next';
import type restify from 'restify';
import { loadConfig, type AppConfig } from '../../bot/config.js';
import { createBot, createCloudAdapter, type BotApp, type BotEnvironment, type OpenIdMetadataUrls } from '../../bot/createBot.js';
import { createHealthProbe } from '../../bot/health.js';
import { createHttpServer, listen } from '../../bot/httpServer.js';
import { silentLogger, type Logger } from '../../bot/logger.js';
import { openStores, type OpenStores } from '../../bot/stores.js';
import { createI18n } from '../../locales/i18n.js';
import { ConnectorStandIn } from './connectorStandIn.js';
import { testSignInLinks } from './signInLinks.js';

/** A bot listening on loopback over real HTTP, on a file store in a temporary directory, with a stand-in connector. */
export interface BotServer<C extends ConnectorStandIn = ConnectorStandIn> {
  readonly baseUrl: string;
  /** The temporary data directory (removed by close). */
  readonly dataDir: string;
  readonly config: AppConfig;
  readonly connector: C;
  readonly stores: OpenStores;
  readonly app: BotApp<CloudAdapter>;
  readonly i18n: i18n;
  readonly logger: Logger;
  /** Stops the server, the connector and the alert worker, closes the stores and removes the directory. */
  close(): Promise<void>;
}

/** What a test may change about the bot it starts. */
export interface BotServerOptions<C extends ConnectorStandIn> {
  /** Environment variables on top of a temporary DATA_DIR and LOG_LEVEL=silent. */
  readonly env?: Record<string, string>;
  /** The connector to answer at the activities' serviceUrl (default: a plain stand-in). */
  readonly connector?: C;
  /** Runs on the opened stores before the bot is built (seed data). */
  readonly seed?: (stores: OpenStores, dataDir: string) => Promise<void>;
  /** Extra collaborators for createBot (default sign-in links: the test double). */
  readonly bot?: Partial<Omit<BotEnvironment<CloudAdapter>, 'stores' | 'i18n' | 'logger' | 'adapter'>>;
  /** The logger (default: silent); tests that check log lines pass a capturing one. */
  readonly logger?: Logger;
  /** Where the adapter fetches signing keys (a local stand-in; never the network). */
  readonly openIdMetadata?: OpenIdMetadataUrls;
  /** Routes mounted beside /api/messages and /healthz. */
  readonly routes?: (server: restify.Server, app: BotApp<CloudAdapter>, config: AppConfig) => void;
}

/** Starts the bot the way bot/index.ts does, minus process signals, for end-to-end tests. */
export async function startBotServer<C extends ConnectorStandIn = ConnectorStandIn>(options: BotServerOptions<C> = {}): Promise<BotServer<C>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-bot-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...options.env });
  const connector = options.connector ?? (new ConnectorStandIn() as C);
  await connector.start();
  const stores = await openStores(config);
  await options.seed?.(stores, dataDir);
  const logger = options.logger ?? silentLogger();
  const i18nInstance = await createI18n();
  const app = createBot(config, {
    signInLinks: testSignInLinks(),
    ...options.bot,
    stores,
    i18n: i18nInstance,
    logger,
    adapter: createCloudAdapter(config, options.openIdMetadata),
  });
  const server = createHttpServer({
    adapter: app.adapter,
    logic: app.logic,
    health: createHealthProbe(stores, { dataDir }),
    logger,
    routes: options.routes && ((s) => options.routes!(s, app, config)),
  });
  await listen(server, 0, '127.0.0.1');
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dataDir,
    config,
    connector,
    stores,
    app,
    i18n: i18nInstance,
    logger,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.alertWorker?.stop();
      await connector.stop();
      await stores.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
