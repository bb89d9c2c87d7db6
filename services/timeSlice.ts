/**
 * Cooperative time slicing for long synchronous loops (a 100,000-row import): call `due()` often and, when it says so,
 * `await pause()`, so that turns and health probes waiting on the event loop are served every few milliseconds.
 */
export interface TimeSlice {
  /** Whether the current slice has run for its budget. */
  due(): boolean;
  /** Yields to the event loop (after pending I/O callbacks) and starts a new slice. */
  pause(): Promise<void>;
}

/** A time slice of `budgetMs` milliseconds (default 10, well under the 50 ms a person notices as a stall). */
export function timeSlice(budgetMs = 10): TimeSlice {
  let started = performance.now();
  return {
    due: () => performance.now() - started >= budgetMs,
    pause: () =>
      new Promise<void>((resolve) =>
        setImmediate(() => {
          started = performance.now();
          resolve();
        }),
      ),
  };
}
