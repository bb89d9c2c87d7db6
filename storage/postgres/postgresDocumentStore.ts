import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { z } from 'zod';
import type { CollectionName, CollectionSchemas, CommitInfo, DocumentStore, IndexSpecs, Keyed, RecordOf, Transaction } from '../documentStore.js';
import { StoreClosedError, TransactionUsageError, UniqueViolationError } from '../errors.js';
import { sqlState, withConnection } from './connection.js';
import { TransactionConflictError } from './errors.js';
import { indexDefinitions, syncIndexes, type IndexDefinition } from './indexes.js';
import { compareIds } from '../indexes.js';
import { decodeRecord, encodeRecord, indexKey, stagedDoc, storable, type EncodedRecord } from './records.js';
import { timeSlice } from '../timeSlice.js';

/** Options of `openPostgresDocumentStore`. */
export interface PostgresDocumentStoreOptions {
  /** Names the store in messages (`StoreClosedError`); default `PostgreSQL`. */
  readonly name?: string;
  /** Runs of a transaction function before a serialization failure or deadlock is given up (`TransactionConflictError`); default 10. */
  readonly maxAttempts?: number;
  /** Base of the jittered exponential back-off between runs, in ms; default 2 (waits stay under 200 ms). */
  readonly retryDelayMs?: number;
  /** Called after every commit that wrote something. */
  readonly onCommit?: (info: CommitInfo) => void;
  /** Called before a transaction function runs again after the database refused its transaction. */
  readonly onRetry?: (info: { readonly attempt: number; readonly code: string }) => void;
}

/** SQLSTATEs after which running the transaction again may succeed: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_RETRY_DELAY_MS = 200;
/** A run after a conflict waits for at most this many keys of the earlier runs; a larger transaction retries unlocked. */
const MAX_RETRY_LOCKS = 64;
/** Rows written by one statement of a commit (see #flush). */
const FLUSH_ROWS = 2_000;

/** A record staged by a transaction (`null`: staged for deletion). */
type Staged = Map<string, Map<string, EncodedRecord | null>>;

type Row = { id: string; doc: unknown };
/** The pool (a read on any connection) or the transaction's connection. */
type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/**
 * Opens the document store on the `records` table of the pool's schema (run `migrate(pool)` first). At open it
 * creates one expression index per declared index, and drops those it created for these collections that are no
 * longer declared, under the schema's advisory lock.
 *
 * Each `transact` is one SERIALIZABLE database transaction on one connection: reads go to the database through it,
 * overlaid with the transaction's staged writes; the writes go at commit in at most two statements. On a
 * serialization failure or deadlock the whole function runs again (jittered back-off; each later run first waits
 * for the records the earlier ones touched; `maxAttempts` runs, then `TransactionConflictError`). A unique index the
 * writes would violate rejects with `UniqueViolationError`. Reads outside a transaction use any connection of the
 * pool, each on its own (inside a transaction function, read through the transaction: the store's own reads do
 * not see its writes, and take a second connection).
 *
 * The pool belongs to the caller: `close()` waits for the store's transactions and reads, then refuses new ones,
 * and leaves the pool open (the state storage and the outbox may share it); end it after closing them all.
 */
export async function openPostgresDocumentStore<S extends CollectionSchemas>(
  pool: pg.Pool,
  schemas: S,
  indexes: IndexSpecs<S> = {},
  options: PostgresDocumentStoreOptions = {},
): Promise<DocumentStore<S>> {
  const definitions = indexDefinitions(schemas, indexes);
  await syncIndexes(pool, Object.keys(schemas), definitions);
  return new PostgresDocumentStore(pool, schemas, definitions, options);
}

class PostgresDocumentStore<S extends CollectionSchemas> implements DocumentStore<S> {
  readonly #pool: pg.Pool;
  readonly #schemas: S;
  readonly #definitions: Map<string, Map<string, IndexDefinition>>;
  /** Database index name → its declaration, to name the index of a unique violation. */
  readonly #byIndexName = new Map<string, IndexDefinition>();
  readonly #name: string;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #onCommit: ((info: CommitInfo) => void) | undefined;
  readonly #onRetry: ((info: { attempt: number; code: string }) => void) | undefined;
  /**
   * The transaction whose function is running, so that a nested `transact` is recognised; `open` turns false when
   * that function is done, so work it scheduled for later (a timer) may transact on its own.
   */
  readonly #insideTransaction = new AsyncLocalStorage<{ open: boolean }>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;

  constructor(pool: pg.Pool, schemas: S, definitions: Map<string, Map<string, IndexDefinition>>, options: PostgresDocumentStoreOptions) {
    this.#pool = pool;
    this.#schemas = schemas;
    this.#definitions = definitions;
    for (const byName of definitions.values()) for (const definition of byName.values()) this.#byIndexName.set(definition.name, definition);
    this.#name = options.name ?? 'PostgreSQL';
    this.#maxAttempts = options.maxAttempts ?? 10;
    if (!Number.isInteger(this.#maxAttempts) || this.#maxAttempts < 1) throw new RangeError('maxAttempts must be a positive integer');
    this.#retryDelayMs = options.retryDelayMs ?? 2;
    this.#onCommit = options.onCommit;
    this.#onRetry = options.onRetry;
  }

  get<C extends CollectionName<S>>(collection: C, id: string): Promise<RecordOf<S, C> | undefined> {
    return this.#read(() => this.#get(this.#pool, collection, id) as Promise<RecordOf<S, C> | undefined>);
  }

  getMany<C extends CollectionName<S>>(collection: C, ids: readonly string[]): Promise<(RecordOf<S, C> | undefined)[]> {
    return this.#read(() => this.#getMany(this.#pool, collection, ids) as Promise<(RecordOf<S, C> | undefined)[]>);
  }

  findBy<C extends CollectionName<S>>(collection: C, index: string, values: readonly string[]): Promise<Keyed<RecordOf<S, C>>[]> {
    return this.#read(async () => sortById(await this.#findBy(this.#pool, collection, index, values)) as Keyed<RecordOf<S, C>>[]);
  }

  scan<C extends CollectionName<S>>(collection: C): Promise<Keyed<RecordOf<S, C>>[]> {
    return this.#read(async () => sortById(await this.#scan(this.#pool, collection)) as Keyed<RecordOf<S, C>>[]);
  }

  transact<R>(fn: (tx: Transaction<S>) => Promise<R> | R): Promise<R> {
    // Rejected, not run: a nested transaction would see none of the outer one's writes and commit on its own.
    if (this.#insideTransaction.getStore()?.open) return Promise.reject(new TransactionUsageError('transact was called inside another transaction'));
    if (this.#closing) return Promise.reject(new StoreClosedError(this.#name));
    return this.#track(this.#transactWithRetries(fn));
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    })();
    return this.#closing;
  }

  #read<T>(read: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new StoreClosedError(this.#name));
    return this.#track(read());
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    const forget = (): void => void this.#inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  async #transactWithRetries<R>(fn: (tx: Transaction<S>) => Promise<R> | R): Promise<R> {
    // What earlier runs of fn read and wrote: a run after a conflict first waits for these keys (see #attempt).
    const touched = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#attempt(fn, touched);
      } catch (error) {
        const code = retryableCode(error);
        if (code === undefined) throw error;
        if (attempt >= this.#maxAttempts) throw new TransactionConflictError(attempt, error);
        this.#onRetry?.({ attempt, code });
        // Full jitter: transactions that collided once should not collide again on the same schedule.
        await sleep(Math.random() * Math.min(MAX_RETRY_DELAY_MS, this.#retryDelayMs * 2 ** attempt));
      }
    }
  }

  /**
   * One run of `fn` in one database transaction: its reads, then its writes, then the commit. A run after a conflict
   * first takes session advisory locks on the keys the earlier runs touched (`touched`, in sorted order, so two
   * runs cannot deadlock on them), and only then begins, so that its snapshot follows whatever a run holding them
   * committed: transactions that keep colliding on one hot record take turns instead of failing one another until
   * their attempts run out. First runs take no lock and cost nothing extra.
   */
  async #attempt<R>(fn: (tx: Transaction<S>) => Promise<R> | R, touched: Set<string>): Promise<R> {
    return withConnection(this.#pool, async (connection) => {
      const { client, failure } = serialized(connection.client);
      const discard = connection.discard;
      const staged: Staged = new Map();
      const locks = touched.size > 0 && touched.size <= MAX_RETRY_LOCKS ? [...touched].sort() : [];
      const tx = this.#transaction(client, staged, touched);
      const context = { open: true };
      try {
        if (locks.length > 0) {
          await client.query({
            name: 'records.retry.lock',
            text: "SELECT pg_advisory_lock(hashtextextended('mcid-link-assistant record ' || current_schema() || ' ' || k, 0)) FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n",
            values: [locks],
          });
        }
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const result = await this.#insideTransaction.run(context, () => fn(tx.view));
        context.open = false;
        tx.finish();
        const started = performance.now();
        const written = await this.#flush(client, staged);
        await client.query('COMMIT');
        if (written) this.#reportCommit({ ...written, totalMs: performance.now() - started });
        if (locks.length > 0) await client.query('SELECT pg_advisory_unlock_all()').catch(discard);
        return result;
      } catch (error) {
        context.open = false;
        tx.finish();
        // A connection that cannot even roll back (or unlock) is closed, which rolls back and unlocks too.
        await client.query('ROLLBACK').catch(discard);
        if (locks.length > 0) await client.query('SELECT pg_advisory_unlock_all()').catch(discard);
        // The function may have caught a failed read and gone on, so that a later statement met only "current
        // transaction is aborted": the first failure is the cause (and, if a serialization failure, worth a retry).
        const first = failure();
        const cause = sqlState(error) === '25P02' && first !== undefined ? first : error;
        throw this.#uniqueViolation(cause, staged) ?? cause;
      }
    });
  }

  #transaction(client: Queryable, staged: Staged, touched: Set<string>): { view: Transaction<S>; finish(): void } {
    let open = true;
    const touch = (collection: string, id: string): void => void touched.add(JSON.stringify([collection, id]));
    const assertOpen = (): void => {
      if (!open) throw new TransactionUsageError('this transaction has already finished; reads and writes after it returned are not allowed');
    };
    const stagedFor = (collection: string): Map<string, EncodedRecord | null> => {
      let records = staged.get(collection);
      if (!records) staged.set(collection, (records = new Map()));
      return records;
    };
    /** Rows read from the database, with the ones this transaction changed replaced by its own version (or left out). */
    const overlay = <T>(collection: string, rows: Keyed<T>[], include: (record: EncodedRecord) => boolean): Keyed<T>[] => {
      const own = staged.get(collection);
      if (!own) return sortById(rows);
      const merged = rows.filter((row) => !own.has(row.id));
      for (const [id, record] of own) if (record !== null && include(record)) merged.push(Object.freeze({ id, record: record.value as T }));
      return sortById(merged);
    };
    const view: Transaction<S> = {
      get: async <C extends CollectionName<S>>(collection: C, id: string) => {
        assertOpen();
        this.#schemaOf(collection);
        touch(collection, id);
        const own = staged.get(collection)?.get(id);
        if (own !== undefined) return (own === null ? undefined : own.value) as RecordOf<S, C> | undefined;
        return this.#get(client, collection, id) as Promise<RecordOf<S, C> | undefined>;
      },
      getMany: async <C extends CollectionName<S>>(collection: C, ids: readonly string[]) => {
        assertOpen();
        this.#schemaOf(collection);
        const own = staged.get(collection);
        for (const id of ids) touch(collection, id);
        const stored = await this.#getMany(client, collection, ids.filter((id) => own?.get(id) === undefined));
        let next = 0;
        return ids.map((id) => {
          const mine = own?.get(id);
          if (mine === undefined) return stored[next++];
          return mine === null ? undefined : mine.value;
        }) as (RecordOf<S, C> | undefined)[];
      },
      findBy: async <C extends CollectionName<S>>(collection: C, index: string, values: readonly string[]) => {
        assertOpen();
        const definition = this.#definition(collection, index, values);
        // The key looked up, found or not: a check-then-insert collides on the key, not on an existing record.
        touched.add(JSON.stringify([collection, index, values]));
        const rows = await this.#findBy(client, collection, index, values);
        for (const row of rows) touch(collection, row.id);
        // A staged record is in the result if its own fields match now, whatever the stored version held.
        return overlay(collection, rows as Keyed<RecordOf<S, C>>[], (record) => sameKey(indexKey(stagedDoc(record), definition.fields), values));
      },
      scan: async <C extends CollectionName<S>>(collection: C) => {
        assertOpen();
        return overlay(collection, (await this.#scan(client, collection)) as Keyed<RecordOf<S, C>>[], () => true);
      },
      put: (collection, id, value) => {
        if (!open) throw new TransactionUsageError('this transaction has already finished; writes after it returned are not allowed');
        stagedFor(collection).set(id, encodeRecord(this.#schemaOf(collection), collection, id, value));
        touch(collection, id);
      },
      delete: (collection, id) => {
        if (!open) throw new TransactionUsageError('this transaction has already finished; writes after it returned are not allowed');
        this.#schemaOf(collection);
        // An id PostgreSQL cannot hold cannot be stored either: there is nothing to delete.
        if (typeof id === 'string' && storable(id)) {
          stagedFor(collection).set(id, null);
          touch(collection, id);
        }
      },
    };
    return { view, finish: () => void (open = false) };
  }

  /**
   * Writes the staged changes: one DELETE (deletions, and the records of collections where the transaction puts
   * several records under a unique index), then one multi-row upsert. Deleting first makes the unique indexes
   * judge the transaction's final state, as the embedded store does: a key may move from one record to another
   * in one transaction, in whatever order the puts came.
   */
  async #flush(client: Queryable, staged: Staged): Promise<Omit<CommitInfo, 'totalMs'> | undefined> {
    const started = performance.now();
    const deleteCollections: string[] = [];
    const deleteIds: string[] = [];
    const putCollections: string[] = [];
    const putIds: string[] = [];
    const putDocs: string[] = [];
    let bytes = 0;
    // A 100,000-record import stages as many: gathering them yields to the event loop at the end of each of the
    // process's time slices.
    const slice = timeSlice();
    for (const [collection, records] of staged) {
      const reorder = severalPuts(records) && [...(this.#definitions.get(collection)?.values() ?? [])].some((definition) => definition.unique);
      for (const [id, record] of records) {
        while (slice.due()) await slice.pause();
        if (record === null || reorder) {
          deleteCollections.push(collection);
          deleteIds.push(id);
        }
        if (record !== null) {
          putCollections.push(collection);
          putIds.push(id);
          putDocs.push(record.json);
          bytes += Buffer.byteLength(record.json);
        }
      }
    }
    const serializeMs = performance.now() - started;
    // In statements of at most FLUSH_ROWS rows: the driver encodes each statement's arrays in one piece, and a
    // 100,000-record import must not hold the event loop for that long. The documents go as one JSON array, joined
    // as they are: as a text[] the driver escaped every quote of every document (most of a flush's time and garbage).
    for (let start = 0; start < deleteIds.length; start += FLUSH_ROWS) {
      await client.query({
        name: 'records.flush.delete',
        text: 'DELETE FROM records r USING unnest($1::text[], $2::text[]) AS t(collection, id) WHERE r.collection = t.collection AND r.id = t.id',
        values: [deleteCollections.slice(start, start + FLUSH_ROWS), deleteIds.slice(start, start + FLUSH_ROWS)],
      });
    }
    for (let start = 0; start < putIds.length; start += FLUSH_ROWS) {
      await client.query({
        name: 'records.flush.upsert',
        text: `INSERT INTO records (collection, id, doc)
               SELECT t.collection, t.id, d.doc
               FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(collection, id, n)
               JOIN jsonb_array_elements($3::jsonb) WITH ORDINALITY AS d(doc, n) USING (n)
               ON CONFLICT (collection, id) DO UPDATE SET doc = excluded.doc`,
        values: [putCollections.slice(start, start + FLUSH_ROWS), putIds.slice(start, start + FLUSH_ROWS), `[${putDocs.slice(start, start + FLUSH_ROWS).join(',')}]`],
      });
    }
    return putIds.length + deleteIds.length > 0 ? { bytes, serializeMs } : undefined;
  }

  async #get(queryable: Queryable, collection: string, id: string): Promise<unknown> {
    const schema = this.#schemaOf(collection);
    // Such an id cannot have been stored (and would reach the database altered, or not at all).
    if (typeof id !== 'string' || !storable(id)) return undefined;
    const { rows } = await queryable.query<{ doc: unknown }>({
      name: 'records.get',
      text: 'SELECT doc FROM records WHERE collection = $1 AND id = $2',
      values: [collection, id],
    });
    return rows.length === 0 ? undefined : decodeRecord(schema, collection, id, rows[0]!.doc);
  }

  async #getMany(queryable: Queryable, collection: string, ids: readonly string[]): Promise<unknown[]> {
    const schema = this.#schemaOf(collection);
    const wanted = [...new Set(ids.filter((id) => typeof id === 'string' && storable(id)))];
    const docs = new Map<string, unknown>();
    if (wanted.length > 0) {
      const { rows } = await queryable.query<Row>({
        name: 'records.getMany',
        text: 'SELECT id, doc FROM records WHERE collection = $1 AND id = ANY($2::text[])',
        values: [collection, wanted],
      });
      for (const row of rows) docs.set(row.id, row.doc);
    }
    return ids.map((id) => (docs.has(id) ? decodeRecord(schema, collection, id, docs.get(id)) : undefined));
  }

  async #findBy(queryable: Queryable, collection: string, index: string, values: readonly string[]): Promise<Keyed<unknown>[]> {
    const definition = this.#definition(collection, index, values);
    if (!values.every(storable)) return [];
    const { rows } = await queryable.query<Row>({ name: `records.find.${definition.name.slice(-10)}`, text: definition.findSql, values: [...values] });
    return this.#decodeRows(collection, rows);
  }

  async #scan(queryable: Queryable, collection: string): Promise<Keyed<unknown>[]> {
    this.#schemaOf(collection);
    const { rows } = await queryable.query<Row>({ name: 'records.scan', text: 'SELECT id, doc FROM records WHERE collection = $1', values: [collection] });
    return this.#decodeRows(collection, rows);
  }

  #decodeRows(collection: string, rows: readonly Row[]): Keyed<unknown>[] {
    const schema = this.#schemaOf(collection);
    return rows.map((row) => Object.freeze({ id: row.id, record: decodeRecord(schema, collection, row.id, row.doc) }));
  }

  #reportCommit(info: CommitInfo): void {
    try {
      this.#onCommit?.(info);
    } catch {
      // The data is committed: a failing metrics hook must not make the caller believe otherwise.
    }
  }

  #schemaOf(collection: string): z.ZodType {
    const schema = Object.hasOwn(this.#schemas, collection) ? this.#schemas[collection] : undefined;
    if (!schema) throw new TransactionUsageError(`unknown collection "${collection}" in store ${this.#name}`);
    return schema;
  }

  #definition(collection: string, index: string, values: readonly string[]): IndexDefinition {
    this.#schemaOf(collection);
    const definition = this.#definitions.get(collection)?.get(index);
    if (!definition) throw new TransactionUsageError(`collection "${collection}" has no index "${index}" in store ${this.#name}`);
    if (!Array.isArray(values) || values.length !== definition.fields.length || values.some((value) => typeof value !== 'string')) {
      throw new TransactionUsageError(`index "${index}" of collection "${collection}" is looked up by ${definition.fields.length} string(s): ${definition.fields.join(', ')}`);
    }
    return definition;
  }

  /** The `UniqueViolationError` a database error stands for, if it is a violation of a declared unique index. */
  #uniqueViolation(error: unknown, staged: Staged): UniqueViolationError | undefined {
    if (sqlState(error) !== '23505') return undefined;
    const definition = this.#byIndexName.get((error as { constraint?: string }).constraint ?? '');
    if (!definition) return undefined;
    const candidates: string[][] = [];
    for (const record of staged.get(definition.collection)?.values() ?? []) {
      const key = record === null ? undefined : indexKey(stagedDoc(record), definition.fields);
      if (key) candidates.push(key);
    }
    // PostgreSQL's detail reads `Key (…)=(v1, v2) already exists.`; match it against what this transaction wrote.
    const detail = (error as { detail?: string }).detail ?? '';
    const values = candidates.find((key) => detail.includes(`=(${key.join(', ')}) already exists`)) ?? candidates[0] ?? [];
    return new UniqueViolationError(definition.collection, definition.index, values);
  }
}

/** Whether a transaction puts more than one record in a collection (deletions, null, do not count). */
function severalPuts(records: ReadonlyMap<string, EncodedRecord | null>): boolean {
  let puts = 0;
  for (const record of records.values()) if (record !== null && ++puts > 1) return true;
  return false;
}

/**
 * The connection's `query`, one statement at a time, and the first error any of them met: a transaction function may start several reads at once
 * (`Promise.all`), and node-postgres no longer queues concurrent queries on one client itself.
 */
function serialized(client: pg.PoolClient): { client: Queryable; failure: () => unknown } {
  let tail: Promise<unknown> = Promise.resolve();
  let first: unknown;
  const query = ((config: pg.QueryConfig | string) => {
    const result = tail.then(() => client.query(config as pg.QueryConfig));
    tail = result.catch((error: unknown) => void (first ??= error));
    return result;
  }) as Queryable['query'];
  return { client: { query }, failure: () => first };
}

/** The SQLSTATE for which a transaction runs again; a duplicate primary key is a concurrent insert of the same id. */
function retryableCode(error: unknown): string | undefined {
  const code = sqlState(error);
  if (code !== undefined && RETRYABLE.has(code)) return code;
  if (code === '23505' && (error as { constraint?: string }).constraint === 'records_pkey') return code;
  return undefined;
}

function sameKey(key: readonly string[] | undefined, values: readonly string[]): boolean {
  return key !== undefined && key.length === values.length && key.every((value, i) => value === values[i]);
}

/** The port's id order (by code point), the same on every adapter. */
function sortById<T extends { id: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => compareIds(a.id, b.id));
}

