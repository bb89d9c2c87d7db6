/**
 * `npm run package [-- --out <file>]`: builds the Teams app package from appPackage/ and the configuration
 * (MicrosoftAppId, PUBLIC_BASE_URL, TEAMS_APP_*; a .env file is read as `npm start` does), validates it offline,
 * writes build/appPackage.zip and prints the zip's path as its last line.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadPackageConfig } from '../bot/config.js';
import { buildAppPackage, localizationFiles, PackageError } from './teamsPackage.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadPackageConfig(process.env);
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const built = await buildAppPackage(config, version);
  const out = path.resolve(values.out ?? path.join(root, 'build', 'appPackage.zip'));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, built.zip);
  const languages = localizationFiles(built.manifest).map((l) => l.languageTag);
  console.log(`Teams app package for bot ${config.appId}, manifest ${String(built.manifest.manifestVersion)}, valid domain ${new URL(config.publicBaseUrl).host}, languages en-us ${languages.join(' ')}`);
  console.log(out);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof PackageError;
  console.error(known ? `Cannot build the Teams app package.\n${(error as Error).message}` : error);
  process.exit(1);
});
