import { Low } from 'lowdb';
import type { CollectionSchemas, CommitInfo, DocumentStore, IndexSpecs } from './documentStore.js';
import { DurableFileAdapter, lockFile } from './durableFile.js';
import { EngineDocumentStore, emptyState, stateCodec } from './storeEngine.js';

/** Options of the embedded store. */
export interface LowdbDocumentStoreOptions<S extends CollectionSchemas = CollectionSchemas> {
  /** The secondary indexes of each collection (built in memory at open). */
  readonly indexes?: IndexSpecs<S>;
  /** Called after every durable commit (one per batch of transactions), for metrics and tests. */
  readonly onCommit?: (info: CommitInfo) => void;
}

/**
 * Opens (or starts empty, if missing) the store file, validating every record against `schemas` and building the
 * declared indexes; rejects with `CorruptStoreError` on bad data (a unique index broken included), leaving the file
 * untouched, and with `StoreLockedError` if another live process or another store in this process holds it.
 */
export async function openLowdbDocumentStore<S extends CollectionSchemas>(
  file: string,
  schemas: S,
  options: LowdbDocumentStoreOptions<S> = {},
): Promise<DocumentStore<S>> {
  const release = await lockFile(file);
  try {
    const adapter = new DurableFileAdapter(file, stateCodec(schemas, file), options.onCommit);
    // A crash between writing and renaming leaves a temp file; the target itself is always whole.
    await adapter.removeLeftoverTempFiles();
    // One Low per file, read once: re-reading before changes would lose the changes of others.
    const low = new Low(adapter, emptyState(schemas));
    await low.read();
    return new EngineDocumentStore(low, schemas, options.indexes ?? {}, adapter.file, release);
  } catch (error) {
    await release();
    throw error;
  }
}
