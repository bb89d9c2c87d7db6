/**
 * Storage: small interfaces and their adapters.
 *
 * - `DocumentStore` holds the ledger (people, associations, credentials, requirements, conversation
 *   references, outbox) as collections of records validated by zod. `openLowdbDocumentStore` is the
 *   embedded default (lowdb underneath: a snapshot file and a journal of the commits since it; see
 *   journaledFile.ts); `createMemoryDocumentStore` is for tests. Both take the
 *   collections' schemas and their index declarations (`ledgerSchemas`, `ledgerIndexes` for the ledger).
 * - `openFileStateStorage` is a botbuilder `Storage` for dialog and user state, apart from the ledger and spread
 *   by key hash over small bucket files, so a turn reads and writes one small file however many conversations are
 *   on record; botbuilder's `MemoryStorage` is its in-memory counterpart.
 *
 * Reads are asynchronous: `get` by id, `findBy` through a declared index, `scan` of a whole collection (background
 * sweeps and exports only). An index lists top-level string fields; a record is in it only while all of them are
 * strings, so an optional field makes a partial index, and a field a schema derives from others (a lower-cased
 * address, `active` while an association has not ended) can be indexed too: what is stored, and indexed, is always
 * the schema's parsed output, never the caller's value. A `unique` index admits one record per key; a transaction
 * that would break it rejects with `UniqueViolationError` and applies nothing. Results come in id order (by code
 * point). The embedded store keeps its indexes as in-memory maps, built at open (a file that breaks a unique index
 * is refused like any invalid file) and updated as changes are applied and rolled back.
 *
 * Dates: records are stored as JSON, so a `Date` is written as its ISO string; a schema must accept the
 * JSON form of its own output, so declare instants with `instant` from here (or `z.coerce.date()`, which
 * also turns null or a number into a Date), never `z.date()`, which `put` rejects. `put` validates the
 * value's JSON form, so whatever was committed parses again on the next start.
 *
 * Transactions: `transact(fn)` runs an asynchronous `fn` that reads (seeing its own staged writes, by id and through
 * the indexes) and stages writes; they are applied when `fn` resolves, and nothing is applied when it rejects. The
 * embedded store runs transactions one at a time, in the order they were called, so a check-then-write in `fn` is
 * atomic; calling `transact` from inside `fn` (found with AsyncLocalStorage) rejects with `TransactionUsageError`,
 * since it would wait for itself. `fn` may be run more than once (the embedded store runs it again when a failed
 * write undid changes it had read; PostgreSQL on a serialization failure), so it must do nothing outside the
 * transaction: send, notify and log after `transact` resolves.
 *
 * Commits: the writes of transactions that finish close together (in one tick, or while a write is in flight) are
 * applied in memory at once and written together (one journal line appended and synced, or now and then a new
 * snapshot: temp file, fsync, rename, fsync of the directory); each promise resolves after the write holding it is
 * durable. If that write fails, its transactions and those queued behind it (which may have read its changes) are
 * undone in memory, indexes included, and their promises reject; the files keep their previous content (except when
 * an fsync itself failed: then the outcome is unknown, as with any failed fsync), and the next commit writes a
 * snapshot. Reads outside a transaction may see changes whose commit is still in flight; a transaction that only
 * reads still waits for the commits it may have observed.
 *
 * Time slices: `timeSlice()` (timeSlice.ts) is the process's one budget for long synchronous loops (applying or
 * flushing a 100,000-record commit here; an import's comparison or a fan-out in services/), kept here, the lowest
 * layer both stand on, so that loops of the two layers never run their slices back to back in one turn of the event
 * loop.
 *
 * Locking: the file store takes `<file>.lock` (our pid) and refuses to open a file held by a live process
 * on this host or by another store in this process; a lock left by a dead process is taken over.
 */
export type { CollectionName, CollectionSchemas, CommitInfo, DocumentStore, IndexSpecs, Keyed, ReadView, RecordOf, Transaction } from './documentStore.js';
export { CorruptStoreError, InvalidRecordError, StoreClosedError, StoreLockedError, TransactionUsageError, UniqueViolationError } from './errors.js';
export { instant } from './schemas.js';
export { openLowdbDocumentStore } from './lowdbDocumentStore.js';
export { createMemoryDocumentStore } from './memoryDocumentStore.js';
export { openFileStateStorage, type ClosableStorage } from './stateStorage.js';
export { ACTIVE, createMemoryLedger, credentialKey, ledgerIndexes, ledgerSchemas, openLedger, personKey, type Ledger } from './ledger.js';
