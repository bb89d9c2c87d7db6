import pg from 'pg';

/** A checked-out connection; `discard()` makes it be closed rather than given back (its session state is unknown). */
export interface Connection {
  readonly client: pg.PoolClient;
  readonly discard: () => void;
}

/**
 * Runs `fn` with a connection of the pool and gives it back; a connection that failed between queries, was
 * discarded, or was in use when `fn` threw with `discardOnError`, is closed instead.
 */
export async function withConnection<T>(pool: pg.Pool, fn: (connection: Connection) => Promise<T>, discardOnError = false): Promise<T> {
  const client = await pool.connect();
  let failure: Error | boolean = false;
  // pg-pool listens for errors only on idle clients; a checked-out one would otherwise emit an unhandled 'error'.
  const onError = (error: Error): void => {
    if (failure === false || failure === true) failure = error;
  };
  client.on('error', onError);
  try {
    return await fn({ client, discard: () => void (failure ||= true) });
  } catch (error) {
    if (discardOnError) failure ||= true;
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(failure === false ? undefined : failure);
  }
}

/** Quotes an identifier (table, index, schema) for SQL text. */
export function ident(name: string): string {
  return pg.escapeIdentifier(name);
}

/** Quotes a string literal for SQL text (only for names fixed at start-up; values always go as parameters). */
export function literal(value: string): string {
  return pg.escapeLiteral(value);
}

/** The SQLSTATE of a database error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  return error instanceof pg.DatabaseError ? error.code : undefined;
}

/**
 * Holds the session-level advisory lock of the connection's current schema while `fn` runs, so that instances
 * starting together do schema changes (migrations, indexes) one at a time. The lock is keyed by the schema, so
 * separate schemas (tests) do not wait for each other.
 */
export async function withSchemaLock<T>(pool: pg.Pool, fn: (client: pg.PoolClient, schema: string) => Promise<T>): Promise<T> {
  return withConnection(
    pool,
    async ({ client }) => {
      const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
      const schema = rows[0]?.schema;
      if (!schema) throw new Error('PostgreSQL: no schema of the search_path exists; create it (or fix the pool\'s schema option) first');
      // Waiting for another instance's migration, or building an index on a large table, may outlast the pool's
      // statement timeout, which is meant for turns; this session is closed on failure, so no setting leaks.
      await client.query('SET statement_timeout = 0');
      await client.query("SELECT pg_advisory_lock(hashtextextended('mcid-link-assistant schema ' || $1, 0))", [schema]);
      const result = await fn(client, schema);
      await client.query("SELECT pg_advisory_unlock(hashtextextended('mcid-link-assistant schema ' || $1, 0))", [schema]);
      await client.query('RESET statement_timeout');
      return result;
    },
    // A failure with the lock held: closing the session is what surely releases it (and any open transaction).
    true,
  );
}
