import type { CollectionName, ReadView, RecordOf, ledgerSchemas } from '../../storage/index.js';

type Schemas = typeof ledgerSchemas;

/** Every record of a ledger collection, in id order: tests look at the whole store, which the services never do on a turn. */
export async function allRecords<C extends CollectionName<Schemas>>(store: Pick<ReadView<Schemas>, 'scan'>, collection: C): Promise<RecordOf<Schemas, C>[]> {
  return (await store.scan(collection)).map((k) => k.record);
}

/** The records of a ledger collection that satisfy `predicate` (given the record and its id), in id order. */
export async function findRecords<C extends CollectionName<Schemas>>(
  store: Pick<ReadView<Schemas>, 'scan'>,
  collection: C,
  predicate: (record: RecordOf<Schemas, C>, id: string) => boolean,
): Promise<RecordOf<Schemas, C>[]> {
  return (await store.scan(collection)).filter((k) => predicate(k.record, k.id)).map((k) => k.record);
}
