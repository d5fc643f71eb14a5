// API process: serves HTTP until SIGINT/SIGTERM.
import { Client, Connection } from '@temporalio/client';
import { carrierWebhooks } from '../carriers/registry';
import { createApp } from './app';
import { codecFrom, payloadDataConverter } from '../lib/payload-codec';
import { parseApiKeys } from './auth';
import { loadConfig } from '../lib/config';
import { createPool } from '../lib/db';
import { logger } from '../lib/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '5 seconds' });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: payloadDataConverter(config) });
  const pool = createPool(config.DATABASE_URL);
  const app = createApp({
    client,
    pool,
    logger,
    apiKeys: parseApiKeys(config.API_KEYS),
    storefrontSecrets: { shopify: config.SHOPIFY_WEBHOOK_SECRET, woocommerce: config.WOOCOMMERCE_WEBHOOK_SECRET },
    rateLimits: { perKeyPerMinute: config.API_RATE_LIMIT_PER_MINUTE },
    carrierWebhooks: carrierWebhooks(process.env),
    codec: { codec: codecFrom(config), uiOrigin: config.TEMPORAL_UI_ORIGIN, keylessFromUi: config.CODEC_KEYLESS_FROM_UI },
  });
  const server = app.listen(config.API_PORT, () => {
    logger.info({ port: config.API_PORT }, 'api listening');
    if (config.CODEC_KEYLESS_FROM_UI)
      logger.warn({ uiOrigin: config.TEMPORAL_UI_ORIGIN }, 'codec server: calls from the Temporal UI need no key (development only)');
  });

  const stop = () => {
    logger.info('api stopping');
    server.close(() => void Promise.all([pool.end(), connection.close()]).then(() => process.exit(0)));
    server.closeIdleConnections(); // keep-alive sockets would hold close() open for seconds
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  logger.fatal({ err }, 'api failed');
  process.exit(1);
});
