// Abuse costs the attacker, not us (issue 18, findings 2 and 3): a stranger's body is refused
// before it is read, each route reads only what it needs, failed authentication is limited per
// address, the address is the client's behind a load balancer (TRUST_PROXY), and forged webhooks
// never use up a real sender's budget. The app runs without Temporal or PostgreSQL: a request that
// reached a handler needing them would answer 500, so every answer here comes from before one.
import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import type { Pool } from 'pg';
import request from 'supertest';
import type { AppDeps } from '../../api/app';
import type { RateLimits } from '../../api/rate-limit';
import { loadConfig } from '../../lib/config';
import { createTestApp, TEST_KEYS, TEST_STOREFRONT_SECRETS } from '../helpers/api-harness';

const NO_LIMITS: RateLimits = {
  perKeyPerMinute: 1_000_000,
  perIpPerMinute: 1_000_000,
  unauthorizedPerIpPerMinute: 1_000_000,
  perSenderPerMinute: 1_000_000,
};

/** The API with no Temporal and no database behind it. */
const appWith = (rateLimits: Partial<RateLimits> = {}, overrides: Partial<AppDeps> = {}): Express =>
  createTestApp({} as Client, {} as Pool, { rateLimits: { ...NO_LIMITS, ...rateLimits }, ...overrides });

const FIVE_MB = 5 * 1024 * 1024;

interface EarlyAnswer {
  status: number;
  body: { error?: string };
  connection?: string;
  bytesSent: number;
}

/**
 * Announces a 5 MB JSON body, sends its first 64 KB and waits: an API that reads bodies before
 * authenticating never answers until the rest arrives; one that refuses first answers now.
 */
async function announceFiveMegabytes(server: Server, path: string, headers: Record<string, string> = {}): Promise<EarlyAnswer> {
  const { port } = server.address() as AddressInfo;
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(FIVE_MB), ...headers },
    });
    const timer = setTimeout(() => reject(new Error(`no answer to ${path} before the whole body was sent`)), 5_000);
    req.on('error', () => undefined); // the server closing mid-body is the point
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), connection: res.headers.connection, bytesSent: chunk.length });
        req.destroy();
      });
    });
    req.write(chunk);
  });
}

describe('a stranger’s body is refused before it is read', () => {
  let server: Server;
  beforeAll(async () => {
    server = appWith().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test.each([['/v1/orders'], ['/v1/orders/batch'], ['/v1/inventory/WH-1/SKU-1'], ['/codec/decode']])(
    'an unauthenticated 5 MB body to %s is answered 401 after 64 KB, and the connection closed',
    async (path) => {
      const answer = await announceFiveMegabytes(server, path, { Authorization: 'Bearer not-a-key' });
      expect([answer.status, answer.body.error, answer.connection]).toEqual([401, 'unauthorized', 'close']);
    },
  );

  test('an authenticated order over its route’s limit is answered 413 without the rest being read', async () => {
    const answer = await announceFiveMegabytes(server, '/v1/orders', { Authorization: `Bearer ${TEST_KEYS.orders}` });
    expect([answer.status, answer.body.error]).toEqual([413, 'body_too_large']);
  });
});

describe('each route reads what it needs', () => {
  const app = appWith();
  const orders = () => request(app).post('/v1/orders').set('Authorization', `Bearer ${TEST_KEYS.orders}`).type('json');

  test('a single order stops at 64 KB; a batch of 400 (1 MB) is read and answered item by item', async () => {
    const big = await orders().send(JSON.stringify({ orderId: 'X', note: 'x'.repeat(100 * 1024) }));
    expect([big.status, big.body.error]).toEqual([413, 'body_too_large']);
    const batch = { orders: Array.from({ length: 400 }, (_, i) => ({ orderId: `B-${i}`, lines: 'x'.repeat(2_500) })) };
    const res = await request(app).post('/v1/orders/batch').set('Authorization', `Bearer ${TEST_KEYS.orders}`).send(batch);
    expect([res.status, res.body.summary?.invalid]).toEqual([200, 400]);
  });

  test('a storefront webhook is read up to 1 MB, not 5', async () => {
    const res = await request(app)
      .post('/v1/webhooks/storefronts/shopify')
      .type('json')
      .send(JSON.stringify({ note: 'x'.repeat(2 * 1024 * 1024) }));
    expect([res.status, res.body.error]).toEqual([413, 'body_too_large']);
  });
});

test('401s count against the address: past the limit its requests without a valid key are 429 before any check; a valid key goes on', async () => {
  const app = appWith({ unauthorizedPerIpPerMinute: 3 }, { trustProxy: 1 });
  const from = (address: string) => request(app).get('/v1/orders').set('X-Forwarded-For', address);
  for (let i = 0; i < 3; i++) await from('203.0.113.9').set('Authorization', `Bearer guess-${i}`).expect(401);
  const refused = await from('203.0.113.9').set('Authorization', 'Bearer guess-4');
  expect([refused.status, refused.body.error]).toEqual([429, 'rate_limited']);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  const forged = await request(app).post('/v1/webhooks/storefronts/shopify').set('X-Forwarded-For', '203.0.113.9').type('json').send('{}');
  expect(forged.status).toBe(429);
  // A valid key from that address, and any request from another, go on (to the handler, which has no database here).
  expect((await from('203.0.113.9').set('Authorization', `Bearer ${TEST_KEYS.orders}`)).status).not.toBe(429);
  await from('198.51.100.7').set('Authorization', 'Bearer guess-5').expect(401);
});

test('the failed-authentication limit is 60 a minute unless API_UNAUTHORIZED_PER_MINUTE says otherwise; a bad value is named', () => {
  expect(loadConfig({}).API_UNAUTHORIZED_PER_MINUTE).toBe(60);
  expect(loadConfig({ API_UNAUTHORIZED_PER_MINUTE: '5000' }).API_UNAUTHORIZED_PER_MINUTE).toBe(5000);
  expect(() => loadConfig({ API_UNAUTHORIZED_PER_MINUTE: '0' })).toThrow(/API_UNAUTHORIZED_PER_MINUTE/);
});

describe('TRUST_PROXY', () => {
  test('is read as none, a number of hops or a list of proxies, and a bad value is named', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ TRUST_PROXY: '1 2' })).toThrow(/TRUST_PROXY/);
  });

  const dashboard = (app: Express, address: string) => request(app).get('/dashboard').set('X-Forwarded-For', address);
  test('behind one load balancer each client has its own per-address budget', async () => {
    const app = appWith({ perIpPerMinute: 2 }, { trustProxy: 1 });
    await dashboard(app, '203.0.113.9').expect(200);
    await dashboard(app, '203.0.113.9').expect(200);
    await dashboard(app, '203.0.113.9').expect(429);
    await dashboard(app, '198.51.100.7').expect(200);
  });

  test('without it, a forwarded address is not believed: a client cannot pick its own', async () => {
    const app = appWith({ perIpPerMinute: 2 });
    await dashboard(app, '203.0.113.9').expect(200);
    await dashboard(app, '203.0.113.10').expect(200);
    await dashboard(app, '203.0.113.11').expect(429);
  });
});

describe('storefront webhooks are limited by their verified sender', () => {
  const shopify = (app: Express, shop: string, secret = TEST_STOREFRONT_SECRETS.shopify) => {
    const body = JSON.stringify({ id: 1 });
    return request(app)
      .post('/v1/webhooks/storefronts/shopify')
      .set({
        'Content-Type': 'application/json',
        'X-Shopify-Topic': 'orders/updated', // acknowledged and ignored: nothing needs Temporal
        'X-Shopify-Shop-Domain': shop,
        'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(body).digest('base64'),
      })
      .send(body);
  };

  test('forged deliveries from the same address do not make a real one 429', async () => {
    const app = appWith({ perIpPerMinute: 3, perSenderPerMinute: 3 });
    for (let i = 0; i < 10; i++) await shopify(app, 'kahve.myshopify.com', 'forged-secret').expect(401);
    await shopify(app, 'kahve.myshopify.com').expect(202);
  });

  test('each shop has its own budget of verified deliveries', async () => {
    const app = appWith({ perSenderPerMinute: 2 });
    await shopify(app, 'kahve.myshopify.com').expect(202);
    await shopify(app, 'kahve.myshopify.com').expect(202);
    expect((await shopify(app, 'kahve.myshopify.com')).body.error).toBe('rate_limited');
    await shopify(app, 'cay.myshopify.com').expect(202);
  });
});
