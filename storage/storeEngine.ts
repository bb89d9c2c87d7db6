import { AsyncLocalStorage } from 'node:async_hooks';
import type { Low } from 'lowdb';
import type { z } from 'zod';
import type { CollectionName, CollectionSchemas, DocumentStore, IndexSpecs, Keyed, RecordOf, Transaction } from './documentStore.js';
import { CorruptStoreError, StoreClosedError, TransactionUsageError, UniqueViolationError } from './errors.js';
import { GroupCommit } from './groupCommit.js';
import { IndexSet, indexKeyOf, indexKeyOfValues, sortIds } from './indexes.js';
import { ShardedMap } from './shardedMap.js';
import { timeSlice } from './timeSlice.js';
import { deepFreeze, formatIssues, parsedRecord } from './values.js';

/**
 * The in-memory state lowdb holds: collection → id → record, each as its schema parsed it, frozen (Maps, so ids like
 * "__proto__" are safe). Only the parsed form is kept (its JSON is written when a commit or a snapshot needs it): a
 * credential costs about 600 bytes of heap, where keeping its JSON text beside it took twice that.
 */
export type StoreState = Map<string, ShardedMap<unknown>>;

/** A record a commit changed (put or deleted): its value now is the one in the state. */
export interface Change {
  readonly collection: string;
  readonly id: string;
}

/** How to undo one applied change. */
interface Undo extends Change {
  readonly previous: unknown;
}

/** How many problems a corrupt-file message lists before summarising the rest. */
export const MAX_LISTED_PROBLEMS = 5;

/** A state with one empty collection per schema. */
export function emptyState(schemas: CollectionSchemas): StoreState {
  return new Map(Object.keys(schemas).map((name) => [name, new ShardedMap<unknown>()]));
}

/**
 * A stored value read back from a file, validated by its schema: the record to keep (frozen), or the problem. The
 * parsed form is kept, so fields a schema derives (for an index) are written back derived.
 */
export function storedRecord(schema: z.ZodType, value: unknown): { readonly record: unknown } | { readonly problem: string } {
  const parsed = schema.safeParse(value);
  return parsed.success ? { record: deepFreeze(parsed.data) } : { problem: formatIssues(parsed.error.issues) };
}

/** The transaction a piece of code runs in (with the ones it runs inside), so that `transact` can refuse to nest. */
interface TransactionContext {
  readonly store: object;
  open: boolean;
  readonly parent: TransactionContext | undefined;
}

const transactionContext = new AsyncLocalStorage<TransactionContext>();

/** True when the caller runs inside an unfinished transaction function of `store` (directly or through another store's). */
function insideTransactionOf(store: object): boolean {
  for (let context = transactionContext.getStore(); context; context = context.parent) if (context.open && context.store === store) return true;
  return false;
}

/** Runs of one transaction function at most, when failed writes keep undoing what it read. */
const MAX_RUNS = 5;
/** A transaction changing at least this many records is applied in slices (see #applySliced). */
const SLICED_APPLY_CHANGES = 2_000;

/** Marks a staged deletion (any JSON value, null included, could be a record). */
const DELETED: unique symbol = Symbol('deleted');

/** A transaction's staged writes: collection → id → new record, or DELETED. */
type Staged = Map<string, ShardedMap<unknown>>;

/** How an `EngineDocumentStore` is named, indexed, made durable and released. */
export interface EngineOptions<S extends CollectionSchemas> {
  /** Named in errors: the file, or "in memory". */
  readonly name: string;
  readonly indexes?: IndexSpecs<S> | undefined;
  /**
   * Makes the changes of one group commit durable (the records of each transaction it changed, oldest first; their
   * values now are in `low.data`), capturing what it writes before its first await. Default: `low.write()`.
   */
  readonly persist?: (changes: readonly (readonly Change[])[]) => Promise<void>;
  /** Called once the store is closed (a file lock to release). */
  readonly release?: () => Promise<void>;
}

/**
 * The document store both embedded adapters share; lowdb's `Low` holds the state and its adapter decides where a
 * commit goes (a durable file, or memory). Transactions run one at a time (a queue); each applies its writes in
 * memory when its function resolves, and transactions applied close together share one durable write (group
 * commit). Secondary indexes are maps kept beside the records (see indexes.ts).
 */
export class EngineDocumentStore<S extends CollectionSchemas> implements DocumentStore<S> {
  readonly #low: Low<StoreState>;
  readonly #schemas: S;
  readonly #name: string;
  readonly #release: () => Promise<void>;
  readonly #commits: GroupCommit<Undo[]>;
  readonly #indexes: IndexSet;
  /** Settles when the transaction holding the store, and every one queued before the last caller, is done. */
  #tail: Promise<void> = Promise.resolve();
  /** Raised by every rollback: a transaction function that ran across one may have read changes that are gone. */
  #epoch = 0;
  /** Set while a large transaction is applied in slices (see #applySliced). */
  #applying: Promise<void> | undefined;
  #lastWriteError: unknown;
  #closing: Promise<void> | undefined;

  constructor(low: Low<StoreState>, schemas: S, options: EngineOptions<S>) {
    this.#low = low;
    this.#schemas = schemas;
    this.#name = options.name;
    this.#release = options.release ?? (async () => undefined);
    const persist = options.persist ?? (() => low.write());
    this.#commits = new GroupCommit<Undo[]>({
      write: (logs) => persist(logs),
      rollback: (logs, error) => this.#rollback(logs, error),
    });
    this.#indexes = new IndexSet(schemas, (options.indexes ?? {}) as IndexSpecs<CollectionSchemas>, options.name);
    for (const [collection, records] of low.data) for (const [id, record] of records) this.#indexes.replace(collection, id, undefined, record);
    // A file written before a unique index was declared may break it; it is refused like any other invalid data.
    const violations = this.#indexes.violations();
    if (violations.length > 0) throw new CorruptStoreError(options.name, violations.slice(0, MAX_LISTED_PROBLEMS), violations.length);
  }

  get<C extends CollectionName<S>>(collection: C, id: string): Promise<RecordOf<S, C> | undefined> {
    return this.#read(() => this.#collection(collection).get(id) as RecordOf<S, C> | undefined);
  }

  getMany<C extends CollectionName<S>>(collection: C, ids: readonly string[]): Promise<(RecordOf<S, C> | undefined)[]> {
    return this.#read(() => {
      const records = this.#collection(collection);
      return ids.map((id) => records.get(id) as RecordOf<S, C> | undefined);
    });
  }

  findBy<C extends CollectionName<S>>(collection: C, index: string, values: readonly string[]): Promise<Keyed<RecordOf<S, C>>[]> {
    return this.#read(() => this.#findBy(collection, index, values, undefined) as Keyed<RecordOf<S, C>>[]);
  }

  scan<C extends CollectionName<S>>(collection: C): Promise<Keyed<RecordOf<S, C>>[]> {
    return this.#read(() => this.#scan(collection, undefined) as Keyed<RecordOf<S, C>>[]);
  }

  async transact<R>(fn: (tx: Transaction<S>) => Promise<R> | R): Promise<R> {
    if (this.#closing) throw new StoreClosedError(this.#name);
    // The nested call would wait for the transaction it runs in, forever: refused instead.
    if (insideTransactionOf(this)) throw new TransactionUsageError('transact was called inside a transaction function of the same store');
    const release = await this.#turn();
    let outcome: { result: R; undo: Undo[] };
    try {
      outcome = await this.#run(fn);
    } finally {
      release();
    }
    // A read-only transaction still waits for the writes it may have observed.
    await this.#commits.submit(outcome.undo.length > 0 ? outcome.undo : undefined);
    return outcome.result;
  }

  close(): Promise<void> {
    this.#closing ??= this.#tail.then(() => this.#commits.settled()).then(() => this.#release());
    return this.#closing;
  }

  /** Waits for the store: resolves with the function that hands it to the next transaction in the queue. */
  #turn(): Promise<() => void> {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const turn = this.#tail.then(() => release);
    this.#tail = done;
    return turn;
  }

  /** Runs the function (again, if a failed write undid what it read meanwhile), checks unique indexes, applies. */
  async #run<R>(fn: (tx: Transaction<S>) => Promise<R> | R): Promise<{ result: R; undo: Undo[] }> {
    for (let run = 1; ; run++) {
      const epoch = this.#epoch;
      const staged: Staged = new Map();
      const context: TransactionContext = { store: this, open: true, parent: transactionContext.getStore() };
      let result: R;
      try {
        result = await transactionContext.run(context, () => fn(this.#transaction(staged, context)));
      } finally {
        context.open = false;
      }
      if (this.#epoch !== epoch) {
        if (run < MAX_RUNS) continue;
        throw this.#lastWriteError;
      }
      let changes = 0;
      for (const records of staged.values()) changes += records.size;
      if (changes < SLICED_APPLY_CHANGES) {
        this.#checkUnique(staged);
        return { result, undo: this.#apply(staged) };
      }
      // A large transaction (an import) is applied in slices. No commit may write the state half-applied, nor a failed
      // one roll back under it: those in flight finish first, and none starts meanwhile (this transaction holds the
      // store's turn, and commits are submitted only after it). Reads outside transactions wait for the end.
      await this.#commits.settled();
      if (this.#epoch !== epoch) {
        if (run < MAX_RUNS) continue;
        throw this.#lastWriteError;
      }
      this.#checkUnique(staged);
      return { result, undo: await this.#applySliced(staged) };
    }
  }

  #read<T>(read: () => T): Promise<T> {
    if (this.#closing) return Promise.reject(new StoreClosedError(this.#name));
    // A large transaction is being applied in slices: its records appear all at once, after it.
    if (this.#applying) return this.#applying.then(() => this.#read(read));
    try {
      return Promise.resolve(read());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #collection(collection: string): ShardedMap<unknown> {
    const records = Object.hasOwn(this.#schemas, collection) ? this.#low.data.get(collection) : undefined;
    if (!records) throw new TransactionUsageError(`unknown collection "${collection}" in store ${this.#name}`);
    return records;
  }

  /** The records of an index key, committed ones overlaid with a transaction's staged writes, in id order. */
  #findBy(collection: string, index: string, values: readonly string[], overlay: ShardedMap<unknown> | undefined): Keyed<unknown>[] {
    const records = this.#collection(collection);
    const state = this.#indexes.lookup(collection, index, values);
    const key = indexKeyOfValues(values);
    const ids = new Set(state.entries.get(key));
    if (overlay) {
      for (const [id, record] of overlay) {
        if (record !== DELETED && indexKeyOf(state, record) === key) ids.add(id);
        else ids.delete(id);
      }
    }
    return sortIds([...ids]).map((id) => keyed(id, overlay?.has(id) ? overlay.get(id) : records.get(id)));
  }

  /** Every record of a collection, committed ones overlaid with a transaction's staged writes, in id order. */
  #scan(collection: string, overlay: ShardedMap<unknown> | undefined): Keyed<unknown>[] {
    const records = this.#collection(collection);
    const ids = new Set(records.keys());
    if (overlay) for (const [id, record] of overlay) if (record === DELETED) ids.delete(id); else ids.add(id);
    return sortIds([...ids]).map((id) => keyed(id, overlay?.has(id) ? overlay.get(id) : records.get(id)));
  }

  #transaction(staged: Staged, context: TransactionContext): Transaction<S> {
    const assertOpen = (): void => {
      if (!context.open) throw new TransactionUsageError('this transaction has already finished; it cannot be used after its function returned');
    };
    const read = <T>(fn: () => T): Promise<T> => {
      try {
        assertOpen();
        return Promise.resolve(fn());
      } catch (error) {
        return Promise.reject(error);
      }
    };
    const stagedFor = (collection: string): ShardedMap<unknown> => {
      let records = staged.get(collection);
      if (!records) staged.set(collection, (records = new ShardedMap()));
      return records;
    };
    return {
      get: <C extends CollectionName<S>>(collection: C, id: string) =>
        read(() => {
          const committed = this.#collection(collection);
          const own = staged.get(collection);
          const record = own?.has(id) ? own.get(id) : committed.get(id);
          return (record === DELETED ? undefined : record) as RecordOf<S, C> | undefined;
        }),
      getMany: <C extends CollectionName<S>>(collection: C, ids: readonly string[]) =>
        read(() => {
          const committed = this.#collection(collection);
          const own = staged.get(collection);
          return ids.map((id) => {
            const record = own?.has(id) ? own.get(id) : committed.get(id);
            return (record === DELETED ? undefined : record) as RecordOf<S, C> | undefined;
          });
        }),
      findBy: <C extends CollectionName<S>>(collection: C, index: string, values: readonly string[]) =>
        read(() => this.#findBy(collection, index, values, staged.get(collection)) as Keyed<RecordOf<S, C>>[]),
      scan: <C extends CollectionName<S>>(collection: C) => read(() => this.#scan(collection, staged.get(collection)) as Keyed<RecordOf<S, C>>[]),
      put: (collection, id, value) => {
        assertOpen();
        this.#collection(collection);
        stagedFor(collection).set(id, encode(this.#schemas[collection], collection, id, value));
      },
      delete: (collection, id) => {
        assertOpen();
        this.#collection(collection);
        stagedFor(collection).set(id, DELETED);
      },
    };
  }

  /** Rejects with `UniqueViolationError` when the staged writes would leave two records under one key of a unique index. */
  #checkUnique(staged: Staged): void {
    for (const [collection, changes] of staged) {
      for (const index of this.#indexes.of(collection)) {
        if (!index.unique) continue;
        const claims = new Map<string, number>();
        for (const record of changes.values()) {
          const key = record === DELETED ? undefined : indexKeyOf(index, record);
          if (key !== undefined) claims.set(key, (claims.get(key) ?? 0) + 1);
        }
        for (const [key, claimed] of claims) {
          let holders = claimed;
          // Committed holders this transaction rewrites or deletes were counted (or not) by their new value above.
          for (const id of index.entries.get(key) ?? []) if (!changes.has(id)) holders += 1;
          if (holders > 1) throw new UniqueViolationError(collection, index.name, JSON.parse(key) as string[]);
        }
      }
    }
  }

  #apply(staged: Staged): Undo[] {
    const undo: Undo[] = [];
    for (const [collection, changes] of staged) {
      const records = this.#collection(collection);
      for (const [id, record] of changes) {
        this.#applyChange(records, collection, id, record, undo);
      }
    }
    return undo;
  }

  /** Applies one staged change (a record, or DELETED) to the records and the indexes, noting how to undo it. */
  #applyChange(records: ShardedMap<unknown>, collection: string, id: string, record: unknown, undo: Undo[]): void {
    const previous = records.get(id);
    if (record === DELETED) {
      if (previous === undefined) return;
      records.delete(id);
    } else {
      records.set(id, record);
    }
    this.#indexes.replace(collection, id, previous, record === DELETED ? undefined : record);
    undo.push({ collection, id, previous });
  }

  /** `#apply` in the process's time slices, yielding to the event loop between them; reads wait until it is done. */
  async #applySliced(staged: Staged): Promise<Undo[]> {
    let done!: () => void;
    this.#applying = new Promise<void>((resolve) => (done = resolve));
    try {
      const undo: Undo[] = [];
      const slice = timeSlice();
      for (const [collection, changes] of staged) {
        const records = this.#collection(collection);
        for (const [id, record] of changes) {
          while (slice.due()) await slice.pause();
          this.#applyChange(records, collection, id, record, undo);
        }
      }
      return undo;
    } finally {
      this.#applying = undefined;
      done();
    }
  }

  #rollback(logs: readonly Undo[][], error: unknown): void {
    this.#epoch += 1;
    this.#lastWriteError = error;
    for (let i = logs.length - 1; i >= 0; i--) {
      const log = logs[i] ?? [];
      for (let j = log.length - 1; j >= 0; j--) {
        const { collection, id, previous } = log[j] as Undo;
        const records = this.#collection(collection);
        const current = records.get(id);
        if (previous === undefined) records.delete(id);
        else records.set(id, previous);
        this.#indexes.replace(collection, id, current, previous);
      }
    }
  }
}

/** A record with its id, frozen like the record. */
function keyed(id: string, record: unknown): Keyed<unknown> {
  return Object.freeze({ id, record });
}

/** What a put stages: the record as its schema parsed it through its JSON form, frozen. */
function encode(schema: z.ZodType | undefined, collection: string, id: string, value: unknown): unknown {
  if (!schema) throw new TransactionUsageError(`unknown collection "${collection}"`);
  return deepFreeze(parsedRecord(schema, collection, id, value));
}
