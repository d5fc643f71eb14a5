// The API as the bench runs it (a child process of bench/stack.ts): api/app.ts's createApp with
// the configured keys, the UPS tracking webhook, and no rate limits (a bench sends thousands of
// requests a minute from one key and one address). Sends 'ready' to its parent once listening.
import { Client, Connection } from '@temporalio/client';
import { carrierWebhooks } from '../carriers/registry';
import { createApp } from '../api/app';
import { parseApiKeys } from '../api/auth';
import { loadConfig } from '../lib/config';
import { createPool } from '../lib/db';
import { logger } from '../lib/logger';
import { payloadDataConverter } from '../lib/payload-codec';

const UNLIMITED = { perKeyPerMinute: 1_000_000_000, perIpPerMinute: 1_000_000_000 };

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: payloadDataConverter(config) });
  const pool = createPool(config.DATABASE_URL);
  const app = createApp({
    client,
    pool,
    logger,
    apiKeys: parseApiKeys(config.API_KEYS),
    rateLimits: UNLIMITED,
    carrierWebhooks: carrierWebhooks(process.env),
  });
  const server = app.listen(config.API_PORT, '127.0.0.1', () => process.send?.('ready'));
  process.once('SIGTERM', () => {
    server.close(() => void Promise.all([pool.end(), connection.close()]).then(() => process.exit(0)));
    server.closeAllConnections();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
