import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one transaction: committed when it returns, rolled back when it throws. The pool
 * stops listening for errors on a connection it hands out, so while the transaction holds one, an
 * error PostgreSQL sends between two queries (a restart ending the connection) is caught here:
 * otherwise it would be an unhandled 'error' event and end the process. A connection that broke is
 * destroyed, not given back to the pool.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => (broken ??= err);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackFailed: Error) => (broken ??= rollbackFailed));
    throw err;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
