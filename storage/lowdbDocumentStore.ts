import { Low } from 'lowdb';
import type { CollectionSchemas, CommitInfo, DocumentStore, IndexSpecs } from './documentStore.js';
import { lockFile } from './durableFile.js';
import { JournaledFileAdapter } from './journaledFile.js';
import { EngineDocumentStore, emptyState } from './storeEngine.js';

/** Options of the embedded store. */
export interface LowdbDocumentStoreOptions<S extends CollectionSchemas = CollectionSchemas> {
  /** The secondary indexes of each collection (built in memory at open). */
  readonly indexes?: IndexSpecs<S>;
  /** Called after every durable commit (one per batch of transactions), for metrics and tests. */
  readonly onCommit?: (info: CommitInfo) => void;
  /** Size the journal may reach, in bytes, before a commit writes a new snapshot even of a smaller store; default 4 MiB. */
  readonly compactAt?: number;
}

const DEFAULT_COMPACT_AT = 4 * 1024 * 1024;

/**
 * Opens (or starts empty, if missing) the store file and its journal (see `JournaledFileAdapter`), validating every
 * record against `schemas` and building the declared indexes; rejects with `CorruptStoreError` on bad data (a unique
 * index broken included), leaving the files untouched, and with `StoreLockedError` if another live process or
 * another store in this process holds them.
 */
export async function openLowdbDocumentStore<S extends CollectionSchemas>(
  file: string,
  schemas: S,
  options: LowdbDocumentStoreOptions<S> = {},
): Promise<DocumentStore<S>> {
  const release = await lockFile(file);
  try {
    const adapter = new JournaledFileAdapter(file, schemas, options.compactAt ?? DEFAULT_COMPACT_AT, options.onCommit);
    // A crash between writing and renaming leaves a temp file; the snapshot itself is always whole.
    await adapter.removeLeftoverTempFiles();
    // One Low per file, read once: re-reading before changes would lose the changes of others.
    const low = new Low(adapter, emptyState(schemas));
    await low.read();
    return new EngineDocumentStore(low, schemas, {
      name: adapter.file,
      indexes: options.indexes,
      persist: (changes) => adapter.commit(low.data, changes),
      release,
    });
  } catch (error) {
    await release();
    throw error;
  }
}
