/**
 * Storage: small interfaces and their adapters.
 *
 * - `DocumentStore` holds the ledger (people, associations, credentials, requirements, conversation
 *   references, outbox) as collections of records validated by zod. `openLowdbDocumentStore` is the
 *   embedded default (one JSON file, lowdb underneath); `createMemoryDocumentStore` is for tests.
 * - `openFileStateStorage` is a botbuilder `Storage` for dialog and user state, apart from the ledger and spread
 *   by key hash over small bucket files, so a turn reads and writes one small file however many conversations are
 *   on record; botbuilder's `MemoryStorage` is its in-memory counterpart.
 *
 * Dates: records are stored as JSON, so a `Date` is written as its ISO string; a schema must accept the
 * JSON form of its own output, so declare instants with `instant` from here (or `z.coerce.date()`, which
 * also turns null or a number into a Date), never `z.date()`, which `put` rejects. `put` validates the
 * value's JSON form, so whatever was committed parses again on the next start.
 *
 * Commits: the writes of every transaction in one tick are applied in memory at once and written
 * together (temp file, fsync, rename, fsync of the directory); each promise resolves after the write
 * holding it is durable. If that write fails, its transactions and those queued behind it (which may
 * have read its changes) are undone in memory and their promises reject; the file keeps its previous
 * content (except when only the final directory fsync failed: then the outcome is unknown, as with any
 * failed fsync). Reads outside a transaction may see changes whose commit is still in flight; a
 * transaction that only reads still waits for the commits it may have observed. Calling `transact` inside
 * a transaction function throws.
 *
 * Locking: the file store takes `<file>.lock` (our pid) and refuses to open a file held by a live process
 * on this host or by another store in this process; a lock left by a dead process is taken over.
 */
export type { CollectionName, CollectionSchemas, CommitInfo, DocumentStore, ReadView, RecordOf, Transaction } from './documentStore.js';
export { CorruptStoreError, InvalidRecordError, StoreClosedError, StoreLockedError, TransactionUsageError } from './errors.js';
export { instant } from './schemas.js';
export { openLowdbDocumentStore, type LowdbDocumentStoreOptions } from './lowdbDocumentStore.js';
export { createMemoryDocumentStore } from './memoryDocumentStore.js';
export { openFileStateStorage, type ClosableStorage, type FileStateStorageOptions } from './stateStorage.js';
export { createMemoryLedger, credentialKey, ledgerSchemas, openLedger, personKey, type Ledger } from './ledger.js';
