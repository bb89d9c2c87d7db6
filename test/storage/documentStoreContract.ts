import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import type { CollectionSchemas, DocumentStore } from '../../storage/index.js';
import { InvalidRecordError, StoreClosedError, TransactionUsageError, instant } from '../../storage/index.js';

/** Schemas the contract suite stores: a record with a date, a counter, and deduplicated submissions. */
export const contractSchemas = {
  people: z.object({
    id: z.string(),
    name: z.string().min(1),
    joinedAt: instant,
    tags: z.array(z.string()),
  }),
  counters: z.object({ value: z.number().int() }),
  events: z.object({ at: z.coerce.date(), until: instant.nullable() }),
  submissions: z.object({ key: z.string(), by: z.string() }),
};

/** Opens a fresh, empty store of an adapter for one test; the suite closes it. */
export type MakeDocumentStore = <S extends CollectionSchemas>(schemas: S) => Promise<DocumentStore<S>>;

const ada = { id: 'p1', name: 'Ada', joinedAt: new Date('2024-03-01T09:30:00.000Z'), tags: ['admin'] };

/** The behaviour every `DocumentStore` adapter must have; run it from each adapter's test file. */
export function describeDocumentStoreContract(name: string, makeStore: MakeDocumentStore): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore<typeof contractSchemas>;
    const opened: DocumentStore<CollectionSchemas>[] = [];

    const open = async <S extends CollectionSchemas>(schemas: S): Promise<DocumentStore<S>> => {
      const s = await makeStore(schemas);
      opened.push(s as unknown as DocumentStore<CollectionSchemas>);
      return s;
    };

    beforeEach(async () => {
      store = await open(contractSchemas);
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('starts empty', () => {
      assert.equal(store.get('people', 'p1'), undefined);
      assert.deepEqual(store.all('people'), []);
    });

    it('stores a record and resolves with the result of the transaction function', async () => {
      const result = await store.transact((tx) => {
        tx.put('people', ada.id, ada);
        return 'stored';
      });
      assert.equal(result, 'stored');
      assert.deepEqual(store.get('people', 'p1'), ada);
      assert.deepEqual(store.all('people'), [ada]);
    });

    it('gives back a Date for an instant stored through `instant` or z.coerce.date()', async () => {
      const at = new Date('2024-03-01T09:30:00.000Z');
      await store.transact((tx) => {
        tx.put('people', ada.id, ada);
        tx.put('events', 'e1', { at, until: null });
      });
      const joinedAt = store.get('people', 'p1')?.joinedAt;
      assert.ok(joinedAt instanceof Date);
      assert.equal(joinedAt.toISOString(), '2024-03-01T09:30:00.000Z');
      assert.deepEqual(store.get('events', 'e1'), { at, until: null });
    });

    it('refuses an invalid Date', async () => {
      await assert.rejects(
        store.transact((tx) => tx.put('people', ada.id, { ...ada, joinedAt: new Date('not a date') })),
        InvalidRecordError,
      );
    });

    it('refuses a schema whose output does not survive JSON (z.date() instead of z.coerce.date())', async () => {
      const strict = await open({ events: z.object({ at: z.date() }) });
      await assert.rejects(
        strict.transact((tx) => tx.put('events', 'e1', { at: new Date('2024-01-01T00:00:00Z') })),
        InvalidRecordError,
      );
      assert.equal(strict.get('events', 'e1'), undefined);
    });

    it('lets reads inside a transaction see its own writes and deletes', async () => {
      await store.transact((tx) => tx.put('people', 'p0', { ...ada, id: 'p0', name: 'Old' }));
      await store.transact((tx) => {
        tx.put('people', 'p1', ada);
        tx.delete('people', 'p0');
        assert.equal(tx.get('people', 'p1')?.name, 'Ada');
        assert.equal(tx.get('people', 'p0'), undefined);
        assert.deepEqual(tx.all('people').map((p) => p.id), ['p1']);
        assert.deepEqual(tx.find('people', (p) => p.name === 'Ada').map((p) => p.id), ['p1']);
        // Outside the transaction nothing has changed yet.
        assert.equal(store.get('people', 'p1'), undefined);
      });
      assert.deepEqual(store.all('people').map((p) => p.id), ['p1']);
    });

    it('applies nothing and rejects with the error when the transaction function throws', async () => {
      const boom = new Error('boom');
      await assert.rejects(
        store.transact((tx) => {
          tx.put('people', ada.id, ada);
          throw boom;
        }),
        (error) => error === boom,
      );
      assert.equal(store.get('people', 'p1'), undefined);
    });

    it('rejects a value that fails its schema, and commits none of that transaction', async () => {
      await assert.rejects(
        store.transact((tx) => {
          tx.put('counters', 'c', { value: 1 });
          tx.put('people', 'p1', { ...ada, name: '' });
        }),
        (error: unknown) => error instanceof InvalidRecordError && /name/.test(error.message),
      );
      assert.equal(store.get('counters', 'c'), undefined);
    });

    it('deletes a record, and treats deleting a missing one as a no-op', async () => {
      await store.transact((tx) => tx.put('people', ada.id, ada));
      await store.transact((tx) => {
        tx.delete('people', 'p1');
        tx.delete('people', 'nobody');
      });
      assert.equal(store.get('people', 'p1'), undefined);
    });

    it('finds records by predicate, with their ids', async () => {
      await store.transact((tx) => {
        tx.put('people', 'p1', ada);
        tx.put('people', 'p2', { ...ada, id: 'p2', name: 'Grace', tags: [] });
      });
      assert.deepEqual(store.find('people', (p) => p.tags.length === 0).map((p) => p.name), ['Grace']);
      assert.deepEqual(store.find('people', (_p, id) => id === 'p1').map((p) => p.name), ['Ada']);
    });

    it('keeps ids such as "__proto__" as ordinary keys', async () => {
      await store.transact((tx) => tx.put('counters', '__proto__', { value: 7 }));
      assert.deepEqual(store.get('counters', '__proto__'), { value: 7 });
      assert.equal(store.get('counters', 'constructor'), undefined);
    });

    it('hands out frozen records and is not affected by later changes to the value that was put', async () => {
      const value = { ...ada, tags: ['admin'] };
      await store.transact((tx) => tx.put('people', value.id, value));
      value.tags.push('changed');
      const stored = store.get('people', 'p1');
      assert.deepEqual(stored?.tags, ['admin']);
      assert.throws(() => stored?.tags.push('x'), TypeError);
    });

    it('loses nothing when 200 transactions read-modify-write the same record concurrently', async () => {
      await store.transact((tx) => tx.put('counters', 'hits', { value: 0 }));
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          store.transact((tx) => {
            const current = tx.get('counters', 'hits')?.value ?? 0;
            tx.put('counters', 'hits', { value: current + 1 });
            tx.put('counters', `writer-${i}`, { value: i });
          }),
        ),
      );
      assert.equal(store.get('counters', 'hits')?.value, 201 - 1);
      assert.equal(store.all('counters').length, 201);
    });

    it('records a flood of duplicate submissions once when callers check then write', async () => {
      const submit = (by: string) =>
        store.transact((tx) => {
          if (tx.get('submissions', 'link:p1:mcid-42')) return 'duplicate' as const;
          tx.put('submissions', 'link:p1:mcid-42', { key: 'link:p1:mcid-42', by });
          return 'recorded' as const;
        });
      const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => submit(`click-${i}`)));
      assert.equal(outcomes.filter((o) => o === 'recorded').length, 1);
      assert.equal(store.all('submissions').length, 1);
      assert.equal(store.get('submissions', 'link:p1:mcid-42')?.by, 'click-0');
    });

    it('refuses an async transaction function and applies nothing', async () => {
      await assert.rejects(
        store.transact(async (tx) => {
          tx.put('counters', 'c', { value: 1 });
          await Promise.resolve();
        }),
        TransactionUsageError,
      );
      assert.equal(store.get('counters', 'c'), undefined);
    });

    it('refuses writes through a transaction after its function returned', async () => {
      let leaked: Parameters<Parameters<typeof store.transact>[0]>[0] | undefined;
      await store.transact((tx) => {
        leaked = tx;
      });
      assert.throws(() => leaked?.put('counters', 'late', { value: 1 }), TransactionUsageError);
      assert.equal(store.get('counters', 'late'), undefined);
    });

    it('refuses a transaction started inside another one', async () => {
      await assert.rejects(
        store.transact((tx) => {
          tx.put('counters', 'outer', { value: 1 });
          void store.transact((inner) => inner.put('counters', 'inner', { value: 2 }));
        }),
        TransactionUsageError,
      );
      assert.equal(store.get('counters', 'outer'), undefined);
      assert.equal(store.get('counters', 'inner'), undefined);
    });

    it('refuses an unknown collection', () => {
      const loose = store as unknown as DocumentStore<CollectionSchemas>;
      assert.throws(() => loose.get('nope', 'x'), TransactionUsageError);
    });

    it('resolves pending transactions on close and rejects transactions after it', async () => {
      const pending = store.transact((tx) => tx.put('counters', 'c', { value: 1 }));
      await store.close();
      await pending;
      await assert.rejects(store.transact(() => undefined), StoreClosedError);
    });

    it('ends in the state of a simple model after any mix of concurrent, sometimes failing transactions', async () => {
      const op = fc.oneof(
        fc.record({ kind: fc.constant('put' as const), id: fc.constantFrom('a', 'b', 'c', 'd'), value: fc.integer({ min: -5, max: 5 }) }),
        fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom('a', 'b', 'c', 'd') }),
      );
      const transaction = fc.record({ ops: fc.array(op, { maxLength: 4 }), fails: fc.boolean() });
      await fc.assert(
        fc.asyncProperty(fc.array(transaction, { maxLength: 12 }), async (transactions) => {
          const s = await open({ counters: contractSchemas.counters });
          const model = new Map<string, number>();
          const settled = await Promise.allSettled(
            transactions.map((t) => {
              const promise = s.transact((tx) => {
                for (const o of t.ops) {
                  if (o.kind === 'put') tx.put('counters', o.id, { value: o.value });
                  else tx.delete('counters', o.id);
                }
                if (t.fails) throw new Error('abort');
              });
              if (!t.fails) for (const o of t.ops) o.kind === 'put' ? model.set(o.id, o.value) : model.delete(o.id);
              return promise;
            }),
          );
          assert.deepEqual(settled.map((r) => r.status), transactions.map((t) => (t.fails ? 'rejected' : 'fulfilled')));
          const actual = new Map(['a', 'b', 'c', 'd'].flatMap((id) => {
            const record = s.get('counters', id);
            return record ? [[id, record.value] as const] : [];
          }));
          assert.deepEqual(actual, model);
          await s.close();
        }),
        { numRuns: 30 },
      );
    });
  });
}
