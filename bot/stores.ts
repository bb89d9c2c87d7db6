import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ledgerIndexes, ledgerSchemas, openFileStateStorage, openLedger, type ClosableStorage, type Ledger } from '../storage/index.js';
import { createPostgresPool, migrate, openPostgresDocumentStore, openPostgresStateStorage, type PoolLogger } from '../storage/postgres/index.js';
import type { AppConfig } from './config.js';
import type { BotStores } from './createBot.js';

/** The opened stores, with their lifecycle. */
export interface OpenStores extends BotStores {
  /** Where the records are: the embedded files or a PostgreSQL database shared by every instance. */
  readonly kind: 'embedded' | 'postgres';
  /** Whether the stores still answer (for /healthz). */
  healthy(): Promise<boolean>;
  /** Flushes pending commits and releases the files or the database connections. */
  close(): Promise<void>;
}

/**
 * Opens the stores: on PostgreSQL when `DATABASE_URL` is set (several instances may share it), else the embedded
 * store in the data directory (one instance).
 */
export async function openStores(config: AppConfig, logger?: PoolLogger): Promise<OpenStores> {
  return config.databaseUrl ? openPostgresStores(config.databaseUrl, logger) : openEmbeddedStores(config.dataDir);
}

/**
 * The embedded stores in the data directory: the ledger and the hot conversation state, each in its own files so
 * that a chat turn never serialises the organization.
 */
async function openEmbeddedStores(dataDir: string): Promise<OpenStores> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const ledger = await openLedger(path.join(dataDir, 'ledger.json'));
  // Bucket files in state.buckets/; a state.json left by an earlier version is moved into them on first start.
  const state = await openFileStateStorage(path.join(dataDir, 'state.json')).catch(async (error: unknown) => {
    await ledger.close();
    throw error;
  });
  return withLifecycle('embedded', ledger, state, async () => undefined);
}

/** The PostgreSQL stores: migrated once (under an advisory lock, so instances starting together do not race). */
async function openPostgresStores(url: string, logger: PoolLogger | undefined): Promise<OpenStores> {
  const pool = createPostgresPool(url, logger ? { logger } : {});
  try {
    await migrate(pool);
    const ledger: Ledger = await openPostgresDocumentStore(pool, ledgerSchemas, ledgerIndexes, { name: 'the PostgreSQL ledger' });
    const state = await openPostgresStateStorage(pool);
    return withLifecycle('postgres', ledger, state, () => pool.end());
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

function withLifecycle(kind: OpenStores['kind'], ledger: Ledger, state: ClosableStorage, release: () => Promise<void>): OpenStores {
  return {
    kind,
    ledger,
    state,
    async healthy() {
      try {
        // A read-only transaction waits for in-flight commits (or reaches the database), so it fails if they do.
        await ledger.transact(() => undefined);
        await state.read(['healthz']);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await Promise.all([ledger.close(), state.close()]);
      await release();
    },
  };
}
