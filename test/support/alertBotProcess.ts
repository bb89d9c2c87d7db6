/**
 * A bot process for the restart test: the same composition as bot/index.ts (stores, createBot with a CloudAdapter,
 * the alert worker), with a fixed business clock so that the test never depends on today's date. It writes "ready"
 * once the worker runs; the test kills it with SIGKILL mid-delivery.
 */
import { loadConfig } from '../../bot/config.js';
import { createBot, createCloudAdapter } from '../../bot/createBot.js';
import { silentLogger } from '../../bot/logger.js';
import { openStores } from '../../bot/stores.js';
import { createI18n } from '../../locales/i18n.js';
import { testSignInLinks } from './signInLinks.js';

// With DATABASE_URL (and the secrets instances share), on PostgreSQL: several such processes share one ledger.
const shared = process.env.DATABASE_URL
  ? { DATABASE_URL: process.env.DATABASE_URL, SIGNIN_SECRET: process.env.SIGNIN_SECRET, REPORT_SECRET: process.env.REPORT_SECRET }
  : {};
const config = loadConfig({ DATA_DIR: process.env.DATA_DIR, LOG_LEVEL: 'silent', ...shared });
/** Shorter leases and polls for the tests that kill one of two instances (default: the production values). */
const leaseMs = process.env.ALERT_LEASE_MS ? Number(process.env.ALERT_LEASE_MS) : undefined;
const pollIntervalMs = process.env.ALERT_POLL_MS ? Number(process.env.ALERT_POLL_MS) : undefined;
const now = new Date(process.env.ALERT_CLOCK ?? '2026-03-02T09:00:00Z');
const stores = await openStores(config);
const app = createBot(config, {
  stores, i18n: await createI18n(), logger: silentLogger(), adapter: createCloudAdapter(config), clock: () => now, signInLinks: testSignInLinks(),
  ...(process.env.ALERT_OWNER ? { alertOwner: process.env.ALERT_OWNER } : {}),
  alertDispatcher: { backoffBaseMs: 200, backoffMaxMs: 2_000, maxAttempts: 12, ...(leaseMs ? { leaseMs } : {}), ...(pollIntervalMs ? { pollIntervalMs } : {}) },
});
await app.alertWorker!.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void app.alertWorker!.stop().then(() => stores.close()).then(() => process.exit(0));
});
// Keep the process alive: the worker's timers are unref'd.
setInterval(() => undefined, 60_000);
