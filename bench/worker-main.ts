// The engine's worker as the bench runs it (a child process of bench/stack.ts): exactly
// workers/order-worker.ts's createOrderWorker with the four carrier adapters pointed at the
// sandbox, the same WORKER_MAX_* tuning, and no carrier rate limits (the bench measures the engine, not a carrier's quota).
// Sends 'ready' to its parent once the workflow bundle is built and the workers poll.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../lib/config';
import { createPool } from '../lib/db';
import { payloadDataConverter } from '../lib/payload-codec';
import { carrierAdapters } from '../carriers/registry';
import { createOrderWorker, workerTuning } from '../workers/order-worker';

async function main(): Promise<void> {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const pool = createPool(config.DATABASE_URL);
  const workers = await createOrderWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    pool,
    carriers: carrierAdapters(process.env, { timeoutMs: config.CARRIER_TIMEOUT_MS }),
    dataConverter: payloadDataConverter(config),
    tuning: workerTuning(config), // WORKER_MAX_* from the environment, as workers/main.ts
  });
  const running = workers.run(); // the SDK stops the workers gracefully on SIGTERM
  process.send?.('ready');
  await running;
  await pool.end();
  await connection.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
