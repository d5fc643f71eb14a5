// The API wired to the real Temporal CLI dev server and PostgreSQL, with a worker whose
// carriers a test file chooses. One per test file.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Express } from 'express';
import type { Pool } from 'pg';
import { createApp } from '../../api/app';
import { createPool } from '../../lib/db';
import { logger } from '../../lib/logger';
import { createOrderWorker } from '../../workers/order-worker';
import { devServerAddress, TEST_DATABASE_URL } from './env';
import type { MemoryCarrier } from './memory-carrier';
import { bundleWorkflows } from './time-skipping';

export interface ApiHarness {
  app: Express;
  client: Client;
  pool: Pool;
  stop(): Promise<void>;
}

export async function startApiHarness(carriers: MemoryCarrier[]): Promise<ApiHarness> {
  const address = devServerAddress();
  const [connection, nativeConnection] = await Promise.all([Connection.connect({ address }), NativeConnection.connect({ address })]);
  const client = new Client({ connection });
  const pool = createPool(TEST_DATABASE_URL);
  const app = createApp({ client, pool, logger: logger.child({}, { level: 'silent' }) });
  const worker: Worker = await createOrderWorker({ connection: nativeConnection, pool, carriers, workflowBundle: await bundleWorkflows() });
  const running = worker.run();
  return {
    app,
    client,
    pool,
    async stop() {
      worker.shutdown();
      await running;
      await Promise.all([pool.end(), connection.close(), nativeConnection.close()]);
    },
  };
}

/** Polls `read` until `accept` holds (the dev server runs in real time), returning the last value. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, seconds = 15): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}
