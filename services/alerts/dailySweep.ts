/**
 * The record of the daily alert sweep (`alertSweeps`, key `daily`), shared by every instance: when the last sweep
 * finished, and a claim while one runs, so that of two instances due at once exactly one sweeps.
 */
import type { Ledger } from '../../storage/index.js';

/** A day, the sweep's period. */
const DAY_MS = 24 * 3_600_000;
/**
 * How early a sweep may be claimed: an instance whose timer fires a little before another's last sweep is a day old
 * still sweeps, and one that fires within this margin after another's sweep does not sweep again.
 */
export const SWEEP_MARGIN_MS = 10 * 60_000;
/**
 * How long a sweep's claim lasts: another instance (or this one after a restart) runs a sweep that did not finish
 * once it is over. Far longer than a sweep takes (one transaction per organization).
 */
const SWEEP_CLAIM_MS = 30 * 60_000;
const KEY = 'daily';

/** The daily sweep's record: when it is due, its claim, its end. */
export class DailySweepRecord {
  constructor(private readonly ledger: Ledger) {}

  /** How long after `now` the last sweep (by any instance) is a day old; 0 when none ever ran. */
  async dueIn(now: Date): Promise<number> {
    const last = (await this.ledger.get('alertSweeps', KEY))?.lastRunAt.getTime();
    return last === undefined ? 0 : Math.max(0, last + DAY_MS - now.getTime());
  }

  /**
   * Claims the sweep if no instance finished one in the last day and none is running one: the claim (`runningUntil`)
   * and its check are one transaction. False when it is not this instance's to run.
   */
  claim(now: Date): Promise<boolean> {
    return this.ledger.transact(async (tx) => {
      const last = await tx.get('alertSweeps', KEY);
      if (last && now.getTime() - last.lastRunAt.getTime() < DAY_MS - SWEEP_MARGIN_MS) return false;
      if (last?.runningUntil && last.runningUntil.getTime() > now.getTime()) return false;
      tx.put('alertSweeps', KEY, { lastRunAt: last?.lastRunAt ?? new Date(0), runningUntil: new Date(now.getTime() + SWEEP_CLAIM_MS) });
      return true;
    });
  }

  /** Gives a failed sweep's claim back, so it is tried again soon. */
  release(): Promise<void> {
    return this.ledger.transact(async (tx) => {
      const last = await tx.get('alertSweeps', KEY);
      if (last?.runningUntil) tx.put('alertSweeps', KEY, { lastRunAt: last.lastRunAt });
    });
  }

  /** Records a sweep started at `startedAt` as finished; a later sweep that finished first (an operator's) stays the last one. */
  finish(startedAt: Date): Promise<void> {
    return this.ledger.transact(async (tx) => {
      const last = await tx.get('alertSweeps', KEY);
      if (!last || last.lastRunAt.getTime() <= startedAt.getTime()) tx.put('alertSweeps', KEY, { lastRunAt: startedAt });
    });
  }
}
