import type { Timer } from '../timer.js';

/**
 * Runs the items submitted while it is idle or busy in batches: the first batch starts once the submitting code has
 * yielded (a pump launches all its rows first), and items submitted while a batch runs form the next one. A batch
 * that fails fails each of its items.
 */
export class Batcher<I, O> {
  private queue: Array<{ item: I; at: number; resolve: (value: O) => void; reject: (error: unknown) => void }> = [];
  private running = false;
  /** The wait of a lingering batch, ended early by `hurry`. */
  private lingering: { handle: unknown; done: () => void } | undefined;
  private hurried = false;

  /**
   * @param linger with a timer, a batch waits until its first item is `ms` old (unless it is full): items that come
   *   one at a time (sends paced by a rate window) are then written a few per commit instead of one each.
   */
  constructor(
    private readonly run: (items: readonly I[]) => Promise<O[]>,
    private readonly maxBatch = 200,
    private readonly linger?: { readonly timer: Timer; readonly ms: number },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, at: this.linger?.timer.now() ?? 0, resolve, reject });
      if (this.lingering && this.queue.length >= this.maxBatch) this.endLinger();
      if (!this.running) {
        this.running = true;
        queueMicrotask(() => void this.drain());
      }
    });
  }

  /** From now on batches no longer linger, or (false) again (a stopping dispatcher records what it has at once). */
  hurry(on = true): void {
    this.hurried = on;
    if (on) this.endLinger();
  }

  private endLinger(): void {
    if (!this.lingering || !this.linger) return;
    this.linger.timer.clearTimeout(this.lingering.handle);
    this.lingering.done();
  }

  private async lingerFor(first: number): Promise<void> {
    if (!this.linger || this.hurried || this.queue.length >= this.maxBatch) return;
    const { timer, ms } = this.linger;
    const wait = first + ms - timer.now();
    if (wait <= 0) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.lingering = undefined;
        resolve();
      };
      this.lingering = { handle: timer.setTimeout(done, wait), done };
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      await this.lingerFor(this.queue[0]!.at);
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.run(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results[i] as O));
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.running = false;
  }
}
