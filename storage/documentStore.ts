import type { z } from 'zod';

/** Collection name → schema of one record; a schema must accept the JSON form of its own output (see index.ts). */
export type CollectionSchemas = Record<string, z.ZodType>;

/** Names of a store's collections. */
export type CollectionName<S extends CollectionSchemas> = keyof S & string;

/** The parsed (output) type of a record in collection `C`. */
export type RecordOf<S extends CollectionSchemas, C extends CollectionName<S>> = z.output<S[C]>;

/**
 * One secondary index of a collection: the top-level fields whose values key it, in order. A record is in the
 * index only while every one of these fields holds a string (an absent or non-string field leaves it out), so an
 * optional field makes a partial index. The fields are read from the record as its schema parsed it (what is stored
 * is that parsed form, never the caller's value), so a field the schema derives from others can be indexed. A
 * `unique` index admits one record per key: a transaction that would commit a second one rejects with
 * `UniqueViolationError`, on every adapter (the database backs it with a unique index; the embedded store checks it
 * at commit).
 */
export interface IndexSpec {
  readonly fields: readonly [string, ...string[]];
  readonly unique?: boolean;
}

/** Collection → index name → index. Every query that is not by id goes through one of these. */
export type IndexSpecs<S extends CollectionSchemas> = { readonly [C in CollectionName<S>]?: Readonly<Record<string, IndexSpec>> };

/** A record with the id it is stored under. Lists of them come in id order: by code point, as UTF-8 bytes compare. */
export interface Keyed<T> {
  readonly id: string;
  readonly record: T;
}

/** Read access to a store; returned records are deeply frozen and may be shared, so copy before changing them. */
export interface ReadView<S extends CollectionSchemas> {
  /** The record stored under `id`, or undefined. */
  get<C extends CollectionName<S>>(collection: C, id: string): Promise<RecordOf<S, C> | undefined>;
  /**
   * The records stored under `ids`, in the order of `ids` (undefined where there is none): one look-up for all of
   * them (one query on a database), for work on many known ids at once, such as an import comparing its rows with
   * what is stored. A caller bounds how many ids it asks at once (a few thousand).
   */
  getMany<C extends CollectionName<S>>(collection: C, ids: readonly string[]): Promise<(RecordOf<S, C> | undefined)[]>;
  /**
   * The records whose index `index` has exactly `values` (one per indexed field, in the declared order), in id
   * order. Costs what the matching records cost, however many others the collection holds.
   */
  findBy<C extends CollectionName<S>>(collection: C, index: string, values: readonly string[]): Promise<Keyed<RecordOf<S, C>>[]>;
  /**
   * Every record of a collection, in id order. It reads the whole collection: for background sweeps, exports
   * and small fixed collections only, never on a person's turn.
   */
  scan<C extends CollectionName<S>>(collection: C): Promise<Keyed<RecordOf<S, C>>[]>;
}

/** A read view that can also stage writes; they are applied together when the transaction function resolves. */
export interface Transaction<S extends CollectionSchemas> extends ReadView<S> {
  /**
   * Stages `value` under `id`; throws `InvalidRecordError` at once if the value does not satisfy the schema.
   * Later reads of this transaction see it (by id and through the indexes).
   */
  put<C extends CollectionName<S>>(collection: C, id: string, value: RecordOf<S, C>): void;
  /** Stages the removal of `id` (a missing id is not an error). */
  delete<C extends CollectionName<S>>(collection: C, id: string): void;
}

/** What one durable commit cost, for metrics and tests. */
export interface CommitInfo {
  /** Size of what was written, in bytes. */
  readonly bytes: number;
  /** Time the event loop was blocked taking what to write (the text of large writes is made a group at a time after it). */
  readonly serializeMs: number;
  /** Time from the start of the commit until the data was durable. */
  readonly totalMs: number;
}

/**
 * Collections of validated JSON records keyed by string id, changed only through atomic transactions.
 *
 * `transact(fn)` runs `fn` against a transaction; if `fn` resolves, its writes are applied atomically and the
 * promise resolves with its result once they are durable; if it rejects (or a unique index is violated), nothing
 * is applied and the promise rejects. Reads inside `fn` see its own writes, and transactions are serializable:
 * a check-then-write inside one `fn` is atomic. An adapter may run `fn` again when a concurrent transaction
 * conflicts with it (the database adapter does, on serialization failure), so `fn` must have no effect outside
 * the transaction. Calling `transact` from inside a transaction function rejects with `TransactionUsageError`.
 * The errors callers may act on are in errors.ts; an adapter's own failures (the database adapter's
 * `TransactionConflictError` and `CorruptRecordError`, in postgres/errors.ts) are for logs, and no caller handles them.
 */
export interface DocumentStore<S extends CollectionSchemas> extends ReadView<S> {
  transact<R>(fn: (tx: Transaction<S>) => Promise<R> | R): Promise<R>;
  /** Waits for pending commits, then releases the store; later calls reject with `StoreClosedError`. */
  close(): Promise<void>;
}
