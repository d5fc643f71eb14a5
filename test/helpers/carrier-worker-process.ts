// A second worker process for tests that need several workers on one task queue (the SDK
// allows one per queue per process): UPS carrier workers against a carrier sandbox.
// Run with tsx; env TEMPORAL_ADDRESS, TASK_QUEUE, UPS_BASE_URL, RATE, DATABASE_URL. Prints
// "ready" once polling; stops on SIGTERM.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createUpsAdapter } from '../../carriers/ups';
import { createPool } from '../../lib/db';
import { SANDBOX_UPS_CREDENTIALS } from '../../sandbox/app';
import { createCarrierWorkers } from '../../workers/order-worker';

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const pool = createPool(env.DATABASE_URL);
  const ups = createUpsAdapter({ baseUrl: env.UPS_BASE_URL, ...SANDBOX_UPS_CREDENTIALS, timeoutMs: 5_000 });
  const workers = await Promise.all(
    createCarrierWorkers({ connection, pool, carriers: [ups], carrierRateLimits: { ups: Number(env.RATE) }, taskQueue: env.TASK_QUEUE }),
  );
  const running = Promise.all(workers.map((w) => w.run()));
  console.log('ready');
  await running; // the SDK shuts the workers down on SIGTERM
  await pool.end();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
