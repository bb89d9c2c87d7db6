import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { ledgerIndexes, ledgerSchemas } from '../../storage/index.js';
import { InvalidDatabaseUrlError, MigrationError, createPostgresPool, migrate, migrations, openPostgresDocumentStore, type Migration } from '../../storage/postgres/index.js';
import { usePostgres } from '../support/postgres.js';

describe('PostgreSQL pool', () => {
  it('accepts postgres:// and postgresql:// URLs only, without repeating a password in the message', async () => {
    for (const url of ['postgres://bot@db.example:5432/ledger', 'postgresql://bot:secret@db.example/ledger']) {
      const pool = createPostgresPool(url);
      await pool.end();
    }
    for (const url of ['mysql://bot:s3cret@db.example/ledger', 'db.example:5432', '', 'postgres://:s3cret@/ledger']) {
      assert.throws(
        () => createPostgresPool(url),
        (error: unknown) => error instanceof InvalidDatabaseUrlError && !error.message.includes('s3cret'),
        url,
      );
    }
  });

  it('refuses a schema name that is not a plain lowercase identifier', () => {
    for (const schema of ['Tenant', 'a b', 'x;drop', '1abc', 'a'.repeat(64)]) {
      assert.throws(() => createPostgresPool('postgres://db.example/ledger', { schema }), RangeError, schema);
    }
  });
});

describe('PostgreSQL migration list', () => {
  it('lists every module of migrations/ once, in version order, each named after its version', async () => {
    const dir = fileURLToPath(new URL('../../storage/postgres/migrations/', import.meta.url));
    const files = (await readdir(dir)).filter((name) => name !== 'index.ts').sort();
    assert.ok(files.every((name) => /^\d{3}_[a-z0-9_]+\.ts$/.test(name)), `SQL lives in .ts modules named NNN_name.ts (tsc copies no .sql): ${files.join(', ')}`);
    assert.deepEqual(migrations.map((migration) => migration.version), files.map((name) => Number(name.slice(0, 3))));
  });
});

describe('PostgreSQL migrations and pool', () => {
  const db = usePostgres();

  const tables = async (pool: pg.Pool): Promise<string[]> =>
    (await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)).rows.map((row) => row.name);

  it('migrates a fresh schema once when two instances start together', async () => {
    const { pool } = await db.freshSchema({ migrate: false });
    const second = db.newPool((await pool.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s);
    const reports = await Promise.all([migrate(pool), migrate(second)]);
    const all = migrations.map((migration) => migration.version);
    assert.deepEqual(reports.map((report) => report.applied).sort((a, b) => b.length - a.length), [all, []]);
    assert.deepEqual(reports.map((report) => report.version), [all.at(-1), all.at(-1)]);
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(rows.map((row) => row.version), all);
    assert.deepEqual(await tables(pool), ['bot_state', 'records', 'schema_migrations']);
    assert.deepEqual((await migrate(pool)).applied, [], 'nothing to do the next time');
    await db.endPool(second);
    await db.endPool(pool);
  });

  it('applies only the migrations not yet applied, and rolls a failing one back whole', async () => {
    const { pool } = await db.freshSchema({ migrate: false });
    const first: Migration[] = [{ version: 1, name: 'one', sql: 'CREATE TABLE one (id int)' }];
    assert.deepEqual((await migrate(pool, first)).applied, [1]);
    const next: Migration[] = [
      ...first,
      { version: 2, name: 'two', sql: 'CREATE TABLE two (id int)' },
      { version: 3, name: 'broken', sql: 'CREATE TABLE three (id int); SELECT no_such_function()' },
    ];
    await assert.rejects(migrate(pool, next), (error: unknown) => error instanceof MigrationError && error.migration.version === 3 && /broken/.test(error.message));
    assert.deepEqual(await tables(pool), ['one', 'schema_migrations', 'two']);
    assert.deepEqual((await pool.query('SELECT version FROM schema_migrations ORDER BY 1')).rows, [{ version: 1 }, { version: 2 }]);
    await assert.rejects(migrate(pool, [next[1]!, next[0]!]), /out of order/);
    await db.endPool(pool);
  });

  it('gives link reminders stored before the day index their day, so the index finds them', async () => {
    const { pool } = await db.freshSchema({ migrate: false });
    await migrate(pool, migrations.filter((migration) => migration.version < 3));
    const reminder = (dueAt: string, claimedUntil?: string) => ({ tenantId: 't', personId: 'p', dueAt, locale: 'en', reference: {}, requestedAt: '2026-02-01T09:00:00.000Z', ...(claimedUntil ? { claimedUntil } : {}) });
    await pool.query(`INSERT INTO records (collection, id, doc) VALUES ('linkReminders', 't/a', $1), ('linkReminders', 't/b', $2)`, [
      reminder('2026-03-02T09:00:00.000Z'),
      reminder('2026-03-02T23:58:00.000Z', '2026-03-03T00:03:00.000Z'),
    ]);
    await migrate(pool);
    const ledger = await openPostgresDocumentStore(pool, ledgerSchemas, ledgerIndexes, { name: 'the migrated ledger' });
    assert.deepEqual((await ledger.findBy('linkReminders', 'byDueDay', ['2026-03-02'])).map((k) => k.id), ['t/a']);
    assert.deepEqual((await ledger.findBy('linkReminders', 'byDueDay', ['2026-03-03'])).map((k) => k.id), ['t/b'], 'a claim running past midnight moves the day');
    await ledger.close();
    await db.endPool(pool);
  });

  it('says so when the schema of the search_path does not exist', async () => {
    const pool = db.newPool('mcid_test_no_such_schema');
    await assert.rejects(migrate(pool), /no schema of the search_path exists/);
    await db.endPool(pool);
  });

  it('logs an idle connection that the server ended, drops it, and keeps serving', async () => {
    const applicationName = `idle-kill-${process.pid}-${Date.now()}`;
    const warnings: string[] = [];
    let warned!: () => void;
    const logged = new Promise<void>((resolve) => (warned = resolve));
    const pool = db.newPool(db.schema, {
      applicationName,
      logger: {
        warn: (_details, message) => {
          warnings.push(message);
          warned();
        },
      },
    });
    await pool.query('SELECT 1');
    await db.admin().query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    await logged;
    assert.match(warnings[0]!, /idle connection failed/);
    assert.equal((await pool.query('SELECT 2 AS two')).rows[0].two, 2);
    await db.endPool(pool);
  });
});
