/**
 * `npm run playground [-- <agentsplayground options>]`: the Microsoft 365 Agents Playground (a Teams-like chat in
 * the browser, successor of the Teams App Test Tool) against the running bot at http://127.0.0.1:<PORT>/api/messages,
 * as the msteams channel, with telemetry off. Start the bot first (`npm start` or `npm run demo`) in another
 * terminal; extra options go to the playground (`-- -p 0` picks a free port for it).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../bot/config.js';

/** The playground's command line for a bot listening on `port`, followed by the caller's own options. */
export function playgroundArgs(port: number, extra: readonly string[]): string[] {
  return ['-e', `http://127.0.0.1:${port}/api/messages`, '-c', 'msteams', '--disable-telemetry', ...extra];
}

function main(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  if (config.botAuth.appId) {
    throw new ConfigError(['MicrosoftAppId: the playground talks to a bot without authentication; unset it (and MicrosoftAppPassword) for local use']);
  }
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
  // --disable-telemetry stops the playground's own events, but its Application Insights SDK still reports about
  // itself (statsbeat, with a probe of the Azure metadata address) unless told not to.
  const env = { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: 'true' };
  const child = spawn(process.execPath, [cli, ...playgroundArgs(config.port, process.argv.slice(2))], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
}
