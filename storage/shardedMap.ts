/** Shards of a `ShardedMap`: a power of two. */
const SHARDS = 64;

/**
 * A Map with string keys, split into shards by a hash of the key. A JavaScript Map grows by rehashing every entry at
 * once, in one block of the event loop: measured here, 45 ms when it passes 131,072 entries and 55 ms at 262,144 (a
 * collection of an import's credentials, or an index over them). Split 64 ways, no rehash moves more than a
 * sixty-fourth of the entries. Shards are made when first written. Iteration goes shard by shard: `keys()` and
 * `values()` visit entries in the same order, which is not the order they were set in (callers that need an order
 * sort, as the stores sort by id).
 */
export class ShardedMap<V> implements Iterable<[string, V]> {
  readonly #shards: (Map<string, V> | undefined)[] = new Array(SHARDS);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(key: string): V | undefined {
    return this.#shards[shardOf(key)]?.get(key);
  }

  has(key: string): boolean {
    return this.#shards[shardOf(key)]?.has(key) ?? false;
  }

  set(key: string, value: V): this {
    const i = shardOf(key);
    let shard = this.#shards[i];
    if (!shard) this.#shards[i] = shard = new Map();
    const before = shard.size;
    shard.set(key, value);
    this.#size += shard.size - before;
    return this;
  }

  delete(key: string): boolean {
    const deleted = this.#shards[shardOf(key)]?.delete(key) ?? false;
    if (deleted) this.#size -= 1;
    return deleted;
  }

  /** Calls `fn` for every entry, shard by shard (faster than the iterators over a whole collection). */
  forEach(fn: (value: V, key: string) => void): void {
    for (const shard of this.#shards) shard?.forEach(fn);
  }

  *entries(): IterableIterator<[string, V]> {
    for (const shard of this.#shards) if (shard) yield* shard;
  }

  *keys(): IterableIterator<string> {
    for (const shard of this.#shards) if (shard) yield* shard.keys();
  }

  *values(): IterableIterator<V> {
    for (const shard of this.#shards) if (shard) yield* shard.values();
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }
}

/** FNV-1a over the UTF-16 code units of the key, folded to a shard. */
function shardOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) & (SHARDS - 1);
}
