/**
 * A bot process for the restart test: the bot as the end-to-end tests start it (test/support/botServer.ts: stores,
 * createBot with a CloudAdapter, the alert worker), on the data directory the test gives, with a fixed business clock
 * so that the test never depends on today's date. It writes "ready" once the worker runs; the test kills it with
 * SIGKILL mid-delivery.
 */
import { startBotServer } from './botServer.js';

// With DATABASE_URL (and the secrets instances share), on PostgreSQL: several such processes share one ledger.
const shared: Record<string, string> = {};
for (const name of ['DATABASE_URL', 'SIGNIN_SECRET', 'REPORT_SECRET'] as const) {
  const value = process.env[name];
  if (value) shared[name] = value;
}
/** Shorter leases and polls for the tests that kill one of two instances (default: the production values). */
const leaseMs = process.env.ALERT_LEASE_MS ? Number(process.env.ALERT_LEASE_MS) : undefined;
const pollIntervalMs = process.env.ALERT_POLL_MS ? Number(process.env.ALERT_POLL_MS) : undefined;
const now = new Date(process.env.ALERT_CLOCK ?? '2026-03-02T09:00:00Z');
const bot = await startBotServer({
  dataDir: process.env.DATA_DIR,
  env: shared,
  bot: {
    clock: () => now,
    ...(process.env.ALERT_OWNER ? { alertOwner: process.env.ALERT_OWNER } : {}),
    alertDispatcher: { backoffBaseMs: 200, backoffMaxMs: 2_000, maxAttempts: 12, ...(leaseMs ? { leaseMs } : {}), ...(pollIntervalMs ? { pollIntervalMs } : {}) },
  },
  startWorker: true,
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void bot.close().then(() => process.exit(0));
});
// Keep the process alive: the worker's timers are unref'd.
setInterval(() => undefined, 60_000);
