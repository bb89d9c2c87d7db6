/**
 * Cooperative time slicing for long synchronous loops (a 100,000-row import): call `due()` often and, when it says so,
 * `await pause()`, so that turns and health probes waiting on the event loop are served every few milliseconds.
 */
export interface TimeSlice {
  /** Whether the current slice has run for its budget. */
  due(): boolean;
  /**
   * Yields to the event loop (after pending I/O callbacks) and starts a new slice. Callers pausing together share one
   * yield: when several run concurrently, each pauses with `while (slice.due()) await slice.pause()`.
   */
  pause(): Promise<void>;
}

/** A time slice of `budgetMs` milliseconds (default 10, well under the 50 ms a person notices as a stall). */
export function timeSlice(budgetMs = 10): TimeSlice {
  let started = performance.now();
  // Shared by every caller pausing in the same slice: one yield, after which the slice starts again. Concurrent callers
  // (a dispatcher's deliveries) resume one after the other within one turn, so each asks `due()` again after it.
  let resumed: Promise<void> | undefined;
  return {
    due: () => performance.now() - started >= budgetMs,
    pause: () =>
      (resumed ??= new Promise<void>((resolve) =>
        setImmediate(() => {
          resumed = undefined;
          started = performance.now();
          resolve();
        }),
      )),
  };
}
