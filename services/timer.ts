/** Scheduling time, injectable so that tests run on fake time. */
export interface Timer {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The process clock. */
export const realTimer: Timer = {
  now: () => Date.now(),
  // Unref'd: a pending retry must not keep a stopping process (or a test run) alive.
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
