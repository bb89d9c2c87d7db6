import { Low, Memory } from 'lowdb';
import type { CollectionSchemas, DocumentStore, IndexSpecs } from './documentStore.js';
import { EngineDocumentStore, emptyState, type StoreState } from './storeEngine.js';

/**
 * An empty store kept in memory only, with the same validation, indexes, transactions and commit timing as the file
 * store.
 */
export function createMemoryDocumentStore<S extends CollectionSchemas>(schemas: S, indexes: IndexSpecs<S> = {}): DocumentStore<S> {
  return new EngineDocumentStore(new Low(new Memory<StoreState>(), emptyState(schemas)), schemas, { name: 'in memory', indexes });
}
