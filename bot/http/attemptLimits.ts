/**
 * Limits on attempts from outside that cost something when they fail or repeat: wrong admin tokens per address,
 * sign-in starts per ticket and per address. Built on the proactive sender's sliding-window limiter, with a bound
 * on the keys it remembers, so an attacker rotating addresses or tickets cannot grow memory.
 */
import type http from 'node:http';
import { SlidingWindowLimiter, type RateWindow } from '../../services/outbox/throttle.js';

/** Most keys one limiter remembers. */
const MAX_LIMITED_KEYS = 10_000;

/** Wrong admin tokens per address: 30 a minute, 200 an hour; past that the address is refused (429), token or not. */
export const ADMIN_TOKEN_FAILURE_WINDOWS: readonly RateWindow[] = [
  { limit: 30, ms: 60_000 },
  { limit: 200, ms: 3_600_000 },
];
/** Sign-in starts of one ticket: a person may reload the page a few times. */
export const SIGN_IN_TICKET_WINDOWS: readonly RateWindow[] = [{ limit: 10, ms: 600_000 }];
/** Sign-in starts per address: a whole office behind one address still fits. */
export const SIGN_IN_ADDRESS_WINDOWS: readonly RateWindow[] = [
  { limit: 60, ms: 60_000 },
  { limit: 600, ms: 3_600_000 },
];

/** Counts attempts per key in sliding windows. */
export class AttemptLimiter {
  private readonly limiter = new SlidingWindowLimiter(0, MAX_LIMITED_KEYS);
  private calls = 0;

  constructor(
    private readonly windows: readonly RateWindow[],
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again (0: now), without counting an attempt. */
  retryAfter(key: string): number {
    return this.limiter.waitFor([{ key, windows: this.windows }], this.now());
  }

  /** Counts one attempt for every key; returns the wait (ms) if any of them is over its limit (nothing counted then). */
  attempt(...keys: string[]): number {
    const now = this.now();
    // Keys idle for longer than the longest window are forgotten now and then.
    if (++this.calls % 1000 === 0) this.limiter.prune(now, Math.max(...this.windows.map((w) => w.ms)));
    return this.limiter.tryAcquire(
      keys.map((key) => ({ key, windows: this.windows })),
      now,
    );
  }

  /** How many keys are remembered. */
  get size(): number {
    return this.limiter.size;
  }
}

/** The client's address as the socket sees it (a proxy in front makes this the proxy's address). */
export function clientAddress(req: http.IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
