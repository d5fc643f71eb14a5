import { Pool } from 'pg';

/** One pool per process; short timeouts so a database outage is an error, never a hang. */
export function createPool(connectionString: string, max = 10): Pool {
  return new Pool({ connectionString, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
}
