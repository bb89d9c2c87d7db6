import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultPolicy } from '../../rules/index.js';
import { AlertEvaluation } from '../../services/alerts/evaluation.js';
import { openLedger } from '../../storage/index.js';
import { ALERT_NOW, credentialsCountForAll, endAssociation, seedAlertOrg, channelId } from '../support/alertFixtures.js';
import { alertIdOfActivity, maxInWindow, RecordingConnector, seededRandom } from '../support/faultyConnector.js';
import { allRecords } from '../support/ledgerRecords.js';
import { killed, startAlertBotProcess, until } from '../support/alertBotProcesses.js';

const tenantId = 'tenant-contoso';
const CHANNELS = 8;
const REQUIREMENTS = 6;

/** Starts the bot as its own process on the data directory; resolves once its alert worker runs. */
function startBotProcess(dataDir: string): Promise<ChildProcess> {
  return startAlertBotProcess({ DATA_DIR: dataDir, ALERT_CLOCK: ALERT_NOW.toISOString() }, 20_000);
}

describe('alert delivery across a crash of the bot process', function () {
  this.timeout(90_000);
  let dataDir: string;
  let connector: RecordingConnector;
  const children: ChildProcess[] = [];

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-alerts-restart-'));
    connector = new RecordingConnector();
    await connector.start();
  });

  after(async () => {
    for (const child of children) await killed(child);
    await connector.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers the rest after a kill -9 mid-delivery and a restart, none lost and none twice, within the rate limits', async () => {
    // The organization and its subscribed channels, then the unlink that breaks every requirement: 48 deliveries queued.
    const ledger = await openLedger(path.join(dataDir, 'ledger.json'));
    await seedAlertOrg(ledger, { channels: CHANNELS, requirements: REQUIREMENTS, serviceUrl: connector.serviceUrl });
    await credentialsCountForAll(ledger, tenantId, REQUIREMENTS);
    const alerts = new AlertEvaluation({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW });
    await alerts.reevaluate(tenantId, 'requirement-change');
    await endAssociation(ledger, 0, ALERT_NOW);
    await alerts.reevaluate(tenantId, 'unlink');
    const total = (await allRecords(ledger, 'alertOutbox')).length;
    assert.equal(total, CHANNELS * REQUIREMENTS);
    await ledger.close();

    // First run: the connector accepts 15 alert cards, then answers 503 (nothing delivered) until the bot is killed.
    let accepted = 0;
    connector.failWith((call) => {
      if (!alertIdOfActivity(call.activity)) return undefined;
      if (accepted < 15) return (accepted += 1), undefined;
      return { status: 503 };
    });
    const first = await startBotProcess(dataDir);
    children.push(first);
    await until(() => connector.attempts.filter((a) => a.status === 503).length >= 10, 30_000, 'the first run to reach the failing sends');
    await killed(first);
    const deliveredBeforeKill = connector.calls.filter((c) => alertIdOfActivity(c.activity)).length;
    assert.equal(deliveredBeforeKill, 15);

    // Second run, on a flaky connector: 30% of sends get 429 (Retry-After) or 500.
    const random = seededRandom(42);
    connector.failWith((call) => {
      if (!alertIdOfActivity(call.activity)) return undefined;
      const x = random();
      return x < 0.15 ? { status: 429, headers: { 'retry-after': '1' } } : x < 0.3 ? { status: 500 } : undefined;
    });
    const second = await startBotProcess(dataDir);
    children.push(second);
    const cards = () => connector.calls.filter((c) => alertIdOfActivity(c.activity));
    await until(() => cards().length >= total, 60_000, 'every alert to arrive');
    // Give a duplicate, if there were one, the time to show up.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await killed(second);

    const seen = new Map<string, number>();
    for (const call of cards()) {
      const key = `${alertIdOfActivity(call.activity)}|${call.conversationId}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    assert.equal(seen.size, total, 'every alert reached every channel');
    assert.deepEqual([...seen.values()].filter((n) => n !== 1), [], 'no alert arrived twice');

    const sends = connector.attempts.filter((a) => alertIdOfActivity(a.call.activity));
    assert.ok(maxInWindow(sends.map((a) => a.call.at), 1_000) <= 50);
    for (let i = 0; i < CHANNELS; i++) {
      const times = sends.filter((a) => a.call.conversationId === channelId(i)).map((a) => a.call.at);
      assert.ok(maxInWindow(times, 1_000) <= 7, `${channelId(i)}: 7 per second`);
      assert.ok(maxInWindow(times, 30_000) <= 60, `${channelId(i)}: 60 per 30 seconds`);
    }
  });
});
