/**
 * Reminders a person asked for when the rules made them wait ("remind me on that date"): one per person, kept until it
 * is sent in their personal chat once the date has come.
 */
import type { Locale } from '../locales/locale.js';
import { personKey, type Ledger, type RecordOf, type ledgerSchemas } from '../storage/index.js';

/** A stored reminder. */
export type LinkReminder = RecordOf<typeof ledgerSchemas, 'linkReminders'>;

/** How long a claimed reminder is left to the worker that claimed it before another may send it. */
const CLAIM_MS = 5 * 60_000;

/** Reads and writes link reminders. */
export class LinkReminderService {
  /** `onScheduled` is told the date of every reminder recorded, to wake whoever sends them if it sleeps past it. */
  constructor(private readonly deps: { readonly ledger: Ledger; readonly clock: () => Date; readonly onScheduled?: (dueAt: Date) => void }) {}

  /** Records (or moves) the person's reminder to `dueAt`, posted into the conversation of `reference`. */
  async schedule(reminder: { tenantId: string; personId: string; dueAt: Date; locale: Locale; reference: Record<string, unknown> }): Promise<void> {
    const requestedAt = this.deps.clock();
    await this.deps.ledger.transact((tx) => tx.put('linkReminders', personKey(reminder.tenantId, reminder.personId), { ...reminder, requestedAt }));
    this.deps.onScheduled?.(reminder.dueAt);
  }

  /** The reminders whose date has come and that no worker has claimed (or whose claim ran out), oldest first, with their keys. */
  async due(now: Date): Promise<Array<{ key: string; reminder: LinkReminder }>> {
    // Read by the reminder worker in the background, never on a person's turn: a scan of the waiting reminders.
    const waiting = await this.deps.ledger.scan('linkReminders');
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

  /** The earliest date a reminder is due (or its claim runs out), if any is waiting. */
  async nextDueAt(): Promise<Date | undefined> {
    let next: Date | undefined;
    // The reminder worker's background look for its next wake-up, as `due`.
    for (const { record } of await this.deps.ledger.scan('linkReminders')) {
      const at = effectiveDue(record);
      if (next === undefined || at.getTime() < next.getTime()) next = at;
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
