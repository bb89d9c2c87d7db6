import type pg from 'pg';
import type { CollectionSchemas, DocumentStore, IndexSpecs } from '../../storage/documentStore.js';
import { ledgerIndexes, ledgerSchemas } from '../../storage/ledger.js';
import { openPostgresDocumentStore } from '../../storage/postgres/index.js';
import { usePostgres } from '../support/postgres.js';
import { describeDocumentStoreContract } from './documentStoreContract.js';
import { describeLedgerRules } from './ledgerRulesContract.js';

describe('PostgreSQL document store: the contracts every adapter passes', () => {
  const db = usePostgres();

  /** A store on a schema of its own (the contracts expect an empty store each time); closing it ends its pool. */
  const makeStore = async <S extends CollectionSchemas>(schemas: S, indexes: IndexSpecs<S>): Promise<DocumentStore<S>> => {
    const { pool } = await db.freshSchema();
    return endingPool(await openPostgresDocumentStore(pool, schemas, indexes), pool, db.endPool);
  };

  // Concurrent connections: transactions commit in some serial order, not necessarily the order they were called in.
  describeDocumentStoreContract('PostgreSQL', makeStore, { order: 'serializable' });
  describeLedgerRules('PostgreSQL', () => makeStore(ledgerSchemas, ledgerIndexes));
});

/** The store, with a `close` that also ends the pool made for it (the store itself never ends a pool). */
function endingPool<S extends CollectionSchemas>(store: DocumentStore<S>, pool: pg.Pool, endPool: (pool: pg.Pool) => Promise<void>): DocumentStore<S> {
  return {
    get: (collection, id) => store.get(collection, id),
    getMany: (collection, ids) => store.getMany(collection, ids),
    findBy: (collection, index, values) => store.findBy(collection, index, values),
    scan: (collection) => store.scan(collection),
    transact: (fn) => store.transact(fn),
    close: async () => {
      await store.close();
      await endPool(pool);
    },
  };
}
