import type { Timer } from '../../services/timer.js';

/** Lets pending promise chains and setImmediate callbacks (store commits) run. */
export async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A scheduling clock that moves only when a test advances it. */
export class FakeTimer implements Timer {
  private current: number;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;

  constructor(start = 1_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.current + Math.max(0, ms), fn, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward by `ms`, firing due timers in order and letting the work they start settle. */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    await settle();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      next.fn();
      await settle();
    }
    this.current = end;
    await settle();
  }

  /** Advances in steps until `done()` holds, at most `maxMs`; returns whether it did. */
  async runUntil(done: () => boolean | Promise<boolean>, maxMs: number, stepMs = 100): Promise<boolean> {
    for (let elapsed = 0; elapsed <= maxMs; elapsed += stepMs) {
      if (await done()) return true;
      await this.advance(stepMs);
    }
    return done();
  }
}
