import type { Low } from 'lowdb';
import type { z } from 'zod';
import type { CollectionName, CollectionSchemas, DocumentStore, RecordOf, Transaction } from './documentStore.js';
import type { FileCodec } from './durableFile.js';
import { CorruptStoreError, InvalidRecordError, StoreClosedError, TransactionUsageError } from './errors.js';
import { GroupCommit } from './groupCommit.js';

/** One stored record: its parsed, frozen value and its ready-made `"id":{json}` text for serialisation. */
interface Entry {
  readonly value: unknown;
  readonly pair: string;
}

/** The in-memory state lowdb holds: collection → id → entry (Maps, so ids like "__proto__" are safe). */
export type StoreState = Map<string, Map<string, Entry>>;

/** How to undo one applied change. */
interface Undo {
  readonly collection: string;
  readonly id: string;
  readonly previous: Entry | undefined;
}

/** Version of the file layout `{"version":1,"collections":{name:{id:record}}}`. */
const FORMAT_VERSION = 1;
/** How many problems a corrupt-file message lists before summarising the rest. */
const MAX_LISTED_PROBLEMS = 5;

/** A state with one empty collection per schema. */
export function emptyState(schemas: CollectionSchemas): StoreState {
  return new Map(Object.keys(schemas).map((name) => [name, new Map<string, Entry>()]));
}

/** The codec that validates a store file against `schemas` on read and serialises the state compactly. */
export function stateCodec(schemas: CollectionSchemas, file: string): FileCodec<StoreState> {
  return {
    parse(text) {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (error) {
        throw new CorruptStoreError(file, [`not JSON (${errorMessage(error)})`]);
      }
      if (!isPlainObject(raw) || !isPlainObject(raw.collections)) {
        throw new CorruptStoreError(file, [`expected {"version":${FORMAT_VERSION},"collections":{…}} at the top level`]);
      }
      if (raw.version !== FORMAT_VERSION) {
        throw new CorruptStoreError(file, [`unsupported format version ${JSON.stringify(raw.version)} (expected ${FORMAT_VERSION})`]);
      }
      const state = emptyState(schemas);
      const problems: string[] = [];
      for (const [name, records] of Object.entries(raw.collections)) {
        const schema = Object.hasOwn(schemas, name) ? schemas[name] : undefined;
        const target = state.get(name);
        if (!schema || !target) {
          problems.push(`unknown collection "${name}" (not one of ${Object.keys(schemas).join(', ')})`);
          continue;
        }
        if (!isPlainObject(records)) {
          problems.push(`collection "${name}" is not an object of records`);
          continue;
        }
        for (const [id, value] of Object.entries(records)) {
          const parsed = schema.safeParse(value);
          if (parsed.success) target.set(id, { value: deepFreeze(parsed.data), pair: `${JSON.stringify(id)}:${JSON.stringify(value)}` });
          else problems.push(`${name}[${JSON.stringify(id)}]: ${formatIssues(parsed.error.issues)}`);
        }
      }
      if (problems.length > 0) throw new CorruptStoreError(file, problems.slice(0, MAX_LISTED_PROBLEMS), problems.length);
      return state;
    },
    serialize(state) {
      // Concatenating each record's cached JSON is much cheaper than JSON.stringify of the whole tree.
      const collections: string[] = [];
      for (const [name, records] of state) {
        const pairs: string[] = [];
        for (const entry of records.values()) pairs.push(entry.pair);
        collections.push(`${JSON.stringify(name)}:{${pairs.join(',')}}`);
      }
      return `{"version":${FORMAT_VERSION},"collections":{${collections.join(',')}}}\n`;
    },
  };
}

/**
 * The document store both adapters share; lowdb's `Low` holds the state and its adapter decides where a
 * commit goes (a durable file, or memory).
 */
export class EngineDocumentStore<S extends CollectionSchemas> implements DocumentStore<S> {
  readonly #low: Low<StoreState>;
  readonly #schemas: S;
  readonly #name: string;
  readonly #release: () => Promise<void>;
  readonly #commits: GroupCommit<Undo[]>;
  #inTransaction = false;
  #closing: Promise<void> | undefined;

  constructor(low: Low<StoreState>, schemas: S, name: string, release: () => Promise<void> = async () => undefined) {
    this.#low = low;
    this.#schemas = schemas;
    this.#name = name;
    this.#release = release;
    this.#commits = new GroupCommit<Undo[]>({
      write: () => this.#low.write(),
      rollback: (logs) => this.#rollback(logs),
    });
  }

  get<C extends CollectionName<S>>(collection: C, id: string): RecordOf<S, C> | undefined {
    return this.#collection(collection).get(id)?.value as RecordOf<S, C> | undefined;
  }

  all<C extends CollectionName<S>>(collection: C): readonly RecordOf<S, C>[] {
    return Array.from(this.#collection(collection).values(), (entry) => entry.value as RecordOf<S, C>);
  }

  find<C extends CollectionName<S>>(collection: C, predicate: (record: RecordOf<S, C>, id: string) => boolean): RecordOf<S, C>[] {
    const found: RecordOf<S, C>[] = [];
    for (const [id, entry] of this.#collection(collection)) {
      const record = entry.value as RecordOf<S, C>;
      if (predicate(record, id)) found.push(record);
    }
    return found;
  }

  transact<R>(fn: (tx: Transaction<S>) => R): Promise<R> {
    if (this.#closing) return Promise.reject(new StoreClosedError(this.#name));
    // Thrown, not returned: a nested call would otherwise read state without the outer writes and commit alone.
    if (this.#inTransaction) throw new TransactionUsageError('transact was called inside another transaction');
    const staged = new Map<string, Map<string, Entry | null>>();
    const tx = this.#transaction(staged);
    let result: R;
    this.#inTransaction = true;
    try {
      result = fn(tx.view);
    } catch (error) {
      return Promise.reject(error);
    } finally {
      tx.finish();
      this.#inTransaction = false;
    }
    if (isThenable(result)) {
      result.then(undefined, () => undefined);
      return Promise.reject(new TransactionUsageError('transact needs a synchronous function: await before or after it, not inside'));
    }
    const undo = this.#apply(staged);
    return this.#commits.submit(undo.length > 0 ? undo : undefined).then(() => result);
  }

  close(): Promise<void> {
    this.#closing ??= this.#commits.settled().then(() => this.#release());
    return this.#closing;
  }

  #collection(collection: string): Map<string, Entry> {
    const records = Object.hasOwn(this.#schemas, collection) ? this.#low.data.get(collection) : undefined;
    if (!records) throw new TransactionUsageError(`unknown collection "${collection}" in store ${this.#name}`);
    return records;
  }

  #transaction(staged: Map<string, Map<string, Entry | null>>): { view: Transaction<S>; finish(): void } {
    let open = true;
    const assertOpen = (): void => {
      if (!open) throw new TransactionUsageError('this transaction has already finished; writes after it returned are not allowed');
    };
    const stagedFor = (collection: string): Map<string, Entry | null> => {
      let records = staged.get(collection);
      if (!records) staged.set(collection, (records = new Map()));
      return records;
    };
    // Committed records overlaid with this transaction's staged writes.
    const entries = function* (store: EngineDocumentStore<S>, collection: string): Generator<[string, unknown]> {
      const base = store.#collection(collection);
      const overlay = staged.get(collection);
      for (const [id, entry] of base) {
        const change = overlay?.get(id);
        if (change === undefined) yield [id, entry.value];
        else if (change !== null) yield [id, change.value];
      }
      if (overlay) for (const [id, entry] of overlay) if (entry !== null && !base.has(id)) yield [id, entry.value];
    };
    const view: Transaction<S> = {
      get: <C extends CollectionName<S>>(collection: C, id: string) => {
        const own = staged.get(collection)?.get(id);
        if (own === null) return undefined;
        return (own ? own.value : this.#collection(collection).get(id)?.value) as RecordOf<S, C> | undefined;
      },
      all: <C extends CollectionName<S>>(collection: C) =>
        Array.from(entries(this, collection), ([, value]) => value as RecordOf<S, C>),
      find: <C extends CollectionName<S>>(collection: C, predicate: (record: RecordOf<S, C>, id: string) => boolean) => {
        const found: RecordOf<S, C>[] = [];
        for (const [id, value] of entries(this, collection)) if (predicate(value as RecordOf<S, C>, id)) found.push(value as RecordOf<S, C>);
        return found;
      },
      put: (collection, id, value) => {
        assertOpen();
        this.#collection(collection);
        stagedFor(collection).set(id, encode(this.#schemas[collection], collection, id, value));
      },
      delete: (collection, id) => {
        assertOpen();
        this.#collection(collection);
        stagedFor(collection).set(id, null);
      },
    };
    return { view, finish: () => void (open = false) };
  }

  #apply(staged: Map<string, Map<string, Entry | null>>): Undo[] {
    const undo: Undo[] = [];
    for (const [collection, changes] of staged) {
      const records = this.#collection(collection);
      for (const [id, entry] of changes) {
        const previous = records.get(id);
        if (entry === null) {
          if (previous === undefined) continue;
          records.delete(id);
        } else {
          records.set(id, entry);
        }
        undo.push({ collection, id, previous });
      }
    }
    return undo;
  }

  #rollback(logs: readonly Undo[][]): void {
    for (let i = logs.length - 1; i >= 0; i--) {
      const log = logs[i] ?? [];
      for (let j = log.length - 1; j >= 0; j--) {
        const { collection, id, previous } = log[j] as Undo;
        const records = this.#collection(collection);
        if (previous === undefined) records.delete(id);
        else records.set(id, previous);
      }
    }
  }
}

/** Validates a value through its JSON form, so anything accepted here parses again when the file is read. */
function encode(schema: z.ZodType | undefined, collection: string, id: string, value: unknown): Entry {
  if (!schema) throw new TransactionUsageError(`unknown collection "${collection}"`);
  if (typeof id !== 'string' || id.length === 0) throw new InvalidRecordError(collection, String(id), ['the id must be a non-empty string']);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new InvalidRecordError(collection, id, [`not JSON-serialisable (${errorMessage(error)})`]);
  }
  if (json === undefined) throw new InvalidRecordError(collection, id, ['not a JSON value']);
  const parsed = schema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new InvalidRecordError(collection, id, parsed.error.issues.map(formatIssue));
  return { value: deepFreeze(parsed.data), pair: `${JSON.stringify(id)}:${json}` };
}

function formatIssue(issue: z.core.$ZodIssue): string {
  return issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map(formatIssue).join('; ');
}

/** Freezes a parsed record so that changing it without `put` (memory ahead of disk) throws instead. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
