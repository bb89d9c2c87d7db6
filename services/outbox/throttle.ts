/**
 * Rate limits for proactive sends (Teams: at most 7 per second and 60 per 30 seconds per conversation, 50 requests per
 * second per app and tenant). Each key has a log of its recent sends; a send is allowed when, for every window of every
 * key, fewer than `limit` sends started in the last `ms`. A plain token bucket would not do: a bucket of 7 refilled at
 * 7/s lets 13 sends through in one second (the full bucket, then the refill), which Teams answers with 429.
 */

/** How soon to look again when a window is full of sends not settled yet. */
const PENDING_RECHECK_MS = 10;

/** At most `limit` events in any `ms` milliseconds. */
export interface RateWindow {
  readonly limit: number;
  readonly ms: number;
}

/** Teams' limits per bot and conversation (send): 7 per second, 60 per 30 seconds. */
export const CONVERSATION_WINDOWS: readonly RateWindow[] = [
  { limit: 7, ms: 1_000 },
  { limit: 60, ms: 30_000 },
];

/** Teams' global limit per app and tenant: 50 requests per second. */
export const TENANT_WINDOWS: readonly RateWindow[] = [{ limit: 50, ms: 1_000 }];

/** One rate-limited key and its windows. */
export interface LimitedKey {
  readonly key: string;
  readonly windows: readonly RateWindow[];
}

/** A sliding-window limiter over many keys, on an injected time base (milliseconds). */
export class SlidingWindowLimiter {
  private readonly log = new Map<string, number[]>();
  private readonly blocked = new Map<string, number>();

  /**
   * @param marginMs added to every window: the connector timestamps a request when it arrives, a little after we
   *   start it, so two sends exactly one window apart here could land inside one window there.
   */
  constructor(
    private readonly marginMs = 0,
    /** Most keys kept; past it the least recently used key is forgotten, so input from outside cannot grow the map. */
    private readonly maxKeys = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * If every key allows a send at `now`, records it for all of them and returns 0; otherwise records nothing and
   * returns how long to wait (ms) before asking again.
   */
  tryAcquire(keys: readonly LimitedKey[], now: number, options: { readonly pending?: boolean } = {}): number {
    const wait = this.waitFor(keys, now);
    if (wait > 0) return wait;
    for (const { key, windows } of keys) {
      const longest = Math.max(...windows.map((w) => w.ms + this.marginMs));
      const maxLimit = Math.max(...windows.map((w) => w.limit));
      const times = this.log.get(key) ?? [];
      // A pending send counts as happening at any moment until it is settled (see `settle`).
      times.push(options.pending ? Number.POSITIVE_INFINITY : now);
      // Keep what any window can still see, and never more than the largest limit needs.
      let drop = 0;
      while (drop < times.length && (now - times[drop]! >= longest || times.length - drop > maxLimit)) drop += 1;
      if (drop > 0) times.splice(0, drop);
      // Re-inserted: the map's order is then least recently used first.
      this.log.delete(key);
      this.log.set(key, times);
      if (this.log.size > this.maxKeys) this.log.delete(this.log.keys().next().value!);
    }
    return 0;
  }

  /**
   * Settles a send taken with `pending`: it happened at `at` at the latest (when its answer came). A request reaches
   * the server some time between the moment its token is taken and the moment its answer arrives, so counting it
   * at the answer keeps the server's windows within the limits however long the request waited on its way out (an
   * event-loop block, a new connection), without a margin for it.
   */
  settle(keys: readonly LimitedKey[], at: number): void {
    for (const { key } of keys) {
      const times = this.log.get(key);
      if (!times) continue;
      const pending = times.indexOf(Number.POSITIVE_INFINITY);
      if (pending < 0) continue;
      times.splice(pending, 1);
      let i = times.length;
      while (i > 0 && times[i - 1]! > at) i -= 1;
      times.splice(i, 0, at);
    }
  }

  /** Adds sends made elsewhere (another instance, before a lease changed hands) to a key's record. */
  seed(key: string, times: readonly number[]): void {
    if (times.length === 0) return;
    const merged = [...(this.log.get(key) ?? []), ...times].sort((a, b) => a - b);
    this.log.delete(key);
    this.log.set(key, merged);
    if (this.log.size > this.maxKeys) this.log.delete(this.log.keys().next().value!);
  }

  /** How long until every key allows a send at `now` (0: now), without taking anything. */
  waitFor(keys: readonly LimitedKey[], now: number): number {
    let wait = 0;
    for (const { key, windows } of keys) {
      const until = this.blocked.get(key);
      if (until !== undefined) {
        if (until > now) wait = Math.max(wait, until - now);
        else this.blocked.delete(key);
      }
      const times = this.log.get(key);
      if (!times) continue;
      for (const { limit, ms } of windows) {
        const span = ms + this.marginMs;
        // times is ascending; the limit is reached when the limit-th most recent send is still inside the window.
        if (times.length >= limit) {
          const oldestInWindow = times[times.length - limit]!;
          // Every send in the window still pending: look again shortly (it settles when its answer comes).
          if (oldestInWindow === Number.POSITIVE_INFINITY) wait = Math.max(wait, PENDING_RECHECK_MS);
          else if (now - oldestInWindow < span) wait = Math.max(wait, oldestInWindow + span - now);
        }
      }
    }
    return wait;
  }

  /** Holds a key until `until` (a 429's Retry-After): nothing is sent for it before then. */
  block(key: string, until: number): void {
    this.blocked.set(key, Math.max(until, this.blocked.get(key) ?? 0));
    if (this.blocked.size > this.maxKeys) this.blocked.delete(this.blocked.keys().next().value!);
  }

  /** Forgets keys with no recent sends, so the maps do not grow with every conversation ever seen. */
  prune(now: number, olderThanMs: number): void {
    for (const [key, times] of this.log) if (times.length === 0 || now - times.at(-1)! >= olderThanMs) this.log.delete(key);
    for (const [key, until] of this.blocked) if (until <= now) this.blocked.delete(key);
  }

  /** How many keys are remembered (for tests of the memory bound). */
  get size(): number {
    return this.log.size + this.blocked.size;
  }
}
