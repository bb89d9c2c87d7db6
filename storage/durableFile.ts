import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { CommitInfo } from './documentStore.js';
import { StoreLockedError } from './errors.js';

/**
 * Records written as `"id":json` pairs separated by commas, taken at once (frozen records, never changed afterwards:
 * a put replaces a record) and turned into text a group at a time as they are written. They come in maps of id to
 * record: a collection's shards (not written to while they are shared: see `ShardedMap.snapshot`) or a commit's own.
 */
interface RecordsPiece {
  readonly maps: readonly ReadonlyMap<string, unknown>[];
}

/** A piece of a file's text: a string as it is, or records (see `RecordsPiece`). */
export type Piece = string | RecordsPiece;

/** Turns the in-memory state into file text and back; `parse` throws `CorruptStoreError` on bad data. */
export interface FileCodec<T> {
  parse(text: string): T;
  /** The file's text, or its pieces in order (written a group at a time, so a large file never holds the event loop). */
  serialize(data: T): string | readonly Piece[];
}

/** Characters of the file written at once before the writer may yield to other work. */
// A megabyte of records took 20–30 ms to stringify, join and encode in one piece; a quarter of one, under 10.
const WRITE_GROUP_CHARS = 1 << 18;


/**
 * A file that is never left half-written: each write goes to a temp file in the same directory, is fsynced, renamed
 * over the target, and the directory is fsynced (lowdb's own JSONFile does not fsync).
 */
export class DurableFile<T> {
  readonly file: string;

  constructor(
    file: string,
    private readonly codec: FileCodec<T>,
  ) {
    this.file = resolve(file);
  }

  /** Reads and parses the file; null when it does not exist yet. */
  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return null;
      throw error;
    }
    return this.codec.parse(text);
  }

  /** Takes the pieces synchronously (so later changes are not in this write), then writes their text durably, a group at a time. */
  async write(data: T): Promise<CommitInfo> {
    const started = performance.now();
    // Taken synchronously: later changes are not in this write, whatever they do to `data` while it is written.
    const serialized = this.codec.serialize(data);
    const parts = typeof serialized === 'string' ? [serialized] : serialized;
    const serializeMs = performance.now() - started;
    let bytes = 0;
    const temp = join(dirname(this.file), `${basename(this.file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx');
      try {
        bytes = await writeInGroups(handle, parts);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    // Without this the rename itself may not survive a power cut.
    await fsyncDirectory(dirname(this.file));
    return { bytes, serializeMs, totalMs: performance.now() - started };
  }

  /** Removes temp files that a crashed writer left behind; call only while holding the lock. */
  async removeLeftoverTempFiles(): Promise<void> {
    const dir = dirname(this.file);
    const prefix = `${basename(this.file)}.`;
    for (const name of await readdir(dir)) {
      if (name.startsWith(prefix) && name.endsWith('.tmp')) await unlink(join(dir, name)).catch(() => undefined);
    }
  }
}

/** The text of the pieces, in order, a record at a time. */
function* texts(parts: readonly Piece[]): Generator<string> {
  for (const part of parts) {
    if (typeof part === 'string') {
      yield part;
      continue;
    }
    let first = true;
    for (const map of part.maps) {
      for (const [id, record] of map) {
        yield `${first ? '' : ','}${JSON.stringify(id)}:${JSON.stringify(record)}`;
        first = false;
      }
    }
  }
}

/**
 * Writes the pieces in groups of about 256 KB, each serialised, joined and encoded on its own: a file of 100,000
 * records is written in pieces between which conversations are served, instead of being built and encoded in one
 * block. Resolves with the number of bytes written.
 */
export async function writeInGroups(handle: FileHandle, parts: readonly Piece[]): Promise<number> {
  let bytes = 0;
  let group: string[] = [];
  let chars = 0;
  const flush = async (): Promise<void> => {
    const buffer = Buffer.from(group.join(''), 'utf8');
    group = [];
    chars = 0;
    bytes += buffer.length;
    await handle.write(buffer);
  };
  for (const text of texts(parts)) {
    group.push(text);
    chars += text.length;
    if (chars >= WRITE_GROUP_CHARS) await flush();
  }
  if (group.length > 0) await flush();
  return bytes;
}

/** Tells the metrics hook of a durable commit; a failing hook must not make callers believe their commit failed. */
export function reportCommit(onWrite: ((info: CommitInfo) => void) | undefined, info: CommitInfo): void {
  try {
    onWrite?.(info);
  } catch {
    // The data is durable whatever the hook does.
  }
}

/** Makes a rename in `dir` durable (fsync of the folder; a no-op on Windows, which cannot open a folder). */
export async function fsyncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; there the rename is as durable as the platform allows.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Files locked by this process: a second store on the same file in one process would lose updates too. */
const lockedHere = new Set<string>();

/** Releases a file lock taken by `lockFile`. */
export type ReleaseLock = () => Promise<void>;

/**
 * Takes an exclusive lock on `file` through `<file>.lock` holding our pid; a lock whose process is gone
 * (for example after kill -9) is taken over. Best effort: two processes taking over the same stale lock
 * at the same instant could both succeed, and a recycled pid makes a stale lock look live.
 */
export async function lockFile(file: string): Promise<ReleaseLock> {
  const target = resolve(file);
  if (lockedHere.has(target)) throw new StoreLockedError(target, `this process (pid ${process.pid})`);
  await mkdir(dirname(target), { recursive: true });
  const lock = `${target}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if (!isErrno(error, 'EEXIST')) throw error;
      if (attempt > 0) throw new StoreLockedError(target, `another process that took over the stale lock ${lock}`);
      const pid = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new StoreLockedError(target, `process ${pid} (lock file ${lock})`);
      }
      await unlink(lock).catch(() => undefined);
    }
  }
  lockedHere.add(target);
  return async () => {
    lockedHere.delete(target);
    await unlink(lock).catch(() => undefined);
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return isErrno(error, 'EPERM');
  }
}

export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
