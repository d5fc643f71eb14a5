// Builds the worker that runs order workflows and their activities. Used by workers/main.ts
// and by the tests, so both run exactly the same registration.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Pool } from 'pg';
import type { CarrierAdapter } from '../activities/carriers/adapter';
import { logger } from '../lib/logger';
import { createActivities } from '../activities';
import { ORDER_TASK_QUEUE } from '../workflows/definitions';

export const workflowsPath = require.resolve('../workflows');

export interface OrderWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  pool: Pool;
  /** The carriers to book with (lib/config.ts carrierAdapters in production, test doubles in tests). */
  carriers?: CarrierAdapter[];
  taskQueue?: string;
  /** A prebuilt bundle (tests share one per file); otherwise the worker bundles workflows itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export function createOrderWorker({ connection, namespace, pool, carriers = [], taskQueue, workflowBundle }: OrderWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue: taskQueue ?? ORDER_TASK_QUEUE,
    activities: createActivities({ pool, logger, carriers }),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
  });
}
