import type { i18n } from 'i18next';
import { alertCard } from '../../cards/alert.js';
import { translatorsOf } from '../../locales/translate.js';
import type { AlertEvaluation } from '../../services/alerts/evaluation.js';
import { requirementNameIn } from '../../services/admin/requirements.js';
import { DailySweepRecord, SWEEP_MARGIN_MS } from '../../services/alerts/dailySweep.js';
import { pruneExpired } from '../../services/housekeeping.js';
import { pruneFinishedDeliveries } from '../../services/outbox/outbox.js';
import { Dispatcher, type DispatcherOptions, type ProactiveSender } from '../../services/outbox/dispatcher.js';
import { realTimer, type Timer } from '../../services/timer.js';
import type { Ledger } from '../../storage/index.js';
import type { Logger } from '../logger.js';

/** How long a rendered alert card is reused for other conversations in the same language, and how many are kept. */
const RENDERED_FOR_MS = 60_000;
const RENDERED_KEPT = 200;
/** setTimeout's largest delay. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Collaborators of the alert worker. */
export interface AlertWorkerDeps {
  readonly ledger: Ledger;
  readonly alerts: AlertEvaluation;
  readonly sender: ProactiveSender;
  readonly i18n: i18n;
  readonly logger: Logger;
  /** Business time (evaluations, dates on cards, the sweep's schedule). */
  readonly clock: () => Date;
  /** Scheduling time (retries, rate limits, the sweep's timer). */
  readonly timer?: Timer;
  readonly dispatcher?: DispatcherOptions;
  /**
   * How often pending "organization changed" events are looked for (default 3 s), and the dispatcher's poll unless
   * `dispatcher.pollIntervalMs` says otherwise.
   */
  readonly pollIntervalMs?: number;
  /** This instance's id for the sending leases (default: random, one per process start). */
  readonly owner?: string;
}

/**
 * The background side of alerts, outside every person's turn: the outbox dispatcher, and the daily sweep that
 * re-evaluates every organization for what time alone changes (a removal date coming close, an expiry entering the
 * warning window, pending credit arriving), and the pending "organization changed" events (services/organizationEvents.ts),
 * at start-up and every `pollIntervalMs`: those a crash left behind, and those another instance committed. The sweep
 * runs at start-up when the last one is a day old or more, then daily; with several instances on one ledger only the
 * one whose transaction claims it (`alertSweeps.runningUntil`) runs it, and `lastRunAt` moves forward only when it
 * finished: a sweep a crash interrupted is run again once its claim runs out (by another instance, or this one after a
 * restart), and one that failed is released at once and tried again within `SWEEP_MARGIN_MS`.
 */
export class AlertWorker {
  readonly dispatcher: Dispatcher;
  private readonly timer: Timer;
  private sweepTimer: unknown;
  private running = false;
  private sweeping: Promise<unknown> | undefined;
  private pollTimer: unknown;
  private readonly pollIntervalMs: number;
  private readonly sweepRecord: DailySweepRecord;
  /** One look at the pending events at a time. */
  private processing: Promise<void> | undefined;

  constructor(private readonly deps: AlertWorkerDeps) {
    this.timer = deps.timer ?? realTimer;
    this.pollIntervalMs = deps.pollIntervalMs ?? 3_000;
    this.sweepRecord = new DailySweepRecord(deps.ledger);
    const t = translatorsOf(deps.i18n);
    const rendered = new Map<string, { activity: Record<string, unknown>; until: number }>();
    this.dispatcher = new Dispatcher({
      ledger: deps.ledger,
      sender: deps.sender,
      clock: deps.clock,
      timer: this.timer,
      log: deps.logger,
      owner: deps.owner,
      options: { pollIntervalMs: this.pollIntervalMs, ...deps.dispatcher },
      render: async (alert, row) => {
        // A fan-out sends one alert to many conversations in few languages: the card is rendered once per language
        // (for a minute), not once per conversation. An acknowledged card names who acknowledged: rendered each time.
        const key = row.acknowledged ? undefined : `${row.alertId}|${row.locale}`;
        const now = this.timer.now();
        const cached = key === undefined ? undefined : rendered.get(key);
        if (cached && cached.until > now) return cached.activity;
        const activity = {
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
        };
        if (key !== undefined) {
          if (rendered.size >= RENDERED_KEPT) rendered.delete(rendered.keys().next().value!);
          rendered.set(key, { activity, until: now + RENDERED_FOR_MS });
        }
        return activity;
      },
    });
  }

  /**
   * Starts the dispatcher, processes the pending events (changes whose re-evaluation a stop interrupted), then polls
   * for them and schedules the sweep.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.dispatcher.start();
    await this.processPendingEvents();
    this.armPoll();
    this.scheduleSweep(await this.sweepDueIn());
  }

  /** Stops the polls, the sweep and the dispatcher, waiting for work in flight (sends included) to be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.sweepTimer !== undefined) this.timer.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    if (this.pollTimer !== undefined) this.timer.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    await this.sweeping;
    await this.processing;
    await this.dispatcher.stop();
  }

  /**
   * Re-evaluates the organizations with a pending event (one look at a time: a look asked for during one is skipped,
   * the next poll covers it); a failure is logged, and the events stay for the next look.
   */
  processPendingEvents(): Promise<void> {
    this.processing ??= this.deps.alerts
      .processPendingChanges()
      .then(
        (processed) => {
          if (processed > 0) this.deps.logger.info({ organizations: processed }, 'pending organization changes re-evaluated');
        },
        (error: unknown) => this.deps.logger.error({ err: String(error) }, 'pending organization changes could not be re-evaluated'),
      )
      .finally(() => {
        this.processing = undefined;
      });
    return this.processing;
  }

  private armPoll(): void {
    if (!this.running) return;
    this.pollTimer = this.timer.setTimeout(() => {
      this.pollTimer = undefined;
      void this.processPendingEvents().finally(() => this.armPoll());
    }, this.pollIntervalMs);
  }

  /** How long until the last sweep (by any instance) is a day old. */
  private async sweepDueIn(): Promise<number> {
    return this.sweepRecord.dueIn(this.deps.clock());
  }

  /**
   * Runs the sweep if no instance finished one in the last day and none is running one: the claim (`runningUntil`)
   * and its check are one transaction, so of two instances due at once exactly one sweeps. `lastRunAt` moves to the
   * sweep's start only when it finished. Returns the alerts raised, or undefined when it was not this instance's to run.
   */
  async sweepIfDue(): Promise<number | undefined> {
    const now = this.deps.clock();
    const claimed = await this.sweepRecord.claim(now);
    if (!claimed) {
      this.deps.logger.info({}, 'daily alert sweep done or running on another instance');
      return undefined;
    }
    return this.runClaimedSweep(now);
  }

  /** Sweeps now, whenever the last sweep was (an operator's or a test's request), and records it. */
  async sweep(): Promise<number> {
    return this.runClaimedSweep(this.deps.clock());
  }

  /** Runs the sweep, then records it as finished; a failed sweep gives its claim back (tried again soon). */
  private async runClaimedSweep(now: Date): Promise<number> {
    let raised: number;
    try {
      raised = await this.runSweep(now);
    } catch (error) {
      await this.sweepRecord.release().catch(() => undefined);
      throw error;
    }
    await this.sweepRecord.finish(now);
    return raised;
  }

  /**
   * Re-evaluates every organization, prunes old finished deliveries, then expired `processed` rows and aged-out
   * audit entries (services/housekeeping.ts); returns the alerts raised.
   */
  private async runSweep(now: Date): Promise<number> {
    const raised = await this.deps.alerts.reevaluateAll('daily-sweep');
    await pruneFinishedDeliveries(this.deps.ledger, now);
    const pruned = await pruneExpired(this.deps.ledger, now);
    this.deps.logger.info({ alerts: raised, pruned }, 'daily alert sweep done');
    return raised;
  }

  private scheduleSweep(delayMs: number): void {
    if (!this.running) return;
    this.sweepTimer = this.timer.setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweeping = this.sweepIfDue()
        .catch((error: unknown) => this.deps.logger.error({ err: String(error) }, 'daily alert sweep failed'))
        .then(() => this.sweepDueIn())
        // A store that cannot be read is asked again in an hour: never a timer of 0 in a loop.
        .catch(() => 3_600_000)
        .then((dueIn) => {
          this.sweeping = undefined;
          this.scheduleSweep(Math.max(dueIn, SWEEP_MARGIN_MS));
        });
    }, Math.min(delayMs, MAX_TIMEOUT_MS));
  }
}
