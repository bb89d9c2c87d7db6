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
  /** Shards handed out by `snapshot` and not written since: the next write to one copies it first. */
  readonly #shared = new Set<number>();
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
    const shard = this.#writable(shardOf(key));
    const before = shard.size;
    shard.set(key, value);
    this.#size += shard.size - before;
    return this;
  }

  delete(key: string): boolean {
    const i = shardOf(key);
    if (!this.#shards[i]?.has(key)) return false;
    this.#writable(i).delete(key);
    this.#size -= 1;
    return true;
  }

  /**
   * The entries as they are now, in constant time: the shards themselves, which stay as they are however the map
   * changes afterwards (a write to a shard handed out copies that shard first, a sixty-fourth of the entries). For a
   * writer that takes a whole collection at once and reads it over many turns of the event loop (a snapshot file).
   */
  snapshot(): readonly ReadonlyMap<string, V>[] {
    const shards: Map<string, V>[] = [];
    this.#shards.forEach((shard, i) => {
      if (!shard || shard.size === 0) return;
      this.#shared.add(i);
      shards.push(shard);
    });
    return shards;
  }

  /** Shard `i`, made if missing, copied if a snapshot holds it. */
  #writable(i: number): Map<string, V> {
    let shard = this.#shards[i];
    if (!shard) this.#shards[i] = shard = new Map();
    else if (this.#shared.delete(i)) this.#shards[i] = shard = new Map(shard);
    return shard;
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
