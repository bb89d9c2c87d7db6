import { existsSync } from 'node:fs';
import { assertProductionSignIn, ConfigError, describeConfig, loadConfig } from './config.js';
import { createLogger, wantsPrettyLogs } from './logger.js';
import { startBot } from './startBot.js';

/** Process entry: configuration, then the bot, stopped cleanly on a signal. */
async function main(): Promise<void> {
  // A local .env is optional; variables already in the environment win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  assertProductionSignIn(config);
  const logger = createLogger(config.logLevel, { pretty: wantsPrettyLogs(process.stdout) });
  logger.info(describeConfig(config), 'starting');
  const bot = await startBot(config, logger);

  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'stopping');
    await bot.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Start-up failures are for a person at a terminal: one clear message, no stack for known causes.
  // Known causes: configuration, a corrupt store or secret file, a store another process holds, and file-system errors
  // on the data directory (a file where a directory should be, no permission, a full disk).
  const known =
    error instanceof ConfigError ||
    (error instanceof Error &&
      (['CorruptStoreError', 'CorruptSecretError', 'StoreLockedError', 'DevProviderInProductionError'].includes(error.name) ||
        typeof (error as NodeJS.ErrnoException).syscall === 'string'));
  process.stderr.write(`${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
