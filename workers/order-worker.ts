// Builds the workers of one process: the order worker (workflows and their activities), a worker
// per carrier on that carrier's own task queue, whose rate limit the server holds across every
// process, and a worker per marketplace for its intake calls. Used by workers/main.ts and by the tests, so both register exactly the same.
import type { DataConverter, WorkerDeploymentVersion } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Pool } from 'pg';
import type { CarrierAdapter } from '../carriers/adapter';
import type { ActivityDeps } from '../activities';
import type { NotificationChannels } from '../activities/notifications';
import type { Config } from '../lib/config';
import { logger } from '../lib/logger';
import { carrierCallMetrics } from './carrier-metrics';
import { heartbeatWhileRunning } from './heartbeats';
import { dataErrorsNotRetried } from './data-errors';
import { payloadDataConverter } from '../lib/payload-codec';
import { createActivities, createCarrierActivities } from '../activities';
import { createNotificationActivities } from '../activities/notifications';
import { startNoticePump, type NoticePump, type NoticeRetry } from './notice-pump';
import { createMarketplaceShippingActivities } from '../activities/marketplace-shipping';
import { createMarketplaceActivities, type MarketplaceActivityDeps } from '../activities/marketplaces';
import { marketplaceConnector } from '../marketplaces/registry';
import { carrierTaskQueue, marketplaceTaskQueue, ORDER_TASK_QUEUE } from '../workflows/definitions';

export const workflowsPath = require.resolve('../workflows');

export interface OrderWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  pool: Pool;
  /** The carriers to book with (carriers/registry.ts in production, test doubles in tests). */
  carriers?: CarrierAdapter[];
  /** How customers are told (workers/notifications.ts); recorded as skipped when absent. */
  notifications?: NotificationChannels;
  /** How the notice pump retries a notice that fails (workers/notice-pump.ts); about 20 minutes of outage by default. */
  noticeRetry?: NoticeRetry;
  /** Outbound webhook subscribers; none when absent. */
  webhooks?: ActivityDeps['webhooks'];
  /** Calls per second each carrier's API allows, across all workers; unlimited when absent. */
  carrierRateLimits?: Record<string, number>;
  taskQueue?: string;
  /** A prebuilt bundle (tests share one per file); otherwise the worker bundles workflows itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Cache and concurrency limits of the order worker (docs/performance.md); the SDK's defaults otherwise. */
  tuning?: Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentActivityTaskExecutions'>;
  /** The worker deployment version these workers are (Worker Versioning, workers/deployment.ts); unversioned when unset. */
  deployment?: WorkerDeploymentVersion;
  /** Payload encryption; the configured keys (lib/payload-codec.ts) by default. */
  dataConverter?: DataConverter;
  /**
   * The marketplaces to take orders from (marketplaces/registry.ts's names), how their accounts are
   * reached, and activities a second on each one's queue (its connector's activitiesPerSecond unless
   * given); none when absent.
   */
  marketplaces?: { names: string[]; activitiesPerSecond?: Record<string, number> } & Pick<
    MarketplaceActivityDeps,
    'adapterOf' | 'startOrder' | 'cancelWaitMs'
  >;
}

/** The order worker's cache and concurrency limits from the environment (WORKER_MAX_*); unset ones keep the SDK's defaults. */
export function workerTuning(config: Config): OrderWorkerOptions['tuning'] {
  return {
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
  };
}

/** The workers of one process, run and stopped together. */
export interface OrderWorkers {
  taskQueue: string;
  workers: Worker[];
  run(): Promise<void>;
  /** Runs until `fn` settles, then shuts down and waits for the workers to drain. */
  runUntil<R>(fn: () => Promise<R>): Promise<R>;
  shutdown(): void;
}

export async function createOrderWorker(options: OrderWorkerOptions): Promise<OrderWorkers> {
  const {
    connection,
    namespace,
    pool,
    carriers = [],
    carrierRateLimits = {},
    workflowBundle,
    notifications,
    webhooks,
    tuning = {},
    dataConverter = payloadDataConverter(),
    deployment,
    noticeRetry,
  } = options;
  const taskQueue = options.taskQueue ?? ORDER_TASK_QUEUE;
  const customers = createNotificationActivities(pool, logger, notifications);
  const notices = () =>
    startNoticePump({
      pool,
      taskQueue,
      send: (notice, channel) => customers.notifyCustomer(notice, [channel]),
      logger,
      retry: noticeRetry,
    });
  const orders = Worker.create({
    connection,
    namespace,
    dataConverter,
    taskQueue,
    ...versioned(deployment),
    activities: createActivities({
      pool,
      logger,
      carriers,
      notifications,
      webhooks,
      marketplaceAdapterOf: options.marketplaces?.adapterOf,
    }),
    interceptors: { activity: [heartbeatWhileRunning, dataErrorsNotRetried] },
    ...Object.fromEntries(Object.entries(tuning).filter(([, value]) => value !== undefined)), // unset: the SDK's default
    ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
  });
  return group(
    taskQueue,
    notices,
    await Promise.all([
      orders,
      ...createCarrierWorkers({ connection, namespace, pool, carriers, carrierRateLimits, taskQueue, dataConverter, deployment }),
      ...createMarketplaceWorkers({
        connection,
        namespace,
        pool,
        taskQueue,
        dataConverter,
        deployment,
        marketplaces: options.marketplaces,
      }),
    ]),
  );
}

/** One worker per carrier, on the carrier's queue beside `taskQueue`, limited to its API rate. */
export function createCarrierWorkers(options: Omit<OrderWorkerOptions, 'workflowBundle'>): Promise<Worker>[] {
  const { connection, namespace, carriers = [], carrierRateLimits = {}, dataConverter = payloadDataConverter() } = options;
  const activities = createCarrierActivities(carriers, options.pool, logger);
  return carriers.map((carrier) =>
    Worker.create({
      connection,
      namespace,
      dataConverter,
      taskQueue: carrierTaskQueue(options.taskQueue ?? ORDER_TASK_QUEUE, carrier.name),
      activities,
      maxTaskQueueActivitiesPerSecond: carrierRateLimits[carrier.name],
      ...versioned(options.deployment),
      interceptors: { activity: [carrierCallMetrics(carrier.name), dataErrorsNotRetried] },
    }),
  );
}

/** One worker per marketplace, on the marketplace's queue beside `taskQueue`: its pull, details and start activities and its own contract's labels, at its API's pace across all workers. */
export function createMarketplaceWorkers(options: Omit<OrderWorkerOptions, 'workflowBundle'>): Promise<Worker>[] {
  const { connection, namespace, pool, marketplaces, dataConverter = payloadDataConverter() } = options;
  if (!marketplaces) return [];
  const activities = {
    ...createMarketplaceActivities({ pool, logger, ...marketplaces }),
    ...createMarketplaceShippingActivities({ pool, adapterOf: marketplaces.adapterOf }),
  };
  return marketplaces.names.map((name) =>
    Worker.create({
      connection,
      namespace,
      dataConverter,
      taskQueue: marketplaceTaskQueue(options.taskQueue ?? ORDER_TASK_QUEUE, name),
      activities,
      maxTaskQueueActivitiesPerSecond: marketplaces.activitiesPerSecond?.[name] ?? marketplaceConnector(name).pull.activitiesPerSecond,
      ...versioned(options.deployment),
      interceptors: { activity: [heartbeatWhileRunning, dataErrorsNotRetried] },
    }),
  );
}

/**
 * Every worker of a process is the same version, and every workflow type auto-upgrades: orders and
 * their parcels live for weeks and the webhook dispatcher forever, longer than an old version should
 * keep running, so each moves to the current version at its next task, which patched() and the
 * history corpus keep able to replay it (docs/upgrading.md). Pinned would suit a workflow of minutes
 * that must end on the code it started with; there is none. (Set here, not per workflow with
 * setWorkflowOptions, which also reaches unversioned workers: the dev server then never ran the
 * webhook dispatcher's tasks, test/integration/outbound-webhooks.test.ts.)
 */
function versioned(deployment: WorkerDeploymentVersion | undefined): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  if (!deployment) return {};
  return { workerDeploymentOptions: { version: deployment, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' } };
}

/** The workers, and the pump that sends the customer notices their parcels queue, run and stopped together. */
function group(taskQueue: string, notices: () => Promise<NoticePump>, workers: Worker[]): OrderWorkers {
  const shutdown = () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  };
  const run = async () => {
    const pump = await notices();
    try {
      // One worker failing stops the others, so the process exits instead of half-working.
      await Promise.all(
        workers.map((w) =>
          w.run().catch((err: unknown) => {
            shutdown();
            throw err;
          }),
        ),
      );
    } finally {
      await pump.stop();
    }
  };
  return {
    taskQueue,
    workers,
    run,
    shutdown,
    async runUntil(fn) {
      const running = run();
      try {
        return await Promise.race([fn(), running.then(() => Promise.reject(new Error('workers stopped before the work was done')))]);
      } finally {
        shutdown();
        await running;
      }
    },
  };
}
