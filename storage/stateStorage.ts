import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Storage, StoreItems } from 'botbuilder';
import { Low, type Adapter } from 'lowdb';
import type { CommitInfo } from './documentStore.js';
import { fsyncDirectory, lockFile } from './durableFile.js';
import { CorruptStoreError } from './errors.js';
import { GroupCommit } from './groupCommit.js';
import { errorMessage, isPlainObject } from './values.js';

/** A botbuilder `Storage` that can be closed (flushing pending writes and releasing its files). */
export type ClosableStorage = Storage & { close(): Promise<void> };

/** Options of the file state storage. */
export interface FileStateStorageOptions {
  /** Called after every durable commit (one per batch of writes, whatever the number of bucket files in it). */
  readonly onCommit?: (info: CommitInfo) => void;
  /** Number of bucket files for a new store (an existing store keeps its own); default 4,096. */
  readonly buckets?: number;
  /** Largest number of bucket files kept in memory (least recently used ones are dropped); default 256. */
  readonly cachedBuckets?: number;
}

/** Version of a bucket file `{"version":1,"items":{key:item}}` and of the legacy single file's layout. */
const FORMAT_VERSION = 1;
const DEFAULT_BUCKETS = 4096;
const DEFAULT_CACHED_BUCKETS = 256;
/** Bucket files written at once in one commit, so that a migration of every bucket stays within open-file limits. */
const PARALLEL_FILE_WRITES = 64;
const MAX_LISTED_PROBLEMS = 5;

/**
 * Opens a botbuilder `Storage` for dialog and user state, kept apart from the ledger. Keys are spread by hash over a
 * fixed number of small lowdb files (`<file without .json>.buckets/`), so that a turn reads and writes one small file
 * whatever the number of conversations on record, and start-up loads nothing but the layout: buckets are read when
 * first needed and kept in a bounded cache. Writes are group-committed and durable (temp file, fsync, rename, one fsync
 * of the directory) before they resolve; eTags behave as in botbuilder's `MemoryStorage`. A store that still has the
 * single state file of earlier versions (`file`) is migrated into buckets on open, then that file is removed; a
 * corrupt one stops the start with `CorruptStoreError` and is left untouched.
 */
export async function openFileStateStorage(file: string, options: FileStateStorageOptions = {}): Promise<ClosableStorage> {
  const legacyFile = resolve(file);
  const dir = `${legacyFile.replace(/\.json$/, '')}.buckets`;
  const release = await lockFile(dir);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // A crash between writing and renaming leaves temp files; the bucket files themselves are always whole.
    for (const name of await readdir(dir)) if (name.endsWith('.tmp')) await unlink(join(dir, name)).catch(() => undefined);
    const buckets = await readLayout(dir, options.buckets ?? DEFAULT_BUCKETS);
    const storage = new BucketStateStorage(dir, buckets, options.cachedBuckets ?? DEFAULT_CACHED_BUCKETS, release, options.onCommit);
    const legacy = await readLegacy(legacyFile);
    if (legacy) {
      await storage.restore(legacy);
      // The buckets are durable now; from here on the old file would only be a stale second copy.
      await unlink(legacyFile);
    }
    return storage;
  } catch (error) {
    await release();
    throw error;
  }
}

/** One bucket: stored key → the item's JSON text (with its eTag), so a read returns a fresh copy by parsing it. */
type BucketItems = Map<string, string>;

interface Bucket {
  readonly index: number;
  readonly low: Low<BucketItems>;
  /** Readers and writers between loading it and being done with it; a pinned bucket is never dropped from the cache. */
  pins: number;
}

/** How to undo one applied change after its commit failed. */
interface Undo {
  readonly bucket: Bucket;
  readonly key: string;
  readonly previous: string | undefined;
}

/** botbuilder `Storage` over hashed bucket files; all writes of a tick, in any buckets, go to disk as one commit. */
class BucketStateStorage implements ClosableStorage {
  readonly #cache = new Map<number, Bucket>();
  readonly #loading = new Map<number, Promise<void>>();
  /** Buckets changed since the last commit started, and those in the commit in flight. */
  #dirty = new Set<Bucket>();
  #writing = new Set<Bucket>();
  readonly #commits: GroupCommit<Undo[]>;
  #closing: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly buckets: number,
    private readonly cachedBuckets: number,
    private readonly release: () => Promise<void>,
    private readonly onCommit?: (info: CommitInfo) => void,
  ) {
    this.#commits = new GroupCommit<Undo[]>({ write: () => this.#writeDirty(), rollback: (logs) => this.#rollback(logs) });
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    this.#assertOpen();
    const items: StoreItems = {};
    for (const key of keys) {
      const bucket = await this.#pin(this.#indexOf(key));
      try {
        const text = bucket.low.data.get(key);
        if (text !== undefined) items[key] = JSON.parse(text);
      } finally {
        bucket.pins--;
      }
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    this.#assertOpen();
    const entries = Object.entries(changes) as [string, unknown][];
    const encoded = entries.map(([key, item]) => [key, item, encode(key, item)] as const);
    await this.#change(
      encoded.map(([key]) => key),
      (lookup) => {
        // Checked for every key before anything changes: a conflict on one key writes none of them.
        for (const [key, item] of encoded) {
          const old = lookup(key).low.data.get(key);
          const eTag = (item as { eTag?: unknown }).eTag;
          // As in MemoryStorage: a new key, a missing eTag or '*' always writes; otherwise the eTag must match.
          if (old !== undefined && eTag !== undefined && eTag !== '*' && eTag !== (JSON.parse(old) as { eTag?: unknown }).eTag) {
            throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
          }
        }
        return encoded.map(([key, , text]) => [key, text] as const);
      },
    );
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    this.#assertOpen();
    await this.#change(keys, (lookup) => keys.filter((key) => lookup(key).low.data.has(key)).map((key) => [key, undefined] as const));
  }

  /** Writes items as they are (eTags included), over whatever the buckets hold; used to migrate the legacy file. */
  async restore(items: ReadonlyMap<string, string>): Promise<void> {
    const keys = [...items.keys()];
    await this.#change(keys, () => keys.map((key) => [key, items.get(key)] as const));
  }

  close(): Promise<void> {
    this.#closing ??= this.#commits.settled().then(() => this.release());
    return this.#closing;
  }

  #assertOpen(): void {
    if (this.#closing) throw new Error(`State storage ${this.dir} is closed.`);
  }

  /**
   * Loads and pins the buckets of `keys`, lets `plan` decide (synchronously, so nothing interleaves) what to set
   * (text) or delete (undefined), applies it in memory and waits for the commit that makes it durable.
   */
  async #change(keys: readonly string[], plan: (lookup: (key: string) => Bucket) => ReadonlyArray<readonly [string, string | undefined]>): Promise<void> {
    const pinned = new Map<number, Bucket>();
    let committed: Promise<void>;
    try {
      for (const index of new Set(keys.map((key) => this.#indexOf(key)))) pinned.set(index, await this.#pin(index));
      const lookup = (key: string): Bucket => pinned.get(this.#indexOf(key))!;
      const changes = plan(lookup);
      const undo: Undo[] = [];
      for (const [key, text] of changes) {
        const bucket = lookup(key);
        undo.push({ bucket, key, previous: bucket.low.data.get(key) });
        if (text === undefined) bucket.low.data.delete(key);
        else bucket.low.data.set(key, text);
        this.#dirty.add(bucket);
      }
      committed = this.#commits.submit(undo.length > 0 ? undo : undefined);
    } finally {
      for (const bucket of pinned.values()) bucket.pins--;
    }
    await committed;
  }

  #indexOf(key: string): number {
    // FNV-1a: cheap, stable across processes and versions, and spreads similar keys (one conversation id apart) well.
    let hash = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    return (hash >>> 0) % this.buckets;
  }

  /** The bucket, loaded if needed and pinned until the caller decrements `pins` (synchronously after this resolves). */
  async #pin(index: number): Promise<Bucket> {
    for (;;) {
      const cached = this.#cache.get(index);
      if (cached) {
        // Map order is recency order: the least recently used bucket comes first.
        this.#cache.delete(index);
        this.#cache.set(index, cached);
        cached.pins++;
        return cached;
      }
      let loading = this.#loading.get(index);
      if (!loading) {
        loading = this.#load(index).finally(() => this.#loading.delete(index));
        this.#loading.set(index, loading);
      }
      await loading;
    }
  }

  async #load(index: number): Promise<void> {
    const low = new Low<BucketItems>(new BucketFileAdapter(bucketFile(this.dir, index)), new Map());
    await low.read();
    this.#cache.set(index, { index, low, pins: 0 });
    this.#evict(index);
  }

  /** Drops least recently used buckets beyond the cache size, unless in use or not yet durable. */
  #evict(keep?: number): void {
    let excess = this.#cache.size - this.cachedBuckets;
    for (const [index, bucket] of this.#cache) {
      if (excess <= 0) return;
      if (index === keep || bucket.pins > 0 || this.#dirty.has(bucket) || this.#writing.has(bucket)) continue;
      this.#cache.delete(index);
      excess--;
    }
  }

  /** Serialises every changed bucket synchronously, then makes them durable together with one directory fsync. */
  async #writeDirty(): Promise<void> {
    const started = performance.now();
    this.#writing = this.#dirty;
    this.#dirty = new Set();
    const files = [...this.#writing].map((bucket) => ({ file: bucketFile(this.dir, bucket.index), text: serializeBucket(bucket.low.data) }));
    const serializeMs = performance.now() - started;
    for (let i = 0; i < files.length; i += PARALLEL_FILE_WRITES) await Promise.all(files.slice(i, i + PARALLEL_FILE_WRITES).map(writeSynced));
    await fsyncDirectory(this.dir);
    this.#writing = new Set();
    this.#evict();
    try {
      this.onCommit?.({ bytes: files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0), serializeMs, totalMs: performance.now() - started });
    } catch {
      // The data is durable: a failing metrics hook must not make callers believe their commit failed.
    }
  }

  #rollback(logs: readonly Undo[][]): void {
    for (let i = logs.length - 1; i >= 0; i--) {
      const log = logs[i] ?? [];
      for (let j = log.length - 1; j >= 0; j--) {
        const { bucket, key, previous } = log[j]!;
        if (previous === undefined) bucket.low.data.delete(key);
        else bucket.low.data.set(key, previous);
      }
    }
    // Some files of the failed commit may have been renamed into place: the next commit writes them back as memory is.
    for (const bucket of this.#writing) this.#dirty.add(bucket);
    this.#writing = new Set();
  }
}

/** The JSON text stored for an item, with a new eTag; refuses what botbuilder state never is (not an object). */
function encode(key: string, item: unknown): string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new TypeError(`Storage: the item of "${key}" is not an object.`);
  return JSON.stringify({ ...item, eTag: randomUUID() });
}

function bucketFile(dir: string, index: number): string {
  return join(dir, `b${index.toString(16).padStart(4, '0')}.json`);
}

function serializeBucket(items: BucketItems): string {
  const pairs: string[] = [];
  for (const [key, text] of items) pairs.push(`${JSON.stringify(key)}:${text}`);
  return `{"version":${FORMAT_VERSION},"items":{${pairs.join(',')}}}\n`;
}

/** Parses state file text (`{"version":1,<collection>:{key:item}}`); every item must be an object. */
function parseItems(text: string, file: string, read: (raw: Record<string, unknown>) => unknown): BucketItems {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CorruptStoreError(file, [`not JSON (${errorMessage(error)})`]);
  }
  if (!isPlainObject(raw) || raw.version !== FORMAT_VERSION) throw new CorruptStoreError(file, [`expected {"version":${FORMAT_VERSION},…} at the top level`]);
  const records = read(raw);
  if (!isPlainObject(records)) throw new CorruptStoreError(file, ['no object of items']);
  const items: BucketItems = new Map();
  const problems: string[] = [];
  for (const [key, value] of Object.entries(records)) {
    if (isPlainObject(value)) items.set(key, JSON.stringify(value));
    else problems.push(`items[${JSON.stringify(key)}]: expected an object`);
  }
  if (problems.length > 0) throw new CorruptStoreError(file, problems.slice(0, MAX_LISTED_PROBLEMS), problems.length);
  return items;
}

/** lowdb adapter of one bucket file; writes go through the storage's group commit, never through this adapter. */
class BucketFileAdapter implements Adapter<BucketItems> {
  constructor(private readonly file: string) {}

  async read(): Promise<BucketItems | null> {
    const text = await readIfExists(this.file);
    return text === undefined ? null : parseItems(text, this.file, (raw) => raw.items);
  }

  async write(): Promise<void> {
    throw new Error('bucket files are written by the state storage commit');
  }
}

/** The single state file of earlier versions (`{"version":1,"collections":{"items":{…}}}`), if it is still there. */
async function readLegacy(file: string): Promise<BucketItems | undefined> {
  const text = await readIfExists(file);
  if (text === undefined) return undefined;
  return parseItems(text, file, (raw) => (isPlainObject(raw.collections) ? raw.collections.items ?? {} : undefined));
}

/** The store's bucket count, fixed when it was created (changing it would put keys where nobody looks for them). */
async function readLayout(dir: string, wanted: number): Promise<number> {
  const file = join(dir, 'layout.json');
  const text = await readIfExists(file);
  if (text !== undefined) {
    const layout: unknown = JSON.parse(text);
    const buckets = isPlainObject(layout) ? layout.buckets : undefined;
    if (typeof buckets !== 'number' || !Number.isInteger(buckets) || buckets < 1) throw new CorruptStoreError(file, ['expected {"buckets":<positive integer>}']);
    return buckets;
  }
  if (!Number.isInteger(wanted) || wanted < 1) throw new RangeError('buckets must be a positive integer');
  await writeSynced({ file, text: `${JSON.stringify({ version: FORMAT_VERSION, buckets: wanted })}\n` });
  await fsyncDirectory(dir);
  return wanted;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes a temp file beside the target, fsyncs it and renames it over the target: the target is always whole. */
async function writeSynced({ file, text }: { file: string; text: string }): Promise<void> {
  const temp = join(dirname(file), `${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
