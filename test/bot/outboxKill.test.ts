import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultPolicy } from '../../rules/index.js';
import { AlertEvaluation } from '../../services/alerts/evaluation.js';
import { ledgerIndexes, ledgerSchemas, type Ledger } from '../../storage/index.js';
import { openPostgresDocumentStore } from '../../storage/postgres/index.js';
import { ALERT_NOW, credentialsCountForAll, endAssociation, seedAlertOrg } from '../support/alertFixtures.js';
import { alertIdOfActivity, maxInWindow, RecordingConnector, seededRandom } from '../support/faultyConnector.js';
import { allRecords } from '../support/ledgerRecords.js';
import { killed, startAlertBotProcess, until } from '../support/alertBotProcesses.js';
import { urlWithSchema, usePostgres } from '../support/postgres.js';

const TENANTS = ['tenant-a', 'tenant-b', 'tenant-c'];
/** Channels per organization: 300 deliveries in all (the bench, `npm run bench -- --only=alerts`, sends 1,000). */
const CHANNELS = 100;
const LEASE_MS = 5_000;

/** One bot process with its alert worker on the shared database. */
function startBotProcess(databaseUrl: string, dataDir: string, owner: string): Promise<ChildProcess> {
  return startAlertBotProcess({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SIGNIN_SECRET: 'outbox-kill-test-signin-secret-0123456789',
    REPORT_SECRET: 'outbox-kill-test-report-secret-0123456789',
    ALERT_CLOCK: ALERT_NOW.toISOString(),
    ALERT_LEASE_MS: String(LEASE_MS),
    ALERT_POLL_MS: '500',
    ALERT_OWNER: owner,
  });
}

describe('two real bot processes on one PostgreSQL schema, one killed with SIGKILL mid fan-out', function () {
  this.timeout(150_000);
  const pg = usePostgres();
  const connector = new RecordingConnector();
  const children: ChildProcess[] = [];
  let ledger: Ledger;
  let dataDir: string;

  before(async () => {
    await connector.start();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-outbox-kill-'));
    ledger = await openPostgresDocumentStore(pg.pool, ledgerSchemas, ledgerIndexes);
  });

  after(async () => {
    for (const child of children) await killed(child);
    await ledger?.close();
    await connector.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers every alert through a connector failing 30% of the time: none lost, duplicates only of rows in flight at the kill, within the Teams limits', async () => {
    const alerts = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW });
    for (const tenantId of TENANTS) {
      await seedAlertOrg(ledger, { tenantId, channels: CHANNELS, serviceUrl: connector.serviceUrl });
      await credentialsCountForAll(ledger, tenantId, 1);
      await alerts.reevaluate(tenantId, 'requirement-change');
    }
    const random = seededRandom(1_414);
    connector.failWith((call) => {
      if (!alertIdOfActivity(call.activity)) return undefined;
      const x = random();
      return x < 0.15 ? { status: 429, headers: { 'retry-after': '1' } } : x < 0.3 ? { status: 500 } : undefined;
    });
    const url = urlWithSchema(pg.url, pg.schema);
    const processes = new Map<string, ChildProcess>();
    for (const owner of ['one', 'two']) processes.set(owner, await startBotProcess(url, path.join(dataDir, owner), owner));
    children.push(...processes.values());

    // The unlinks that break a requirement in every organization: one alert per channel, 300 rows in the outbox.
    for (const tenantId of TENANTS) {
      await endAssociation(ledger, 0, ALERT_NOW, 'unlinked', tenantId);
      await alerts.reevaluate(tenantId, 'unlink');
    }
    const total = (await allRecords(ledger, 'alertOutbox')).length;
    assert.equal(total, TENANTS.length * CHANNELS);

    const cards = () => connector.calls.filter((c) => alertIdOfActivity(c.activity));
    await until(() => cards().length >= total / 3, 60_000, 'a third of the alerts to arrive');
    // Killed midway: the process holding the most sending leases; its organizations wait for the leases to run out.
    const held = new Map<string, number>();
    for (const lease of await allRecords(ledger, 'senderLeases')) held.set(lease.owner, (held.get(lease.owner) ?? 0) + 1);
    const victim = [...held].sort((a, b) => b[1] - a[1])[0]![0];
    assert.ok(held.get(victim)! >= 1, 'the killed process was sending for an organization');
    await killed(processes.get(victim)!);
    const sendingAtKill = (await allRecords(ledger, 'alertOutbox')).filter((r) => r.status === 'sending').length;

    const delivered = () => new Set(cards().map((c) => `${alertIdOfActivity(c.activity)}|${c.conversationId}`)).size;
    await until(() => delivered() >= total, 90_000, 'every alert to arrive after the kill');
    // A row the killed process had sent arrived already, but its resend may still be retried after a fault: its row
    // is recorded as sent once that retry is answered (the outcome itself may wait 100 ms to be written with others).
    const recordedBy = Date.now() + 30_000;
    while ((await allRecords(ledger, 'alertOutbox')).some((r) => r.status !== 'sent') && Date.now() < recordedBy) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Nothing lost.
    assert.equal(delivered(), total, 'every alert reached every channel');
    const rows = await allRecords(ledger, 'alertOutbox');
    assert.equal(rows.filter((r) => r.status !== 'sent').length, 0, 'every row is recorded as sent');

    // Duplicates only of rows the killed process had claimed and not recorded (the documented window).
    const seen = new Map<string, number>();
    for (const call of cards()) {
      const key = `${alertIdOfActivity(call.activity)}|${call.conversationId}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const twice = [...seen].filter(([, n]) => n > 1).map(([key]) => key);
    const interrupted = new Set(rows.filter((r) => r.interrupted > 0).map((r) => `${r.alertId}|${r.conversationId}`));
    assert.deepEqual(twice.filter((key) => !interrupted.has(key)), [], 'a duplicate is always a row interrupted by the kill');
    assert.ok(twice.length <= sendingAtKill, `${twice.length} duplicates, ${sendingAtKill} rows in flight at the kill`);
    assert.ok([...seen.values()].every((n) => n <= 2), 'nothing arrived more than twice');

    // Teams' limits over every request either process made, faulted ones included.
    const sends = connector.attempts.filter((a) => alertIdOfActivity(a.call.activity));
    for (const tenantId of TENANTS) {
      const times = sends.filter((a) => a.call.conversationId.includes(tenantId)).map((a) => a.call.at);
      assert.ok(maxInWindow(times, 1_000) <= 50, `${tenantId}: ${maxInWindow(times, 1_000)} in one second`);
    }
    const conversations = new Set(sends.map((a) => a.call.conversationId));
    for (const conversationId of conversations) {
      const times = sends.filter((a) => a.call.conversationId === conversationId).map((a) => a.call.at);
      assert.ok(maxInWindow(times, 1_000) <= 7, `${conversationId}: 7 per second`);
      assert.ok(maxInWindow(times, 30_000) <= 60, `${conversationId}: 60 per 30 seconds`);
    }
  });
});
