import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { CloudAdapter } from 'botbuilder';
import type { i18n } from 'i18next';
import type restify from 'restify';
import { loadConfig, type AppConfig } from '../../bot/config.js';
import { createBot, createCloudAdapter, type BotApp, type BotEnvironment, type OpenIdMetadataUrls } from '../../bot/createBot.js';
import { createHealthProbe } from '../../bot/http/health.js';
import { createHttpServer, listen } from '../../bot/http/httpServer.js';
import { silentLogger, type Logger } from '../../bot/logger.js';
import { createSignIn, type SignIn, type SignInEnvironment } from '../../bot/signin/signInSetup.js';
import { openStores, type OpenStores } from '../../bot/stores.js';
import { createI18n } from '../../locales/i18n.js';
import { defaultPolicy } from '../../rules/index.js';
import { ConnectorStandIn } from './connectorStandIn.js';
import { testSignInLinks } from './signInLinks.js';

/**
 * A bot listening on loopback over real HTTP, on a file store (in a temporary directory unless one is given), with a
 * stand-in connector: the one way tests start the bot as bot/startBot.ts composes it (the end-to-end tests, the
 * sign-in rig, the bot process of the restart test).
 */
export interface BotServer<C extends ConnectorStandIn = ConnectorStandIn> {
  readonly baseUrl: string;
  /** The data directory (a temporary one is removed by close). */
  readonly dataDir: string;
  readonly config: AppConfig;
  readonly connector: C;
  readonly stores: OpenStores;
  readonly app: BotApp<CloudAdapter>;
  readonly i18n: i18n;
  readonly logger: Logger;
  /** The sign-in (routes, tickets, identity provider) when `signIn` was asked for. */
  readonly signIn: SignIn | undefined;
  /** Stops the server, the connector, the alert worker and the sign-in, closes the stores and removes a temporary directory. */
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
  /** A data directory to use and keep (default: a new temporary one, removed by close). */
  readonly dataDir?: string;
  /** The port on 127.0.0.1 (default: any free one). */
  readonly port?: number;
  /**
   * Runs the real sign-in (development identity provider, sign-in routes, tickets as the bot's sign-in links), on the
   * bot's clock; `onOrganizationChanged` hears each change before the bot re-evaluates the organization.
   */
  readonly signIn?: Pick<SignInEnvironment, 'devProvider' | 'onOrganizationChanged'>;
  /** Starts the alert worker (resuming unfinished deliveries), as the running bot does. */
  readonly startWorker?: boolean;
}

/** Starts the bot the way bot/startBot.ts does, minus process signals, for end-to-end tests. */
export async function startBotServer<C extends ConnectorStandIn = ConnectorStandIn>(options: BotServerOptions<C> = {}): Promise<BotServer<C>> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'mcid-bot-')));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(options.port !== undefined ? { PORT: String(options.port) } : {}), ...options.env });
  const connector = options.connector ?? (new ConnectorStandIn() as C);
  await connector.start();
  const stores = await openStores(config);
  await options.seed?.(stores, dataDir);
  const logger = options.logger ?? silentLogger();
  const i18nInstance = await createI18n();
  const adapter = createCloudAdapter(config, options.openIdMetadata);
  const clock = options.bot?.clock ?? (() => new Date());
  const signIn =
    options.signIn &&
    (await createSignIn(config, {
      ledger: stores.ledger,
      adapter,
      i18n: i18nInstance,
      logger,
      policy: options.bot?.policy ?? defaultPolicy,
      clock,
      devProvider: options.signIn.devProvider,
      onOrganizationChanged: async (tenantId, cause) => {
        await options.signIn?.onOrganizationChanged?.(tenantId, cause);
        await app.onOrganizationChanged(tenantId, cause);
      },
    }));
  const app: BotApp<CloudAdapter> = createBot(config, {
    signInLinks: signIn?.tickets ?? testSignInLinks(),
    ...options.bot,
    stores,
    i18n: i18nInstance,
    logger,
    adapter,
  });
  const server = createHttpServer({
    adapter: app.adapter,
    logic: app.logic,
    health: createHealthProbe(stores, { dataDir }),
    logger,
    routes: (s) => {
      signIn?.routes(s);
      options.routes?.(s, app, config);
    },
  });
  await listen(server, options.port ?? 0, '127.0.0.1');
  if (options.startWorker) await app.alertWorker?.start();
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dataDir,
    config,
    connector,
    stores,
    app,
    i18n: i18nInstance,
    logger,
    signIn,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.alertWorker?.stop();
      await signIn?.close();
      await connector.stop();
      await stores.close();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
