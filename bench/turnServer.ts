import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import restify from 'restify';
import { loadConfig } from '../bot/config.js';
import { createBot, createCloudAdapter } from '../bot/createBot.js';
import { createHealthProbe } from '../bot/http/health.js';
import { createHttpServer, listen } from '../bot/http/httpServer.js';
import { silentLogger } from '../bot/logger.js';
import { openStores, type OpenStores } from '../bot/stores.js';
import { createI18n } from '../locales/i18n.js';
import { ledgerIndexes, ledgerSchemas, openFileStateStorage } from '../storage/index.js';
import { createPostgresPool, openPostgresDocumentStore, openPostgresStateStorage } from '../storage/postgres/index.js';
import { blockMeter } from './blocks.js';
import { prefillItems } from './prefill.js';

/**
 * One server under load, in its own process so that its CPU time, event-loop delay and RSS are its own:
 * `echo` is Microsoft's echo-bot sample shape (restify + CloudAdapter + an ActivityHandler that echoes),
 * `bot` is this bot on the file store, optionally pre-filled with `people` people's conversation and user state.
 * The parent talks to it over IPC: `{ cmd: 'reset' }` starts a measurement window, `{ cmd: 'stats' }` ends it.
 */

/** What the parent reads at the end of a window. */
export interface WindowStats {
  readonly cpuMs: number;
  /** Longest event-loop block, wall time (includes being descheduled on this shared machine). */
  readonly maxBlockMs: number;
  /** Longest event-loop block in CPU time. */
  readonly maxBlockCpuMs: number;
  /** Time spent in garbage collection: what a turn's garbage costs. */
  readonly gcMs: number;
  readonly rssMb: number;
  /** V8 heap in use: what the bot itself holds, without the TypeScript loader and code. */
  readonly heapMb: number;
}

const kind = process.argv[2] === 'echo' ? 'echo' : process.argv[2] === 'pgbot' ? 'pgbot' : process.argv[2] === 'prefill' ? 'prefill' : 'bot';
const people = Number(process.argv[3] ?? 0);
/**
 * `pgbot`: the bench schema (already migrated) of the database in BENCH_DATABASE_URL that the instances share;
 * `prefill` and `bot`: the data folder (`prefill` writes `people` people's state there and exits, so that the bot's
 * own process, started on it afterwards, carries nothing of the writing, as a bot restarted on a used store).
 */
const argument = process.argv[4];
const schema = kind === 'pgbot' ? argument : undefined;

async function prefill(dataDir: string, count: number): Promise<void> {
  if (count <= 0) return;
  const storage = await openFileStateStorage(path.join(dataDir, 'state.json'));
  const writes: Promise<void>[] = [];
  for (let from = 0; from < count; from += 1_000) writes.push(storage.write(prefillItems(from, Math.min(count, from + 1_000))));
  await Promise.all(writes);
  await storage.close();
}

async function startEcho(): Promise<{ port: number; close(): Promise<void> }> {
  // As Microsoft's sample builds it: the SDK's own authentication (no app id here), not this bot's createCloudAdapter.
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  class EchoBot extends ActivityHandler {
    constructor() {
      super();
      this.onMessage(async (context, next) => {
        await context.sendActivity(`Echo: ${context.activity.text}`);
        await next();
      });
    }
  }
  const bot = new EchoBot();
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context: TurnContext) => bot.run(context));
  });
  await listen(server, 0, '127.0.0.1');
  return { port: (server.address() as AddressInfo).port, close: async () => void server.close() };
}

/** The stores of one instance on the shared bench schema, as `openStores` opens them for DATABASE_URL. */
async function openBenchPostgres(): Promise<OpenStores> {
  // Set by bench/turns.ts for this child process: the bench's database, not the app's configuration.
  const pool = createPostgresPool(process.env.BENCH_DATABASE_URL!, { schema, max: 10 });
  const ledger = await openPostgresDocumentStore(pool, ledgerSchemas, ledgerIndexes, { name: 'the bench ledger' });
  const state = await openPostgresStateStorage(pool);
  return {
    kind: 'postgres',
    ledger,
    state,
    healthy: async () => true,
    async close() {
      await Promise.all([ledger.close(), state.close()]);
      await pool.end();
    },
  };
}

async function startBot(): Promise<{ port: number; close(): Promise<void> }> {
  const dataDir = kind === 'bot' && argument ? argument : await mkdtemp(path.join(os.tmpdir(), 'mcid-bench-turns-'));
  if (kind === 'bot' && !argument) await prefill(dataDir, people);
  global.gc?.();
  const secrets = { SIGNIN_SECRET: 'bench-signin-secret-of-at-least-32-chars', REPORT_SECRET: 'bench-report-secret-of-at-least-32-chars' };
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(kind === 'pgbot' ? secrets : {}) });
  const stores = kind === 'pgbot' ? await openBenchPostgres() : await openStores(config);
  const logger = silentLogger();
  const signInLinks = { createLink: async () => 'http://127.0.0.1/signin/start' };
  const app = createBot(config, { stores, i18n: await createI18n(), logger, adapter: createCloudAdapter(config), signInLinks });
  const server = createHttpServer({ adapter: app.adapter, logic: app.logic, health: createHealthProbe(stores), logger });
  await listen(server, 0, '127.0.0.1');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      server.close();
      await stores.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

if (kind === 'prefill') {
  await prefill(argument!, people);
  process.exit(0);
}
const started = kind === 'echo' ? await startEcho() : await startBot();
const blocks = blockMeter();
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });
let cpu = process.cpuUsage();
process.on('message', (message: { cmd: string }) => {
  if (message.cmd === 'reset') {
    blocks.reset();
    gcMs = 0;
    cpu = process.cpuUsage();
    process.send!({ ok: true });
  } else if (message.cmd === 'stats') {
    const used = process.cpuUsage(cpu);
    const seen = blocks.stop();
    const stats: WindowStats = { cpuMs: (used.user + used.system) / 1000, maxBlockMs: seen.wallMs, maxBlockCpuMs: seen.cpuMs, gcMs, rssMb: process.memoryUsage().rss / 1e6, heapMb: process.memoryUsage().heapUsed / 1e6 };
    process.send!(stats);
  } else if (message.cmd === 'stop') {
    void started.close().then(() => process.exit(0));
  }
});
process.send!({ port: started.port });
