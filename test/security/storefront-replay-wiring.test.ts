// The API as served (api/app.ts) gives the storefront webhooks PostgreSQL, so a delivery replayed
// after Temporal forgot its order finds the business record and starts nothing (issue 18,
// finding 5's fix, wired in). The app has no Temporal here: reaching it would answer 500.
import { createHmac, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import request from 'supertest';
import { createPool } from '../../lib/db';
import { createTestApp, TEST_STOREFRONT_SECRETS } from '../helpers/api-harness';
import { ROOT, TEST_DATABASE_URL } from '../helpers/env';

let pool: Pool;
beforeAll(() => {
  pool = createPool(TEST_DATABASE_URL);
});
afterAll(() => pool.end());

test('a Shopify delivery taken before is answered 200 from PostgreSQL, without Temporal', async () => {
  const payload = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/storefronts/shopify-orders-create.json'), 'utf8')) as {
    id: number;
  };
  payload.id = Date.now() * 1000 + randomInt(1000);
  const deliveryId = `wiring-${payload.id}`;
  await pool.query('INSERT INTO storefront_deliveries (storefront, delivery_id, order_id) VALUES ($1, $2, $3)', [
    'shopify',
    deliveryId,
    `shopify-${payload.id}`,
  ]);
  const body = JSON.stringify(payload);
  const res = await request(createTestApp({} as Client, pool))
    .post('/v1/webhooks/storefronts/shopify')
    .set({
      'Content-Type': 'application/json',
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Webhook-Id': deliveryId,
      'X-Shopify-Hmac-Sha256': createHmac('sha256', TEST_STOREFRONT_SECRETS.shopify).update(body).digest('base64'),
    })
    .send(body);
  expect([res.status, res.body.orderId]).toEqual([200, `shopify-${payload.id}`]);
});
