import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import type { DocumentStore, IndexSpecs } from '../storage/documentStore.js';
import { createPostgresPool, migrate, openPostgresDocumentStore } from '../storage/postgres/index.js';
import { benchPerson, benchSchemas, percentile } from './personRecords.js';
import { benchDatabaseUrl, postgresSkipped } from './postgresBench.js';


const benchIndexes: IndexSpecs<typeof benchSchemas> = {
  people: {
    byAadObjectId: { fields: ['aadObjectId'], unique: true },
    byMcid: { fields: ['mcid'], unique: true },
    byTenant: { fields: ['tenantId'] },
  },
};

const SIZES = [1_000, 10_000, 100_000];
const SEED_BATCH = 1_000;
const WARM_UP = 50;
const SAMPLES = 1_000;
const WORKERS = 8;



const ms = (value: number): string => value.toFixed(2);
/** Person `i`, in one of 100 organizations. */
const person = (i: number, version = 0) => benchPerson(i, version, `tenant-${i % 100}`);

/** One turn-sized transaction: find a person by the unique index, then write them back changed. */
async function lookUpAndPut(store: DocumentStore<typeof benchSchemas>, i: number, version: number): Promise<number> {
  const started = performance.now();
  await store.transact(async (tx) => {
    const [found] = await tx.findBy('people', 'byAadObjectId', [person(i).aadObjectId]);
    if (!found) throw new Error(`person ${i} not found`);
    tx.put('people', found.id, { ...found.record, displayName: `Person ${i}.${version}` });
  });
  return performance.now() - started;
}

/**
 * Prints commit latency (p50, p99) of the PostgreSQL document store for a small transaction (a look-up by index and
 * one put) with 1k, 10k and 100k records in one collection: one at a time, and from several workers at once. Uses
 * `BENCH_DATABASE_URL`, `DATABASE_URL` or `TEST_DATABASE_URL`, in a schema of its own that it drops afterwards.
 */
export async function benchPostgresStore(options: { quick: boolean } = { quick: false }): Promise<Record<string, string | number>[] | undefined> {
  const url = benchDatabaseUrl();
  if (!url) {
    console.log(postgresSkipped('\nStore commit latency'));
    return undefined;
  }
  const schema = `mcid_bench_${randomBytes(5).toString('hex')}`;
  const admin = createPostgresPool(url, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = createPostgresPool(url, { schema, max: WORKERS + 2, statementTimeoutMs: 600_000 });
  const samples = options.quick ? SAMPLES / 5 : SAMPLES;
  const rows: Record<string, string | number>[] = [];
  try {
    await migrate(pool);
    const store = await openPostgresDocumentStore(pool, benchSchemas, benchIndexes);
    let seeded = 0;
    for (const size of options.quick ? SIZES.slice(0, 2) : SIZES) {
      const seeding = performance.now();
      for (; seeded < size; seeded += SEED_BATCH) {
        const from = seeded;
        await store.transact((tx) => {
          for (let i = from; i < Math.min(size, from + SEED_BATCH); i++) tx.put('people', `person-${i}`, person(i));
        });
      }
      const seedMs = performance.now() - seeding;
      await pool.query('ANALYZE records');
      const tableMb = await tableSize(pool);

      for (let s = 0; s < WARM_UP; s++) await lookUpAndPut(store, (s * 7919) % size, 1);
      const single: number[] = [];
      for (let s = 0; s < samples; s++) single.push(await lookUpAndPut(store, (s * 7919) % size, s + 2));

      let retries = 0;
      const counting = await openPostgresDocumentStore(pool, benchSchemas, benchIndexes, { onRetry: () => retries++ });
      const concurrent: number[] = [];
      const started = performance.now();
      await Promise.all(
        Array.from({ length: WORKERS }, async (_, w) => {
          for (let s = w; s < samples; s += WORKERS) concurrent.push(await lookUpAndPut(counting, (s * 104_729) % size, samples + s));
        }),
      );
      const elapsed = performance.now() - started;
      await counting.close();

      rows.push({
        records: size,
        'table MB': tableMb,
        'seed s': (seedMs / 1000).toFixed(1),
        'single p50 ms': ms(percentile(single, 0.5)),
        'single p99 ms': ms(percentile(single, 0.99)),
        [`${WORKERS} workers p50 ms`]: ms(percentile(concurrent, 0.5)),
        [`${WORKERS} workers p99 ms`]: ms(percentile(concurrent, 0.99)),
        [`${WORKERS} workers tx/s`]: Math.round(concurrent.length / (elapsed / 1000)),
        retries,
      });
    }
    await store.close();
  } finally {
    await pool.end();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
  console.log(
    `PostgreSQL store commit latency: a transaction that finds one person by a unique index and writes them back ` +
      `(${samples} one at a time, then ${samples} from ${WORKERS} concurrent workers)`,
  );
  console.table(rows);
  return rows;
}

async function tableSize(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ bytes: string }>(`SELECT pg_total_relation_size('records') AS bytes`);
  return (Number(rows[0]?.bytes ?? 0) / 1e6).toFixed(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchPostgresStore({ quick: process.argv.includes('--quick') });
