import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { CollectionSchemas, IndexSpecs } from '../documentStore.js';
import { ident, literal, sqlState, withSchemaLock } from './connection.js';

/** One declared index as the database holds it. */
export interface IndexDefinition {
  readonly collection: string;
  /** The declared name (`IndexSpecs`), used in messages and `UniqueViolationError`. */
  readonly index: string;
  readonly fields: readonly string[];
  readonly unique: boolean;
  /** The database index: readable, and with a hash of the definition, so that changing the fields makes a new one. */
  readonly name: string;
  readonly createSql: string;
  /** Selects `id, doc` of the collection's records whose fields equal $1…$n, with the predicate that lets the planner use the index. */
  readonly findSql: string;
}

/** Marks the indexes a document store manages (in their comment), so that it can drop those no longer declared. */
const MARK = 'document store index';
const MAX_IDENTIFIER = 63;

/** The database form of every declared index: collection → declared name → definition. */
export function indexDefinitions<S extends CollectionSchemas>(schemas: S, indexes: IndexSpecs<S>): Map<string, Map<string, IndexDefinition>> {
  const definitions = new Map<string, Map<string, IndexDefinition>>();
  for (const [collection, specs] of Object.entries(indexes) as [string, Record<string, { fields: readonly string[]; unique?: boolean }> | undefined][]) {
    if (!Object.hasOwn(schemas, collection)) throw new Error(`An index is declared for unknown collection "${collection}"`);
    const byName = new Map<string, IndexDefinition>();
    for (const [index, spec] of Object.entries(specs ?? {})) {
      if (spec.fields.length === 0 || new Set(spec.fields).size !== spec.fields.length) {
        throw new Error(`Index "${index}" of collection "${collection}" needs one or more distinct fields`);
      }
      const unique = spec.unique === true;
      const name = indexName(collection, index, spec.fields, unique);
      const predicate = [`collection = ${literal(collection)}`, ...spec.fields.map((field) => `jsonb_typeof(doc -> ${literal(field)}) = 'string'`)].join(' AND ');
      const keys = spec.fields.map((field) => `(doc ->> ${literal(field)}) COLLATE "C"`);
      byName.set(index, {
        collection,
        index,
        fields: spec.fields,
        unique,
        name,
        createSql: `CREATE ${unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${ident(name)} ON records (${keys.map((key) => `(${key})`).join(', ')}) WHERE ${predicate}`,
        findSql: `SELECT id, doc FROM records WHERE ${predicate} AND ${keys.map((key, i) => `${key} = $${i + 1}`).join(' AND ')}`,
      });
    }
    definitions.set(collection, byName);
  }
  return definitions;
}

/**
 * Makes the database's indexes those declared, under the schema's advisory lock: creates the missing ones, then
 * drops the indexes this store created earlier for its collections that are no longer declared (a unique index
 * left behind would still refuse writes). Other collections' indexes are left alone.
 */
export async function syncIndexes(pool: pg.Pool, collections: readonly string[], definitions: Map<string, Map<string, IndexDefinition>>): Promise<void> {
  const declared = [...definitions.values()].flatMap((byName) => [...byName.values()]);
  const wanted = new Set(declared.map((definition) => definition.name));
  const ours = new Set(collections);
  await withSchemaLock(pool, async (client) => {
    let existing: { name: string; comment: string | null }[];
    try {
      ({ rows: existing } = await client.query<{ name: string; comment: string | null }>(
        `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE i.indrelid = 'records'::regclass`,
      ));
    } catch (error) {
      if (sqlState(error) === '42P01') throw new Error('PostgreSQL: the records table does not exist; run migrate(pool) before opening the document store');
      throw error;
    }
    const present = new Set(existing.map((row) => row.name));
    for (const definition of declared) {
      if (present.has(definition.name)) continue;
      try {
        await client.query(definition.createSql);
      } catch (error) {
        if (sqlState(error) === '23505') {
          throw new Error(`Cannot create unique index "${definition.index}" of collection "${definition.collection}": stored records already share a key (${error instanceof Error ? error.message : ''})`);
        }
        throw error;
      }
      const mark = JSON.stringify({ mark: MARK, collection: definition.collection, index: definition.index });
      await client.query(`COMMENT ON INDEX ${ident(definition.name)} IS ${literal(mark)}`);
    }
    for (const { name, comment } of existing) {
      const owner = markedCollection(comment);
      if (owner !== undefined && ours.has(owner) && !wanted.has(name)) await client.query(`DROP INDEX IF EXISTS ${ident(name)}`);
    }
  });
}

/** `records_<collection>_<index>_<hash>`, at most 63 bytes (PostgreSQL's identifier length). */
function indexName(collection: string, index: string, fields: readonly string[], unique: boolean): string {
  const hash = createHash('sha256').update(JSON.stringify([collection, index, fields, unique])).digest('hex').slice(0, 10);
  const room = MAX_IDENTIFIER - 'records___'.length - hash.length;
  const c = slug(collection).slice(0, Math.ceil(room / 2));
  const i = slug(index).slice(0, room - c.length);
  return `records_${c}_${i}_${hash}`;
}

function slug(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

function markedCollection(comment: string | null): string | undefined {
  if (comment === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(comment);
    if (typeof parsed === 'object' && parsed !== null && (parsed as { mark?: unknown }).mark === MARK) {
      const collection = (parsed as { collection?: unknown }).collection;
      return typeof collection === 'string' ? collection : undefined;
    }
  } catch {
    // Not ours: an index someone added by hand.
  }
  return undefined;
}
