/**
 * Cooperative time slicing for long synchronous loops (applying or flushing a 100,000-record commit, an import's
 * comparison with the ledger, a fan-out's thousands of rows): call `due()` often and, when it says so, `await pause()`,
 * so that turns and health probes waiting on the event loop are served every few milliseconds.
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

/** The budget of a slice: well under the 50 ms a person notices as a stall. */
const BUDGET_MS = 10;

let started = performance.now();
// Shared by every caller pausing in the same slice: one yield, after which the slice starts again. Concurrent callers
// (a dispatcher's deliveries) resume one after the other within one turn, so each asks `due()` again after it.
let resumed: Promise<void> | undefined;

const processSlice: TimeSlice = {
  due: () => performance.now() - started >= BUDGET_MS,
  pause: () =>
    (resumed ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        resumed = undefined;
        started = performance.now();
        resolve();
      }),
    )),
};

/**
 * The process's time slice. There is one, shared by all background work, the storage adapters' and the services':
 * two loops that each kept a budget of their own ran one after the other in the same turn of the event loop (the end
 * of one organization's fan-out transaction, then the start of the next one's; an import's comparison, then the
 * store applying its changes), and their blocks added up. Work that has been idle finds the slice used up and
 * yields once before it starts.
 */
export function timeSlice(): TimeSlice {
  return processSlice;
}
