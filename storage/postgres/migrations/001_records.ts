/**
 * The document store's records: one row per record of every collection, the record as JSON. Ids and collection
 * names compare bytewise (COLLATE "C"): cheaper than the database's language collation, and the same order in
 * every database. Secondary indexes are not migrations: the store creates them from its declarations when it opens.
 */
export const sql = `
CREATE TABLE records (
  collection text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  doc jsonb NOT NULL,
  CONSTRAINT records_pkey PRIMARY KEY (collection, id)
);
`;
