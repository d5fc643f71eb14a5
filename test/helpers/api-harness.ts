// The API wired to the real Temporal CLI dev server and PostgreSQL, with a worker whose
// carriers a test file chooses. One per test file.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { hashKey, type ApiKey, type Scope } from '../../api/auth';
import type { Pool } from 'pg';
import { createApp, type AppDeps } from '../../api/app';
import type { StorefrontSecrets } from '../../api/storefront-webhooks';
import { createPool } from '../../lib/db';
import { logger } from '../../lib/logger';
import { createOrderWorker, type OrderWorkerOptions } from '../../workers/order-worker';
import { devServerAddress, TEST_DATABASE_URL } from './env';
import type { CarrierAdapter } from '../../carriers/adapter';
import { bundleWorkflows } from './time-skipping';
import { codecFrom, payloadDataConverter } from '../../lib/payload-codec';
import { loadConfig } from '../../lib/config';

/** Test keys: one per scope and one with all of them. */
export const TEST_KEYS: Record<Scope | 'all', string> = {
  all: 'test-key-all',
  orders: 'test-key-orders',
  ops: 'test-key-ops',
  wms: 'test-key-wms',
};
export const testApiKeys: ApiKey[] = Object.entries(TEST_KEYS).map(([name, key]) => ({
  name,
  hash: hashKey(key),
  scopes: name === 'all' ? ['orders', 'ops', 'wms'] : [name as Scope],
}));

/** What the test storefronts sign their webhooks with. */
export const TEST_STOREFRONT_SECRETS: StorefrontSecrets = {
  shopify: 'test-shopify-app-secret',
  woocommerce: 'test-woocommerce-webhook-secret',
};

/** What the test rating links are signed with. */
export const TEST_RATING_SECRET = 'test-rating-token-secret';

/** Where the test Temporal UI would call the codec server from. */
export const TEST_UI_ORIGIN = 'http://ui.test:8233';

/** Tests poll the API several times a second; rate-limit.test.ts sets low limits to test them. */
const UNLIMITED = {
  perKeyPerMinute: 1_000_000,
  perIpPerMinute: 1_000_000,
  unauthorizedPerIpPerMinute: 1_000_000,
  perSenderPerMinute: 1_000_000,
};

/** The app as every harness builds it (test keys and secrets, silent logs); override what a test is about. */
export function createTestApp(client: Client, pool: Pool, overrides: Partial<AppDeps> = {}): Express {
  return createApp({
    client,
    pool,
    logger: logger.child({}, { level: 'silent' }),
    apiKeys: testApiKeys,
    storefrontSecrets: TEST_STOREFRONT_SECRETS,
    rateLimits: UNLIMITED,
    codec: { codec: codecFrom(loadConfig()), uiOrigin: TEST_UI_ORIGIN },
    ratingSecret: TEST_RATING_SECRET,
    ...overrides,
  });
}

/** A supertest agent that sends `key` on every request. */
export const authorized = (app: Express, key = TEST_KEYS.all) => request.agent(app).set('Authorization', `Bearer ${key}`);

export interface ApiHarness {
  app: Express;
  /** The app, with a key that has every scope. */
  api: ReturnType<typeof authorized>;
  client: Client;
  pool: Pool;
  stop(): Promise<void>;
}

export async function startApiHarness(
  carriers: CarrierAdapter[],
  overrides: Partial<AppDeps> = {},
  workerOptions: Pick<OrderWorkerOptions, 'notifications' | 'webhooks' | 'marketplaces'> = {},
  address = devServerAddress(), // another Temporal: the cluster of test/cluster
): Promise<ApiHarness> {
  const [connection, nativeConnection] = await Promise.all([Connection.connect({ address }), NativeConnection.connect({ address })]);
  const client = new Client({ connection, dataConverter: payloadDataConverter() });
  const pool = createPool(TEST_DATABASE_URL);
  const app = createTestApp(client, pool, overrides);
  const worker = await createOrderWorker({
    connection: nativeConnection,
    pool,
    carriers,
    workflowBundle: await bundleWorkflows(),
    ...workerOptions,
  });
  const running = worker.run();
  return {
    app,
    api: authorized(app),
    client,
    pool,
    async stop() {
      worker.shutdown();
      await running;
      await Promise.all([pool.end(), connection.close(), nativeConnection.close()]);
    },
  };
}

/** Polls `read` until `accept` holds (the dev server runs in real time), returning the last value. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, seconds = 15): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The test file's harness: started before its tests, stopped after them. Its fields are filled in
 * by the time the tests run (not while the file is being read), so read them inside tests.
 */
export function useApiHarness(...args: Parameters<typeof startApiHarness>): ApiHarness {
  const harness = {} as ApiHarness;
  beforeAll(async () => {
    Object.assign(harness, await startApiHarness(...args));
  }, 120_000);
  afterAll(() => harness.stop?.());
  return harness;
}
