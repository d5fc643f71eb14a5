// Worker process: polls the `orders` task queue and one queue per carrier until SIGINT/SIGTERM, then drains and exits.
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigurationError, isProduction, loadConfig } from '../lib/config';
import { CARRIERS, carrierAdapters, carrierRateLimits, carrierSecrets } from '../carriers/registry';
import { createPool } from '../lib/db';
import { logger } from '../lib/logger';
import { notificationChannels } from './notifications';
import { createOrderWorker, workerTuning } from './order-worker';
import { deploymentVersion, makeCurrent } from './deployment';
import { startOutboxPump } from './outbox-pump';
import { marketplaceSubscribers } from '../activities/webhooks/subscribers';
import { ensureHandoverSchedule } from './handover-schedule';
import { ensureMarketplaceSchedules } from '../api/marketplace-schedules';
import { startOrder } from '../api/order-start';
import { MARKETPLACES, marketplaceAdapter, marketplaceCredentials } from '../marketplaces/registry';
import { payloadDataConverter } from '../lib/payload-codec';

async function main(): Promise<void> {
  const config = loadConfig(process.env, { connectors: CARRIERS, secretsOf: carrierSecrets }); // production mode refuses development secrets
  // The SDK's own log lines go through the same structured logger.
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) =>
      logger[level.toLowerCase() as Lowercase<typeof level>]({ sdk: meta }, message),
    ),
    // The SDK's metrics and ours (workers/carrier-metrics.ts) on one Prometheus endpoint.
    ...(config.WORKER_METRICS_ADDRESS
      ? {
          telemetryOptions: {
            metrics: {
              prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS, useSecondsForDurations: true, countersTotalSuffix: true },
            },
          },
        }
      : {}),
  });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const pool = createPool(config.DATABASE_URL);
  const carriers = carrierAdapters(process.env, { timeoutMs: config.CARRIER_TIMEOUT_MS }); // throws on a bad setting, before any work is taken
  const rateLimits = carrierRateLimits(config.CARRIER_RATE_LIMITS);
  const notifications = notificationChannels(config); // throws on a broken template, before any work is taken
  const dataConverter = payloadDataConverter(config);
  const deployment = deploymentVersion(config);
  const credentials = marketplaceCredentials(process.env); // throws on a malformed MARKETPLACE_CREDENTIALS, before any work is taken
  const marketplaces = {
    names: MARKETPLACES.map((m) => m.name),
    adapterOf: (account: Parameters<typeof marketplaceAdapter>[0]) =>
      marketplaceAdapter(account, credentials, { timeoutMs: config.CARRIER_TIMEOUT_MS, requireCredentials: isProduction(process.env) }),
    startOrder, // the start POST /v1/orders makes: one order per package, whatever repeats
  };
  // Each marketplace account hears about its own orders through the outbox, beside the configured subscribers.
  const subscribers = [...config.WEBHOOK_SUBSCRIBERS, ...(await marketplaceSubscribers(pool))];
  const webhooks = { subscribers, publicBaseUrl: config.PUBLIC_BASE_URL };
  const workers = await createOrderWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    pool,
    carriers,
    notifications,
    webhooks,
    carrierRateLimits: rateLimits,
    dataConverter,
    tuning: workerTuning(config),
    deployment,
    marketplaces,
  });
  const client = new Client({
    connection: await Connection.connect({ address: config.TEMPORAL_ADDRESS }),
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter,
  });
  const pump = await startOutboxPump({
    client,
    pool,
    databaseUrl: config.DATABASE_URL,
    subscribers,
    marketplaces: true,
    taskQueue: workers.taskQueue,
    logger,
  });
  await ensureHandoverSchedule(client, { taskQueue: workers.taskQueue, logger });
  await ensureMarketplaceSchedules(client, pool, { taskQueue: workers.taskQueue, logger });
  const taskQueues = workers.workers.map((w) => w.options.taskQueue);
  logger.info(
    {
      taskQueues,
      deployment: deployment ?? 'unversioned',
      temporal: config.TEMPORAL_ADDRESS,
      carrierRateLimits: rateLimits,
      metrics: config.WORKER_METRICS_ADDRESS || null,
    },
    'worker started',
  );
  const running = workers.run();
  if (deployment && config.WORKER_SET_CURRENT_VERSION) await makeCurrent(client, deployment); // development only
  try {
    await running; // Worker.create installs SIGINT/SIGTERM handlers that shut every worker down gracefully
  } finally {
    await pump.stop();
    await pool.end();
    await client.connection.close();
    await connection.close();
    logger.info('worker stopped');
  }
}

main().catch((err) => {
  if (err instanceof ConfigurationError) process.stderr.write(`${err.message}\n`); // one line per variable, readable at a glance
  logger.fatal({ err }, 'worker failed');
  process.exit(1);
});
