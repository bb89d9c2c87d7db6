import type { z } from 'zod';

/** Collection name → schema of one record; a schema must accept the JSON form of its own output (see index.ts). */
export type CollectionSchemas = Record<string, z.ZodType>;

/** Names of a store's collections. */
export type CollectionName<S extends CollectionSchemas> = keyof S & string;

/** The parsed (output) type of a record in collection `C`. */
export type RecordOf<S extends CollectionSchemas, C extends CollectionName<S>> = z.output<S[C]>;

/** Read access to a store; returned records are deeply frozen and shared, so copy before changing them. */
export interface ReadView<S extends CollectionSchemas> {
  /** The record stored under `id`, or undefined. */
  get<C extends CollectionName<S>>(collection: C, id: string): RecordOf<S, C> | undefined;
  /** Every record of a collection, in insertion order. */
  all<C extends CollectionName<S>>(collection: C): readonly RecordOf<S, C>[];
  /** The records of a collection that satisfy `predicate`. */
  find<C extends CollectionName<S>>(
    collection: C,
    predicate: (record: RecordOf<S, C>, id: string) => boolean,
  ): RecordOf<S, C>[];
}

/** A read view that can also stage writes; they are applied together when the transaction function returns. */
export interface Transaction<S extends CollectionSchemas> extends ReadView<S> {
  /** Stages `value` under `id`; throws `InvalidRecordError` at once if the value does not satisfy the schema. */
  put<C extends CollectionName<S>>(collection: C, id: string, value: RecordOf<S, C>): void;
  /** Stages the removal of `id` (a missing id is not an error). */
  delete<C extends CollectionName<S>>(collection: C, id: string): void;
}

/** What one durable commit cost, for metrics and tests. */
export interface CommitInfo {
  /** Size of the serialised store in bytes. */
  readonly bytes: number;
  /** Time the event loop was blocked serialising the store. */
  readonly serializeMs: number;
  /** Time from the start of serialisation until the data was durable. */
  readonly totalMs: number;
}

/** Collections of validated JSON records keyed by string id, changed only through atomic, group-committed transactions. */
export interface DocumentStore<S extends CollectionSchemas> extends ReadView<S> {
  /**
   * Runs `fn` synchronously against the current state; if it returns, its writes are applied atomically
   * and the promise resolves with its result once they (and everything it read) are durable; if it throws,
   * nothing is applied and the promise rejects with that error. Reads inside `fn` see its own writes, and
   * no other transaction can interleave with `fn`, so check-then-write inside one `fn` is atomic.
   */
  transact<R>(fn: (tx: Transaction<S>) => R): Promise<R>;
  /** Waits for pending commits, then releases the store; later transactions reject with `StoreClosedError`. */
  close(): Promise<void>;
}
