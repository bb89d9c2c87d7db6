import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../bot/config.js';
import { createBot, createCloudAdapter } from '../bot/createBot.js';
import { createHealthProbe } from '../bot/health.js';
import { createHttpServer, listen } from '../bot/httpServer.js';
import { silentLogger } from '../bot/logger.js';
import { openStores } from '../bot/stores.js';
import { createI18n } from '../locales/i18n.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Turn throughput of the help turn over real HTTP (expectReplies, so no connector is needed), on the file store. */
export async function benchTurns(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const stores = await openStores(config);
  const logger = silentLogger();
  // The help turn never asks for a sign-in link.
  const signInLinks = { createLink: async () => 'http://127.0.0.1/signin/start' };
  const app = createBot(config, { stores, i18n: await createI18n(), logger, adapter: createCloudAdapter(config), signInLinks });
  const server = createHttpServer({ adapter: app.adapter, logic: app.logic, health: createHealthProbe(stores), logger });
  await listen(server, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;

  const turn = async (user: number, i: number): Promise<number> => {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message', id: `b-${user}-${i}`, text: 'help', locale: 'fr-FR', deliveryMode: 'expectReplies', channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:9/', conversation: { id: `bench-${user}` }, from: { id: `29:u${user}`, aadObjectId: `u${user}` },
        recipient: { id: '28:bot' }, channelData: { tenant: { id: 'bench-tenant' } },
      }),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`turn answered ${response.status}`);
    return performance.now() - started;
  };

  console.log('\nHelp turn over HTTP (expectReplies, file store)');
  console.log('users | turns | turns/s | p50 ms | p99 ms');
  for (const users of [1, 32]) {
    const perUser = users === 1 ? 300 : 40;
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: users }, async (_, user) => {
        for (let i = 0; i < perUser; i += 1) latencies.push(await turn(user, i));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `${String(users).padStart(5)} | ${String(latencies.length).padStart(5)} | ${(latencies.length / seconds).toFixed(0).padStart(7)} | ${percentile(latencies, 50).toFixed(1).padStart(6)} | ${percentile(latencies, 99).toFixed(1).padStart(6)}`,
    );
  }
  server.close();
  await stores.close();
  await rm(dataDir, { recursive: true, force: true });
}
