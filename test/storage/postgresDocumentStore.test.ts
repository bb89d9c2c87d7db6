import assert from 'node:assert/strict';
import type pg from 'pg';
import { z } from 'zod';
import type { DocumentStore, IndexSpecs } from '../../storage/documentStore.js';
import { InvalidRecordError, StoreClosedError, TransactionUsageError, UniqueViolationError } from '../../storage/errors.js';
import { instant } from '../../storage/schemas.js';
import { indexDefinitions } from '../../storage/postgres/indexes.js';
import { CorruptRecordError, TransactionConflictError, openPostgresDocumentStore, type PostgresDocumentStoreOptions } from '../../storage/postgres/index.js';
import { usePostgres } from '../support/postgres.js';

const schemas = {
  people: z.object({
    tenantId: z.string(),
    email: z.string(),
    role: z.enum(['admin', 'member']),
    name: z.string().min(1),
    joinedAt: instant,
    /** Set only while the person's MCID is linked: a partial unique index. */
    activeMcid: z.string().optional(),
  }),
  counters: z.object({ value: z.number().int() }),
  events: z.object({ tenantId: z.union([z.string(), z.number()]), at: instant }),
};
type Schemas = typeof schemas;

const indexes: IndexSpecs<Schemas> = {
  people: {
    byTenant: { fields: ['tenantId'] },
    byEmail: { fields: ['email'], unique: true },
    byTenantRole: { fields: ['tenantId', 'role'] },
    byMcid: { fields: ['activeMcid'], unique: true },
  },
  events: { byTenant: { fields: ['tenantId'] } },
};

const joinedAt = new Date('2024-03-01T09:30:00.000Z');
const person = (n: number, changes: Partial<z.output<Schemas['people']>> = {}) => ({
  tenantId: 'contoso',
  email: `p${n}@contoso.example`,
  role: 'member' as const,
  name: `Person ${n}`,
  joinedAt,
  ...changes,
});

/** Resolves every caller's promise once `parties` callers are waiting, so that transactions overlap for certain. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    if (++arrived >= parties) release();
    return all;
  };
}

describe('PostgreSQL document store', () => {
  const db = usePostgres();
  let pool: pg.Pool;
  let store: DocumentStore<Schemas>;
  let retries: string[];
  let schemaName: string;

  const open = (options: PostgresDocumentStoreOptions = {}, on: pg.Pool = pool) =>
    openPostgresDocumentStore(on, schemas, indexes, { onRetry: ({ code }) => retries.push(code), ...options });

  beforeEach(async () => {
    ({ pool, schema: schemaName } = await db.freshSchema());
    retries = [];
    store = await open();
  });

  afterEach(async () => {
    await store.close();
    await db.endPool(pool);
  });

  describe('records', () => {
    it('stores records and reads them back, parsed, frozen, in id order', async () => {
      const result = await store.transact((tx) => {
        tx.put('people', 'p2', person(2));
        tx.put('people', 'p10', person(10));
        tx.put('people', 'p1', person(1));
        return 'stored';
      });
      assert.equal(result, 'stored');
      const ada = await store.get('people', 'p1');
      assert.deepEqual(ada, person(1));
      assert.ok(ada?.joinedAt instanceof Date);
      assert.ok(Object.isFrozen(ada));
      assert.deepEqual((await store.scan('people')).map((row) => row.id), ['p1', 'p10', 'p2']);
      assert.equal(await store.get('people', 'missing'), undefined);
    });

    it('orders ids by code point, as UTF-8 bytes compare, in the database and in its own writes alike', async () => {
      await store.transact((tx) => tx.put('people', 'x\u{1F600}', person(1)));
      const order = await store.transact(async (tx) => {
        tx.put('people', 'x\uFFFF', person(2));
        return (await tx.scan('people')).map((row) => row.id);
      });
      assert.deepEqual(order, ['x\uFFFF', 'x\u{1F600}']);
      assert.deepEqual((await store.scan('people')).map((row) => row.id), ['x\uFFFF', 'x\u{1F600}']);
    });

    it('stores what the schema parsed, so a field it derives is indexed as derived', async () => {
      const derived = { people: schemas.people.transform((p) => ({ ...p, email: p.email.toLowerCase() })) };
      const lower = await openPostgresDocumentStore(pool, derived, { people: { byEmail: { fields: ['email'], unique: true } } });
      await lower.transact((tx) => tx.put('people', 'p1', person(1, { email: 'Ada@Contoso.example' })));
      assert.deepEqual((await lower.findBy('people', 'byEmail', ['ada@contoso.example'])).map((row) => row.id), ['p1']);
      assert.deepEqual(await lower.findBy('people', 'byEmail', ['Ada@Contoso.example']), []);
      await lower.close();
    });

    it('lets work a transaction function scheduled for later transact once that function is done', async () => {
      let later!: Promise<void>;
      await store.transact((tx) => {
        tx.put('counters', 'first', { value: 1 });
        later = new Promise<void>((resolve, reject) => {
          setTimeout(() => void store.transact((next) => next.put('counters', 'second', { value: 2 })).then(resolve, reject), 5);
        });
      });
      await later;
      assert.equal((await store.get('counters', 'second'))?.value, 2);
    });

    it('refuses an invalid record at put, validating its JSON form, and applies nothing of that transaction', async () => {
      await assert.rejects(
        store.transact((tx) => {
          tx.put('people', 'p1', person(1));
          tx.put('people', 'p2', person(2, { joinedAt: new Date('not a date') }));
        }),
        (error: unknown) => error instanceof InvalidRecordError && error.collection === 'people' && error.id === 'p2',
      );
      assert.equal(await store.get('people', 'p1'), undefined);
      const strict = await openPostgresDocumentStore(pool, { events: z.object({ at: z.date() }) });
      await assert.rejects(
        strict.transact((tx) => tx.put('events', 'e1', { at: joinedAt })),
        InvalidRecordError,
        'a Date is stored as its ISO string, which z.date() does not accept on the way back',
      );
      await strict.close();
    });

    it('refuses at put what PostgreSQL cannot store: a NUL character, a lone surrogate, an empty id', async () => {
      for (const bad of [person(1, { name: 'A\u0000da' }), person(1, { name: 'Ada\ud800' })]) {
        await assert.rejects(store.transact((tx) => tx.put('people', 'p1', bad)), InvalidRecordError);
      }
      await assert.rejects(store.transact((tx) => tx.put('people', 'p\u0000', person(1))), InvalidRecordError);
      await assert.rejects(store.transact((tx) => tx.put('people', '', person(1))), InvalidRecordError);
      // A backslash followed by "u0000" is ordinary text, and an emoji a well-formed surrogate pair.
      await store.transact((tx) => tx.put('people', 'p1', person(1, { name: 'C:\\u0000 😀' })));
      assert.equal((await store.get('people', 'p1'))?.name, 'C:\\u0000 😀');
      assert.equal(await store.get('people', 'p\u0000'), undefined);
      assert.deepEqual(await store.findBy('people', 'byEmail', ['\ud800']), []);
    });

    it('rejects a stored row that no longer satisfies its schema, naming the collection and the id', async () => {
      await store.transact((tx) => tx.put('people', 'p1', person(1)));
      await pool.query(`UPDATE records SET doc = doc - 'name' WHERE collection = 'people' AND id = 'p1'`);
      const corrupt = (error: unknown): boolean =>
        error instanceof CorruptRecordError && error.collection === 'people' && error.id === 'p1' && /name/.test(error.message);
      await assert.rejects(store.get('people', 'p1'), corrupt);
      await assert.rejects(store.findBy('people', 'byTenant', ['contoso']), corrupt);
      await assert.rejects(store.scan('people'), corrupt);
      await assert.rejects(store.transact((tx) => tx.get('people', 'p1')), corrupt);
    });

    it('names an unknown collection or index, and a look-up with the wrong number of values', async () => {
      const anyStore = store as unknown as DocumentStore<Record<string, z.ZodType>>;
      await assert.rejects(anyStore.get('nope', 'x'), TransactionUsageError);
      await assert.rejects(store.findBy('people', 'byName', ['Ada']), /no index "byName"/);
      await assert.rejects(store.findBy('people', 'byTenantRole', ['contoso']), /looked up by 2/);
    });
  });

  describe('findBy', () => {
    beforeEach(async () => {
      await store.transact((tx) => {
        tx.put('people', 'p3', person(3, { role: 'admin' }));
        tx.put('people', 'p1', person(1));
        tx.put('people', 'p2', person(2, { tenantId: 'fabrikam' }));
        tx.put('events', 'e1', { tenantId: 'contoso', at: joinedAt });
        tx.put('events', 'e2', { tenantId: 42, at: joinedAt });
      });
    });

    it('finds the records whose indexed fields equal the values, in id order', async () => {
      assert.deepEqual((await store.findBy('people', 'byTenant', ['contoso'])).map((row) => row.id), ['p1', 'p3']);
      assert.deepEqual(await store.findBy('people', 'byTenantRole', ['contoso', 'admin']), [{ id: 'p3', record: person(3, { role: 'admin' }) }]);
      assert.deepEqual(await store.findBy('people', 'byTenant', ['northwind']), []);
    });

    it('leaves out records whose indexed field is absent or not a string', async () => {
      assert.deepEqual(await store.findBy('people', 'byMcid', ['']), []);
      assert.deepEqual((await store.findBy('events', 'byTenant', ['contoso'])).map((row) => row.id), ['e1']);
      assert.deepEqual(await store.findBy('events', 'byTenant', ['42']), [], 'the number 42 is not the string "42"');
    });

    it('sees the transaction’s own puts and deletes, judged by their new fields', async () => {
      const seen = await store.transact(async (tx) => {
        tx.put('people', 'p1', person(1, { tenantId: 'fabrikam' }));
        tx.put('people', 'p0', person(0));
        tx.delete('people', 'p3');
        tx.put('people', 'p4', person(4, { email: 'p4@contoso.example' }));
        return {
          contoso: (await tx.findBy('people', 'byTenant', ['contoso'])).map((row) => row.id),
          fabrikam: (await tx.findBy('people', 'byTenant', ['fabrikam'])).map((row) => row.id),
          admins: await tx.findBy('people', 'byTenantRole', ['contoso', 'admin']),
          all: (await tx.scan('people')).map((row) => row.id),
          p3: await tx.get('people', 'p3'),
          p1: (await tx.get('people', 'p1'))?.tenantId,
        };
      });
      assert.deepEqual(seen, {
        contoso: ['p0', 'p4'],
        fabrikam: ['p1', 'p2'],
        admins: [],
        all: ['p0', 'p1', 'p2', 'p4'],
        p3: undefined,
        p1: 'fabrikam',
      });
      assert.deepEqual((await store.findBy('people', 'byTenant', ['contoso'])).map((row) => row.id), ['p0', 'p4']);
    });

    it('does not show a transaction’s writes to readers outside it before it commits', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let staged!: () => void;
      const written = new Promise<void>((resolve) => (staged = resolve));
      const running = store.transact(async (tx) => {
        tx.put('people', 'p9', person(9));
        staged();
        await gate;
      });
      await written;
      assert.equal(await store.get('people', 'p9'), undefined);
      assert.deepEqual((await store.findBy('people', 'byTenant', ['contoso'])).map((row) => row.id), ['p1', 'p3']);
      release();
      await running;
      assert.deepEqual((await store.findBy('people', 'byTenant', ['contoso'])).map((row) => row.id), ['p1', 'p3', 'p9']);
    });

    it('reads through the index, not the whole table, with many records stored', async function () {
      this.timeout(60_000);
      // 20,000 people in 200 organizations, written by SQL: the point is the plan, not the store's speed.
      await pool.query(`
        INSERT INTO records (collection, id, doc)
        SELECT 'people', 'bulk' || i, jsonb_build_object('tenantId', 't' || (i % 200), 'email', 'bulk' || i || '@example.com',
               'role', 'member', 'name', 'Bulk ' || i, 'joinedAt', '2024-03-01T09:30:00.000Z')
          FROM generate_series(1, 20000) AS i`);
      await pool.query('ANALYZE records');
      const definitions = indexDefinitions(schemas, indexes);
      for (const [index, values] of [['byEmail', ['bulk77@example.com']], ['byTenant', ['t7']], ['byTenantRole', ['t7', 'member']]] as const) {
        const definition = definitions.get('people')!.get(index)!;
        const explain = (await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${definition.findSql}`, [...values])).rows.map((row) => row['QUERY PLAN']).join('\n');
        assert.match(explain, new RegExp(`Index (Only )?Scan .*${definition.name}|Bitmap Index Scan on ${definition.name}`), explain);
        assert.doesNotMatch(explain, /Seq Scan/, explain);
      }
      // The store's own query finds the same records.
      assert.deepEqual((await store.findBy('people', 'byEmail', ['bulk77@example.com'])).map((row) => row.id), ['bulk77']);
      assert.equal((await store.findBy('people', 'byTenant', ['t7'])).length, 100);
    });
  });

  describe('unique indexes', () => {
    beforeEach(async () => {
      await store.transact((tx) => tx.put('people', 'p1', person(1, { activeMcid: 'mcid-1' })));
    });

    const violation = (index: string, values: string[]) => (error: unknown) =>
      error instanceof UniqueViolationError && error.collection === 'people' && error.index === index && JSON.stringify(error.values) === JSON.stringify(values);

    it('rejects a second record with the same key, naming the collection, index and key, and applies nothing', async () => {
      await assert.rejects(
        store.transact((tx) => {
          tx.put('people', 'p0', person(0));
          tx.put('people', 'p2', person(2, { activeMcid: 'mcid-1' }));
        }),
        violation('byMcid', ['mcid-1']),
      );
      await assert.rejects(store.transact((tx) => tx.put('people', 'p2', person(2, { email: 'p1@contoso.example' }))), violation('byEmail', ['p1@contoso.example']));
      assert.deepEqual((await store.scan('people')).map((row) => row.id), ['p1']);
    });

    it('judges the final state of a transaction: a key may move from one record to another, even put first', async () => {
      await store.transact((tx) => {
        tx.put('people', 'p2', person(2, { activeMcid: 'mcid-1' }));
        tx.put('people', 'p1', person(1));
      });
      assert.deepEqual((await store.findBy('people', 'byMcid', ['mcid-1'])).map((row) => row.id), ['p2']);
      // Two records swap their keys in one transaction.
      await store.transact((tx) => tx.put('people', 'p1', person(1, { activeMcid: 'mcid-9' })));
      await store.transact((tx) => {
        tx.put('people', 'p1', person(1, { activeMcid: 'mcid-1' }));
        tx.put('people', 'p2', person(2, { activeMcid: 'mcid-9' }));
      });
      assert.equal((await store.get('people', 'p1'))?.activeMcid, 'mcid-1');
      assert.equal((await store.get('people', 'p2'))?.activeMcid, 'mcid-9');
      await assert.rejects(
        store.transact((tx) => {
          tx.put('people', 'p3', person(3, { activeMcid: 'mcid-7' }));
          tx.put('people', 'p4', person(4, { activeMcid: 'mcid-7' }));
        }),
        violation('byMcid', ['mcid-7']),
      );
    });

    it('lets one of two concurrent transactions writing the same key commit; the other rejects', async () => {
      const meet = barrier(2);
      const outcomes = await Promise.allSettled(
        ['p2', 'p3'].map((id) =>
          store.transact(async (tx) => {
            tx.put('people', id, person(Number(id.slice(1)), { activeMcid: 'mcid-2' }));
            await meet();
            return id;
          }),
        ),
      );
      assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
      const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
      assert.ok(rejected && violation('byMcid', ['mcid-2'])(rejected.reason), String(rejected?.reason));
      assert.equal((await store.findBy('people', 'byMcid', ['mcid-2'])).length, 1);
    });

    it('makes check-then-write atomic: of two concurrent transactions that both found the key free, one runs again and finds it taken', async () => {
      const meet = barrier(2);
      const outcomes = await Promise.all(
        ['p2', 'p3'].map((id) =>
          store.transact(async (tx) => {
            const holders = await tx.findBy('people', 'byMcid', ['mcid-3']);
            await meet();
            if (holders.length > 0) return 'taken';
            tx.put('people', id, person(Number(id.slice(1)), { activeMcid: 'mcid-3' }));
            return 'stored';
          }),
        ),
      );
      assert.deepEqual(outcomes.sort(), ['stored', 'taken']);
      assert.ok(retries.length > 0, 'the transaction that lost ran again');
    });
  });

  describe('transactions', () => {
    it('ends at exactly the right count when two transactions increment one counter 50 times each, concurrently', async function () {
      this.timeout(60_000);
      await store.transact((tx) => tx.put('counters', 'c', { value: 0 }));
      // The first increments of both loops read before either writes, so at least one conflict is certain.
      const meet = barrier(2);
      const increment = async (first: boolean) =>
        store.transact(async (tx) => {
          const value = (await tx.get('counters', 'c'))!.value;
          if (first) await meet();
          tx.put('counters', 'c', { value: value + 1 });
        });
      const loop = async () => {
        for (let i = 0; i < 50; i++) await increment(i === 0);
      };
      await Promise.all([loop(), loop()]);
      assert.equal((await store.get('counters', 'c'))?.value, 100);
      assert.ok(retries.length >= 1, 'serialization failures were retried');
      assert.ok(retries.every((code) => code === '40001' || code === '40P01'), retries.join());
    });

    it('commits all of 200 concurrent read-modify-writes of one record from two instances: runs after a conflict take turns', async function () {
      this.timeout(60_000);
      const names = [`hot-a-${process.pid}-${Date.now()}`, `hot-b-${process.pid}-${Date.now()}`];
      const mine = db.newPool(schemaName, { max: 10, applicationName: names[0] });
      const other = db.newPool(schemaName, { max: 10, applicationName: names[1] });
      const instances = [await open({}, mine), await open({}, other)];
      await store.transact((tx) => tx.put('counters', 'hot', { value: 0 }));
      const outcomes = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) =>
          instances[i % 2]!.transact(async (tx) => {
            const value = (await tx.get('counters', 'hot'))!.value;
            await new Promise((resolve) => setImmediate(resolve));
            tx.put('counters', 'hot', { value: value + 1 });
          }),
        ),
      );
      assert.deepEqual(outcomes.filter((outcome) => outcome.status === 'rejected'), []);
      assert.equal((await store.get('counters', 'hot'))?.value, 200);
      assert.ok(retries.length > 0);
      await Promise.all(instances.map((instance) => instance.close()));
      const { rows } = await db
        .admin()
        .query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks JOIN pg_stat_activity USING (pid) WHERE locktype = 'advisory' AND application_name = ANY($1)`, [names]);
      assert.equal(rows[0]!.n, 0, 'every advisory lock of the retries was released');
      await Promise.all([db.endPool(mine), db.endPool(other)]);
    });

    it('gives up after maxAttempts runs with TransactionConflictError, applying nothing of the loser', async () => {
      const once = await open({ maxAttempts: 1 });
      await once.transact((tx) => tx.put('counters', 'c', { value: 0 }));
      const meet = barrier(2);
      const outcomes = await Promise.allSettled(
        [1, 2].map((n) =>
          once.transact(async (tx) => {
            const value = (await tx.get('counters', 'c'))!.value;
            await meet();
            tx.put('counters', 'c', { value: value + n });
          }),
        ),
      );
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      assert.equal(rejected.length, 1);
      const reason = (rejected[0] as PromiseRejectedResult).reason;
      assert.ok(reason instanceof TransactionConflictError && reason.attempts === 1, String(reason));
      assert.ok([1, 2].includes((await once.get('counters', 'c'))!.value));
      await once.close();
    });

    it('applies nothing when the transaction function rejects, and passes its error on', async () => {
      const failure = new Error('rule refused');
      await assert.rejects(
        store.transact(async (tx) => {
          tx.put('people', 'p1', person(1));
          await tx.get('people', 'p1');
          throw failure;
        }),
        (error: unknown) => error === failure,
      );
      assert.equal(await store.get('people', 'p1'), undefined);
      assert.deepEqual(await store.scan('people'), []);
    });

    it('rejects a nested transact with TransactionUsageError, and refuses a transaction used after it finished', async () => {
      const result = await store.transact(async (tx) => {
        tx.put('people', 'p1', person(1));
        await assert.rejects(store.transact((inner) => inner.put('people', 'p2', person(2))), TransactionUsageError);
        return 'outer committed';
      });
      assert.equal(result, 'outer committed');
      assert.deepEqual((await store.scan('people')).map((row) => row.id), ['p1']);

      let kept!: Parameters<Parameters<typeof store.transact>[0]>[0];
      await store.transact((tx) => void (kept = tx));
      assert.throws(() => kept.put('people', 'p3', person(3)), TransactionUsageError);
      await assert.rejects(kept.get('people', 'p1'), TransactionUsageError);
    });

    it('reports each commit that wrote something, with its size', async () => {
      const commits: number[] = [];
      const metered = await open({ onCommit: (info) => commits.push(info.bytes) });
      await metered.transact((tx) => tx.put('counters', 'c', { value: 1 }));
      await metered.transact((tx) => tx.get('counters', 'c'));
      await metered.transact((tx) => tx.delete('counters', 'c'));
      assert.deepEqual(commits, [Buffer.byteLength('{"value":1}'), 0]);
      await metered.close();
    });

    it('runs reads of one transaction concurrently on its connection', async () => {
      await store.transact((tx) => {
        for (let i = 0; i < 20; i++) tx.put('people', `p${i}`, person(i));
      });
      const names = await store.transact((tx) => Promise.all(Array.from({ length: 20 }, (_, i) => tx.get('people', `p${i}`).then((p) => p?.name))));
      assert.deepEqual(names, Array.from({ length: 20 }, (_, i) => `Person ${i}`));
    });

    it('survives a connection killed in the middle of a transaction: that transaction rejects, the next one works', async () => {
      // Its own application name, so that only this test's session is terminated on a shared server.
      const applicationName = `kill-test-${process.pid}-${Date.now()}`;
      const killable = db.newPool(schemaName, { applicationName });
      const victim = await openPostgresDocumentStore(killable, schemas, indexes);
      const killed = victim.transact(async (tx) => {
        await tx.get('people', 'p1');
        await db.admin().query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
        tx.put('people', 'p1', person(1));
      });
      await assert.rejects(killed);
      await victim.transact((tx) => tx.put('people', 'p2', person(2)));
      assert.deepEqual((await victim.scan('people')).map((row) => row.id), ['p2']);
      await victim.close();
      await db.endPool(killable);
    });
  });

  describe('closing', () => {
    it('waits for transactions in flight, then refuses new calls, and leaves the pool open', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const inFlight = store.transact(async (tx) => {
        started();
        await gate;
        tx.put('people', 'p1', person(1));
        return 'done';
      });
      await running;
      let closed = false;
      const closing = store.close().then(() => (closed = true));
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(closed, false, 'close waits for the transaction');
      await assert.rejects(store.transact((tx) => tx.put('people', 'p2', person(2))), StoreClosedError);
      await assert.rejects(store.get('people', 'p1'), StoreClosedError);
      release();
      assert.equal(await inFlight, 'done');
      await closing;
      assert.equal(closed, true);
      assert.equal((await pool.query(`SELECT count(*)::int AS n FROM records`)).rows[0].n, 1, 'the pool still serves');
    });
  });

  describe('indexes at open', () => {
    it('replaces an index whose fields changed, and leaves other collections’ indexes alone', async () => {
      const names = async () => (await pool.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'records' ORDER BY 1`)).rows.map((row) => row.name);
      const before = await names();
      const changed = { ...indexes, people: { ...indexes.people, byEmail: { fields: ['email', 'tenantId'], unique: true } } } as IndexSpecs<Schemas>;
      const reopened = await openPostgresDocumentStore(pool, schemas, changed);
      const after = await names();
      const old = indexDefinitions(schemas, indexes).get('people')!.get('byEmail')!.name;
      const replacement = indexDefinitions(schemas, changed).get('people')!.get('byEmail')!.name;
      assert.notEqual(old, replacement);
      assert.ok(before.includes(old) && !after.includes(old) && after.includes(replacement));
      // The same email in two organizations is allowed now that the old unique index is gone.
      await reopened.transact((tx) => {
        tx.put('people', 'p1', person(1));
        tx.put('people', 'p2', person(1, { tenantId: 'fabrikam' }));
      });
      await reopened.close();
      // A store of other collections does not drop the people indexes.
      const other = await openPostgresDocumentStore(pool, { counters: schemas.counters }, {});
      assert.ok((await names()).includes(replacement));
      await other.close();
    });

    it('opens twice at once on a fresh schema, each index created once', async () => {
      const fresh = await db.freshSchema();
      const [a, b] = await Promise.all([openPostgresDocumentStore(fresh.pool, schemas, indexes), openPostgresDocumentStore(fresh.pool, schemas, indexes)]);
      const { rows } = await fresh.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'records' AND indexname <> 'records_pkey'`);
      assert.equal(rows[0]!.n, 5);
      await Promise.all([a.close(), b.close()]);
      await db.endPool(fresh.pool);
    });

    it('says to migrate first when the table is missing', async () => {
      const bare = await db.freshSchema({ migrate: false });
      await assert.rejects(openPostgresDocumentStore(bare.pool, schemas, indexes), /run migrate\(pool\)/);
      await db.endPool(bare.pool);
    });
  });
});
