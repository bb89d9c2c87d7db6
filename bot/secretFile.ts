/**
 * The secrets the bot generates for itself when the configuration gives none (the sign-in secret, the report-link
 * secret, the demo's admin token): one file each in the data directory, created once with a random value, readable
 * by its owner only. Every instance sharing the directory reads the same value.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from './logger.js';

/** A secret file that is too short to be one we wrote: refusing to start beats signing with a guessable key. */
class CorruptSecretError extends Error {
  override readonly name = 'CorruptSecretError';
}

/** The secret in `dataDir/name`, created once (random, mode 0600) if missing, made owner-only if it was not. */
export async function loadOrCreateSecret(dataDir: string, name: string, logger?: Pick<Logger, 'info' | 'warn'>): Promise<string> {
  const file = path.join(dataDir, name);
  try {
    // `wx`: only the first process to get here creates it; every other one reads what that one wrote.
    await writeFile(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    logger?.info({ file }, `generated the secret ${name}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (((await stat(file)).mode & 0o077) !== 0) {
    logger?.warn({ file }, `the secret ${name} was readable by others: made it owner-only`);
    await chmod(file, 0o600);
  }
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 32) throw new CorruptSecretError(`The secret in ${file} is too short: delete the file to generate a new one.`);
  return secret;
}
