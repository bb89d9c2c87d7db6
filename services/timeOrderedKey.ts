import { randomUUID } from 'node:crypto';

/** Keys made by this process so far, so that keys of one millisecond still sort in the order they were made. */
let made = 0;

/**
 * A record key that sorts by `at`, then by the order this process made it (the index and scan order is the key's), and
 * never collides with another process's: stored lists (the audit log, comments) read in the order things happened,
 * even under a clock that stands still.
 */
export function timeOrderedKey(at: Date): string {
  made = (made + 1) % 36 ** 8;
  return `${at.toISOString()}/${made.toString(36).padStart(8, '0')}-${randomUUID()}`;
}
