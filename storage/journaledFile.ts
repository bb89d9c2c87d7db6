import { open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';
import type { CollectionSchemas, CommitInfo } from './documentStore.js';
import { DurableFile, fsyncDirectory, isErrno, reportCommit, writeInGroups, type FileCodec, type Piece } from './durableFile.js';
import { CorruptStoreError } from './errors.js';
import { MAX_LISTED_PROBLEMS, emptyState, storedRecord, type Change, type StoreState } from './storeEngine.js';
import { errorMessage, isPlainObject } from './values.js';

/** Version of the snapshot layout `{"version":1,"generation":n,"collections":{name:{id:record}}}`. */
const FORMAT_VERSION = 1;

/** The whole store as the snapshot file holds it, and the generation of journal lines that follow it. */
interface Snapshot {
  readonly state: StoreState;
  readonly generation: number;
}

/**
 * A store on disk as a snapshot (`<file>`: every record) and a journal beside it (`<file>.journal`: one line per
 * commit since the snapshot, holding the records that commit put and the ids it deleted), so that a commit appends
 * and syncs what it changed instead of rewriting every record: its cost follows the size of the change, not of the
 * store. Once the journal has grown as large as the snapshot (and past `compactAt` bytes), the next commit writes a
 * new snapshot instead (temp file, fsync, rename, fsync of the folder) and empties the journal, so the disk never
 * holds much more than twice the data and reading it back at start costs no more than twice the snapshot.
 *
 * Each snapshot has a new generation and journal lines carry the generation they follow: lines older than the
 * snapshot (a crash between renaming a snapshot and emptying the journal) are skipped, never applied twice. A commit
 * resolves once its line is synced. Only the last line can be cut short (a crash in the middle of its append: that
 * commit was never acknowledged); it is ignored, and the next commit writes a snapshot, leaving no torn bytes between
 * lines. Anything else that fails to parse, or a record its schema refuses, stops the start with `CorruptStoreError`
 * and leaves the files as they are.
 */
export class JournaledFileAdapter implements Adapter<StoreState> {
  readonly file: string;
  readonly journal: string;
  readonly #snapshot: DurableFile<Snapshot>;
  readonly #schemas: CollectionSchemas;
  #generation = 0;
  #snapshotBytes = 0;
  #journalBytes = 0;
  #journalExists = false;
  /** Average size of a record in the last snapshot read or written, in bytes. */
  #recordBytes = 0;
  /** The next commit writes a snapshot: there is none yet, the journal's end is torn, or an append failed. */
  #snapshotNext = true;

  constructor(
    file: string,
    schemas: CollectionSchemas,
    private readonly compactAt: number,
    private readonly onWrite?: (info: CommitInfo) => void,
  ) {
    this.#schemas = schemas;
    this.#snapshot = new DurableFile(file, snapshotCodec(schemas, file));
    this.file = this.#snapshot.file;
    this.journal = `${this.file}.journal`;
  }

  /** Removes temp files that a crashed snapshot writer left behind; call only while holding the lock. */
  removeLeftoverTempFiles(): Promise<void> {
    return this.#snapshot.removeLeftoverTempFiles();
  }

  /** Reads the snapshot and replays the journal lines of its generation; null when neither file exists yet. */
  async read(): Promise<StoreState | null> {
    const snapshot = await this.#snapshot.read();
    const journal = await readOptional(this.journal);
    if (!snapshot) {
      if (journal !== null && journal.length > 0) throw new CorruptStoreError(this.journal, [`a journal without its snapshot ${this.file}`]);
      return null;
    }
    this.#generation = snapshot.generation;
    this.#snapshotBytes = (await stat(this.file)).size;
    this.#recordBytes = this.#snapshotBytes / Math.max(1, countRecords(snapshot.state));
    this.#journalExists = journal !== null;
    const replayed = journal === null ? { bytes: 0, torn: false } : replayJournal(journal, snapshot, this.#schemas, this.journal);
    this.#journalBytes = replayed.bytes;
    this.#snapshotNext = replayed.torn;
    return snapshot.state;
  }

  /** Writes a snapshot of the whole state (lowdb's `write`; also the compaction of the journal). */
  async write(state: StoreState): Promise<void> {
    const started = performance.now();
    // Claimed before the attempt: after a failure the snapshot on disk may be the new one or the old, so no line is
    // appended under either generation until a later snapshot has succeeded.
    const generation = ++this.#generation;
    this.#snapshotNext = true;
    const { bytes, serializeMs } = await this.#snapshot.write({ state, generation });
    this.#snapshotBytes = bytes;
    this.#recordBytes = bytes / Math.max(1, countRecords(state));
    this.#snapshotNext = false;
    if (this.#journalExists) {
      // Its lines are older than this snapshot now, and skipped at start whatever happens next; emptied to save room.
      try {
        await cutTo(this.journal, 0);
        this.#journalBytes = 0;
      } catch {
        // The snapshot is durable: later lines follow the old ones, which are skipped by their generation.
      }
    }
    reportCommit(this.onWrite, { bytes, serializeMs, totalMs: performance.now() - started });
  }

  /**
   * Makes the changed records durable: one journal line appended and synced, or a new snapshot when the journal has
   * grown as large as the snapshot. Captures what it writes synchronously, before its first await.
   */
  commit(state: StoreState, changes: readonly (readonly Change[])[]): Promise<void> {
    if (this.#snapshotNext) return this.write(state);
    const started = performance.now();
    const limit = Math.max(this.compactAt, this.#snapshotBytes);
    // A change as large as the store (an import) goes straight to a snapshot, without building its line first.
    let count = 0;
    for (const log of changes) count += log.length;
    if (this.#journalBytes + count * this.#recordBytes > limit) return this.write(state);
    return this.#append(journalLine(state, changes, this.#generation), started, performance.now() - started);
  }

  async #append(line: readonly Piece[], started: number, serializeMs: number): Promise<void> {
    let bytes = 0;
    try {
      const handle = await open(this.journal, 'a', 0o600);
      try {
        bytes = await writeInGroups(handle, line);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      // A journal created by this append is a new name in the folder: without this it may not survive a power cut.
      if (!this.#journalExists) await fsyncDirectory(dirname(this.journal));
      this.#journalExists = true;
    } catch (error) {
      // Part of the line may be in the file: cut it off if possible, and write a snapshot next in any case.
      this.#snapshotNext = true;
      await cutTo(this.journal, this.#journalBytes).catch(() => undefined);
      throw error;
    }
    this.#journalBytes += bytes;
    reportCommit(this.onWrite, { bytes, serializeMs, totalMs: performance.now() - started });
  }
}

/**
 * `{"generation":g,"put":{collection:{id:record}},"delete":{collection:[id]}}` and a newline, in pieces. Each changed
 * record is written once, as it is in the state now, however often the batch changed it (a deletion may be listed
 * twice, which replays the same).
 */
function journalLine(state: StoreState, changes: readonly (readonly Change[])[], generation: number): Piece[] {
  const byCollection = new Map<string, { put: Map<string, unknown>; deleted: string[] }>();
  for (const log of changes) {
    for (const { collection, id } of log) {
      let lists = byCollection.get(collection);
      if (!lists) byCollection.set(collection, (lists = { put: new Map(), deleted: [] }));
      const records = state.get(collection);
      if (records?.has(id)) lists.put.set(id, records.get(id));
      else lists.deleted.push(JSON.stringify(id));
    }
  }
  const puts: Piece[] = [];
  const deletes: string[] = [];
  for (const [collection, { put, deleted }] of byCollection) {
    if (put.size > 0) puts.push(`${puts.length === 0 ? '' : ','}${JSON.stringify(collection)}:{`, { maps: [put] }, '}');
    if (deleted.length > 0) deletes.push(`${deletes.length === 0 ? '' : ','}${JSON.stringify(collection)}:[${deleted.join(',')}]`);
  }
  return [`{"generation":${generation},"put":{`, ...puts, '},"delete":{', ...deletes, '}}\n'];
}

function countRecords(state: StoreState): number {
  let count = 0;
  for (const records of state.values()) count += records.size;
  return count;
}

/**
 * Applies the journal's lines of the snapshot's generation to its state. Returns the journal's length in bytes, and
 * whether its last line was cut short (then ignored, and overwritten by the next snapshot).
 */
function replayJournal(text: string, snapshot: Snapshot, schemas: CollectionSchemas, file: string): { bytes: number; torn: boolean } {
  const lines = text.split('\n');
  // After the final newline: empty, or the start of a line whose append never finished.
  const unfinished = lines.pop() ?? '';
  const problems: string[] = [];
  let torn = unfinished.length > 0;
  lines.forEach((line, index) => {
    const where = `line ${index + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      // Only the last line can have been cut short (or left with unwritten blocks by a power cut) before its sync.
      if (index === lines.length - 1 && unfinished.length === 0) torn = true;
      else problems.push(`${where}: not JSON (${errorMessage(error)})`);
      return;
    }
    if (!isPlainObject(raw) || !Number.isSafeInteger(raw.generation) || !isPlainObject(raw.put) || !isPlainObject(raw.delete)) {
      problems.push(`${where}: expected {"generation":n,"put":{…},"delete":{…}}`);
      return;
    }
    const generation = raw.generation as number;
    // Written before the snapshot was: already in it.
    if (generation < snapshot.generation) return;
    if (generation > snapshot.generation) {
      problems.push(`${where}: generation ${generation} follows a snapshot of generation ${snapshot.generation} that is not there`);
      return;
    }
    readCollections(raw.put, snapshot.state, schemas, problems, `${where}: `);
    for (const [name, ids] of Object.entries(raw.delete)) {
      const records = Object.hasOwn(schemas, name) ? snapshot.state.get(name) : undefined;
      if (!records || !Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) problems.push(`${where}: cannot delete from "${name}" ${JSON.stringify(ids)}`);
      else for (const id of ids as string[]) records.delete(id);
    }
  });
  if (problems.length > 0) throw new CorruptStoreError(file, problems.slice(0, MAX_LISTED_PROBLEMS), problems.length);
  return { bytes: Buffer.byteLength(text), torn };
}

/** The codec of the snapshot file: validates every record against its schema on read, serialises compactly. */
function snapshotCodec(schemas: CollectionSchemas, file: string): FileCodec<Snapshot> {
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
      // Files written before the journal existed have no generation: 0.
      const generation = raw.generation ?? 0;
      if (!Number.isSafeInteger(generation) || (generation as number) < 0) throw new CorruptStoreError(file, [`generation ${JSON.stringify(generation)} is not a whole number`]);
      const state = emptyState(schemas);
      const problems: string[] = [];
      readCollections(raw.collections, state, schemas, problems, '');
      if (problems.length > 0) throw new CorruptStoreError(file, problems.slice(0, MAX_LISTED_PROBLEMS), problems.length);
      return { state, generation: generation as number };
    },
    serialize({ state, generation }) {
      // The records as they are now, taken at once without copying them (each collection's shards are shared with the
      // writer until it is done: a write meanwhile copies its shard first); the file adapter turns them into JSON a
      // group at a time as it writes.
      const parts: Piece[] = [`{"version":${FORMAT_VERSION},"generation":${generation},"collections":{`];
      let firstCollection = true;
      for (const [name, records] of state) {
        parts.push(`${firstCollection ? '' : ','}${JSON.stringify(name)}:{`, { maps: records.snapshot() }, '}');
        firstCollection = false;
      }
      parts.push('}}\n');
      return parts;
    },
  };
}

/** Puts `{collection:{id:record}}` into the state, each record validated by its schema; problems are listed. */
function readCollections(collections: Record<string, unknown>, state: StoreState, schemas: CollectionSchemas, problems: string[], where: string): void {
  for (const [name, records] of Object.entries(collections)) {
    const schema = Object.hasOwn(schemas, name) ? schemas[name] : undefined;
    const target = state.get(name);
    if (!schema || !target) {
      problems.push(`${where}unknown collection "${name}" (not one of ${Object.keys(schemas).join(', ')})`);
      continue;
    }
    if (!isPlainObject(records)) {
      problems.push(`${where}collection "${name}" is not an object of records`);
      continue;
    }
    for (const [id, value] of Object.entries(records)) {
      const stored = storedRecord(schema, value);
      if ('problem' in stored) problems.push(`${where}${name}[${JSON.stringify(id)}]: ${stored.problem}`);
      else target.set(id, stored.record);
    }
  }
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw error;
  }
}

/** Cuts a file to its first `bytes` bytes, durably. */
async function cutTo(file: string, bytes: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.truncate(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
