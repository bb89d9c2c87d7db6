/** A set of submissions made durable by one write; everyone in it shares one promise. */
interface Batch<T> {
  readonly items: T[];
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function newBatch<T>(): Batch<T> {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // The shared promise may reject while only derived promises are awaited; callers see the error there.
  promise.catch(() => undefined);
  return { items: [], promise, resolve, reject };
}

/** How a group committer writes everything applied so far, and undoes changes whose write failed. */
export interface GroupCommitTarget<T> {
  /**
   * Makes durable everything applied so far (`items`: the submissions of this write, oldest first), capturing what it
   * writes synchronously, before its first await.
   */
  write(items: readonly T[]): Promise<void>;
  /** Undoes the given submissions, newest last in `items` (so undo in reverse), after their write failed with `error`. */
  rollback(items: readonly T[], error: unknown): void;
}

/**
 * Batches submissions so that all changes applied in one tick (or while a write is in flight) are
 * written once; each submitter's promise settles when the write containing its change does.
 */
export class GroupCommit<T> {
  #queued: Batch<T> | undefined;
  #inFlight: Batch<T> | undefined;

  constructor(private readonly target: GroupCommitTarget<T>) {}

  /**
   * Joins the next write with `item` (a change already applied in memory), or with undefined for a
   * read-only transaction, which waits only for the writes it may have observed.
   */
  submit(item: T | undefined): Promise<void> {
    if (item === undefined) {
      const observed = this.#queued ?? this.#inFlight;
      return observed ? observed.promise : Promise.resolve();
    }
    if (!this.#queued) {
      this.#queued = newBatch<T>();
      // setImmediate, not a microtask: callers that resume after an await in this tick still join.
      if (!this.#inFlight) setImmediate(() => this.#start());
    }
    this.#queued.items.push(item);
    return this.#queued.promise;
  }

  /** Resolves once nothing is queued or in flight (whatever the outcome of those writes). */
  async settled(): Promise<void> {
    for (;;) {
      const pending = this.#queued ?? this.#inFlight;
      if (!pending) return;
      await pending.promise.catch(() => undefined);
    }
  }

  #start(): void {
    const batch = this.#queued;
    if (!batch || this.#inFlight) return;
    this.#queued = undefined;
    this.#inFlight = batch;
    let writing: Promise<void>;
    try {
      writing = this.target.write(batch.items);
    } catch (error) {
      writing = Promise.reject(error);
    }
    writing.then(
      () => {
        this.#inFlight = undefined;
        batch.resolve();
        // Whatever queued up during this write goes out now, as one batch.
        if (this.#queued) this.#start();
      },
      (error: unknown) => {
        // The queued batch ran against state that included the failed changes, so it fails with them.
        const failed = this.#queued ? [batch, this.#queued] : [batch];
        this.#inFlight = undefined;
        this.#queued = undefined;
        this.target.rollback(failed.flatMap((b) => b.items), error);
        for (const b of failed) b.reject(error);
      },
    );
  }
}
