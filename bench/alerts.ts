import { mkdtemp, rm } from 'node:fs/promises';
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

/**
 * Fan-out of one competency alert to 1,000 subscribed channels over real HTTP to a stand-in Bot Connector on
 * loopback, on the file store: in one organization (bound by Teams' 50 requests/s per app and tenant) and spread over
 * ten organizations (each with its own 50/s). Reports the achieved rate against the allowed one; numbers, never assertions.
 */
export async function benchAlerts(): Promise<void> {
  console.log('\nAlert fan-out to 1,000 channels (file store, stand-in connector on loopback)');
  console.log('tenants | channels | enqueue ms | delivery s | sends/s | % of allowed | max in any 1 s per tenant | allowed/s | longest block ms, enqueue / delivery (wall, CPU)');
  // BENCH_TENANTS is the bench's own knob (how many organizations share the channels), not the app's configuration.
  for (const tenants of (process.env.BENCH_TENANTS ?? "1,10").split(",").map(Number)) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-bench-alerts-'));
    const connector = new ConnectorStandIn();
    await connector.start();
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const stores = await openStores(config);
    const app = createBot(config, {
      stores, i18n: await createI18n(), logger: silentLogger(), adapter: createCloudAdapter(config), clock: () => ALERT_NOW,
      signInLinks: { createLink: async () => 'http://127.0.0.1/signin/start' },
    });
    const perTenant = 1_000 / tenants;
    const ids = Array.from({ length: tenants }, (_, i) => `bench-tenant-${i}`);
    for (const tenantId of ids) {
      await seedAlertOrg(stores.ledger, { tenantId, channels: perTenant, serviceUrl: connector.serviceUrl });
      await app.alerts.reevaluate(tenantId, 'requirement-change');
    }
    await app.alertWorker!.start();
    for (const tenantId of ids) await endAssociation(stores.ledger, 0, ALERT_NOW, 'unlinked', tenantId);

    const meter = blockMeter();
    const started = performance.now();
    for (const tenantId of ids) await app.alerts.reevaluate(tenantId, 'unlink');
    const enqueueMs = performance.now() - started;
    const enqueueBlocks = meter.stop();
    meter.reset();
    await app.alertWorker!.dispatcher.whenIdle();
    const seconds = (performance.now() - started) / 1000;
    const blocks = meter.stop();
    meter.dispose();

    const times = connector.calls.map((c) => c.at);
    const perTenantMax = Math.max(
      ...ids.map((tenantId) => maxInWindow(connector.calls.filter((c) => c.conversationId.startsWith(`19:${tenantId}-`)).map((c) => c.at), 1_000)),
    );
    const span = (Math.max(...times) - Math.min(...times)) / 1000;
    const rate = connector.calls.length / Math.max(span, 0.001);
    console.log(
      `${String(tenants).padStart(7)} | ${String(connector.calls.length).padStart(8)} | ${enqueueMs.toFixed(0).padStart(10)} | ${seconds.toFixed(1).padStart(10)} | ${rate.toFixed(1).padStart(7)} | ${((100 * rate) / (50 * tenants)).toFixed(0).padStart(11)}% | ${String(perTenantMax).padStart(25)} | ${String(50 * tenants).padStart(9)} | ${enqueueBlocks.wallMs.toFixed(0)}, ${enqueueBlocks.cpuMs.toFixed(0)} / ${blocks.wallMs.toFixed(0)}, ${blocks.cpuMs.toFixed(0)}`,
    );
    await app.alertWorker!.stop();
    await connector.stop();
    await stores.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
