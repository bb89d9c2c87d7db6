import assert from 'node:assert/strict';
import { ShardedMap } from '../../storage/shardedMap.js';

describe('ShardedMap', () => {
  it('behaves as a Map of string keys through sets, overwrites and deletes, in a model test', () => {
    const sharded = new ShardedMap<number>();
    const model = new Map<string, number>();
    // A fixed pseudo-random walk: keys collide across shards and within them, including "__proto__".
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const keys = ['__proto__', '', 'constructor', ...Array.from({ length: 500 }, (_, i) => `tenant-${i % 7}/cred-${i}`)];
    for (let step = 0; step < 20_000; step++) {
      const key = keys[next() % keys.length]!;
      if (next() % 3 === 0) assert.equal(sharded.delete(key), model.delete(key));
      else sharded.set(key, step), model.set(key, step);
      assert.equal(sharded.size, model.size);
    }
    for (const key of keys) {
      assert.equal(sharded.has(key), model.has(key));
      assert.equal(sharded.get(key), model.get(key));
    }
    assert.deepEqual(new Map(sharded), model);
  });

  it('visits entries in one order through entries, keys, values and forEach', () => {
    const sharded = new ShardedMap<string>();
    for (let i = 0; i < 1_000; i++) sharded.set(`id-${i}`, `value-${i}`);
    const entries = [...sharded.entries()];
    assert.equal(entries.length, 1_000);
    assert.deepEqual([...sharded.keys()], entries.map(([key]) => key));
    assert.deepEqual([...sharded.values()], entries.map(([, value]) => value));
    const visited: [string, string][] = [];
    sharded.forEach((value, key) => visited.push([key, value]));
    assert.deepEqual(visited, entries);
  });

  it('keeps a snapshot as it was taken while the map goes on changing, and a later snapshot sees the changes', () => {
    const sharded = new ShardedMap<number>();
    for (let i = 0; i < 1_000; i++) sharded.set(`id-${i}`, i);
    const asOf = (maps: readonly ReadonlyMap<string, number>[]) => new Map(maps.flatMap((map) => [...map]));
    const before = new Map(sharded);
    const first = sharded.snapshot();
    for (let i = 0; i < 1_000; i += 3) sharded.set(`id-${i}`, -i);
    for (let i = 1; i < 1_000; i += 3) sharded.delete(`id-${i}`);
    for (let i = 1_000; i < 1_100; i++) sharded.set(`id-${i}`, i);
    assert.deepEqual(asOf(first), before);
    const expected = new Map(before);
    for (let i = 0; i < 1_000; i += 3) expected.set(`id-${i}`, -i);
    for (let i = 1; i < 1_000; i += 3) expected.delete(`id-${i}`);
    for (let i = 1_000; i < 1_100; i++) expected.set(`id-${i}`, i);
    assert.deepEqual(new Map(sharded), expected);
    assert.equal(sharded.size, expected.size);
    const second = sharded.snapshot();
    sharded.set('id-0', 42);
    assert.deepEqual(asOf(second), expected);
    assert.equal(sharded.get('id-0'), 42);
    assert.deepEqual(asOf(first), before);
  });
});
