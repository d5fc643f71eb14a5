// Builds the worker that runs order workflows and their activities. Used by workers/main.ts
// and by the tests, so both run exactly the same registration.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from '../activities';
import { ORDER_TASK_QUEUE } from '../workflows/definitions';

export const workflowsPath = require.resolve('../workflows');

export interface OrderWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  pool: Pool;
  taskQueue?: string;
  /** A prebuilt bundle (tests share one per file); otherwise the worker bundles workflows itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export function createOrderWorker({ connection, namespace, pool, taskQueue, workflowBundle }: OrderWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue: taskQueue ?? ORDER_TASK_QUEUE,
    activities: createActivities({ pool }),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
  });
}
