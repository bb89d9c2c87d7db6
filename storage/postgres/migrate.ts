import type pg from 'pg';
import { withSchemaLock } from './connection.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

/** What `migrate` did. */
export interface MigrationReport {
  /** Versions this call applied, in order (empty when another instance had applied them). */
  readonly applied: readonly number[];
  /** The highest version now applied. */
  readonly version: number;
}

/** A migration that failed; its transaction was rolled back, so the schema stays at the previous version. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';

  constructor(
    readonly migration: Migration,
    override readonly cause: unknown,
  ) {
    super(`PostgreSQL migration ${migration.version} (${migration.name}) failed and was rolled back: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * Brings the schema of the pool's search_path up to date: applies, in version order, each migration not yet in
 * `schema_migrations`, each in its own transaction together with its row there. Everything happens under the
 * schema's advisory lock, so instances starting together migrate once: the others wait, then find nothing to do.
 * Versions applied by a newer release that this one does not know are left alone (a rolling upgrade runs both).
 */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = allMigrations): Promise<MigrationReport> {
  checkOrder(migrations);
  return withSchemaLock(pool, async (client) => {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        // If even the rollback fails, the connection is discarded, which rolls back too.
        await client.query('ROLLBACK').catch(() => undefined);
        throw new MigrationError(migration, error);
      }
      applied.push(migration.version);
      done.add(migration.version);
    }
    return { applied, version: Math.max(0, ...done) };
  });
}

function checkOrder(migrations: readonly Migration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) throw new Error(`PostgreSQL migrations are out of order at version ${migrations[i]!.version}`);
  }
}
