import { Pool } from 'pg';
import { logger } from './logger';

/** One pool per process; short timeouts so a database outage is an error, never a hang. */
export function createPool(connectionString: string, max = 10): Pool {
  const pool = new Pool({ connectionString, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  // PostgreSQL going away breaks idle connections too; unhandled, that error would end the
  // process. The pool drops the broken client and callers see errors (503) until it is back.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle PostgreSQL connection lost'));
  return pool;
}
