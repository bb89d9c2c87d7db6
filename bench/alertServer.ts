import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../bot/config.js';
import { createBot, createCloudAdapter } from '../bot/createBot.js';
import { silentLogger } from '../bot/logger.js';
import { openStores } from '../bot/stores.js';
import { createI18n } from '../locales/i18n.js';
import { ALERT_NOW, endAssociation, seedAlertOrg } from '../test/support/alertFixtures.js';
import { blockMeter, type Blocks } from './blocks.js';

/**
 * The bot of the alert fan-out bench (bench/alerts.ts), in a process of its own as production runs it: the stand-in
 * Bot Connector runs in another (bench/connectorServer.ts), so its HTTP server, its parsing of every card and its
 * garbage are not counted as the bot's. Arguments: tenants, channels in all, the connector's serviceUrl. The parent
 * drives it over IPC: `raise` raises one alert per organization at once (answering with the enqueue's time and
 * blocks), `idle` waits until the outbox is empty (answering with the blocks since the raise), `stop` closes and exits.
 */

/** What the child answers to `raise` and `idle`. */
export interface AlertServerReport {
  readonly ms: number;
  readonly blocks: Blocks;
  readonly rssMb: number;
}

const tenants = Number(process.argv[2]);
const channels = Number(process.argv[3]);
const serviceUrl = process.argv[4]!;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-bench-alerts-'));
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
const stores = await openStores(config);
const app = createBot(config, {
  stores, i18n: await createI18n(), logger: silentLogger(), adapter: createCloudAdapter(config), clock: () => ALERT_NOW,
  signInLinks: { createLink: async () => 'http://127.0.0.1/signin/start' },
});
const ids = Array.from({ length: tenants }, (_, i) => `bench-tenant-${i}`);
for (const tenantId of ids) {
  await seedAlertOrg(stores.ledger, { tenantId, channels: channels / tenants, serviceUrl });
  await app.alerts.reevaluate(tenantId, 'requirement-change');
}
await app.alertWorker!.start();
for (const tenantId of ids) await endAssociation(stores.ledger, 0, ALERT_NOW, 'unlinked', tenantId);
global.gc?.();

const meter = blockMeter();
let raisedAt = 0;

process.on('message', (message: { cmd: string }) => {
  void (async () => {
    if (message.cmd === 'raise') {
      meter.reset();
      raisedAt = performance.now();
      // At once: each organization's change raises its alert on its own, as ten admins' changes would.
      await Promise.all(ids.map((tenantId) => app.alerts.reevaluate(tenantId, 'unlink')));
      const report: AlertServerReport = { ms: performance.now() - raisedAt, blocks: meter.stop(), rssMb: process.memoryUsage().rss / 1e6 };
      meter.reset();
      process.send!(report);
    } else if (message.cmd === 'idle') {
      // Asked once every card reached the connector: a waiter of whenIdle makes each look of the dispatcher read the
      // whole queue through the store again, which a running bot never does.
      await app.alertWorker!.dispatcher.whenIdle();
      const report: AlertServerReport = { ms: performance.now() - raisedAt, blocks: meter.stop(), rssMb: process.memoryUsage().rss / 1e6 };
      process.send!(report);
    } else if (message.cmd === 'stop') {
      meter.dispose();
      await app.alertWorker!.stop();
      await stores.close();
      await rm(dataDir, { recursive: true, force: true });
      process.disconnect();
    }
  })();
});
process.send!({ ready: true });
