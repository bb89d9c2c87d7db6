import type { z } from 'zod';
import { InvalidRecordError } from './errors.js';

/** A JSON object (not null, not an array), as the store files and items must be. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message of a thrown value, for a problem listed in a store error. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A zod issue as one line: its path, then its message. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  return issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

/** Every issue of a failed parse, on one line. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map(formatIssue).join('; ');
}

/** Freezes a parsed record, so that changing it without `put` (memory ahead of storage) throws, on every adapter. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** A record's JSON text, or `InvalidRecordError` when it has none. */
export function recordJson(collection: string, id: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new InvalidRecordError(collection, id, [`not JSON-serialisable (${errorMessage(error)})`]);
  }
  if (json === undefined) throw new InvalidRecordError(collection, id, ['not a JSON value']);
  return json;
}

/**
 * What a `put` stores, on every adapter: the value validated through its JSON form (so anything accepted parses again
 * when read back), as its schema parsed it (a field the schema derives is never taken from the caller), not yet
 * frozen. Throws `InvalidRecordError` for an empty id, a value that is not JSON, or one the schema refuses.
 */
export function parsedRecord(schema: z.ZodType, collection: string, id: string, value: unknown): unknown {
  if (typeof id !== 'string' || id.length === 0) throw new InvalidRecordError(collection, String(id), ['the id must be a non-empty string']);
  const parsed = schema.safeParse(JSON.parse(recordJson(collection, id, value)));
  if (!parsed.success) throw new InvalidRecordError(collection, id, parsed.error.issues.map(formatIssue));
  return parsed.data;
}
