import type { i18n } from 'i18next';
import { linkReminderCard } from '../../cards/employee.js';
import type { NoticeSender } from '../../dialogs/noticeSender.js';
import { translatorFor } from '../../locales/translate.js';
import { realTimer, type Timer } from '../../services/timer.js';
import type { LinkReminderService } from '../../services/associations/linkReminders.js';
import type { Logger } from '../logger.js';

/** How often the worker looks again at most: a reminder is never more than this late, even after a clock change. */
const MAX_WAIT_MS = 60 * 60_000;

/** Collaborators of the reminder worker. */
export interface LinkReminderWorkerDeps {
  readonly reminders: LinkReminderService;
  /** The outbox (or, with no dispatcher, the adapter): a reminder enqueued twice (a claim that ran out) is sent once. */
  readonly sender: NoticeSender;
  readonly i18n: i18n;
  readonly logger: Logger;
  /** Business time: when a reminder is due. */
  readonly clock: () => Date;
  readonly timer?: Timer;
}

/** How long the worker waits after a look that failed (the store or the sender), before it looks again. */
const RETRY_AFTER_FAILURE_MS = 60_000;

/**
 * Sends "you can link again" reminders in people's personal chats when their date comes, outside every person's turn:
 * it sleeps until the earliest reminder (an hour at most) and is woken when one is scheduled. One look at a time: a
 * nudge during a look asks for one more look after it, and the timer is armed only at the end of a look that nobody
 * asked to repeat, so there is never more than one timer, and a look that fails is not repeated at once.
 *
 * Several instances may share one ledger: each reminder is claimed in a transaction before it is sent (services/
 * linkReminders.ts), so only one of them sends it; one scheduled on another instance is found at the next look (an
 * hour at most), and one whose sender died after claiming it is sent again when the claim runs out.
 */
export class LinkReminderWorker {
  private readonly timer: Timer;
  private handle: unknown;
  /** When the armed timer fires (business time, ms). */
  private wakeAt: number | undefined;
  private running = false;
  private working: Promise<void> | undefined;
  private lookAgain = false;

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
    this.lookAgain = false;
    this.clearTimer();
    await this.working;
  }

  /**
   * Looks again now: a reminder was scheduled (due at `dueAt`), perhaps earlier than the worker sleeps until. One due
   * after the wake-up already armed changes nothing (that look will find it), so a person asking for a reminder does
   * not make the worker read every waiting reminder.
   */
  nudge(dueAt?: Date): void {
    if (!this.running) return;
    if (dueAt !== undefined && this.handle !== undefined && this.wakeAt !== undefined && dueAt.getTime() >= this.wakeAt) return;
    if (this.working) {
      this.lookAgain = true;
      return;
    }
    this.clearTimer();
    this.working = this.look().finally(() => {
      this.working = undefined;
      if (this.lookAgain) {
        this.lookAgain = false;
        this.nudge();
      }
    });
  }

  /** Sends every reminder whose date has come; returns how many reached their chat. */
  async sendDue(): Promise<number> {
    let sent = 0;
    for (const { key } of await this.deps.reminders.due(this.deps.clock())) {
      // Claimed first: another instance that read it too finds it taken and skips it.
      const reminder = await this.deps.reminders.claim(key, this.deps.clock());
      if (!reminder) continue;
      const t = translatorFor(this.deps.i18n, reminder.locale);
      let delivered: boolean;
      try {
        delivered = await this.deps.sender.send(
          reminder.reference,
          { type: 'message', attachments: [linkReminderCard(t)] },
          { kind: 'link-reminder', id: `${key}|${reminder.dueAt.toISOString()}` },
        );
      } catch (error) {
        // Not sent: given back, so the next look (here or on another instance) tries again without waiting for the claim.
        await this.deps.reminders.release(key, reminder.dueAt).catch(() => undefined);
        throw error;
      }
      // Delivered, or the chat is gone (the app was removed): either way it is not tried again.
      await this.deps.reminders.forget(key, reminder.dueAt);
      if (delivered) sent += 1;
      else this.deps.logger.warn({ reminder: key }, 'link reminder could not be delivered');
    }
    return sent;
  }

  /** One look: sends what is due, then (unless stopped, or asked to look again) sleeps until the next reminder. */
  private async look(): Promise<void> {
    let failed = false;
    try {
      await this.sendDue();
    } catch (error) {
      failed = true;
      this.deps.logger.error({ err: String(error) }, 'link reminders failed');
    }
    if (!this.running || this.lookAgain) return;
    let wait = MAX_WAIT_MS;
    try {
      const next = await this.deps.reminders.nextDueAt();
      if (next !== undefined) wait = Math.min(MAX_WAIT_MS, Math.max(0, next.getTime() - this.deps.clock().getTime()));
    } catch (error) {
      failed = true;
      this.deps.logger.error({ err: String(error) }, 'link reminders could not be read');
    }
    // A reminder that could not be sent is still due: without this, the worker would retry it in a loop.
    if (failed) wait = Math.max(wait, RETRY_AFTER_FAILURE_MS);
    if (!this.running || this.lookAgain) return;
    this.wakeAt = this.deps.clock().getTime() + wait;
    this.handle = this.timer.setTimeout(() => {
      this.handle = undefined;
      this.wakeAt = undefined;
      this.nudge();
    }, wait);
  }

  private clearTimer(): void {
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    this.handle = undefined;
    this.wakeAt = undefined;
  }
}
