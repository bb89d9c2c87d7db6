import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../bot/config.js';
import { createBot, createCloudAdapter } from '../bot/createBot.js';
import { silentLogger } from '../bot/logger.js';
import { openStores } from '../bot/stores.js';
import { createI18n } from '../locales/i18n.js';
import { ALERT_NOW, endAssociation, seedAlertOrg } from '../test/support/alertFixtures.js';
import { ConnectorStandIn } from '../test/support/connectorStandIn.js';
import { maxInWindow } from '../test/support/faultyConnector.js';
import { blockMeter } from './blocks.js';

/** Teams' limit per app and tenant, requests per second. */
const TENANT_RATE = 50;

/**
 * A tenant's sustained rate: the sends after its first second's burst (which a sliding window lets through at once)
 * over the time they took, from its first send to its last. A dispatcher that keeps the window full gets 50/s whatever
 * the number of rows; the plain "sends over the whole span" counts the free first burst and the organizations' start
 * times instead.
 */
function sustainedRate(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  if (sorted.length <= TENANT_RATE) return Number.NaN;
  return (sorted.length - TENANT_RATE) / Math.max((sorted.at(-1)! - sorted[0]!) / 1000, 0.001);
}

/**
 * Fan-out of one competency alert to 1,000 subscribed channels over real HTTP to a stand-in Bot Connector on
 * loopback, on the file store: in one organization (bound by Teams' 50 requests/s per app and tenant) and spread over
 * ten organizations whose alerts are raised at once (each with its own 50/s). Reports the achieved rate against the
 * allowed one; numbers, never assertions. `BENCH_TENANTS=1,10` picks the cases, `BENCH_CHANNELS` the channels per case.
 */
export async function benchAlerts(): Promise<void> {
  const channels = Number(process.env.BENCH_CHANNELS ?? 1_000);
  console.log(`\nAlert fan-out to ${channels.toLocaleString('en')} channels (file store, stand-in connector on loopback)`);
  console.log('sends/s: all sends over the whole span; sustained: per organization, the sends after its first second over the time they took (lowest organization, and the sum)');
  console.log('tenants | channels | enqueue ms | delivery s | sends/s | % of allowed | sustained/s, lowest / sum | % of allowed | max in any 1 s per tenant | allowed/s | longest block ms, enqueue / delivery (wall, CPU) | load avg');
  // BENCH_TENANTS and BENCH_CHANNELS are the bench's own knobs, not the app's configuration.
  for (const tenants of (process.env.BENCH_TENANTS ?? '1,10').split(',').map(Number)) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-bench-alerts-'));
    const connector = new ConnectorStandIn();
    await connector.start();
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const stores = await openStores(config);
    const app = createBot(config, {
      stores, i18n: await createI18n(), logger: silentLogger(), adapter: createCloudAdapter(config), clock: () => ALERT_NOW,
      signInLinks: { createLink: async () => 'http://127.0.0.1/signin/start' },
    });
    const perTenant = channels / tenants;
    const ids = Array.from({ length: tenants }, (_, i) => `bench-tenant-${i}`);
    for (const tenantId of ids) {
      await seedAlertOrg(stores.ledger, { tenantId, channels: perTenant, serviceUrl: connector.serviceUrl });
      await app.alerts.reevaluate(tenantId, 'requirement-change');
    }
    await app.alertWorker!.start();
    for (const tenantId of ids) await endAssociation(stores.ledger, 0, ALERT_NOW, 'unlinked', tenantId);

    const profiling = process.env.BENCH_PROFILE ? await startProfile() : undefined;
    const meter = blockMeter();
    const started = performance.now();
    // At once: each organization's change raises its alert on its own, as ten admins' changes would.
    await Promise.all(ids.map((tenantId) => app.alerts.reevaluate(tenantId, 'unlink')));
    const enqueueMs = performance.now() - started;
    const enqueueBlocks = meter.stop();
    meter.reset();
    // Every card reaching the connector first: a waiter of whenIdle makes each look of the dispatcher read the whole
    // queue through the store again, which a running bot never does.
    await connector.waitForCalls(channels, 120_000);
    await app.alertWorker!.dispatcher.whenIdle();
    const seconds = (performance.now() - started) / 1000;
    const blocks = meter.stop();
    meter.dispose();
    if (profiling) await profiling.stop(`${process.env.BENCH_PROFILE}-${tenants}.cpuprofile`);

    const times = connector.calls.map((c) => c.at);
    const perTenantMax = Math.max(
      ...ids.map((tenantId) => maxInWindow(connector.calls.filter((c) => c.conversationId.startsWith(`19:${tenantId}-`)).map((c) => c.at), 1_000)),
    );
    const span = (Math.max(...times) - Math.min(...times)) / 1000;
    const rate = connector.calls.length / Math.max(span, 0.001);
    const sustained = ids.map((tenantId) => sustainedRate(connector.calls.filter((c) => c.conversationId.startsWith(`19:${tenantId}-`)).map((c) => c.at)));
    const lowest = Math.min(...sustained);
    const sum = sustained.reduce((a, b) => a + b, 0);
    const allowed = TENANT_RATE * tenants;
    console.log(
      `${String(tenants).padStart(7)} | ${String(connector.calls.length).padStart(8)} | ${enqueueMs.toFixed(0).padStart(10)} | ${seconds.toFixed(1).padStart(10)} | ${rate.toFixed(1).padStart(7)} | ${((100 * rate) / allowed).toFixed(0).padStart(11)}% | ${`${lowest.toFixed(1)} / ${sum.toFixed(1)}`.padStart(24)} | ${`${((100 * lowest) / TENANT_RATE).toFixed(0)}% / ${((100 * sum) / allowed).toFixed(0)}%`.padStart(12)} | ${String(perTenantMax).padStart(25)} | ${String(allowed).padStart(9)} | ${`${enqueueBlocks.wallMs.toFixed(0)}, ${enqueueBlocks.cpuMs.toFixed(0)} / ${blocks.wallMs.toFixed(0)}, ${blocks.cpuMs.toFixed(0)}`.padStart(20)} | ${os.loadavg()[0]!.toFixed(2)}`,
    );
    await app.alertWorker!.stop();
    await connector.stop();
    await stores.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A CPU profile of this process from now until `stop` (`BENCH_PROFILE=path-prefix`), to see where a fan-out's time goes. */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
