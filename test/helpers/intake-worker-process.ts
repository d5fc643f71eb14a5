// A worker process of a marketplace's intake, for tests that SIGKILL it mid-pull or restart Temporal
// under it (test/marketplaces/intake-durability.test.ts): the workers workers/order-worker.ts builds
// on TASK_QUEUE (the pull workflow, and the marketplace's activities on the queue beside it), the
// marketplace's calls going to its double at DOUBLE_URL. Run with tsx (chaos/processes.ts's
// ManagedProcess, through test/helpers/marketplace-intake.ts); env TEMPORAL_ADDRESS, TASK_QUEUE,
// MARKETPLACE, DOUBLE_URL, DATABASE_URL, WORKFLOW_BUNDLE (the file's bundle, written once).
// Prints "intake worker ready" once its workers are made; stops on SIGTERM.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createPool } from '../../lib/db';
import { createOrderWorker, type OrderWorkerOptions } from '../../workers/order-worker';
import { amazonAgainstDouble } from './amazon';
import { hepsiburadaAgainstDouble } from './hepsiburada';
import { trendyolAgainstDouble } from './trendyol';

const AGAINST_DOUBLE: Record<string, (baseUrl: string) => NonNullable<OrderWorkerOptions['marketplaces']>> = {
  amazon: amazonAgainstDouble,
  hepsiburada: hepsiburadaAgainstDouble,
  trendyol: trendyolAgainstDouble,
};

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const pool = createPool(env.DATABASE_URL);
  const workers = await createOrderWorker({
    connection,
    pool,
    taskQueue: env.TASK_QUEUE,
    workflowBundle: { codePath: env.WORKFLOW_BUNDLE },
    marketplaces: AGAINST_DOUBLE[env.MARKETPLACE](env.DOUBLE_URL),
  });
  const running = workers.run();
  console.log('intake worker ready');
  await running; // the SDK shuts the workers down on SIGTERM
  await pool.end();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
