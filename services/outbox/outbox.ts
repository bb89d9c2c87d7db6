/**
 * The one outbox of everything the bot sends on its own. Alerts are enqueued by the alert service (services/alerts/evaluation.ts);
 * every other message the bot sends outside a person's turn (the outcome of a sign-in, an admin's reminder to link, a
 * private admin view, a "you can link again" reminder) is a notice: rendered when it is enqueued, stored as a row of
 * the same outbox, and delivered by the same dispatcher (services/outbox/dispatcher.ts) under the same per-tenant lease,
 * attempt count, durable retry schedule and Teams rate windows.
 */
import type { z } from 'zod';
import type { Locale } from '../../locales/locale.js';
import type { outboxKind } from '../../storage/collections/alerts.js';
import type { Ledger, RecordOf, Transaction, ledgerSchemas } from '../../storage/index.js';

/** What an outbox row carries. */
type OutboxKind = z.output<typeof outboxKind>;

/** A stored delivery of one message (an alert or a notice) to one conversation. */
export type OutboxRow = RecordOf<typeof ledgerSchemas, 'alertOutbox'>;

/** An outbox row with its key, as staged in a transaction (told to the dispatcher once it committed). */
export type OutboxEntry = readonly [key: string, row: OutboxRow];

/** The outbox key of one alert to one conversation. */
export function outboxKey(alertId: string, conversationId: string): string {
  return `${alertId}|${conversationId}`;
}

/** A message rendered now, to be sent into one conversation by the dispatcher. */
export interface Notice {
  readonly kind: Exclude<OutboxKind, 'alert'>;
  /**
   * The notice's id, unique for its kind: enqueuing a notice whose row exists already does nothing, so a caller that
   * enqueues again after a crash (a reminder claimed twice, a retried transaction) does not send it twice.
   */
  readonly id: string;
  readonly tenantId: string;
  readonly conversationId: string;
  readonly locale: Locale;
  /** The activity to post (type, text, attachments), as JSON. */
  readonly activity: Record<string, unknown>;
  /** Where to post it when the conversation is not one stored at install (the chat a sign-in ticket names). */
  readonly reference?: Record<string, unknown>;
  /** What to post, and where, if this notice cannot be delivered (see `stageUndelivered`). */
  readonly undelivered?: { readonly conversationId: string; readonly locale: Locale; readonly activity: Record<string, unknown> };
}

/** The outbox key of a notice. */
function noticeKey(notice: Pick<Notice, 'kind' | 'id'>): string {
  return `${notice.kind}|${notice.id}`;
}

/**
 * Stages a notice in the caller's transaction (so it is sent if and only if the change that caused it commits).
 * `due` is the dispatcher's timer (epoch ms in production); returns the staged row, or undefined when the notice was
 * enqueued already.
 */
async function stageNotice(tx: Transaction<typeof ledgerSchemas>, notice: Notice, now: Date, due: number): Promise<OutboxRow | undefined> {
  const key = noticeKey(notice);
  if (await tx.get('alertOutbox', key)) return undefined;
  const row: OutboxRow = {
    kind: notice.kind,
    alertId: notice.id,
    tenantId: notice.tenantId,
    conversationId: notice.conversationId,
    locale: notice.locale,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: due,
    createdAt: now,
    order: now.getTime() * 1000,
    interrupted: 0,
    activity: notice.activity,
    ...(notice.reference ? { reference: notice.reference } : {}),
    ...(notice.undelivered ? { undelivered: notice.undelivered } : {}),
  };
  tx.put('alertOutbox', key, row);
  return row;
}

/**
 * Stages the word to the asker of a notice that ended undelivered (dead or given up), if it has one: a notice of the
 * same kind into the asker's conversation, once (its id derives from the row's), itself without such a word. Returns
 * its key and row, for the dispatcher's queue, or undefined.
 */
export async function stageUndelivered(tx: Transaction<typeof ledgerSchemas>, row: OutboxRow, now: Date, due: number): Promise<OutboxEntry | undefined> {
  if (!row.undelivered || row.kind === 'alert') return undefined;
  const notice: Notice = { kind: row.kind, id: `${row.alertId}/undelivered`, tenantId: row.tenantId, ...row.undelivered };
  const staged = await stageNotice(tx, notice, now, due);
  return staged ? [noticeKey(notice), staged] : undefined;
}

/** Collaborators of the notice outbox. */
export interface NoticeOutboxDeps {
  readonly ledger: Ledger;
  /** Business time (`createdAt`). */
  readonly clock: () => Date;
  /** The dispatcher's timer, for `nextAttemptAt` (default: the process clock, as the dispatcher's). */
  readonly timerNow?: () => number;
  /** Told the rows of notices that committed (the dispatcher adds them to its queue and looks). */
  readonly onEnqueued?: (rows: readonly OutboxEntry[]) => void;
}

/** Enqueues notices, each in its own transaction, or in the caller's (`stage`). */
export class NoticeOutbox {
  constructor(private readonly deps: NoticeOutboxDeps) {}

  /** Enqueues one notice; false when it was enqueued already. */
  async enqueue(notice: Notice): Promise<boolean> {
    const staged = await this.deps.ledger.transact((tx) => this.stage(tx, notice));
    if (staged) this.deps.onEnqueued?.([staged]);
    return staged !== undefined;
  }

  /**
   * Stages one notice in the caller's transaction: its row, or undefined when it was enqueued already. Once the
   * transaction committed, hand the row to `enqueued`.
   */
  async stage(tx: Transaction<typeof ledgerSchemas>, notice: Notice): Promise<OutboxEntry | undefined> {
    const row = await stageNotice(tx, notice, this.deps.clock(), this.deps.timerNow?.() ?? Date.now());
    return row && [noticeKey(notice), row];
  }

  /** Says that staged notices committed: the dispatcher takes their rows and looks at once. */
  enqueued(rows: readonly OutboxEntry[]): void {
    this.deps.onEnqueued?.(rows);
  }
}

/** Finished deliveries (sent, dead) are kept this long for the admin list, then pruned by the daily sweep. */
const KEEP_FINISHED_MS = 90 * 24 * 3_600_000;

/** Deletes the deliveries that finished more than `KEEP_FINISHED_MS` before `now` (by their creation). */
export function pruneFinishedDeliveries(ledger: Ledger, now: Date): Promise<void> {
  return ledger.transact(async (tx) => {
    for (const status of ['sent', 'dead'] as const) {
      for (const { id, record: row } of await tx.findBy('alertOutbox', 'byStatus', [status])) {
        if (now.getTime() - row.createdAt.getTime() > KEEP_FINISHED_MS) tx.delete('alertOutbox', id);
      }
    }
  });
}
