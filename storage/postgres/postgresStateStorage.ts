import type { StoreItems } from 'botbuilder';
import type pg from 'pg';
import { StoreClosedError } from '../errors.js';
import type { ClosableStorage } from '../stateStorage.js';
import { sqlState, withConnection } from './connection.js';
import { CorruptRecordError } from './errors.js';
import { storable } from './records.js';
import { isPlainObject } from '../values.js';

/** Options of `openPostgresStateStorage`. */
export interface PostgresStateStorageOptions {
  /** Longest key, in UTF-8 bytes; a longer one is refused on write and never found on read. Default 1,024. */
  readonly maxKeyBytes?: number;
  /** Largest item, in bytes of its JSON; a larger one is refused on write. Default 1 MiB. */
  readonly maxItemBytes?: number;
}

const DEFAULT_MAX_KEY_BYTES = 1024;
const DEFAULT_MAX_ITEM_BYTES = 1024 * 1024;
const NAME = 'PostgreSQL state storage';

/**
 * Writes one item unless its stored eTag differs from the expected one ($3; null: overwrite whatever is there).
 * A key that does not exist yet is inserted whatever eTag was given, as in botbuilder's `MemoryStorage`. Under
 * READ COMMITTED a concurrent write of the same key is waited for, then the condition is checked against it.
 */
const WRITE_SQL = `INSERT INTO bot_state AS s (key, doc) VALUES ($1, $2::json)
  ON CONFLICT (key) DO UPDATE SET doc = excluded.doc, etag = excluded.etag, updated_at = now()
  WHERE $3::text IS NULL OR s.etag::text = $3::text`;

/**
 * A botbuilder `Storage` for conversation and user state in the `bot_state` table of the pool's schema (run
 * `migrate(pool)` first), shared by every bot instance on the database. eTags work as in botbuilder's own
 * storages: a read returns the stored eTag; a write without one, or with `*`, overwrites; a write with another
 * eTag than the stored one rejects with `Storage: error writing "<key>" due to eTag conflict.` (MemoryStorage's
 * message), so two instances answering one conversation cannot silently undo each other's dialog step. A write of
 * several keys is one transaction: a conflict on any key writes none.
 *
 * The pool belongs to the caller: `close()` waits for pending calls, refuses later ones and leaves the pool open.
 */
export async function openPostgresStateStorage(pool: pg.Pool, options: PostgresStateStorageOptions = {}): Promise<ClosableStorage> {
  try {
    await pool.query('SELECT 1 FROM bot_state LIMIT 0');
  } catch (error) {
    if (sqlState(error) === '42P01') throw new Error('PostgreSQL: the bot_state table does not exist; run migrate(pool) before opening the state storage');
    throw error;
  }
  return new PostgresStateStorage(pool, options.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES, options.maxItemBytes ?? DEFAULT_MAX_ITEM_BYTES);
}

class PostgresStateStorage implements ClosableStorage {
  readonly #inFlight = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly maxKeyBytes: number,
    private readonly maxItemBytes: number,
  ) {}

  read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    return this.#track(async () => {
      const wanted = keys.filter((key) => this.#findable(key));
      const items: StoreItems = {};
      if (wanted.length === 0) return items;
      const { rows } = await this.pool.query<{ key: string; doc: unknown; etag: string }>({
        name: 'bot_state.read',
        text: 'SELECT key, doc, etag FROM bot_state WHERE key = ANY($1::text[])',
        values: [wanted],
      });
      for (const { key, doc, etag } of rows) {
        if (!isPlainObject(doc)) throw new CorruptRecordError('bot_state', key, ['the stored item is not a JSON object']);
        items[key] = { ...doc, eTag: String(etag) };
      }
      return items;
    });
  }

  write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    let writes: Write[];
    try {
      // Validated before anything is written, so that one bad item writes none of them.
      writes = Object.entries(changes).map(([key, item]) => this.#encode(key, item));
    } catch (error) {
      return Promise.reject(error);
    }
    // Locked in key order, so that two instances writing the same keys cannot deadlock.
    writes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return this.#track(async () => {
      if (writes.length === 0) return;
      if (writes.length === 1) {
        await this.#writeOne(this.pool, writes[0]!);
        return;
      }
      await withConnection(this.pool, async ({ client, discard }) => {
        try {
          await client.query('BEGIN');
          for (const write of writes) await this.#writeOne(client, write);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(discard);
          throw error;
        }
      });
    });
  }

  delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    return this.#track(async () => {
      const stored = keys.filter((key) => this.#findable(key));
      if (stored.length > 0) await this.pool.query({ name: 'bot_state.delete', text: 'DELETE FROM bot_state WHERE key = ANY($1::text[])', values: [stored] });
    });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    })();
    return this.#closing;
  }

  async #writeOne(queryable: Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>, write: Write): Promise<void> {
    const { rowCount } = await queryable.query({ name: 'bot_state.write', text: WRITE_SQL, values: [write.key, write.json, write.expected] });
    if (rowCount === 0) throw new Error(`Storage: error writing "${write.key}" due to eTag conflict.`);
  }

  #track<T>(run: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new StoreClosedError(NAME));
    const promise = run();
    this.#inFlight.add(promise);
    const forget = (): void => void this.#inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Whether a key can be stored at all; one that cannot is simply not there on read and delete. */
  #findable(key: unknown): key is string {
    return typeof key === 'string' && storable(key) && Buffer.byteLength(key) <= this.maxKeyBytes;
  }

  #encode(key: string, item: unknown): Write {
    if (!storable(key)) throw new TypeError(`Storage: the key ${JSON.stringify(key)} holds a NUL character or a lone surrogate.`);
    if (Buffer.byteLength(key) > this.maxKeyBytes) throw new RangeError(`Storage: the key "${key.slice(0, 80)}…" is longer than ${this.maxKeyBytes} bytes.`);
    if (!isPlainObject(item)) throw new TypeError(`Storage: the item of "${key}" is not an object.`);
    const { eTag, ...doc } = item;
    const json = JSON.stringify(doc);
    if (Buffer.byteLength(json) > this.maxItemBytes) throw new RangeError(`Storage: the item of "${key}" is larger than ${this.maxItemBytes} bytes of JSON.`);
    // As in MemoryStorage: no eTag (or an empty one) and '*' overwrite; any other eTag must be the stored one.
    const expected = eTag === undefined || eTag === null || eTag === '' || eTag === '*' ? null : String(eTag);
    return { key, json, expected };
  }
}

interface Write {
  readonly key: string;
  readonly json: string;
  readonly expected: string | null;
}
