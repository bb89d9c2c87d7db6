import type { i18n } from 'i18next';
import { alertCard } from '../cards/alert.js';
import { translatorFor } from '../locales/translate.js';
import type { AlertService } from '../services/alerts.js';
import { requirementNameIn } from '../services/requirements.js';
import { pruneExpired } from '../services/housekeeping.js';
import { Dispatcher, realTimer, type DispatcherOptions, type ProactiveSender, type Timer } from '../services/dispatcher.js';
import type { Ledger } from '../storage/index.js';
import type { Logger } from './logger.js';

/** A day, the sweep's period. */
const DAY_MS = 24 * 3_600_000;
/** Finished deliveries are kept this long for the admin list, then pruned by the sweep. */
const KEEP_FINISHED_MS = 90 * DAY_MS;
/** setTimeout's largest delay. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Collaborators of the alert worker. */
export interface AlertWorkerDeps {
  readonly ledger: Ledger;
  readonly alerts: AlertService;
  readonly sender: ProactiveSender;
  readonly i18n: i18n;
  readonly logger: Logger;
  /** Business time (evaluations, dates on cards, the sweep's schedule). */
  readonly clock: () => Date;
  /** Scheduling time (retries, rate limits, the sweep's timer). */
  readonly timer?: Timer;
  readonly dispatcher?: DispatcherOptions;
}

/**
 * The background side of alerts, outside every person's turn: the outbox dispatcher, and the daily sweep that
 * re-evaluates every organization for what time alone changes (a removal date coming close, an expiry entering the
 * warning window, pending credit arriving). The sweep runs at start-up when the last one is a day old or more, then
 * daily.
 */
export class AlertWorker {
  readonly dispatcher: Dispatcher;
  private readonly timer: Timer;
  private sweepTimer: unknown;
  private running = false;
  private sweeping: Promise<unknown> | undefined;

  constructor(private readonly deps: AlertWorkerDeps) {
    this.timer = deps.timer ?? realTimer;
    const languages = new Map<string, ReturnType<typeof translatorFor>>();
    const t = (locale: 'en' | 'zh-CN' | 'fr') => {
      let translate = languages.get(locale);
      if (!translate) languages.set(locale, (translate = translatorFor(deps.i18n, locale)));
      return translate;
    };
    this.dispatcher = new Dispatcher({
      ledger: deps.ledger,
      sender: deps.sender,
      clock: deps.clock,
      timer: this.timer,
      log: deps.logger,
      options: deps.dispatcher,
      render: async (alert, row) => ({
        type: 'message',
        attachments: [
          alertCard(
            t(row.locale),
            row.locale,
            row.alertId,
            { ...alert, competency: await requirementNameIn(deps.ledger, alert.tenantId, alert.requirementId, row.locale, alert.competency) },
            row.acknowledged,
          ),
        ],
      }),
    });
  }

  /** Starts the dispatcher (resuming deliveries a stop interrupted) and schedules the sweep. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.dispatcher.start();
    const last = (await this.deps.ledger.get('alertSweeps', 'daily'))?.lastRunAt.getTime();
    const dueIn = last === undefined ? 0 : Math.max(0, last + DAY_MS - this.deps.clock().getTime());
    this.scheduleSweep(dueIn);
  }

  /** Stops the sweep and the dispatcher, waiting for sends in flight to be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.sweepTimer !== undefined) this.timer.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    await this.sweeping;
    await this.dispatcher.stop();
  }

  /**
   * Re-evaluates every organization now, records the sweep, prunes old finished deliveries, then expired `processed`
   * rows and aged-out audit entries (services/housekeeping.ts); returns the alerts raised.
   */
  async sweep(): Promise<number> {
    const raised = await this.deps.alerts.reevaluateAll('daily-sweep');
    const now = this.deps.clock();
    await this.deps.ledger.transact(async (tx) => {
      tx.put('alertSweeps', 'daily', { lastRunAt: now });
      for (const status of ['sent', 'dead'] as const) {
        for (const { id, record: row } of await tx.findBy('alertOutbox', 'byStatus', [status])) {
          if (now.getTime() - row.createdAt.getTime() > KEEP_FINISHED_MS) tx.delete('alertOutbox', id);
        }
      }
    });
    const pruned = await pruneExpired(this.deps.ledger, now);
    this.deps.logger.info({ alerts: raised, pruned }, 'daily alert sweep done');
    return raised;
  }

  private scheduleSweep(delayMs: number): void {
    if (!this.running) return;
    this.sweepTimer = this.timer.setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweeping = this.sweep()
        .catch((error: unknown) => this.deps.logger.error({ err: String(error) }, 'daily alert sweep failed'))
        .finally(() => {
          this.sweeping = undefined;
          this.scheduleSweep(DAY_MS);
        });
    }, Math.min(delayMs, MAX_TIMEOUT_MS));
  }
}
