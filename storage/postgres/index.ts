/**
 * The PostgreSQL adapters of the storage ports, for several bot instances on one database (`DATABASE_URL`).
 *
 * Start-up: `createPostgresPool(url)`, then `migrate(pool)` (versioned schema changes, once, under an advisory
 * lock), then `openPostgresDocumentStore(pool, schemas, indexes)` and `openPostgresStateStorage(pool)`. They share
 * the pool and never end it: close them, then `pool.end()`.
 */
export { createPostgresPool, InvalidDatabaseUrlError, type PoolLogger, type PostgresPoolOptions } from './pool.js';
export { migrate, MigrationError } from './migrate.js';
export { migrations, type Migration } from './migrations/index.js';
export { openPostgresDocumentStore, type PostgresDocumentStoreOptions } from './postgresDocumentStore.js';
export { openPostgresStateStorage } from './postgresStateStorage.js';
export { CorruptRecordError, TransactionConflictError } from './errors.js';
