import type { i18n } from 'i18next';
import { linkReminderCard } from '../cards/employee.js';
import type { ProactiveSender } from '../dialogs/adminRoster.js';
import { translatorFor } from '../locales/translate.js';
import { realTimer, type Timer } from '../services/dispatcher.js';
import type { LinkReminderService } from '../services/linkReminders.js';
import type { Logger } from './logger.js';

/** How often the worker looks again at most: a reminder is never more than this late, even after a clock change. */
const MAX_WAIT_MS = 60 * 60_000;

/** Collaborators of the reminder worker. */
export interface LinkReminderWorkerDeps {
  readonly reminders: LinkReminderService;
  readonly sender: ProactiveSender;
  readonly i18n: i18n;
  readonly logger: Logger;
  /** Business time: when a reminder is due. */
  readonly clock: () => Date;
  readonly timer?: Timer;
}

/**
 * Sends "you can link again" reminders in people's personal chats when their date comes, outside every person's turn:
 * it sleeps until the earliest reminder (an hour at most) and is woken when one is scheduled.
 */
export class LinkReminderWorker {
  private readonly timer: Timer;
  private handle: unknown;
  private running = false;
  private working: Promise<void> | undefined;

  constructor(private readonly deps: LinkReminderWorkerDeps) {
    this.timer = deps.timer ?? realTimer;
  }

  /** Sends what is due now, then sleeps until the next reminder. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.nudge();
  }

  /** Stops the timer and waits for sends in flight. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    this.handle = undefined;
    await this.working;
  }

  /** Looks again now (a reminder was scheduled, perhaps earlier than the one the worker sleeps until). */
  nudge(): void {
    if (!this.running || this.working) return;
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    this.handle = undefined;
    this.working = this.sendDue()
      .then(() => undefined)
      .catch((error: unknown) => this.deps.logger.error({ err: String(error) }, 'link reminders failed'))
      .finally(() => {
        this.working = undefined;
        this.schedule();
      });
  }

  /** Sends every reminder whose date has come; returns how many reached their chat. */
  async sendDue(): Promise<number> {
    let sent = 0;
    for (const { key, reminder } of this.deps.reminders.due(this.deps.clock())) {
      const t = translatorFor(this.deps.i18n, reminder.locale);
      const delivered = await this.deps.sender.send(reminder.reference, { type: 'message', attachments: [linkReminderCard(t)] });
      // Delivered, or the chat is gone (the app was removed): either way it is not tried again.
      await this.deps.reminders.forget(key, reminder.dueAt);
      if (delivered) sent += 1;
      else this.deps.logger.warn({ reminder: key }, 'link reminder could not be delivered');
    }
    return sent;
  }

  private schedule(): void {
    if (!this.running) return;
    const next = this.deps.reminders.nextDueAt();
    const wait = next === undefined ? MAX_WAIT_MS : Math.min(MAX_WAIT_MS, Math.max(0, next.getTime() - this.deps.clock().getTime()));
    this.handle = this.timer.setTimeout(() => {
      this.handle = undefined;
      this.nudge();
    }, wait);
  }
}
