import assert from 'node:assert/strict';
import type { Storage } from 'botbuilder';

/** Opens a fresh, empty botbuilder `Storage` for one test, with a way to release it afterwards. */
export type MakeStorage = () => Promise<{ storage: Storage; close(): Promise<void> }>;

/** The behaviour of botbuilder's `MemoryStorage` that every `Storage` adapter of this bot must match. */
export function describeStorageContract(name: string, makeStorage: MakeStorage): void {
  describe(`botbuilder Storage contract: ${name}`, () => {
    let storage: Storage;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ storage, close } = await makeStorage());
    });
    afterEach(() => close());

    it('reads nothing for keys never written', async () => {
      assert.deepEqual(await storage.read(['missing']), {});
    });

    it('reads back what was written, with an eTag, and leaves the written object as it was', async () => {
      const item = { count: 1, nested: { list: ['a'] } };
      await storage.write({ 'conv/1': item });
      const { 'conv/1': read } = await storage.read(['conv/1', 'other']);
      assert.equal(read.count, 1);
      assert.deepEqual(read.nested, { list: ['a'] });
      assert.equal(typeof read.eTag, 'string');
      assert.deepEqual(item, { count: 1, nested: { list: ['a'] } });
    });

    it('reads a copy: changing it changes nothing stored', async () => {
      await storage.write({ k: { list: [1] } });
      const first = (await storage.read(['k'])).k;
      first.list.push(2);
      assert.deepEqual((await storage.read(['k'])).k.list, [1]);
    });

    it('stores values as JSON, so a Date comes back as its ISO string', async () => {
      await storage.write({ k: { at: new Date('2024-05-01T12:00:00.000Z') } });
      assert.equal((await storage.read(['k'])).k.at, '2024-05-01T12:00:00.000Z');
    });

    it('gives every write a new eTag', async () => {
      await storage.write({ k: { v: 1 } });
      const first = (await storage.read(['k'])).k.eTag;
      await storage.write({ k: { v: 2, eTag: first } });
      const second = (await storage.read(['k'])).k.eTag;
      assert.notEqual(second, first);
    });

    it('writes with a matching eTag, and refuses a stale one without changing the item', async () => {
      await storage.write({ k: { v: 1 } });
      const stale = (await storage.read(['k'])).k;
      await storage.write({ k: { ...stale, v: 2 } });
      await assert.rejects(storage.write({ k: { ...stale, v: 3 } }), /eTag conflict/);
      assert.equal((await storage.read(['k'])).k.v, 2);
    });

    it('lets the last writer win with eTag "*" or no eTag', async () => {
      await storage.write({ k: { v: 1 } });
      await storage.write({ k: { v: 2, eTag: '*' } });
      assert.equal((await storage.read(['k'])).k.v, 2);
      await storage.write({ k: { v: 3 } });
      assert.equal((await storage.read(['k'])).k.v, 3);
    });

    it('accepts any eTag for a key that does not exist yet', async () => {
      await storage.write({ fresh: { v: 1, eTag: 'whatever' } });
      assert.equal((await storage.read(['fresh'])).fresh.v, 1);
    });

    it('writes several keys at once', async () => {
      await storage.write({ a: { v: 1 }, b: { v: 2 } });
      const items = await storage.read(['a', 'b']);
      assert.deepEqual([items.a.v, items.b.v], [1, 2]);
    });

    it('deletes keys, and treats deleting a missing key as a no-op', async () => {
      await storage.write({ a: { v: 1 }, b: { v: 2 } });
      await storage.delete(['a', 'missing']);
      assert.deepEqual(Object.keys(await storage.read(['a', 'b'])), ['b']);
    });

    it('keeps every one of many concurrent writes to different keys', async () => {
      await Promise.all(Array.from({ length: 100 }, (_, i) => storage.write({ [`user/${i}`]: { i } })));
      const keys = Array.from({ length: 100 }, (_, i) => `user/${i}`);
      assert.equal(Object.keys(await storage.read(keys)).length, 100);
    });
  });
}
