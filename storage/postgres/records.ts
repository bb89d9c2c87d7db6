import type { z } from 'zod';
import { InvalidRecordError } from '../errors.js';
import { CorruptRecordError } from './errors.js';
import { deepFreeze, formatIssue, isPlainObject, parsedRecord, recordJson } from '../values.js';

/** A record staged by `put`: its parsed, frozen value and the JSON text stored (of that value). */
export interface EncodedRecord {
  readonly value: unknown;
  readonly json: string;
}

/**
 * The stored document of a staged record, as the database's indexes see it (the JSON parsed again), made when asked:
 * an import stages a hundred thousand records and never asks.
 */
export function stagedDoc(record: EncodedRecord): Record<string, unknown> {
  const doc: unknown = JSON.parse(record.json);
  return isPlainObject(doc) ? doc : {};
}

/**
 * Validates a value through its JSON form, as the embedded store does, and stores what the schema parsed (so a
 * field the schema derives is never taken from the caller, and the indexes read the parsed fields). Also refuses
 * what PostgreSQL's jsonb and text cannot hold (the NUL character, a lone surrogate), which the database would
 * otherwise refuse only at commit.
 */
export function encodeRecord(schema: z.ZodType, collection: string, id: string, value: unknown): EncodedRecord {
  if (typeof id === 'string' && id.length > 0 && !storable(id)) {
    throw new InvalidRecordError(collection, id, ['the id holds a NUL character or a lone surrogate, which PostgreSQL cannot store']);
  }
  const parsed = parsedRecord(schema, collection, id, value);
  const json = recordJson(collection, id, parsed);
  if (UNSTORABLE_ESCAPE.test(json)) {
    throw new InvalidRecordError(collection, id, ['a string holds a NUL character or a lone surrogate, which PostgreSQL cannot store']);
  }
  return { value: deepFreeze(parsed), json };
}

/** Parses a stored row with its collection's schema; a row that does not fit is a `CorruptRecordError`. */
export function decodeRecord(schema: z.ZodType, collection: string, id: string, doc: unknown): unknown {
  const parsed = schema.safeParse(doc);
  if (!parsed.success) throw new CorruptRecordError(collection, id, parsed.error.issues.map(formatIssue));
  return deepFreeze(parsed.data);
}

/** Whether PostgreSQL text can hold `value` exactly (no NUL; well-formed UTF-16, so nothing becomes U+FFFD). */
export function storable(value: string): boolean {
  return !value.includes('\0') && !LONE_SURROGATE.test(value);
}

/** The index key of a stored document: the fields' values when every one is a string, else undefined (not indexed). */
export function indexKey(doc: Record<string, unknown>, fields: readonly string[]): string[] | undefined {
  const key: string[] = [];
  for (const field of fields) {
    const value = Object.hasOwn(doc, field) ? doc[field] : undefined;
    if (typeof value !== 'string') return undefined;
    key.push(value);
  }
  return key;
}

/**
 * JSON.stringify writes NUL as \u0000 and a lone surrogate as \udXXX (a well-formed pair stays literal); the escape
 * must follow an even number of backslashes, or it is the text "\\u0000" of a string that holds a backslash.
 */
const UNSTORABLE_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

