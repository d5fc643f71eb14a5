// What createApp needs, built from the configuration: the Temporal client, the pool, the API keys,
// the storefronts' secrets, the rate limits, the carriers' webhooks and pickups and the payload codec. The API
// process (api/main.ts) serves exactly this; the bench's API (bench/api-main.ts) overrides what it must.
import { Client, Connection } from '@temporalio/client';
import { carrierAdapters, carrierWebhooks } from '../carriers/registry';
import { isProduction, type Config } from '../lib/config';
import { createPool } from '../lib/db';
import { logger } from '../lib/logger';
import { codecFrom, payloadDataConverter } from '../lib/payload-codec';
import type { AppDeps } from './app';
import { parseApiKeys } from './auth';
import { marketplaceCredentials } from '../marketplaces/registry';

export interface ConfiguredDeps {
  deps: AppDeps;
  /** Ends the pool and the Temporal connection (once the server has closed). */
  close: () => Promise<void>;
}

export async function appDepsFromConfig(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<ConfiguredDeps> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '5 seconds' });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: payloadDataConverter(config) });
  const pool = createPool(config.DATABASE_URL);
  const deps: AppDeps = {
    client,
    pool,
    logger,
    apiKeys: parseApiKeys(config.API_KEYS),
    storefrontSecrets: { shopify: config.SHOPIFY_WEBHOOK_SECRET, woocommerce: config.WOOCOMMERCE_WEBHOOK_SECRET },
    rateLimits: { perKeyPerMinute: config.API_RATE_LIMIT_PER_MINUTE, unauthorizedPerIpPerMinute: config.API_UNAUTHORIZED_PER_MINUTE },
    trustProxy: config.TRUST_PROXY,
    ratingSecret: config.RATING_TOKEN_SECRET,
    marketplaceCredentials: isProduction(env) ? marketplaceCredentials(env) : undefined,
    carrierWebhooks: carrierWebhooks(env),
    // A pickup is one call a day per warehouse: the API asks the carrier itself, outside the workers' rate limits.
    pickupCarriers: carrierAdapters(env, { timeoutMs: config.CARRIER_TIMEOUT_MS }).filter((c) => c.capabilities.pickups),
    codec: { codec: codecFrom(config), uiOrigin: config.TEMPORAL_UI_ORIGIN, keylessFromUi: config.CODEC_KEYLESS_FROM_UI },
  };
  const close = async () => {
    await Promise.all([pool.end(), connection.close()]);
  };
  return { deps, close };
}
