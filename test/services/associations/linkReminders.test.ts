import assert from 'node:assert/strict';
import { LinkReminderService } from '../../../services/associations/linkReminders.js';
import { createMemoryLedger, type Ledger } from '../../../storage/index.js';

const DAY = 86_400_000;
const t0 = new Date('2026-03-02T09:00:00Z');

/** The ledger, counting the whole-collection reads made through it. */
function countingLedger(): { ledger: Ledger; scans: () => number } {
  const inner = createMemoryLedger();
  let scans = 0;
  const ledger: Ledger = {
    get: (c, id) => inner.get(c, id),
    getMany: (c, ids) => inner.getMany(c, ids),
    findBy: (c, index, values) => inner.findBy(c, index, values),
    scan: (c) => ((scans += 1), inner.scan(c)),
    transact: (fn) => inner.transact(fn),
    close: () => inner.close(),
  };
  return { ledger, scans: () => scans };
}

describe('link reminders', () => {
  it('finds due reminders through the day index after one catch-up read, including one whose day passed while nothing ran', async () => {
    const { ledger, scans } = countingLedger();
    let now = t0;
    const reminders = new LinkReminderService({ ledger, clock: () => now });
    const schedule = (personId: string, dueAt: Date) => reminders.schedule({ tenantId: 't', personId, dueAt, locale: 'en', reference: {} });
    await schedule('long-ago', new Date(t0.getTime() - 30 * DAY));
    await schedule('later', new Date(t0.getTime() + 40 * DAY));
    // The first look of a process reads everything once: the reminder a month overdue is found.
    assert.deepEqual((await reminders.due(now)).map((d) => d.reminder.personId), ['long-ago']);
    assert.equal(scans(), 1);
    await reminders.forget('t/long-ago', new Date(t0.getTime() - 30 * DAY));

    // Later looks go through the index: today's reminder is found, the one in 40 days is not read.
    await schedule('today', new Date(t0.getTime() + 3_600_000));
    await schedule('yesterday', new Date(t0.getTime() - DAY));
    now = new Date(t0.getTime() + 2 * 3_600_000);
    assert.deepEqual((await reminders.due(now)).map((d) => d.reminder.personId), ['yesterday', 'today']);
    assert.equal((await reminders.nextDueAt())?.getTime(), t0.getTime() - DAY);
    assert.equal(scans(), 1, 'no more whole-collection reads');

    // A claimed reminder is indexed under the day its claim runs out.
    const claimed = await reminders.claim('t/today', now);
    assert.ok(claimed?.claimedUntil);
    assert.deepEqual((await reminders.due(now)).map((d) => d.reminder.personId), ['yesterday']);
    assert.deepEqual((await reminders.due(claimed.claimedUntil)).map((d) => d.reminder.personId), ['yesterday', 'today']);
  });
});
