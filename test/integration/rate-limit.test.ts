// Rate limits over HTTP, on an app whose limits are 3 a minute: per API key on the /v1 routes
// (another key is unaffected), per address on the public routes, 429 in our error shape with
// Retry-After and the RateLimit headers.
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import type { Pool } from 'pg';
import request from 'supertest';
import { createPool } from '../../lib/db';
import { authorized, createTestApp, TEST_KEYS } from '../helpers/api-harness';
import { devServerAddress, TEST_DATABASE_URL } from '../helpers/env';
import { payloadDataConverter } from '../../lib/payload-codec';

const LIMIT = 3;

let connection: Connection;
let client: Client;
let pool: Pool;
/** A new app per test: its counters start at zero. */
let app: Express;

beforeAll(async () => {
  connection = await Connection.connect({ address: devServerAddress() });
  client = new Client({ connection, dataConverter: payloadDataConverter() });
  pool = createPool(TEST_DATABASE_URL);
});

beforeEach(() => {
  app = createTestApp(client, pool, { rateLimits: { perKeyPerMinute: LIMIT, perIpPerMinute: LIMIT, perSenderPerMinute: LIMIT } });
});

afterAll(async () => {
  await Promise.all([pool?.end(), connection?.close()]);
});

function expectRateLimited(res: request.Response): void {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ error: 'rate_limited', message: expect.stringMatching(/^more than 3 requests a minute; retry after \d+ s$/) });
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

test('each API key has its own limit across every /v1 route: the 4th call in a minute is 429; another key is unaffected', async () => {
  const orders = authorized(app, TEST_KEYS.all);
  const first = await orders.get('/v1/orders?limit=1').expect(200);
  expect(first.headers['ratelimit-policy']).toMatch(/^"per-api-key"; q=3; w=60; pk=:[\w+/=]+:$/);
  expect(first.headers.ratelimit).toMatch(/^"per-api-key"; r=2; t=\d+$/);
  await orders.get('/v1/inventory?sku=NONE').expect(200);
  await orders.get('/v1/orders/NO-SUCH-ORDER').expect(404);

  expectRateLimited(await orders.get('/v1/orders?limit=1'));
  expectRateLimited(await orders.post('/v1/orders').send({}));

  // Same address, another key: its own budget.
  await authorized(app, TEST_KEYS.ops).get('/v1/orders?limit=1').expect(200);
});

test('a call that passes two scope checks on its way (route, then router) counts once', async () => {
  const ops = authorized(app, TEST_KEYS.ops);
  for (let i = 0; i < LIMIT; i++) {
    const res = await ops.post('/v1/shipments/shipment-NO-SUCH-ORDER-1/retry-booking').send({});
    expect([i, res.body.error]).toEqual([i, 'shipment_not_found']);
  }
  expectRateLimited(await ops.post('/v1/shipments/shipment-NO-SUCH-ORDER-1/retry-booking').send({}));
});

test('calls without a valid key are refused before any key is charged; health checks and the document are not limited', async () => {
  for (let i = 0; i < LIMIT + 2; i++) {
    await request(app).get('/v1/orders').expect(401);
    await request(app).get('/healthz').expect(200);
    await request(app).get('/openapi.json').expect(200);
  }
  await authorized(app).get('/v1/orders?limit=1').expect(200);
});

test('the tracking page and the webhooks are limited per address, each with its own count', async () => {
  for (let i = 0; i < LIMIT; i++) await request(app).get('/track/NOSUCH0000001').expect(404);
  const limited = await request(app).get('/track/NOSUCH0000001').set('Accept', 'application/json');
  expectRateLimited(limited);
  expect(limited.headers['ratelimit-policy']).toMatch(/^"per-address"; q=3; w=60;/);

  const ping = () =>
    request(app)
      .post('/v1/webhooks/storefronts/woocommerce')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('webhook_id=14');
  for (let i = 0; i < LIMIT; i++) await ping().expect(200);
  expectRateLimited(await ping());
});
