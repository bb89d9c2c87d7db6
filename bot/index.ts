import { existsSync } from 'node:fs';
import { createI18n } from '../locales/i18n.js';
import { ConfigError, describeConfig, loadConfig } from './config.js';
import { createBot, createCloudAdapter } from './createBot.js';
import { createHealthProbe } from './health.js';
import { createHttpServer, listen } from './httpServer.js';
import { createLogger } from './logger.js';
import { openStores } from './stores.js';

/** Process entry: configuration, stores, bot, server. */
async function main(): Promise<void> {
  // A local .env is optional; variables already in the environment win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  logger.info(describeConfig(config), 'starting');

  const stores = await openStores(config);
  const app = createBot(config, { stores, i18n: await createI18n(), logger, adapter: createCloudAdapter(config) });
  const server = createHttpServer({ adapter: app.adapter, logic: app.logic, health: createHealthProbe(stores), logger });
  await listen(server, config.port, config.host);
  logger.info({ url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/api/messages` }, 'listening');

  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'stopping');
    server.close();
    await stores.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Start-up failures are for a person at a terminal: one clear message, no stack for known causes.
  const known = error instanceof ConfigError || (error instanceof Error && error.name === 'CorruptStoreError');
  process.stderr.write(`${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
