import pg from 'pg';

/** Where the pool reports trouble it recovers from; a pino logger fits. */
export interface PoolLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/** Options of `createPostgresPool`; every one has a default fit for the bot. */
export interface PostgresPoolOptions {
  /**
   * The only schema on the connections' search_path (lowercase letters, digits and `_`); it must exist before the
   * first query. Tests give each run its own; unset, the server's default path (`"$user", public`) applies.
   */
  readonly schema?: string;
  /** Most connections open at once; default 10 (each bot instance has its own pool, mind `max_connections`). */
  readonly max?: number;
  /** Shown in `pg_stat_activity`, so an operator can tell the bot's sessions apart; default `mcid-link-assistant`. */
  readonly applicationName?: string;
  /** The server cancels a statement running longer than this; default 10 s, so a stuck query cannot hold a turn. */
  readonly statementTimeoutMs?: number;
  /** The server ends a session idle inside a transaction for longer than this (releasing its locks); default 60 s. */
  readonly idleInTransactionTimeoutMs?: number;
  /** Waiting longer than this for a connection (a new one, or a free one of the pool) fails; default 5 s. */
  readonly connectionTimeoutMs?: number;
  /** An idle connection is closed after this; default 30 s. */
  readonly idleTimeoutMs?: number;
  /** Receives errors of idle connections (the pool drops them and opens new ones on demand); default: a process warning. */
  readonly logger?: PoolLogger;
}

/** A database URL that is not one; the message never repeats the URL, which may hold a password. */
export class InvalidDatabaseUrlError extends Error {
  override readonly name = 'InvalidDatabaseUrlError';
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A bounded `pg.Pool` for `url` (`postgres://` or `postgresql://`). Errors of idle connections (a restarted server, a
 * dropped network) are logged and the broken connection is dropped: they never reach the process as an unhandled
 * 'error' event. The caller owns the pool and ends it (`pool.end()`) after closing every store that uses it.
 */
export function createPostgresPool(url: string, options: PostgresPoolOptions = {}): pg.Pool {
  checkUrl(url);
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new RangeError(`PostgreSQL schema ${JSON.stringify(options.schema)} is not a plain lowercase identifier (a-z, 0-9, _; at most 63)`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: positive('max', options.max ?? 10),
    application_name: options.applicationName ?? 'mcid-link-assistant',
    statement_timeout: positive('statementTimeoutMs', options.statementTimeoutMs ?? 10_000),
    idle_in_transaction_session_timeout: positive('idleInTransactionTimeoutMs', options.idleInTransactionTimeoutMs ?? 60_000),
    connectionTimeoutMillis: positive('connectionTimeoutMs', options.connectionTimeoutMs ?? 5_000),
    idleTimeoutMillis: positive('idleTimeoutMs', options.idleTimeoutMs ?? 30_000),
    keepAlive: true,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  const logger = options.logger ?? warningLogger;
  pool.on('error', (error: Error & { code?: string }) => {
    logger.warn({ err: error.message, code: error.code }, 'PostgreSQL: an idle connection failed; the pool dropped it');
  });
  return pool;
}

/** Throws `InvalidDatabaseUrlError` unless `url` is a postgres:// or postgresql:// URL with a host. */
function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidDatabaseUrlError('The database URL is not a URL; expected postgres://user@host:5432/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InvalidDatabaseUrlError(`The database URL must start with postgres:// or postgresql:// (it starts with ${parsed.protocol}//)`);
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new InvalidDatabaseUrlError('The database URL names no host; expected postgres://user@host:5432/database');
  }
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer (got ${value})`);
  return value;
}

const warningLogger: PoolLogger = {
  warn(details, message) {
    process.emitWarning(`${message}: ${JSON.stringify(details)}`, 'PostgresPoolWarning');
  },
};
