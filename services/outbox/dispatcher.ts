/**
 * Delivers the outbox (services/outbox/outbox.ts): every message the bot sends on its own, alerts and notices alike. Every
 * row is one message for one conversation; the dispatcher sends each conversation's rows in order, at most one at a
 * time per conversation and `concurrency` in all, within Teams' rate limits (counted for all kinds together), and owns
 * every retry on the sender's verdict: `throttled` waits for Retry-After, `retry` backs off with jitter (or waits for
 * Retry-After) for a bounded number of attempts, `gone` marks the conversation dead (never retried), `rejected` gives
 * up. A failing conversation never holds up the others.
 *
 * Several instances may share one ledger. Each dispatcher has an owner id (random per process) and sends a tenant's
 * rows only while it holds that tenant's lease (`senderLeases`, taken and renewed in transactions, bounded by
 * `leaseMs`): one instance at a time sends for a tenant, so the tenant's and its conversations' rate windows are
 * counted in one place. A lease is renewed while its tenant has rows to send, released on a clean stop, and taken over
 * once it has expired (its holder died). Besides the local nudges, every dispatcher looks at the due queue every
 * `pollIntervalMs` (through the outbox's status index), so rows another instance enqueued, or a dead one left, are
 * found. A released lease stays closed for `handoverMs` and a holder starts no request in the last `handoverMs` of
 * its lease, so the next holder's first request comes at least that long after the previous holder's last one: the
 * per-second windows hold across a handover (sends are counted when their answers came, and the quiet time is the
 * longest tenant window plus a second for requests still on their way). The 60 per 30 s window of a conversation is
 * carried over from what is stored: the new holder adds the previous holder's sends of the last 30 s (`sentAt` of the
 * conversation's sent rows) to its windows when it takes the lease (`carryConversationWindows`). A send whose answer
 * the previous holder never recorded (it died) is not among them: at most one per conversation.
 *
 * Delivery is at-least-once, as close to exactly-once as the Bot Connector allows: a row is durably marked `sending`
 * before its request leaves and `sent` (with the activity id) after the answer. Only a crash between the two leaves a
 * row whose fate is unknown; the instance that takes the tenant's lease next (another one once the lease has expired,
 * or this one after a restart) sends it again and counts it in `interrupted`, because the connector offers no way to
 * ask whether an activity arrived. The window is one request per conversation in flight at the crash: at most
 * `concurrency` rows of the dead instance.
 */
import { randomUUID } from 'node:crypto';
import type { AlertRecord } from '../alerts/evaluation.js';
import { DueQueue } from './dueQueue.js';
import { stageUndelivered, type OutboxEntry, type OutboxRow } from './outbox.js';
import { CONVERSATION_WINDOWS, SlidingWindowLimiter, TENANT_WINDOWS, type LimitedKey } from './throttle.js';
import { timeSlice } from '../../storage/timeSlice.js';
import { realTimer, type Timer } from '../timer.js';
import { Batcher } from './batcher.js';
import type { Ledger, RecordOf, Transaction, ledgerSchemas } from '../../storage/index.js';

/** Where a row goes: the stored conversation reference. */
export interface DeliveryTarget {
  readonly conversationId: string;
  readonly tenantId: string;
  readonly reference: Record<string, unknown>;
}

/**
 * What one connector request came to, as the sender (bot/proactive/proactive.ts) reads the HTTP answer; the dispatcher acts on
 * the verdict only, never on status codes. `sent`: delivered (with the new activity's id when the connector gave one).
 * `retry`: worth another attempt after a back-off, or after `retryAfterMs` when the connector said. `throttled`: a
 * 429; the conversation is held until `retryAfterMs` (or a back-off). `gone`: the conversation is gone or the bot
 * was removed or blocked there; never retried, and the conversation is marked dead. `rejected`: the connector refused
 * this activity for good; given up without retry.
 */
export type SendResult =
  | { readonly verdict: 'sent'; readonly activityId?: string }
  | { readonly verdict: 'retry' | 'throttled' | 'gone' | 'rejected'; readonly retryAfterMs?: number; readonly error: string };

/**
 * Sends one activity to a conversation with exactly one connector request (no retries of its own), and says what the
 * answer means (`SendResult`). It awaits `gate` immediately before the request leaves: the rate limiter's token is
 * taken there, so that nothing between (token acquisition, credentials) can bunch requests together at the connector.
 * The one interface of proactive sending: every message the bot sends on its own goes through the outbox and here.
 */
export interface ProactiveSender {
  send(target: DeliveryTarget, activity: Record<string, unknown>, gate: () => Promise<void>): Promise<SendResult>;
}

/** Builds the activity (the card in the row's language) for one delivery. */
type RenderDelivery = (alert: AlertRecord, row: OutboxRow) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** The few log calls the dispatcher makes (pino's shape). */
export interface DispatchLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Tunables; the defaults follow Teams' guidance. */
export interface DispatcherOptions {
  /** Requests in flight at once, all conversations together. */
  readonly concurrency?: number;
  /**
   * Requests in flight at once for one tenant (claimed, waiting for the tenant's rate window, or sent): enough to
   * keep 50 per second going, few enough that a tenant's rows do not wait long at the gate once claimed.
   */
  readonly tenantConcurrency?: number;
  /** Attempts per row before it is given up as `failed`. */
  readonly maxAttempts?: number;
  /** First back-off delay; doubled per attempt, jittered to between half and all of it. */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** Added to each rate window (see `SlidingWindowLimiter`). */
  readonly rateMarginMs?: number;
  /** Per-conversation and per-tenant windows (defaults: Teams' limits). */
  readonly conversationWindows?: LimitedKey['windows'];
  readonly tenantWindows?: LimitedKey['windows'];
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  /** How long a tenant's sending lease lasts without renewal (a dead instance's tenants wait this long at most). */
  readonly leaseMs?: number;
  /** How often the due queue is read besides local nudges (rows enqueued by other instances, expired leases). */
  readonly pollIntervalMs?: number;
  /**
   * Quiet time between two holders of a tenant's lease (default: the longest tenant window plus the rate margin), so
   * that the per-second limits hold across instances.
   */
  readonly handoverMs?: number;
  /**
   * How long the outcome of a delivery may wait to be written with others (default 100 ms): at 50 sends a second,
   * a few outcomes per commit instead of one each. The row stays `sending` meanwhile (at-least-once holds).
   */
  readonly recordLingerMs?: number;
}

/** Collaborators of the dispatcher. */
export interface DispatcherDeps {
  readonly ledger: Ledger;
  readonly sender: ProactiveSender;
  readonly render: RenderDelivery;
  /** Business time, for `sentAt` and `deadSince`. */
  readonly clock: () => Date;
  readonly timer?: Timer;
  readonly log?: DispatchLog;
  readonly options?: DispatcherOptions;
  /** This instance's lease owner id (default: random, one per process start). */
  readonly owner?: string;
}

/**
 * Added to the longest tenant window for the quiet time between two lease holders: the previous holder's last
 * requests may still be on their way (their answers, which settle them in its windows, are not seen by the next).
 */
const HANDOVER_EXTRA_MS = 1_000;
/** Outbox statuses of a delivery not made yet: the dispatcher's queue. */
const UNDELIVERED = ['pending', 'sending'] as const;
/**
 * Rows claimed, and outcomes recorded, per transaction. A transaction function runs as one piece of the event loop
 * (its reads resolve at once on the embedded store), so a batch of 256 claims or 500 outcomes held it 45–65 ms, and
 * ten organizations' first bursts queued behind one another (the lowest got 67% of its rate). Commits are cheap
 * (a journal line on the embedded store): 32 and 50 keep blocks near 20 ms and every organization near 90%.
 */
const CLAIM_BATCH = 32;
const OUTCOME_BATCH = 50;
/** How long a row whose delivery could not be recorded (the store failed) is left alone before it is tried again. */
const STORE_RETRY_MS = 1_000;
/** How often the rate windows idle for a minute are forgotten. */
const PRUNE_EVERY_MS = 1_000;

const silentLog: DispatchLog = { info() {}, warn() {}, error() {} };

type LeaseRecord = RecordOf<typeof ledgerSchemas, 'senderLeases'>;

/** What claiming a row came to: sending it (with what to send and where), or not holding its tenant's lease. */
type Claim =
  | { readonly row: OutboxRow; readonly alert: AlertRecord | undefined; readonly activity: Record<string, unknown> | undefined; readonly target: DeliveryTarget }
  | { readonly noLease: string; readonly until: number | undefined };

/** One attempt's outcome, to be written: `retryAt` is when a row put back to `pending` is due again. */
interface Outcome {
  readonly key: string;
  readonly row: OutboxRow;
  readonly result: SendResult;
  readonly retryAt: number;
}

/** The outbox dispatcher: start it once, nudge it when rows are added, stop it before closing the store. */
export class Dispatcher {
  private readonly timer: Timer;
  private readonly log: DispatchLog;
  private readonly limiter: SlidingWindowLimiter;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly conversationWindows: LimitedKey['windows'];
  private readonly tenantWindows: LimitedKey['windows'];
  private readonly random: () => number;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly busyConversations = new Set<string>();
  /** Rows whose last attempt failed in the store, with the time before which they are left alone. */
  private readonly heldUntil = new Map<string, number>();
  private running = false;
  /** When the rate windows were last pruned. */
  private prunedAt = Number.NEGATIVE_INFINITY;
  /** One look at the outbox at a time; a nudge during one asks for another after it (`pumpAgain`). */
  private pumping = false;
  private pumpAgain = false;
  private wake: { at: number; handle: unknown } | undefined;
  private poll: unknown;
  private idleWaiters: Array<() => void> = [];
  /** This instance's lease owner id. */
  readonly owner: string;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly handoverMs: number;
  /** The tenants whose lease this instance holds, with the lease's end. */
  private readonly leases = new Map<string, number>();
  /** Tenants whose lease could not be written (the store failed), with the time before which they are left alone. */
  private readonly leaseHeldUntil = new Map<string, number>();
  /** Claims and outcomes of the moment, each committed in one transaction. */
  // What one batch claims is rendered and sent in time slices (`slice`), so a large batch is no long block.
  private readonly claims = new Batcher<string, Claim | undefined>((keys) => this.claimAll(keys), CLAIM_BATCH);
  private readonly outcomes: Batcher<Outcome, void>;
  /** Rendering and starting requests (a batch of claims, a window's gate opening) yield to the event loop every few milliseconds. */
  private readonly slice = timeSlice();
  /** Requests in flight per tenant. */
  private readonly tenantInFlight = new Map<string, number>();
  /**
   * The undelivered rows, kept between looks: read from the store when stale (at start, the poll, another instance's
   * lease ending, a failed write) and otherwise kept current with this instance's own committed writes and the rows it
   * enqueues, so that the look after each send does not read the whole queue again; indexed (see `DueQueue`) so that
   * it visits only what it launches.
   */
  private queue = new DueQueue();
  private queueStale = true;
  /** This instance's writes committed while the queue is being read, applied again once it is read. */
  private writesDuringRead: Array<readonly [string, OutboxRow | undefined]> | undefined;
  private readonly tenantConcurrency: number;

  constructor(private readonly deps: DispatcherDeps) {
    const o = deps.options ?? {};
    this.timer = deps.timer ?? realTimer;
    this.log = deps.log ?? silentLog;
    this.limiter = new SlidingWindowLimiter(o.rateMarginMs ?? 20);
    this.concurrency = o.concurrency ?? 512;
    this.tenantConcurrency = o.tenantConcurrency ?? 50;
    this.maxAttempts = o.maxAttempts ?? 8;
    this.backoffBaseMs = o.backoffBaseMs ?? 1_000;
    this.backoffMaxMs = o.backoffMaxMs ?? 5 * 60_000;
    this.conversationWindows = o.conversationWindows ?? CONVERSATION_WINDOWS;
    this.tenantWindows = o.tenantWindows ?? TENANT_WINDOWS;
    this.random = o.random ?? Math.random;
    this.owner = deps.owner ?? randomUUID();
    this.leaseMs = o.leaseMs ?? 30_000;
    this.pollIntervalMs = o.pollIntervalMs ?? 3_000;
    this.handoverMs = o.handoverMs ?? Math.max(...this.tenantWindows.map((w) => w.ms)) + HANDOVER_EXTRA_MS;
    if (this.handoverMs * 2 >= this.leaseMs) throw new RangeError('leaseMs must be more than twice handoverMs');
    const recordLingerMs = o.recordLingerMs ?? 100;
    this.outcomes = new Batcher<Outcome, void>((outcomes) => this.recordAll(outcomes), OUTCOME_BATCH, recordLingerMs > 0 ? { timer: this.timer, ms: recordLingerMs } : undefined);
  }

  /**
   * Starts delivering, and polling the queue. Rows left `sending` by an instance that stopped mid-request are sent
   * again by whoever takes their tenant's lease next (see `holdLeases`): whether the connector received them is
   * unknown, and losing an alert is worse than showing it twice.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.outcomes.hurry(false);
    this.armPoll();
    this.nudge();
    await Promise.resolve();
  }

  /** Stops launching sends, waits for those in flight to be recorded, then releases this instance's leases. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.wake) this.timer.clearTimeout(this.wake.handle);
    this.wake = undefined;
    if (this.poll !== undefined) this.timer.clearTimeout(this.poll);
    this.poll = undefined;
    this.outcomes.hurry();
    await Promise.allSettled([...this.inFlight.values()]);
    await this.releaseLeases();
    await this.resolveIdle();
  }

  /** Looks at the queue every `pollIntervalMs`, on a timer (never a loop that re-arms itself without one). */
  private armPoll(): void {
    if (!this.running) return;
    this.poll = this.timer.setTimeout(() => {
      this.poll = undefined;
      this.nudge();
      this.armPoll();
    }, this.pollIntervalMs);
  }

  /**
   * Gives the leases back, closed for `handoverMs` (another instance may take them then). A store failure here is
   * only logged: the leases then expire on their own.
   */
  private async releaseLeases(): Promise<void> {
    const tenants = [...this.leases.keys()];
    this.leases.clear();
    if (tenants.length === 0) return;
    try {
      await this.deps.ledger.transact(async (tx) => {
        const until = this.timer.now() + this.handoverMs;
        for (const tenantId of tenants) {
          const lease = await tx.get('senderLeases', tenantId);
          if (lease?.owner === this.owner && lease.until > until) tx.put('senderLeases', tenantId, { owner: this.owner, until });
        }
      });
    } catch (error) {
      this.log.error({ err: String(error) }, 'alert sending leases could not be released; they will expire');
    }
  }

  /**
   * Takes or renews the lease of every tenant that has rows to send, and returns the tenants this instance may send
   * for now, with the earliest instant another instance's lease ends (to look again then). Cheap when nothing
   * changes: a lease with more than half its time left is not written again, and one another instance holds is read
   * outside a transaction first.
   */
  private async holdLeases(tenants: Iterable<string>): Promise<{ held: Set<string>; otherUntil: number }> {
    const held = new Set<string>();
    let otherUntil = Infinity;
    for (const tenantId of tenants) {
      const now = this.timer.now();
      const mine = this.leases.get(tenantId);
      if (mine !== undefined && mine - now > this.leaseMs / 2) {
        held.add(tenantId);
        continue;
      }
      const heldUntil = this.leaseHeldUntil.get(tenantId);
      if (heldUntil !== undefined && heldUntil > now) {
        otherUntil = Math.min(otherUntil, heldUntil);
        continue;
      }
      this.leaseHeldUntil.delete(tenantId);
      const current = await this.deps.ledger.get('senderLeases', tenantId);
      if (current && current.owner !== this.owner && current.until > now) {
        this.leases.delete(tenantId);
        otherUntil = Math.min(otherUntil, current.until);
        continue;
      }
      let taken: { until: number; resumed: number; from: string | undefined } | { other: number } | undefined;
      try {
        taken = await this.transactRows(async (tx, writes) => {
          const t = this.timer.now();
          const lease = await tx.get('senderLeases', tenantId);
          if (lease && lease.owner !== this.owner && lease.until > t) return { other: lease.until };
          const until = t + this.leaseMs;
          tx.put('senderLeases', tenantId, { owner: this.owner, until });
          // Taken from another holder whose sends may still be inside a conversation's 30 s window.
          const from = lease && lease.owner !== this.owner && lease.until + this.longestConversationWindow() > t ? lease.owner : undefined;
          // Taken over (or first taken): what the previous holder left `sending` is resumed.
          let resumed = 0;
          if (lease?.owner !== this.owner || !this.leases.has(tenantId)) {
            for (const { id, record: row } of await tx.findBy('alertOutbox', 'byTenantStatus', [tenantId, 'sending'])) {
              if (this.inFlight.has(id)) continue;
              const resumedRow: OutboxRow = { ...row, status: 'pending', nextAttemptAt: t, interrupted: row.interrupted + 1 };
              tx.put('alertOutbox', id, resumedRow);
              writes.push([id, resumedRow]);
              resumed += 1;
            }
          }
          return { until, resumed, from };
        });
      } catch (error) {
        this.log.error({ tenantId, err: String(error) }, 'alert sending lease could not be taken; retrying shortly');
        this.leaseHeldUntil.set(tenantId, this.timer.now() + STORE_RETRY_MS);
        otherUntil = Math.min(otherUntil, this.timer.now() + STORE_RETRY_MS);
        continue;
      }
      if ('other' in taken) {
        this.leases.delete(tenantId);
        otherUntil = Math.min(otherUntil, taken.other);
        continue;
      }
      if (taken.resumed > 0) {
        this.log.warn({ tenantId, rows: taken.resumed }, 'alert deliveries interrupted by a stop are sent again (they may arrive twice)');
      }
      if (taken.from !== undefined) await this.carryConversationWindows(tenantId);
      this.leases.set(tenantId, taken.until);
      held.add(tenantId);
    }
    return { held, otherUntil };
  }

  /**
   * Looks for due rows soon, reading the queue from the store again (called at start, by the poll, when another
   * instance's lease ends, and by whoever enqueued rows without handing them over). Never more than one look at a time:
   * a nudge during one is remembered and answered by one more look when it ends, so a burst of nudges costs two reads
   * of the queue, not one each.
   */
  nudge(): void {
    this.queueStale = true;
    this.look();
  }

  /**
   * Takes rows this instance enqueued (committed) into the queue in memory and looks for due rows soon: a fan-out's
   * 10,000 rows are added, not read again with every row already waiting. What another instance enqueues is found by
   * the poll.
   */
  enqueued(rows: readonly OutboxEntry[]): void {
    this.noteWrites(rows);
    this.look();
  }

  /** Looks for due rows soon in the rows kept in memory (after a send: this instance's own writes are in them). */
  private look(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    void this.pumpWhileAsked();
  }

  private async pumpWhileAsked(): Promise<void> {
    try {
      do {
        this.pumpAgain = false;
        try {
          await this.pump();
        } catch (error) {
          this.log.error({ err: String(error) }, 'alert dispatcher failed to schedule; retrying shortly');
          this.scheduleWake(this.timer.now() + STORE_RETRY_MS);
        }
        // A look reads every waiting row (10,000 in a large fan-out: milliseconds), and the looks asked for meanwhile
        // may all be answered without I/O: one per turn of the event loop, not a chain of them in one block.
        if (this.pumpAgain && this.running) await new Promise<void>((resolve) => setImmediate(resolve));
      } while (this.pumpAgain && this.running);
    } finally {
      this.pumping = false;
    }
  }

  /** Resolves when nothing is due, in flight or waiting for a retry (tests and the bench). */
  whenIdle(): Promise<void> {
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    void this.resolveIdle().catch(() => undefined);
    return idle;
  }

  private async isIdle(): Promise<boolean> {
    if (this.inFlight.size > 0) return false;
    for (const status of UNDELIVERED) if ((await this.deps.ledger.findBy('alertOutbox', 'byStatus', [status])).length > 0) return false;
    return this.inFlight.size === 0;
  }

  private async resolveIdle(): Promise<void> {
    if (this.idleWaiters.length === 0 || !(await this.isIdle())) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** The undelivered rows: read through the outbox's status index when stale, else those kept in memory. */
  private async undelivered(): Promise<DueQueue> {
    if (!this.queueStale) return this.queue;
    this.queueStale = false;
    const writes: Array<readonly [string, OutboxRow | undefined]> = [];
    this.writesDuringRead = writes;
    try {
      const queue = new DueQueue();
      for (const status of UNDELIVERED) {
        // Reading 10,000 rows from the embedded store is itself a few milliseconds in one piece: it starts a slice of
        // its own rather than running on at the end of whatever work came before it in this turn.
        await this.slice.pause();
        for (const { id, record } of await this.deps.ledger.findBy('alertOutbox', 'byStatus', [status])) {
          queue.set(id, record);
          // 10,000 rows of a fan-out are indexed in slices, between which deliveries and turns go on.
          while (this.slice.due()) await this.slice.pause();
        }
      }
      this.queue = queue;
      this.noteWrites(writes);
    } catch (error) {
      this.queueStale = true;
      throw error;
    } finally {
      if (this.writesDuringRead === writes) this.writesDuringRead = undefined;
    }
    return this.queue;
  }

  /** Keeps the rows in memory current with writes this instance committed (a row, or undefined: delivered or given up). */
  private noteWrites(writes: ReadonlyArray<readonly [string, OutboxRow | undefined]>): void {
    for (const [key, row] of writes) {
      if (row && (row.status === 'pending' || row.status === 'sending')) this.queue.set(key, row);
      else this.queue.delete(key);
    }
    if (this.writesDuringRead && this.writesDuringRead !== writes) this.writesDuringRead.push(...writes);
  }

  /** Runs a transaction that writes outbox rows; once committed, the rows in memory follow (or are read again). */
  private async transactRows<R>(fn: (tx: Transaction<typeof ledgerSchemas>, writes: Array<readonly [string, OutboxRow | undefined]>) => Promise<R>): Promise<R> {
    const writes: Array<readonly [string, OutboxRow | undefined]> = [];
    try {
      const result = await this.deps.ledger.transact((tx) => {
        writes.length = 0;
        return fn(tx, writes);
      });
      this.noteWrites(writes);
      return result;
    } catch (error) {
      this.queueStale = true;
      throw error;
    }
  }

  /** Launches every row that may go now; schedules a wake-up for the earliest one that may go later. */
  private async pump(): Promise<void> {
    const queue = await this.undelivered();
    const { held, otherUntil } = await this.holdLeases([...queue.tenantIds()]);
    // Read after the awaits: the launches below are decided on this instant and on no older one.
    const now = this.timer.now();
    // Another instance's lease that ends is looked at again then, read afresh (the poll would find it too, later).
    if (otherUntil < Infinity) this.scheduleWake(otherUntil, true);
    let nextWake = Infinity;
    for (const tenantId of held) {
      if (this.inFlight.size >= this.concurrency) break;
      // A tenant is topped up when half its slots are free, not one row per freed slot: the claims of a fan-out paced by
      // its rate window are then committed several at a time.
      if ((this.tenantInFlight.get(tenantId) ?? 0) > this.tenantConcurrency / 2) continue;
      // The heads of the tenant's conversations (each one's oldest undelivered row), due first.
      const due = queue.visitDue(tenantId, now, (key, row) => {
        if (this.inFlight.size >= this.concurrency || (this.tenantInFlight.get(tenantId) ?? 0) >= this.tenantConcurrency) return 'stop';
        // Its conversation is busy with it (or an older row): it comes back when that delivery ends.
        if (this.busyConversations.has(row.conversationId) || this.inFlight.has(key)) return 'taken';
        const heldUntil = this.heldUntil.get(key);
        if (heldUntil !== undefined && heldUntil > now) return { notBefore: heldUntil };
        this.heldUntil.delete(key);
        // A peek at the conversation's windows: the token itself is taken just before the request leaves (see `gate`).
        // The tenant's window is not peeked: up to `tenantConcurrency` rows are claimed ahead and wait at the gate, so
        // that the window is used to the full while the next claims are being committed.
        const wait = this.limiter.waitFor(this.rateKeys(row).slice(0, 1), now);
        if (wait > 0) return { notBefore: now + wait };
        this.launch(key, row);
        return 'taken';
      });
      nextWake = Math.min(nextWake, due);
    }
    if (nextWake < Infinity) this.scheduleWake(nextWake);
    // Forgetting idle rate windows visits every one: once a second is enough to bound them.
    if (now - this.prunedAt >= PRUNE_EVERY_MS) {
      this.limiter.prune(now, 60_000);
      this.prunedAt = now;
    }
    await this.resolveIdle();
  }

  private longestConversationWindow(): number {
    return Math.max(...this.conversationWindows.map((w) => w.ms));
  }

  /**
   * Carries the conversations' windows across a change of lease holder: the sends the previous holder recorded
   * (`sentAt`, when their answers came) within the longest conversation window are added to this instance's windows
   * for the conversations it is about to send to, so that 60 per 30 s holds across the handover (the quiet time covers
   * the per-second windows). Read once per takeover, for the conversations with rows waiting, never per delivery.
   */
  private async carryConversationWindows(tenantId: string): Promise<void> {
    const span = this.longestConversationWindow();
    // `sentAt` is business time; the windows run on the timer (the same clock in production).
    const offset = this.timer.now() - this.deps.clock().getTime();
    const conversations = new Set<string>();
    for (const status of UNDELIVERED) for (const { record } of await this.deps.ledger.findBy('alertOutbox', 'byTenantStatus', [tenantId, status])) conversations.add(record.conversationId);
    for (const conversationId of conversations) {
      const times: number[] = [];
      for (const { record } of await this.deps.ledger.findBy('alertOutbox', 'byConversationStatus', [conversationId, 'sent'])) {
        const at = (record.sentAt?.getTime() ?? Number.NEGATIVE_INFINITY) + offset;
        if (this.timer.now() - at < span) times.push(at);
      }
      this.limiter.seed(`conversation:${conversationId}`, times);
    }
  }

  private rateKeys(row: OutboxRow): LimitedKey[] {
    return [
      { key: `conversation:${row.conversationId}`, windows: this.conversationWindows },
      { key: `tenant:${row.tenantId}`, windows: this.tenantWindows },
    ];
  }

  /** Waits until the row's conversation and tenant allow a request, and takes the token. */
  private async takeToken(row: OutboxRow): Promise<void> {
    for (;;) {
      const wait = this.limiter.tryAcquire(this.rateKeys(row), this.timer.now(), { pending: true });
      if (wait === 0) return;
      await new Promise<void>((resolve) => this.timer.setTimeout(resolve, wait));
    }
  }

  /**
   * Looks again at `at`: in the rows kept in memory (a retry, a window or a hold that ends), or `reread` from the store
   * (another instance's lease that ends: what it sent meanwhile is not in them).
   */
  private scheduleWake(at: number, reread = false): void {
    if (!this.running) return;
    if (this.wake && this.wake.at <= at) return;
    if (this.wake) this.timer.clearTimeout(this.wake.handle);
    const handle = this.timer.setTimeout(() => {
      this.wake = undefined;
      if (reread) this.nudge();
      else this.look();
    }, Math.max(0, at - this.timer.now()));
    this.wake = { at, handle };
  }

  private launch(key: string, row: OutboxRow): void {
    this.busyConversations.add(row.conversationId);
    this.tenantInFlight.set(row.tenantId, (this.tenantInFlight.get(row.tenantId) ?? 0) + 1);
    // The tenant's slot is given back once the answer came (the outcome may wait a little to be written with others);
    // the row stays in flight, and its conversation busy, until the outcome is written.
    let slotHeld = true;
    const freeSlot = (): void => {
      if (!slotHeld) return;
      slotHeld = false;
      const left = (this.tenantInFlight.get(row.tenantId) ?? 1) - 1;
      if (left > 0) this.tenantInFlight.set(row.tenantId, left);
      else this.tenantInFlight.delete(row.tenantId);
      // Looked at when the tenant may be topped up (see `pump`), not after every answer.
      if (left <= this.tenantConcurrency / 2) this.look();
    };
    const delivery = this.deliver(key, freeSlot)
      .catch((error: unknown) => {
        // The store failed: leave the row as it is, and alone for a while (the nudge below must not retry it at once).
        this.log.error({ row: key, err: String(error) }, 'alert delivery could not be recorded');
        this.heldUntil.set(key, this.timer.now() + STORE_RETRY_MS);
        this.scheduleWake(this.timer.now() + STORE_RETRY_MS);
      })
      .finally(() => {
        this.inFlight.delete(key);
        this.busyConversations.delete(row.conversationId);
        this.queue.requeue(row.tenantId, row.conversationId);
        freeSlot();
        this.look();
      });
    this.inFlight.set(key, delivery);
  }

  /**
   * One attempt: claim the row durably, send once, record what happened. The claim and the record are staged with
   * those of the other deliveries of the moment and committed together (`claims`, `outcomes`): a fan-out costs a
   * few commits per batch, not two per delivery, and the order of writes for one row is unchanged.
   */
  private async deliver(key: string, answered: () => void): Promise<void> {
    const claimed = await this.claims.submit(key);
    if (!claimed) return;
    if ('noLease' in claimed) {
      // Lost (or about to end): the next look takes it again, renews it, or leaves the tenant to its holder.
      if (claimed.until === undefined) this.leases.delete(claimed.noLease);
      else this.leases.set(claimed.noLease, claimed.until);
      return;
    }
    let result: SendResult;
    let gated = false;
    while (this.slice.due()) await this.slice.pause();
    try {
      const activity = claimed.alert ? await this.deps.render(claimed.alert, claimed.row) : { ...claimed.activity };
      result = await this.deps.sender.send(claimed.target, activity, async () => {
        await this.takeToken(claimed.row);
        gated = true;
        // Claimed ahead, it may have waited at the gate: no request starts in the lease's last `handoverMs` (only if
        // renewing the lease kept failing), the sender then answers `retry`.
        const lease = this.leases.get(claimed.row.tenantId);
        if (lease === undefined || lease - this.timer.now() <= this.handoverMs) throw new Error('sending lease ends');
        // When a window opens, the rows waiting at its gate all get their tokens at once: their requests start in
        // time slices. The token is counted until the answer (see `settle`), so a wait here cannot break a window.
        while (this.slice.due()) await this.slice.pause();
      });
    } catch (error) {
      result = { verdict: 'retry', error: String(error).slice(0, 200) };
    } finally {
      // The request reached the connector by now at the latest: that is when the rate windows count it.
      if (gated) this.limiter.settle(this.rateKeys(claimed.row), this.timer.now());
    }
    answered();
    await this.record(key, claimed.row, result);
  }

  /** Claims rows for sending, all in one transaction; what each claim came to, in order. */
  private claimAll(keys: readonly string[]): Promise<Array<Claim | undefined>> {
    return this.transactRows(async (tx, writes) => {
      const now = this.timer.now();
      // Within one batch, a tenant's lease and an alert are read once.
      const leases = new Map<string, Promise<LeaseRecord | undefined>>();
      const alerts = new Map<string, Promise<AlertRecord | undefined>>();
      const claims: Array<Claim | undefined> = [];
      for (const key of keys) {
        const row = await tx.get('alertOutbox', key);
        // The look that launched this may be older than a retry scheduled since: not due yet, not sent yet.
        if (!row || (row.status !== 'pending' && row.status !== 'sending') || row.nextAttemptAt > now) {
          // What the store holds replaces what memory had (another instance's write, or an older look's).
          writes.push([key, row]);
          claims.push(undefined);
          continue;
        }
        // Only the lease's holder sends for a tenant, and not in the lease's last moments (see the handover above).
        if (!leases.has(row.tenantId)) leases.set(row.tenantId, tx.get('senderLeases', row.tenantId));
        const lease = await leases.get(row.tenantId);
        if (lease?.owner !== this.owner || lease.until - now <= this.handoverMs) {
          claims.push({ noLease: row.tenantId, until: lease?.owner === this.owner ? lease.until : undefined });
          continue;
        }
        // An alert is rendered from its record; a notice was rendered when it was enqueued.
        if (row.kind === 'alert' && !alerts.has(row.alertId)) alerts.set(row.alertId, tx.get('alerts', row.alertId));
        const alert = row.kind === 'alert' ? await alerts.get(row.alertId) : undefined;
        const stored = await tx.get('conversationReferences', row.conversationId);
        const reference = row.reference ?? (stored?.deadSince === undefined ? stored?.reference : undefined);
        if ((row.kind === 'alert' && !alert) || (row.kind !== 'alert' && !row.activity) || !reference || stored?.deadSince !== undefined) {
          const lastError = stored?.deadSince !== undefined ? 'conversation is dead' : reference ? 'nothing to send' : 'app not installed there';
          tx.put('alertOutbox', key, { ...row, status: 'dead', lastError });
          writes.push([key, undefined]);
          await this.tellAsker(tx, writes, row);
          claims.push(undefined);
          continue;
        }
        const sending: OutboxRow = { ...row, status: 'sending', attempts: row.attempts + 1 };
        tx.put('alertOutbox', key, sending);
        writes.push([key, sending]);
        claims.push({ row: sending, alert, activity: row.activity, target: { conversationId: row.conversationId, tenantId: row.tenantId, reference } });
      }
      return claims;
    });
  }

  /** Decides what an answer means for the row, logs it, and has it written with the other outcomes of the moment. */
  private async record(key: string, row: OutboxRow, result: SendResult): Promise<void> {
    const now = this.timer.now();
    if (result.verdict === 'sent') return this.outcomes.submit({ key, row, result, retryAt: now });
    const lastError = result.error.slice(0, 200);
    if (result.verdict === 'gone') {
      this.log.warn({ conversationId: row.conversationId, lastError }, 'delivery target is dead; it will not be retried');
      return this.outcomes.submit({ key, row, result, retryAt: now });
    }
    if (result.verdict === 'rejected' || row.attempts >= this.maxAttempts) {
      this.log.warn({ conversationId: row.conversationId, kind: row.kind, id: row.alertId, attempts: row.attempts, lastError }, 'delivery given up');
      return this.outcomes.submit({ key, row, result: { verdict: 'rejected', error: lastError }, retryAt: now });
    }
    const delay = result.retryAfterMs !== undefined ? Math.max(result.retryAfterMs, 0) : this.backoff(row.attempts);
    if (result.verdict === 'throttled') this.limiter.block(`conversation:${row.conversationId}`, now + delay);
    return this.outcomes.submit({ key, row, result, retryAt: now + delay });
  }

  /** Writes the outcomes of several attempts in one transaction. */
  private recordAll(outcomes: readonly Outcome[]): Promise<void[]> {
    const at = this.deps.clock();
    return this.transactRows(async (tx, writes) => {
      for (const { key, row, result, retryAt } of outcomes) {
        const current = await tx.get('alertOutbox', key);
        // Delivered, dead, given up or gone: no longer waiting; a retry is put back below.
        writes.push([key, undefined]);
        if (result.verdict === 'sent') {
          if (current) tx.put('alertOutbox', key, { ...current, status: 'sent', sentAt: at, ...(result.activityId ? { activityId: result.activityId } : {}) });
          continue;
        }
        const lastError = result.error.slice(0, 200);
        if (result.verdict === 'gone') {
          // A stored conversation is marked dead; a notice's own reference (a sign-in's chat) concerns that row only.
          const reference = row.reference ? undefined : await tx.get('conversationReferences', row.conversationId);
          if (reference && reference.deadSince === undefined) tx.put('conversationReferences', row.conversationId, { ...reference, deadSince: at });
          if (current) {
            tx.put('alertOutbox', key, { ...current, status: 'dead', lastError });
            await this.tellAsker(tx, writes, current);
          }
          if (!reference) continue;
          for (const status of UNDELIVERED) {
            for (const { id, record: other } of await tx.findBy('alertOutbox', 'byConversationStatus', [row.conversationId, status])) {
              if (other.reference) continue;
              tx.put('alertOutbox', id, { ...other, status: 'dead', lastError });
              writes.push([id, undefined]);
              await this.tellAsker(tx, writes, other);
            }
          }
          continue;
        }
        if (!current) continue;
        if (result.verdict === 'rejected') {
          tx.put('alertOutbox', key, { ...current, status: 'failed', lastError });
          await this.tellAsker(tx, writes, current);
        } else {
          const again: OutboxRow = { ...current, status: 'pending', nextAttemptAt: retryAt, lastError };
          tx.put('alertOutbox', key, again);
          writes.push([key, again]);
        }
      }
      return outcomes.map(() => undefined);
    });
  }

  /** Enqueues, in the transaction, the word to whoever asked for a notice that ended undelivered (if it has one). */
  private async tellAsker(tx: Transaction<typeof ledgerSchemas>, writes: Array<readonly [string, OutboxRow | undefined]>, row: OutboxRow): Promise<void> {
    const word = await stageUndelivered(tx, row, this.deps.clock(), this.timer.now());
    if (word) writes.push(word);
  }

  /** Exponential back-off with "equal jitter": between half and all of base·2^(attempt−1), capped. */
  private backoff(attempt: number): number {
    const full = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(full / 2 + this.random() * (full / 2));
  }
}
