/**
 * Reminders a person asked for when the rules made them wait ("remind me on that date"): one per person, kept until it
 * is sent in their personal chat once the date has come.
 */
import type { Locale } from '../../locales/locale.js';
import { personKey, type Ledger, type RecordOf, type ledgerSchemas } from '../../storage/index.js';
import { utcDay } from '../../storage/ledger.js';

/** A stored reminder. */
export type LinkReminder = RecordOf<typeof ledgerSchemas, 'linkReminders'>;

/** A day in milliseconds. */
const DAY_MS = 86_400_000;
/**
 * How many days back a poll looks for due reminders: the worker looks at least hourly, so a reminder is found on its
 * day; these cover an instance that was stopped a while (a longer gap: the catch-up at the first look).
 */
const LOOKBACK_DAYS = 7;

/** How long a claimed reminder is left to the worker that claimed it before another may send it. */
const CLAIM_MS = 5 * 60_000;

/** Reads and writes link reminders. */
export class LinkReminderService {
  /** `onScheduled` is told the date of every reminder recorded, to wake whoever sends them if it sleeps past it. */
  /** Whether this process read every waiting reminder once (see `due`). */
  private caughtUp = false;

  constructor(private readonly deps: { readonly ledger: Ledger; readonly clock: () => Date; readonly onScheduled?: (dueAt: Date) => void }) {}

  /** Records (or moves) the person's reminder to `dueAt`, posted into the conversation of `reference`. */
  async schedule(reminder: { tenantId: string; personId: string; dueAt: Date; locale: Locale; reference: Record<string, unknown> }): Promise<void> {
    const requestedAt = this.deps.clock();
    await this.deps.ledger.transact((tx) => tx.put('linkReminders', personKey(reminder.tenantId, reminder.personId), { ...reminder, requestedAt }));
    this.deps.onScheduled?.(reminder.dueAt);
  }

  /**
   * The reminders whose date has come and that no worker has claimed (or whose claim ran out), oldest first, with
   * their keys. Read through the day index: the last `LOOKBACK_DAYS` days up to `now`, so a poll reads what is due
   * lately, not every reminder waiting for a later date. The first look of a process reads them all once: a catch-up
   * for reminders whose day passed while no instance ran (a read only; reminders stored before the day index existed
   * got their day from the PostgreSQL migration, and the embedded store derives it when it opens).
   */
  async due(now: Date): Promise<Array<{ key: string; reminder: LinkReminder }>> {
    let waiting: Array<{ id: string; record: LinkReminder }>;
    if (!this.caughtUp) {
      waiting = await this.deps.ledger.scan('linkReminders');
      this.caughtUp = true;
    } else {
      waiting = [];
      for (let back = 0; back <= LOOKBACK_DAYS; back++) {
        waiting.push(...(await this.deps.ledger.findBy('linkReminders', 'byDueDay', [utcDay(new Date(now.getTime() - back * DAY_MS))])));
      }
    }
    return waiting
      .filter(({ record }) => effectiveDue(record).getTime() <= now.getTime())
      .map(({ id, record }) => ({ key: id, reminder: record }))
      .sort((a, b) => a.reminder.dueAt.getTime() - b.reminder.dueAt.getTime());
  }

  /**
   * Takes a due reminder for sending: in one transaction, only if it is still due and unclaimed (or its claim ran
   * out), so two instances never both send it. The claim lasts `CLAIM_MS`: a worker that dies after claiming and
   * before `forget` leaves it to be sent again then (at-least-once). Returns the claimed reminder, or undefined.
   */
  async claim(key: string, now: Date): Promise<LinkReminder | undefined> {
    return this.deps.ledger.transact(async (tx) => {
      const reminder = await tx.get('linkReminders', key);
      if (!reminder || effectiveDue(reminder).getTime() > now.getTime()) return undefined;
      const claimed = { ...reminder, claimedUntil: new Date(now.getTime() + CLAIM_MS) };
      tx.put('linkReminders', key, claimed);
      return claimed;
    });
  }

  /** Gives a claimed reminder back (its send failed): it is due again at once, for whichever worker looks next. */
  async release(key: string, dueAt: Date): Promise<void> {
    await this.deps.ledger.transact(async (tx) => {
      const reminder = await tx.get('linkReminders', key);
      if (reminder?.dueAt.getTime() !== dueAt.getTime() || reminder.claimedUntil === undefined) return;
      tx.put('linkReminders', key, { ...reminder, claimedUntil: undefined });
    });
  }

  /**
   * The earliest date a reminder is due (or its claim runs out) from the days `due` looks at up to tomorrow (UTC), if
   * any: the worker sleeps an hour at most, so a later one is found by a later look.
   */
  async nextDueAt(): Promise<Date | undefined> {
    const now = this.deps.clock().getTime();
    let next: Date | undefined;
    for (let day = -LOOKBACK_DAYS; day <= 1; day++) {
      for (const { record } of await this.deps.ledger.findBy('linkReminders', 'byDueDay', [utcDay(new Date(now + day * DAY_MS))])) {
        const at = effectiveDue(record);
        if (next === undefined || at.getTime() < next.getTime()) next = at;
      }
    }
    return next;
  }

  /** Forgets a reminder that was sent, or can no longer be (the app was removed from that chat). */
  async forget(key: string, dueAt: Date): Promise<void> {
    await this.deps.ledger.transact(async (tx) => {
      // A reminder moved to another date in the meantime stays.
      if ((await tx.get('linkReminders', key))?.dueAt.getTime() === dueAt.getTime()) tx.delete('linkReminders', key);
    });
  }
}

/** When a reminder may be sent: its date, or the end of a worker's claim on it. */
function effectiveDue(reminder: LinkReminder): Date {
  return reminder.claimedUntil !== undefined && reminder.claimedUntil.getTime() > reminder.dueAt.getTime() ? reminder.claimedUntil : reminder.dueAt;
}
