import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { ledgerIndexes, ledgerSchemas, type Ledger } from '../storage/index.js';
import { createPostgresPool, migrate, openPostgresDocumentStore } from '../storage/postgres/index.js';

/**
 * The database the benches use: `BENCH_DATABASE_URL`, else `DATABASE_URL`, else `TEST_DATABASE_URL`. Where a bench
 * runs is not the app's configuration (bot/config.ts reads that, and is its only reader): the bench reads it here.
 */
export function benchDatabaseUrl(): string | undefined {
  return process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
}

/** The line a bench prints instead of its PostgreSQL figures when no database is configured. */
export function postgresSkipped(what: string): string {
  return `${what} on PostgreSQL: SKIPPED (set BENCH_DATABASE_URL, DATABASE_URL or TEST_DATABASE_URL=postgres://… to measure it)`;
}

/**
 * Runs `work` with a pool on a new migrated schema of the bench database (`poolSize` connections), then drops the
 * schema; returns undefined without a database.
 */
export async function withBenchSchema<T>(poolSize: number, work: (pool: pg.Pool, newPool: () => pg.Pool, schema: string, url: string) => Promise<T>): Promise<T | undefined> {
  const url = benchDatabaseUrl();
  if (!url) return undefined;
  const schema = `mcid_bench_${randomBytes(5).toString('hex')}`;
  const admin = createPostgresPool(url, { max: 1 });
  const pools: pg.Pool[] = [];
  const newPool = (): pg.Pool => {
    const pool = createPostgresPool(url, { schema, max: poolSize, statementTimeoutMs: 600_000 });
    pools.push(pool);
    return pool;
  };
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const pool = newPool();
    await migrate(pool);
    return await work(pool, newPool, schema, url);
  } finally {
    await Promise.all(pools.map((pool) => pool.end()));
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

/** Runs `work` on the ledger of a new migrated bench schema (see `withBenchSchema`), closed afterwards; false without a database. */
export async function withBenchLedger(work: (ledger: Ledger) => Promise<void>): Promise<boolean> {
  const ran = await withBenchSchema(4, async (pool) => {
    const ledger = await openPostgresDocumentStore(pool, ledgerSchemas, ledgerIndexes, { name: 'the bench ledger' });
    try {
      await work(ledger);
    } finally {
      await ledger.close();
    }
    return true;
  });
  return ran ?? false;
}
