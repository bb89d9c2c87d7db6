import assert from 'node:assert/strict';
import { ConversationState, TestAdapter, type Storage } from 'botbuilder';
import type pg from 'pg';
import { StoreClosedError } from '../../storage/errors.js';
import { openPostgresStateStorage } from '../../storage/postgres/index.js';
import type { ClosableStorage } from '../../storage/stateStorage.js';
import { usePostgres } from '../support/postgres.js';
import { describeStorageContract } from './storageContract.js';

describe('PostgreSQL state storage', () => {
  const db = usePostgres();

  describeStorageContract('PostgreSQL state storage', async () => {
    await db.pool.query('TRUNCATE bot_state');
    const storage = await openPostgresStateStorage(db.pool);
    return { storage, close: () => storage.close() };
  });

  describe('two bot instances on one database', () => {
    let poolA: pg.Pool;
    let poolB: pg.Pool;
    let a: ClosableStorage;
    let b: ClosableStorage;

    beforeEach(async () => {
      const { schema, pool } = await db.freshSchema();
      poolA = pool;
      poolB = db.newPool(schema);
      a = await openPostgresStateStorage(poolA);
      b = await openPostgresStateStorage(poolB);
    });

    afterEach(async () => {
      await Promise.all([a.close(), b.close()]);
      await Promise.all([db.endPool(poolA), db.endPool(poolB)]);
    });

    it('sees the other instance’s writes and refuses a write based on a state the other has changed since', async () => {
      await a.write({ 'conv/1': { step: 1 } });
      const readByA = (await a.read(['conv/1']))['conv/1'];
      const readByB = (await b.read(['conv/1']))['conv/1'];
      assert.equal(readByB.eTag, readByA.eTag);
      await b.write({ 'conv/1': { ...readByB, step: 2 } });
      await assert.rejects(a.write({ 'conv/1': { ...readByA, step: 'lost' } }), /Storage: error writing "conv\/1" due to eTag conflict\./);
      const latest = (await a.read(['conv/1']))['conv/1'];
      assert.equal(latest.step, 2);
      await a.write({ 'conv/1': { ...latest, step: 3 } });
      assert.equal((await b.read(['conv/1']))['conv/1'].step, 3);
    });

    it('lets exactly one of many concurrent writes with the same eTag through', async () => {
      await a.write({ k: { v: 0 } });
      const { eTag } = (await a.read(['k'])).k;
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).write({ k: { v: i + 1, eTag } })));
      assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
      for (const outcome of outcomes) if (outcome.status === 'rejected') assert.match(String(outcome.reason), /eTag conflict/);
    });

    it('writes all keys of one write or none: a conflict on one key leaves the others as they were', async () => {
      await a.write({ x: { v: 1 }, y: { v: 1 } });
      const stale = await a.read(['x', 'y']);
      await b.write({ y: { ...stale.y, v: 2 } });
      await assert.rejects(a.write({ x: { ...stale.x, v: 3 }, y: { ...stale.y, v: 3 } }), /"y" due to eTag conflict/);
      const now = await b.read(['x', 'y']);
      assert.deepEqual([now.x.v, now.y.v], [1, 2]);
    });

    it('behaves as MemoryStorage under botbuilder’s ConversationState, which saves with eTag "*": the last writer wins', async () => {
      // So a bot that wants conflicting turns refused must save with the eTag it loaded; the storage then refuses.
      // Both instances load the conversation, as two turns of one conversation on two instances would.
      const turn = async (storage: Storage, text: string, afterRead?: () => Promise<void>): Promise<void> => {
        const state = new ConversationState(storage);
        const steps = state.createProperty<string[]>('steps');
        const adapter = new TestAdapter(async (context) => {
          const taken = await steps.get(context, []);
          await afterRead?.();
          await steps.set(context, [...taken, text]);
          await state.saveChanges(context);
        });
        await adapter.send(text);
      };
      // The conversation has state already (a new one has no eTag yet, and then the last writer wins, as in MemoryStorage).
      await turn(b, 'start');
      let release!: () => void;
      const hold = new Promise<void>((resolve) => (release = resolve));
      let readOnA!: () => void;
      const aHasRead = new Promise<void>((resolve) => (readOnA = resolve));
      const slow = turn(a, 'on A', () => {
        readOnA();
        return hold;
      });
      await aHasRead;
      await turn(b, 'on B');
      release();
      await slow;
      const state = new ConversationState(a);
      const adapter = new TestAdapter(async (context) => {
        assert.deepEqual(await state.createProperty<string[]>('steps').get(context), ['start', 'on A']);
      });
      await adapter.send('check');
    });
  });

  describe('bounds', () => {
    let storage: ClosableStorage;

    beforeEach(async () => {
      storage = await openPostgresStateStorage(db.pool, { maxKeyBytes: 64, maxItemBytes: 1_000 });
    });
    afterEach(() => storage.close());

    it('refuses keys and items beyond the limits, and keys PostgreSQL cannot hold; such keys are never found', async () => {
      await assert.rejects(storage.write({ ['k'.repeat(65)]: { v: 1 } }), RangeError);
      await assert.rejects(storage.write({ big: { text: 'x'.repeat(1_000) } }), RangeError);
      await assert.rejects(storage.write({ 'nul\u0000key': { v: 1 } }), TypeError);
      await assert.rejects(storage.write({ lone: 'not an object' } as never), TypeError);
      assert.deepEqual(await storage.read(['k'.repeat(65), 'nul\u0000key', 'lone\ud800']), {});
      await storage.delete(['k'.repeat(65), 'nul\u0000key']);
    });

    it('keeps any text a person typed, NUL characters and lone surrogates included', async () => {
      const text = 'a\u0000b\ud800c 😀';
      await storage.write({ typed: { text } });
      assert.equal((await storage.read(['typed'])).typed.text, text);
    });

    it('refuses calls once closed and leaves the pool open', async () => {
      await storage.close();
      await assert.rejects(storage.read(['k']), StoreClosedError);
      await assert.rejects(storage.write({ k: { v: 1 } }), StoreClosedError);
      assert.equal((await db.pool.query('SELECT 1 AS one')).rows[0].one, 1);
    });
  });

  it('says to migrate first when the table is missing', async () => {
    const bare = await db.freshSchema({ migrate: false });
    await assert.rejects(openPostgresStateStorage(bare.pool), /run migrate\(pool\)/);
    await db.endPool(bare.pool);
  });
});
