import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { createPostgresPool, migrate, type PostgresPoolOptions } from '../../storage/postgres/index.js';

/** The database the PostgreSQL suites use, e.g. postgres://postgres@127.0.0.1:5432/test; unset, they are skipped. */
const url = process.env.TEST_DATABASE_URL;

/** Schemas made by these helpers start with this, followed by their creation time, so leftovers can be found. */
const PREFIX = 'mcid_test_';
/** A test schema older than this was left by a run that died before its clean-up: the next run drops it. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

let announcedSkip = false;
let sweptLeftovers = false;

/** What a test file gets from `usePostgres`: its own schemas, dropped after the file. */
export interface PostgresTestContext {
  /** The database URL in use. */
  readonly url: string;
  /** The file's schema, migrated. */
  readonly schema: string;
  /** A pool on the file's schema. */
  readonly pool: pg.Pool;
  /** Another pool on `schema` (default: the file's), as a second bot instance would have; ended after the file. */
  newPool(schema?: string, options?: PostgresPoolOptions): pg.Pool;
  /** A new empty schema (migrated unless told otherwise) with a pool on it; dropped after the file. */
  freshSchema(options?: { migrate?: boolean }): Promise<{ schema: string; pool: pg.Pool }>;
  /** Ends a pool of this context before the file ends (the clean-up then skips it). */
  endPool(pool: pg.Pool): Promise<void>;
  /** Runs SQL outside any test schema (as the server's superuser of the URL), e.g. to look at other sessions. */
  admin(): pg.Pool;
}

/**
 * Gives the calling `describe` block a fresh schema in the database of `TEST_DATABASE_URL`, with unique random
 * names, and drops everything it made afterwards. Without `TEST_DATABASE_URL` the block is skipped (and one line
 * says how to run it), except on CI (`CI=true`), where a suite that does not run must fail.
 */
export function usePostgres(): PostgresTestContext {
  let adminPool: pg.Pool | undefined;
  let fileSchema: { schema: string; pool: pg.Pool } | undefined;
  const schemas: string[] = [];
  const pools = new Set<pg.Pool>();

  const requireUrl = (): string => {
    if (!url) throw new Error('usePostgres: TEST_DATABASE_URL is not set');
    return url;
  };
  const newPool = (schema: string, options: PostgresPoolOptions = {}): pg.Pool => {
    const pool = createPostgresPool(requireUrl(), { max: 4, idleTimeoutMs: 1_000, statementTimeoutMs: 30_000, ...options, schema });
    pools.add(pool);
    return pool;
  };
  const freshSchema = async (options: { migrate?: boolean } = {}): Promise<{ schema: string; pool: pg.Pool }> => {
    const schema = `${PREFIX}${Date.now().toString(36)}_${randomBytes(5).toString('hex')}`;
    await adminPool!.query(`CREATE SCHEMA ${schema}`);
    schemas.push(schema);
    const pool = newPool(schema);
    if (options.migrate !== false) await migrate(pool);
    return { schema, pool };
  };

  before(async function () {
    if (!url) {
      if (process.env.CI === 'true') throw new Error('TEST_DATABASE_URL is not set: on CI the PostgreSQL suites must run, not be skipped.');
      if (!announcedSkip) {
        announcedSkip = true;
        console.log('PostgreSQL suites skipped: set TEST_DATABASE_URL=postgres://… to run them (e.g. postgres://postgres@127.0.0.1:5432/test)');
      }
      this.skip();
    }
    adminPool = createPostgresPool(url, { max: 2, idleTimeoutMs: 1_000 });
    if (!sweptLeftovers) {
      sweptLeftovers = true;
      await dropLeftovers(adminPool);
    }
    fileSchema = await freshSchema();
  });

  after(async () => {
    if (!adminPool) return;
    // Sessions on a schema hold locks that DROP SCHEMA would wait for: end the pools first (a test may have ended
    // one itself; a failure here must not leave the schemas behind).
    await Promise.allSettled([...pools].map((pool) => (pool.ended ? undefined : pool.end())));
    pools.clear();
    const drops = await Promise.allSettled(schemas.splice(0).map((schema) => adminPool!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)));
    await adminPool.end();
    adminPool = undefined;
    const failed = drops.find((drop): drop is PromiseRejectedResult => drop.status === 'rejected');
    if (failed) throw failed.reason;
  });

  return {
    get url() {
      return requireUrl();
    },
    get schema() {
      if (!fileSchema) throw new Error('usePostgres: the schema exists only once the before hook ran');
      return fileSchema.schema;
    },
    get pool() {
      if (!fileSchema) throw new Error('usePostgres: the pool exists only once the before hook ran');
      return fileSchema.pool;
    },
    newPool: (schema, options) => newPool(schema ?? fileSchema!.schema, options),
    freshSchema,
    endPool: async (pool) => {
      if (pools.delete(pool) && !pool.ended) await pool.end();
    },
    admin: () => {
      if (!adminPool) throw new Error('usePostgres: the admin pool exists only once the before hook ran');
      return adminPool;
    },
  };
}

/** Drops test schemas of runs that died more than a day ago (their names carry their creation time). */
async function dropLeftovers(admin: pg.Pool): Promise<void> {
  const { rows } = await admin.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE '${PREFIX}%'`);
  for (const { name } of rows) {
    const created = Number.parseInt(name.slice(PREFIX.length).split('_')[0] ?? '', 36);
    if (Number.isFinite(created) && Date.now() - created > STALE_AFTER_MS) await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  }
}

/** A database URL whose connections use `schema` (libpq's `options` parameter sets the search path): for a bot process. */
export function urlWithSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}
