// A transaction whose connection PostgreSQL ends between two queries (a restart, a failover, an
// admin terminating it) fails that transaction, never the process, and the pool goes on with a
// fresh connection. The chaos run's PostgreSQL restart once ended the worker this way.
import type { Pool } from 'pg';
import { createPool } from '../../lib/db';
import { inTransaction } from '../../lib/transaction';
import { TEST_DATABASE_URL } from '../helpers/env';

let pool: Pool;
let admin: Pool;

beforeAll(() => {
  pool = createPool(TEST_DATABASE_URL, 1);
  admin = createPool(TEST_DATABASE_URL, 1);
});

afterAll(async () => {
  await Promise.all([pool?.end(), admin?.end()]);
});

test('a connection ended between two queries fails the transaction, not the process; the pool serves on', async () => {
  const uncaught: unknown[] = [];
  const record = (err: unknown) => uncaught.push(err);
  process.on('uncaughtException', record);
  try {
    const ended = inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the notice arrives while no query runs
      await client.query('SELECT 1');
    });
    await expect(ended).rejects.toThrow();
  } finally {
    process.off('uncaughtException', record);
  }
  expect(uncaught).toEqual([]);
  const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one'); // the one pooled connection was replaced
  expect(rows[0].one).toBe(1);
});
