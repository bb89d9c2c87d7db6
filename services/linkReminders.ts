/**
 * Reminders a person asked for when the rules made them wait ("remind me on that date"): one per person, kept until it
 * is sent in their personal chat once the date has come.
 */
import type { Locale } from '../locales/locale.js';
import { personKey, type Ledger, type RecordOf, type ledgerSchemas } from '../storage/index.js';

/** A stored reminder. */
export type LinkReminder = RecordOf<typeof ledgerSchemas, 'linkReminders'>;

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

  /** The reminders whose date has come, oldest first, with their keys. */
  async due(now: Date): Promise<Array<{ key: string; reminder: LinkReminder }>> {
    // Read by the reminder worker in the background, never on a person's turn: a scan of the waiting reminders.
    const waiting = await this.deps.ledger.scan('linkReminders');
    return waiting
      .filter(({ record }) => record.dueAt.getTime() <= now.getTime())
      .map(({ id, record }) => ({ key: id, reminder: record }))
      .sort((a, b) => a.reminder.dueAt.getTime() - b.reminder.dueAt.getTime());
  }

  /** The earliest date a reminder is due, if any is waiting. */
  async nextDueAt(): Promise<Date | undefined> {
    let next: Date | undefined;
    // The reminder worker's background look for its next wake-up, as `due`.
    for (const { record } of await this.deps.ledger.scan('linkReminders')) if (next === undefined || record.dueAt.getTime() < next.getTime()) next = record.dueAt;
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
