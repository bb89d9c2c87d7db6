import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import type { CollectionSchemas, DocumentStore, IndexSpecs, Transaction } from '../../storage/index.js';
import { InvalidRecordError, StoreClosedError, TransactionUsageError, UniqueViolationError, instant } from '../../storage/index.js';

/**
 * Schemas the contract suite stores: people (a date, optional indexed fields), a counter, dates, deduplicated
 * submissions, and labelled items for the model-based test.
 */
export const contractSchemas = {
  people: z.object({
    id: z.string(),
    name: z.string().min(1),
    joinedAt: instant,
    tags: z.array(z.string()),
    /** Optional: people without a team are not in `byTeam` (a partial index). */
    team: z.string().optional(),
    /** Optional and unique: one person per address; people without one are not in `byEmail`. */
    email: z.string().optional(),
  }),
  counters: z.object({ value: z.number().int() }),
  events: z.object({ at: z.coerce.date(), until: instant.nullable() }),
  submissions: z.object({ key: z.string(), by: z.string() }),
  items: z.object({ label: z.string(), weight: z.number().int() }),
};

/** The indexes of the contract suite's store. */
export const contractIndexes = {
  people: {
    byTeam: { fields: ['team'] },
    byTeamAndName: { fields: ['team', 'name'] },
    byEmail: { fields: ['email'], unique: true },
  },
  submissions: { byKey: { fields: ['key'], unique: true } },
  items: { byLabel: { fields: ['label'] } },
} satisfies IndexSpecs<typeof contractSchemas>;

/** Opens a fresh, empty store of an adapter for one test, with the given indexes; the suite closes it. */
export type MakeDocumentStore = <S extends CollectionSchemas>(schemas: S, indexes: IndexSpecs<S>) => Promise<DocumentStore<S>>;

type ContractTx = Transaction<typeof contractSchemas>;

const ada = { id: 'p1', name: 'Ada', joinedAt: new Date('2024-03-01T09:30:00.000Z'), tags: ['admin'] };
const grace = { id: 'p2', name: 'Grace', joinedAt: new Date('2024-04-01T00:00:00.000Z'), tags: [] };

/** Lets other work run between two steps of a transaction function (a timer, not only a microtask). */
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

/**
 * How concurrent transactions of an adapter are ordered. `call`: one at a time, in the order `transact` was called
 * (the embedded stores). `serializable`: as the port states it, in some serial order of those that committed, which
 * a database with concurrent connections promises (a transaction called later may run on an earlier snapshot and be
 * serialized first).
 */
export type TransactionOrder = 'call' | 'serializable';

/** What an adapter's contract run needs besides its stores. */
export interface ContractOptions {
  /** Default `call`. */
  readonly order?: TransactionOrder;
}

/**
 * The behaviour every `DocumentStore` adapter must have; run it from each adapter's test file with a function that
 * opens a fresh store of that adapter.
 */
export function describeDocumentStoreContract(name: string, makeStore: MakeDocumentStore, options: ContractOptions = {}): void {
  const order = options.order ?? 'call';
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore<typeof contractSchemas>;
    const opened: DocumentStore<CollectionSchemas>[] = [];

    const open = async <S extends CollectionSchemas>(schemas: S, indexes: IndexSpecs<S> = {}): Promise<DocumentStore<S>> => {
      const s = await makeStore(schemas, indexes);
      opened.push(s as unknown as DocumentStore<CollectionSchemas>);
      return s;
    };
    const ids = (found: ReadonlyArray<{ id: string }>): string[] => found.map((k) => k.id);

    beforeEach(async () => {
      store = await open(contractSchemas, contractIndexes);
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    describe('reads and writes', () => {
      it('starts empty', async () => {
        assert.equal(await store.get('people', 'p1'), undefined);
        assert.deepEqual(await store.scan('people'), []);
        assert.deepEqual(await store.findBy('people', 'byTeam', ['core']), []);
      });

      it('stores a record and resolves with the result of the transaction function', async () => {
        const result = await store.transact((tx) => {
          tx.put('people', ada.id, ada);
          return 'stored';
        });
        assert.equal(result, 'stored');
        assert.deepEqual(await store.get('people', 'p1'), ada);
        assert.deepEqual(await store.scan('people'), [{ id: 'p1', record: ada }]);
      });

      it('reads many ids at once, in the order asked, with undefined for missing ones and a transaction’s own writes seen', async () => {
        await store.transact((tx) => {
          tx.put('counters', 'a', { value: 1 });
          tx.put('counters', 'b', { value: 2 });
          tx.put('counters', 'c', { value: 3 });
        });
        assert.deepEqual(await store.getMany('counters', ['c', 'missing', 'a', 'a']), [{ value: 3 }, undefined, { value: 1 }, { value: 1 }]);
        assert.deepEqual(await store.getMany('counters', []), []);
        const inside = await store.transact(async (tx) => {
          tx.put('counters', 'b', { value: 20 });
          tx.delete('counters', 'c');
          tx.put('counters', 'd', { value: 4 });
          return tx.getMany('counters', ['a', 'b', 'c', 'd', 'e']);
        });
        assert.deepEqual(inside, [{ value: 1 }, { value: 20 }, undefined, { value: 4 }, undefined]);
        assert.deepEqual(await store.getMany('counters', ['b', 'c', 'd']), [{ value: 20 }, undefined, { value: 4 }]);
      });

      it('runs an asynchronous transaction function, awaiting its reads, and resolves with what it resolves with', async () => {
        await store.transact((tx) => tx.put('counters', 'c', { value: 1 }));
        const result = await store.transact(async (tx) => {
          const before = (await tx.get('counters', 'c'))?.value ?? 0;
          await pause();
          tx.put('counters', 'c', { value: before + 1 });
          await pause();
          return (await tx.get('counters', 'c'))?.value;
        });
        assert.equal(result, 2);
        assert.equal((await store.get('counters', 'c'))?.value, 2);
      });

      it('gives back a Date for an instant stored through `instant` or z.coerce.date()', async () => {
        const at = new Date('2024-03-01T09:30:00.000Z');
        await store.transact((tx) => {
          tx.put('people', ada.id, ada);
          tx.put('events', 'e1', { at, until: null });
        });
        const joinedAt = (await store.get('people', 'p1'))?.joinedAt;
        assert.ok(joinedAt instanceof Date);
        assert.equal(joinedAt.toISOString(), '2024-03-01T09:30:00.000Z');
        assert.deepEqual(await store.get('events', 'e1'), { at, until: null });
      });

      it('deletes a record, and treats deleting a missing one as a no-op', async () => {
        await store.transact((tx) => tx.put('people', ada.id, ada));
        await store.transact((tx) => {
          tx.delete('people', 'p1');
          tx.delete('people', 'nobody');
        });
        assert.equal(await store.get('people', 'p1'), undefined);
      });

      it('keeps ids such as "__proto__" as ordinary keys', async () => {
        await store.transact((tx) => tx.put('counters', '__proto__', { value: 7 }));
        assert.deepEqual(await store.get('counters', '__proto__'), { value: 7 });
        assert.equal(await store.get('counters', 'constructor'), undefined);
      });

      it('hands out frozen records and is not affected by later changes to the value that was put', async () => {
        const value = { ...ada, tags: ['admin'] };
        await store.transact((tx) => tx.put('people', value.id, value));
        value.tags.push('changed');
        const stored = await store.get('people', 'p1');
        assert.deepEqual(stored?.tags, ['admin']);
        assert.throws(() => stored?.tags.push('x'), TypeError);
        const [found] = await store.scan('people');
        assert.throws(() => found?.record.tags.push('x'), TypeError);
      });

      it('scans a collection in id order (by code point), whatever the order of writing', async () => {
        const written = ['b', 'a', '\u{1F600}', 'B', '10', '\uFFFD', '9', '__proto__', 'a-1'];
        for (const id of written) await store.transact((tx) => tx.put('counters', id, { value: id.length }));
        assert.deepEqual(ids(await store.scan('counters')), ['10', '9', 'B', '__proto__', 'a', 'a-1', 'b', '\uFFFD', '\u{1F600}']);
        // Without a character beyond U+FFFF (the embedded store then sorts natively), the same order.
        await store.transact((tx) => tx.delete('counters', '\u{1F600}'));
        assert.deepEqual(ids(await store.scan('counters')), ['10', '9', 'B', '__proto__', 'a', 'a-1', 'b', '\uFFFD']);
      });

      it('refuses an unknown collection and an unknown index', async () => {
        const loose = store as unknown as DocumentStore<CollectionSchemas>;
        await assert.rejects(loose.get('nope', 'x'), TransactionUsageError);
        await assert.rejects(loose.scan('nope'), TransactionUsageError);
        await assert.rejects(store.findBy('people', 'byNothing', ['x']), TransactionUsageError);
        await assert.rejects(store.findBy('people', 'byTeamAndName', ['only-one-value']), TransactionUsageError);
      });
    });

    describe('validation', () => {
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
        assert.equal(await strict.get('events', 'e1'), undefined);
      });

      it('throws at put itself, so the function may catch it and go on', async () => {
        const outcome = await store.transact((tx) => {
          try {
            tx.put('people', 'p1', { ...ada, name: '' });
          } catch (error) {
            assert.ok(error instanceof InvalidRecordError);
            tx.put('counters', 'caught', { value: 1 });
            return 'caught';
          }
          return 'not thrown';
        });
        assert.equal(outcome, 'caught');
        assert.equal(await store.get('people', 'p1'), undefined);
        assert.equal((await store.get('counters', 'caught'))?.value, 1);
      });

      it('rejects a value that fails its schema, and commits none of that transaction', async () => {
        await assert.rejects(
          store.transact((tx) => {
            tx.put('counters', 'c', { value: 1 });
            tx.put('people', 'p1', { ...ada, name: '' });
          }),
          (error: unknown) => error instanceof InvalidRecordError && /name/.test(error.message),
        );
        assert.equal(await store.get('counters', 'c'), undefined);
      });
    });

    describe('transactions', () => {
      it('lets reads inside a transaction see its own writes and deletes, by id, by index and by scan', async () => {
        await store.transact((tx) => tx.put('people', 'p0', { ...ada, id: 'p0', name: 'Old', team: 'core' }));
        await store.transact(async (tx) => {
          tx.put('people', 'p1', { ...ada, team: 'core' });
          tx.delete('people', 'p0');
          assert.equal((await tx.get('people', 'p1'))?.name, 'Ada');
          assert.equal(await tx.get('people', 'p0'), undefined);
          assert.deepEqual(ids(await tx.scan('people')), ['p1']);
          assert.deepEqual(ids(await tx.findBy('people', 'byTeam', ['core'])), ['p1']);
          assert.deepEqual(ids(await tx.findBy('people', 'byTeamAndName', ['core', 'Ada'])), ['p1']);
          // Outside the transaction nothing has changed yet.
          assert.equal(await store.get('people', 'p1'), undefined);
          assert.deepEqual(ids(await store.findBy('people', 'byTeam', ['core'])), ['p0']);
        });
        assert.deepEqual(ids(await store.scan('people')), ['p1']);
      });

      it('applies nothing and rejects with the error when the transaction function throws', async () => {
        const boom = new Error('boom');
        await assert.rejects(
          store.transact((tx) => {
            tx.put('people', ada.id, { ...ada, team: 'core' });
            throw boom;
          }),
          (error) => error === boom,
        );
        assert.equal(await store.get('people', 'p1'), undefined);
        assert.deepEqual(await store.findBy('people', 'byTeam', ['core']), []);
      });

      it('applies nothing and rejects with the error when an asynchronous transaction function rejects after awaiting', async () => {
        const boom = new Error('late boom');
        await assert.rejects(
          store.transact(async (tx) => {
            tx.put('people', ada.id, { ...ada, team: 'core' });
            await pause();
            tx.put('counters', 'c', { value: 1 });
            throw boom;
          }),
          (error) => error === boom,
        );
        assert.equal(await store.get('people', 'p1'), undefined);
        assert.equal(await store.get('counters', 'c'), undefined);
        assert.deepEqual(await store.findBy('people', 'byTeam', ['core']), []);
      });

      it('loses nothing when 200 transactions read-modify-write the same record concurrently, awaiting between read and write', async () => {
        await store.transact((tx) => tx.put('counters', 'hits', { value: 0 }));
        await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            store.transact(async (tx) => {
              const current = (await tx.get('counters', 'hits'))?.value ?? 0;
              if (i % 20 === 0) await pause();
              tx.put('counters', 'hits', { value: current + 1 });
              tx.put('counters', `writer-${i}`, { value: i });
            }),
          ),
        );
        assert.equal((await store.get('counters', 'hits'))?.value, 200);
        assert.equal((await store.scan('counters')).length, 201);
      });

      it('records a flood of duplicate submissions once when callers check then write', async () => {
        const submit = (by: string) =>
          store.transact(async (tx) => {
            if (await tx.get('submissions', 'link:p1:mcid-42')) return 'duplicate' as const;
            tx.put('submissions', 'link:p1:mcid-42', { key: 'link:p1:mcid-42', by });
            return 'recorded' as const;
          });
        const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => submit(`click-${i}`)));
        assert.equal(outcomes.filter((o) => o === 'recorded').length, 1);
        assert.equal((await store.scan('submissions')).length, 1);
        const by = (await store.get('submissions', 'link:p1:mcid-42'))?.by;
        // One at a time in call order, the first click wins; in some serial order, the one that committed first.
        if (order === 'call') assert.equal(by, 'click-0');
        else assert.ok(outcomes[Number(String(by).slice('click-'.length))] === 'recorded', `${String(by)} is stored but was not told 'recorded'`);
      });

      it('refuses writes and reads through a transaction after its function returned', async () => {
        let leaked: ContractTx | undefined;
        await store.transact((tx) => {
          leaked = tx;
        });
        assert.throws(() => leaked?.put('counters', 'late', { value: 1 }), TransactionUsageError);
        assert.throws(() => leaked?.delete('counters', 'late'), TransactionUsageError);
        await assert.rejects(Promise.resolve(leaked?.get('counters', 'late')), TransactionUsageError);
        assert.equal(await store.get('counters', 'late'), undefined);
      });

      it('rejects a transaction started inside another one of the same store, and the outer one may go on', async () => {
        await store.transact(async (tx) => {
          tx.put('counters', 'outer', { value: 1 });
          await assert.rejects(
            store.transact((inner) => inner.put('counters', 'inner', { value: 2 })),
            TransactionUsageError,
          );
        });
        assert.equal((await store.get('counters', 'outer'))?.value, 1);
        assert.equal(await store.get('counters', 'inner'), undefined);
      });

      it('applies nothing of an outer transaction whose function fails with the nested call', async () => {
        await assert.rejects(
          store.transact(async (tx) => {
            tx.put('counters', 'outer', { value: 1 });
            await pause();
            await store.transact((inner) => inner.put('counters', 'inner', { value: 2 }));
          }),
          TransactionUsageError,
        );
        assert.equal(await store.get('counters', 'outer'), undefined);
        assert.equal(await store.get('counters', 'inner'), undefined);
      });

      it('lets work scheduled by a transaction function transact once that function is done (it is not nested)', async () => {
        let later: Promise<void> | undefined;
        const scheduled = new Promise<void>((resolve) => {
          void store.transact((tx) => {
            tx.put('counters', 'first', { value: 1 });
            setTimeout(() => {
              later = store.transact((next) => next.put('counters', 'second', { value: 2 }));
              resolve();
            }, 5);
          });
        });
        await scheduled;
        await later;
        assert.equal((await store.get('counters', 'second'))?.value, 2);
      });

      const modelTitle =
        order === 'call'
          ? 'ends in the state of a simple model after any mix of concurrent, sometimes failing transactions'
          : 'ends in the state of some serial order of the committed transactions, after any mix of concurrent, sometimes failing ones';
      it(modelTitle, async function () {
        this.timeout(120_000);
        const labels = ['red', 'blue', 'green'] as const;
        const op = fc.oneof(
          fc.record({ kind: fc.constant('put' as const), id: fc.constantFrom('a', 'b', 'c', 'd'), label: fc.constantFrom(...labels), weight: fc.integer({ min: -5, max: 5 }) }),
          fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom('a', 'b', 'c', 'd') }),
        );
        const transaction = fc.record({ ops: fc.array(op, { maxLength: 4 }), fails: fc.boolean(), awaits: fc.boolean() });
        await fc.assert(
          fc.asyncProperty(fc.array(transaction, { maxLength: 12 }), async (transactions) => {
            const s = await open({ items: contractSchemas.items }, { items: contractIndexes.items });
            const settled = await Promise.allSettled(
              transactions.map((t) =>
                s.transact(async (tx) => {
                  for (const o of t.ops) {
                    if (o.kind === 'put') tx.put('items', o.id, { label: o.label, weight: o.weight });
                    else tx.delete('items', o.id);
                    if (t.awaits) await Promise.resolve();
                  }
                  if (t.fails) throw new Error('abort');
                }),
              ),
            );
            assert.deepEqual(settled.map((r) => r.status), transactions.map((t) => (t.fails ? 'rejected' : 'fulfilled')));
            const stored = new Map((await s.scan('items')).map((k) => [k.id, k.record]));
            const effects = transactions.filter((t) => !t.fails).map((t) => lastEffects(t.ops));
            if (order === 'call') assert.deepEqual(stored, inCallOrder(effects));
            else assert.ok(someSerialOrderEndsIn(effects, stored), `no order of the committed transactions ends in ${JSON.stringify([...stored])}`);
            for (const label of labels) {
              const expected = [...stored].filter(([, item]) => item.label === label).map(([id]) => id).sort();
              assert.deepEqual(ids(await s.findBy('items', 'byLabel', [label])), expected, `byLabel ${label}`);
            }
            await s.close();
          }),
          { numRuns: 30 },
        );
      });
    });

    describe('indexes', () => {
      beforeEach(async () => {
        await store.transact((tx) => {
          tx.put('people', 'p3', { ...ada, id: 'p3', name: 'Hedy', team: 'core' });
          tx.put('people', 'p1', { ...ada, team: 'core' });
          tx.put('people', 'p2', { ...grace, team: 'ops' });
          tx.put('people', 'p4', { ...grace, id: 'p4', name: 'Alan' });
        });
      });

      it('finds the records of one key, in id order, with their ids', async () => {
        const core = await store.findBy('people', 'byTeam', ['core']);
        assert.deepEqual(ids(core), ['p1', 'p3']);
        assert.deepEqual(core[0]?.record, { ...ada, team: 'core' });
        assert.deepEqual(ids(await store.findBy('people', 'byTeamAndName', ['core', 'Hedy'])), ['p3']);
        assert.deepEqual(await store.findBy('people', 'byTeamAndName', ['ops', 'Hedy']), []);
      });

      it('leaves out records whose indexed field is absent (a partial index)', async () => {
        const everyone = ids(await store.scan('people'));
        assert.deepEqual(everyone, ['p1', 'p2', 'p3', 'p4']);
        const indexed = [...ids(await store.findBy('people', 'byTeam', ['core'])), ...ids(await store.findBy('people', 'byTeam', ['ops']))];
        assert.ok(!indexed.includes('p4'));
      });

      it('follows an update to another key, and back', async () => {
        await store.transact((tx) => tx.put('people', 'p1', { ...ada, team: 'ops' }));
        assert.deepEqual(ids(await store.findBy('people', 'byTeam', ['core'])), ['p3']);
        assert.deepEqual(ids(await store.findBy('people', 'byTeam', ['ops'])), ['p1', 'p2']);
        await store.transact((tx) => tx.put('people', 'p1', { ...ada, team: 'core' }));
        assert.deepEqual(ids(await store.findBy('people', 'byTeam', ['core'])), ['p1', 'p3']);
      });

      it('drops a record from the index when its field is removed, and when it is deleted', async () => {
        await store.transact((tx) => {
          tx.put('people', 'p1', ada);
          tx.delete('people', 'p3');
        });
        assert.deepEqual(await store.findBy('people', 'byTeam', ['core']), []);
        assert.equal(await store.get('people', 'p3'), undefined);
      });

      it('is unchanged by a transaction that failed', async () => {
        await assert.rejects(
          store.transact(async (tx) => {
            tx.put('people', 'p2', { ...grace, team: 'core' });
            tx.delete('people', 'p1');
            tx.put('people', 'p5', { ...ada, id: 'p5', team: 'core' });
            assert.deepEqual(ids(await tx.findBy('people', 'byTeam', ['core'])), ['p2', 'p3', 'p5']);
            throw new Error('abort');
          }),
          /abort/,
        );
        assert.deepEqual(ids(await store.findBy('people', 'byTeam', ['core'])), ['p1', 'p3']);
        assert.deepEqual(ids(await store.findBy('people', 'byTeam', ['ops'])), ['p2']);
      });

      it('reads its own update through the index before commit: the old key no longer, the new one already', async () => {
        await store.transact(async (tx) => {
          tx.put('people', 'p3', { ...ada, id: 'p3', name: 'Hedy', team: 'ops' });
          assert.deepEqual(ids(await tx.findBy('people', 'byTeam', ['core'])), ['p1']);
          assert.deepEqual(ids(await tx.findBy('people', 'byTeam', ['ops'])), ['p2', 'p3']);
          tx.delete('people', 'p2');
          assert.deepEqual(ids(await tx.findBy('people', 'byTeam', ['ops'])), ['p3']);
        });
        assert.deepEqual(ids(await store.findBy('people', 'byTeam', ['ops'])), ['p3']);
      });
    });

    describe('unique indexes', () => {
      const withEmail = (id: string, email: string) => ({ ...ada, id, email });

      it('rejects a transaction that would store a second record under a key, with the index and key, and applies none of it', async () => {
        await store.transact((tx) => tx.put('people', 'p1', withEmail('p1', 'ada@example.com')));
        await assert.rejects(
          store.transact((tx) => {
            tx.put('counters', 'side-effect', { value: 1 });
            tx.put('people', 'p2', withEmail('p2', 'ada@example.com'));
          }),
          (error: unknown) => {
            assert.ok(error instanceof UniqueViolationError);
            assert.equal(error.collection, 'people');
            assert.equal(error.index, 'byEmail');
            assert.deepEqual(error.values, ['ada@example.com']);
            return true;
          },
        );
        assert.equal(await store.get('people', 'p2'), undefined);
        assert.equal(await store.get('counters', 'side-effect'), undefined);
        assert.deepEqual(ids(await store.findBy('people', 'byEmail', ['ada@example.com'])), ['p1']);
      });

      it('rejects two records with one key written by the same transaction', async () => {
        await assert.rejects(
          store.transact((tx) => {
            tx.put('people', 'p1', withEmail('p1', 'same@example.com'));
            tx.put('people', 'p2', withEmail('p2', 'same@example.com'));
          }),
          UniqueViolationError,
        );
        assert.deepEqual(await store.scan('people'), []);
      });

      it('admits rewriting the holder itself, and moving a key from one record to another in one transaction', async () => {
        await store.transact((tx) => tx.put('people', 'p1', withEmail('p1', 'ada@example.com')));
        await store.transact((tx) => tx.put('people', 'p1', { ...withEmail('p1', 'ada@example.com'), name: 'Ada L.' }));
        await store.transact((tx) => {
          tx.put('people', 'p1', withEmail('p1', 'old-ada@example.com'));
          tx.put('people', 'p2', withEmail('p2', 'ada@example.com'));
        });
        assert.deepEqual(ids(await store.findBy('people', 'byEmail', ['ada@example.com'])), ['p2']);
        assert.deepEqual(ids(await store.findBy('people', 'byEmail', ['old-ada@example.com'])), ['p1']);
      });

      it('frees a key once its holder is deleted or leaves the partial index', async () => {
        await store.transact((tx) => {
          tx.put('people', 'p1', withEmail('p1', 'a@example.com'));
          tx.put('people', 'p2', withEmail('p2', 'b@example.com'));
        });
        await store.transact((tx) => {
          tx.delete('people', 'p1');
          tx.put('people', 'p3', withEmail('p3', 'a@example.com'));
        });
        await store.transact((tx) => tx.put('people', 'p2', ada));
        await store.transact((tx) => tx.put('people', 'p4', withEmail('p4', 'b@example.com')));
        assert.deepEqual(ids(await store.findBy('people', 'byEmail', ['a@example.com'])), ['p3']);
        assert.deepEqual(ids(await store.findBy('people', 'byEmail', ['b@example.com'])), ['p4']);
      });

      it('lets exactly one of two concurrent transactions racing for one key win; the other applies nothing', async () => {
        const claim = (id: string) =>
          store.transact(async (tx) => {
            // Both read before either writes, as two requests on two instances would.
            await tx.findBy('people', 'byEmail', ['race@example.com']);
            await pause();
            tx.put('people', id, withEmail(id, 'race@example.com'));
            tx.put('counters', `claimed-by-${id}`, { value: 1 });
            return id;
          });
        const settled = await Promise.allSettled([claim('p1'), claim('p2')]);
        const won = settled.filter((r) => r.status === 'fulfilled');
        const lost = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1, 'exactly one transaction commits');
        assert.equal(lost.length, 1);
        assert.ok(lost[0]?.reason instanceof UniqueViolationError);
        const holder = ids(await store.findBy('people', 'byEmail', ['race@example.com']));
        assert.equal(holder.length, 1);
        assert.deepEqual(ids(await store.scan('counters')), [`claimed-by-${holder[0]}`]);
      });

      it('lets exactly one of many blind concurrent writers of one key win', async () => {
        const settled = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => store.transact((tx) => tx.put('submissions', `s${i}`, { key: 'the-one', by: `writer-${i}` }))),
        );
        assert.equal(settled.filter((r) => r.status === 'fulfilled').length, 1);
        assert.ok(settled.every((r) => r.status === 'fulfilled' || r.reason instanceof UniqueViolationError));
        assert.equal((await store.findBy('submissions', 'byKey', ['the-one'])).length, 1);
        assert.equal((await store.scan('submissions')).length, 1);
      });
    });

    describe('closing', () => {
      it('resolves pending transactions on close and rejects transactions and reads after it', async () => {
        const pending = store.transact(async (tx) => {
          await pause();
          tx.put('counters', 'c', { value: 1 });
        });
        await store.close();
        await pending;
        await assert.rejects(store.transact(() => undefined), StoreClosedError);
        await assert.rejects(store.get('counters', 'c'), StoreClosedError);
        await assert.rejects(store.findBy('people', 'byTeam', ['core']), StoreClosedError);
        await assert.rejects(store.scan('counters'), StoreClosedError);
      });
    });
  });
}

type Item = { label: string; weight: number };
/** What a transaction leaves under each id it touches: its last put, or null for a delete. */
type Effects = Map<string, Item | null>;

function lastEffects(ops: ReadonlyArray<{ kind: 'put'; id: string; label: string; weight: number } | { kind: 'delete'; id: string }>): Effects {
  const effects: Effects = new Map();
  for (const o of ops) effects.set(o.id, o.kind === 'put' ? { label: o.label, weight: o.weight } : null);
  return effects;
}

/** The items after the committed transactions, applied one after another in the order they were called. */
function inCallOrder(effects: readonly Effects[]): Map<string, Item> {
  const model = new Map<string, Item>();
  for (const e of effects) for (const [id, item] of e) item === null ? model.delete(id) : model.set(id, item);
  return model;
}

/**
 * Whether some order of the transactions ends in `stored`: choose, for every id, a transaction whose effect on it is
 * what is stored to be its last writer; every other writer of that id must come before it; an order exists when
 * these precedences have no cycle. Blind writes only, so nothing else constrains the order.
 */
function someSerialOrderEndsIn(effects: readonly Effects[], stored: ReadonlyMap<string, Item>): boolean {
  const ids = [...new Set([...effects.flatMap((e) => [...e.keys()]), ...stored.keys()])];
  const choices: number[][] = [];
  for (const id of ids) {
    const writers = effects.map((e, i) => [e, i] as const).filter(([e]) => e.has(id));
    const want = stored.get(id) ?? null;
    if (writers.length === 0) {
      if (want !== null) return false;
      choices.push([-1]);
      continue;
    }
    const matching = writers.filter(([e]) => JSON.stringify(e.get(id)) === JSON.stringify(want)).map(([, i]) => i);
    if (matching.length === 0) return false;
    choices.push(matching);
  }
  const pick = (k: number, chosen: number[]): boolean => {
    if (k < ids.length) return choices[k]!.some((choice) => pick(k + 1, [...chosen, choice]));
    const edges: [number, number][] = [];
    ids.forEach((id, j) => {
      const last = chosen[j]!;
      if (last >= 0) effects.forEach((e, i) => i !== last && e.has(id) && edges.push([i, last]));
    });
    return acyclic(effects.length, edges);
  };
  return pick(0, []);
}

function acyclic(nodes: number, edges: ReadonlyArray<readonly [number, number]>): boolean {
  const indegree = new Array<number>(nodes).fill(0);
  for (const [, to] of edges) indegree[to]!++;
  const ready = indegree.flatMap((d, i) => (d === 0 ? [i] : []));
  let seen = 0;
  while (ready.length > 0) {
    const node = ready.pop()!;
    seen++;
    for (const [from, to] of edges) if (from === node && --indegree[to]! === 0) ready.push(to);
  }
  return seen === nodes;
}
