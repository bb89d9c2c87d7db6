import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { z } from 'zod';
import type { DocumentStore } from './documentStore.js';
import type { LowdbDocumentStoreOptions } from './lowdbDocumentStore.js';
import { openLowdbDocumentStore } from './lowdbDocumentStore.js';

/** The one collection of a state file: botbuilder storage key → stored item (any JSON object). */
const stateSchemas = { items: z.record(z.string(), z.unknown()) };

/** A botbuilder `Storage` that can be closed (flushing pending writes and releasing its file). */
export type ClosableStorage = Storage & { close(): Promise<void> };

/**
 * Opens a botbuilder `Storage` for dialog and user state in its own file (apart from the ledger, so a
 * chat turn never serialises the organization), group-committed and durable like the ledger; eTags
 * behave as in botbuilder's `MemoryStorage`.
 */
export async function openFileStateStorage(file: string, options: LowdbDocumentStoreOptions = {}): Promise<ClosableStorage> {
  return new DocumentStateStorage(await openLowdbDocumentStore(file, stateSchemas, options));
}

/** botbuilder `Storage` over a document store; a write of several keys is atomic (MemoryStorage's is not). */
class DocumentStateStorage implements ClosableStorage {
  constructor(private readonly store: DocumentStore<typeof stateSchemas>) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    for (const key of keys) {
      const item = this.store.get('items', key);
      // Callers (BotState) change what they read; stored records are frozen and shared.
      if (item) items[key] = structuredClone(item);
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    await this.store.transact((tx) => {
      for (const [key, item] of Object.entries(changes) as [string, Record<string, unknown>][]) {
        const old = tx.get('items', key);
        const eTag = item.eTag;
        // As in MemoryStorage: a new key, a missing eTag or '*' always writes; otherwise the eTag must match.
        if (old && eTag !== undefined && eTag !== '*' && eTag !== old.eTag) {
          throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
        }
        tx.put('items', key, { ...item, eTag: randomUUID() });
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    await this.store.transact((tx) => {
      for (const key of keys) tx.delete('items', key);
    });
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
