// Storefront webhooks against the real Temporal dev server and PostgreSQL: sample payloads
// written from Shopify's and WooCommerce's webhook documentation (test/fixtures/storefronts/),
// signed as each storefront signs them, start orders with the right fields; forged, replayed,
// foreign and unusable deliveries start nothing.
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import express, { type Express } from 'express';
import request from 'supertest';
import { errorHandler } from '../../api/errors';
import { storefrontWebhooksRouter } from '../../api/storefront-webhooks';
import { keepRawBody } from '../../api/webhook-signature';
import { logger } from '../../lib/logger';
import { shopifyOrder } from '../../api/storefronts/shopify';
import { wooOrder } from '../../api/storefronts/woocommerce';
import { orderWorkflowId, searchAttributes } from '../../workflows/definitions';
import { eventually, TEST_STOREFRONT_SECRETS, useApiHarness } from '../helpers/api-harness';
import { MemoryCarrier } from '../helpers/memory-carrier';

/** A storefront's JSON as the tests edit it: the fields they change are named, each free to be set to a bad value on purpose. */
type JsonObject = Record<string, unknown>;
interface ShopifyPayload {
  id: number;
  line_items: JsonObject[];
  shipping_address: JsonObject | null;
  payment_gateway_names: string[];
  shipping_lines: JsonObject[];
}
interface WooPayload {
  id: number;
  line_items: JsonObject[];
  shipping: JsonObject;
  payment_method: string;
  shipping_lines: JsonObject[];
}

const { IndexedValueType } = temporal.api.enums.v1;
const harness = useApiHarness([new MemoryCarrier('cargo', 50)]);

const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(__dirname, '../fixtures/storefronts', name), 'utf8'));
/** Order ids unique across runs: the test database outlives each run. */
const uniqueId = () => Date.now() * 1000 + randomInt(1000);

/** A storefront's sample payload with an order id of its own, edited as the test needs. */
function samplePayload<T extends { id: number }>(fixtureName: string, edit: (p: T) => void = () => {}): T {
  const payload = fixture(fixtureName) as T;
  payload.id = uniqueId();
  edit(payload);
  return payload;
}
const shopifyPayload = (edit?: (p: ShopifyPayload) => void) => samplePayload('shopify-orders-create.json', edit);
const wooPayload = (edit?: (p: WooPayload) => void) => samplePayload('woocommerce-order-created.json', edit);

/** WordPress's wp_json_encode, as WooCommerce signs and sends it: non-ASCII as \uXXXX, slashes escaped. */
const phpJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');

const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body, 'utf8').digest('base64');

/** A webhook delivery as the storefront sends it: its headers, signed over `body`; `headers` override them. */
function deliver(route: string, storefrontHeaders: Record<string, string>, body: string, headers: Record<string, string>, app: Express) {
  return request(app)
    .post(route)
    .set({ 'Content-Type': 'application/json', ...storefrontHeaders, ...headers })
    .send(body);
}

const sendShopify = (body: string, headers: Record<string, string> = {}, app = harness.app) =>
  deliver(
    '/v1/webhooks/storefronts/shopify',
    {
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Hmac-Sha256': sign(TEST_STOREFRONT_SECRETS.shopify, body),
      'X-Shopify-Shop-Domain': 'kahve-dukkani.myshopify.com',
      'X-Shopify-Webhook-Id': `b54557e4-bdd9-4b37-8a5f-${randomInt(1e11, 1e12)}`,
      'X-Shopify-API-Version': '2025-10',
    },
    body,
    headers,
    app,
  );

const sendWoo = (body: string, headers: Record<string, string> = {}, app = harness.app) =>
  deliver(
    '/v1/webhooks/storefronts/woocommerce',
    {
      'User-Agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
      'X-WC-Webhook-Source': 'https://magaza.example.com/',
      'X-WC-Webhook-Topic': 'order.created',
      'X-WC-Webhook-Resource': 'order',
      'X-WC-Webhook-Event': 'created',
      'X-WC-Webhook-Signature': sign(TEST_STOREFRONT_SECRETS.woocommerce, body),
      'X-WC-Webhook-ID': '14',
      'X-WC-Webhook-Delivery-ID': `6c5f1f0e2d${randomInt(1e9, 1e10)}`,
    },
    body,
    headers,
    app,
  );

/** The order as the workflow recorded it: what it was started with, through Temporal and PostgreSQL. */
async function recordedOrder(orderId: string) {
  const { rows } = await eventually(
    () => harness.pool.query('SELECT channel, request FROM orders WHERE order_id = $1', [orderId]),
    (r) => r.rows.length > 0,
  );
  return rows[0]?.request;
}

async function expectNotStarted(orderId: string): Promise<void> {
  await expect(harness.client.workflow.getHandle(orderWorkflowId(orderId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
}

test('Shopify orders/create starts order shopify-<id>: Turkish address intact, lines by SKU, express, cash on delivery', async () => {
  const payload = shopifyPayload();
  const orderId = `shopify-${payload.id}`;

  const res = await sendShopify(JSON.stringify(payload)).expect(202);
  expect(res.body).toEqual({ orderId, workflowId: `order-${orderId}`, status: 'received', links: { self: `/v1/orders/${orderId}` } });

  expect(await recordedOrder(orderId)).toEqual({
    orderId,
    externalId: String(payload.id),
    channel: 'shopify',
    customer: { name: 'Çağla Işıkgöz', email: 'cagla.isikgoz@example.com', phone: '+90 532 123 45 67' },
    shippingAddress: {
      name: 'Çağla Işıkgöz',
      line1: 'Güzeltepe Mah. Şehit İbrahim Öztürk Sok. No: 7',
      line2: 'Daire 4, Kat 2',
      city: 'İstanbul',
      district: 'Üsküdar',
      postalCode: '34664',
      countryCode: 'TR',
      phone: '+90 532 123 45 67',
    },
    lines: [
      { sku: 'MUG-WHITE', quantity: 2, unitPrice: 349.9 },
      { sku: 'CEZVE-COPPER-M', quantity: 1, unitPrice: 689.9 },
    ],
    service: 'express',
    cashOnDelivery: { amount: 1479.6, currency: 'TRY' },
  });
});

test('WooCommerce order.created (escaped unicode, as WordPress encodes it) starts order woo-<id> with the province from the state code', async () => {
  const payload = wooPayload();
  const orderId = `woo-${payload.id}`;
  const body = phpJson(payload);
  expect(body).toContain('G\\u00f6khan'); // really escaped, as WooCommerce sends it

  const res = await sendWoo(body).expect(202);
  expect(res.body).toMatchObject({ orderId, status: 'received' });

  expect(await recordedOrder(orderId)).toEqual({
    orderId,
    externalId: String(payload.id),
    channel: 'woocommerce',
    customer: { name: 'Gökhan Çelik', email: 'gokhan.celik@example.com', phone: '+90 555 987 65 43' },
    shippingAddress: {
      name: 'Gökhan Çelik',
      line1: 'Bostanlı Mah. Cemal Gürsel Cad. No: 12',
      line2: 'Ağaçlı Apt. Kat 3 Daire 6',
      city: 'İzmir',
      district: 'Karşıyaka',
      postalCode: '35590',
      countryCode: 'TR',
      phone: '+90 555 987 65 43',
    },
    lines: [
      { sku: 'TSHIRT-RED-M', quantity: 2, unitPrice: 166.58 }, // WooCommerce's 166.583333, in cents
      { sku: 'SNEAKER-42', quantity: 1, unitPrice: 1249.17 },
    ],
    service: 'standard',
    cashOnDelivery: { amount: 1948.7, currency: 'TRY' },
  });
});

test('a resent webhook is answered 200 duplicate and never starts a second workflow', async () => {
  const shopify = JSON.stringify(shopifyPayload());
  const woo = phpJson(wooPayload());
  const first = await Promise.all([sendShopify(shopify), sendWoo(woo)]);
  expect(first.map((r) => r.status)).toEqual([202, 202]);

  // Storefronts retry on timeouts too, so resends can overlap the first delivery.
  const resends = await Promise.all([
    ...Array.from({ length: 5 }, () => sendShopify(shopify)),
    ...Array.from({ length: 5 }, () => sendWoo(woo)),
  ]);
  expect(resends.map((r) => [r.status, r.body.status])).toEqual(Array.from({ length: 10 }, () => [200, 'duplicate']));

  const orderId = first[0].body.orderId;
  const runs: string[] = [];
  for await (const wf of harness.client.workflow.list({ query: `WorkflowId = "${orderWorkflowId(orderId)}"` })) runs.push(wf.runId);
  expect(runs.length).toBeLessThanOrEqual(1); // visibility may lag; never more than one run
});

/**
 * The storefront routes as api/app.ts mounts them (JSON kept raw for the signature), on `client`
 * and given the PostgreSQL pool that api/app.ts does not pass them yet.
 */
function appWithBusinessRecord(client: Client): Express {
  const silent = logger.child({}, { level: 'silent' });
  const app = express();
  app.use(express.json({ verify: keepRawBody }));
  app.use(
    '/v1/webhooks/storefronts',
    storefrontWebhooksRouter({ client, pool: harness.pool, logger: silent, secrets: TEST_STOREFRONT_SECRETS }),
  );
  app.use(errorHandler(silent));
  return app;
}

/**
 * Temporal as it is once the orders' retention ran out: it remembers none of them. (The dev server
 * keeps a deleted workflow for minutes, so a namespace of the test's own stands in for it.)
 */
async function forgetfulTemporal(): Promise<Client> {
  const { connection } = harness.client;
  const namespace = `forgetful-${randomUUID().slice(0, 8)}`;
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  // The order workflow's search attributes, which the dev server was started with for its default namespace.
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      Object.values(searchAttributes).map((key) => [
        key.name,
        key.type === 'BOOL' ? IndexedValueType.INDEXED_VALUE_TYPE_BOOL : IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  return new Client({ connection, namespace });
}

test('a delivery replayed after Temporal forgot the order starts nothing: the business record answers 200 duplicate', async () => {
  const shopify = JSON.stringify(shopifyPayload());
  const woo = phpJson(wooPayload());
  const shopifyDelivery = { 'X-Shopify-Webhook-Id': `b54557e4-bdd9-4b37-8a5f-${randomInt(1e11, 1e12)}` };
  const wooDelivery = { 'X-WC-Webhook-Delivery-ID': `6c5f1f0e2d${randomInt(1e9, 1e10)}` };
  const app = appWithBusinessRecord(harness.client);
  const first = await Promise.all([sendShopify(shopify, shopifyDelivery, app), sendWoo(woo, wooDelivery, app)]);
  expect(first.map((r) => r.status)).toEqual([202, 202]);
  const orderIds: string[] = first.map((r) => r.body.orderId);
  for (const orderId of orderIds) await recordedOrder(orderId);

  const forgetful = await forgetfulTemporal();
  const later = appWithBusinessRecord(forgetful);
  const replays = await Promise.all([
    sendShopify(shopify, shopifyDelivery, later),
    sendWoo(woo, wooDelivery, later),
    // The same order under another delivery id: the order's record answers too.
    sendShopify(shopify, {}, later),
  ]);
  expect(replays.map((r) => [r.status, r.body.status, r.body.orderId])).toEqual([
    [200, 'duplicate', orderIds[0]],
    [200, 'duplicate', orderIds[1]],
    [200, 'duplicate', orderIds[0]],
  ]);
  for (const orderId of orderIds)
    await expect(forgetful.workflow.getHandle(orderWorkflowId(orderId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});

test('a missing, wrong or foreign signature is 401 invalid_signature and starts nothing', async () => {
  const shopify = shopifyPayload();
  const woo = wooPayload();
  const shopifyBody = JSON.stringify(shopify);
  const wooBody = phpJson(woo);
  const refused = await Promise.all([
    sendShopify(shopifyBody, { 'X-Shopify-Hmac-Sha256': '' }),
    sendShopify(shopifyBody, { 'X-Shopify-Hmac-Sha256': sign('not-the-app-secret', shopifyBody) }),
    // Signed with WooCommerce's secret: one storefront's secret never opens the other's door.
    sendShopify(shopifyBody, { 'X-Shopify-Hmac-Sha256': sign(TEST_STOREFRONT_SECRETS.woocommerce, shopifyBody) }),
    // A signature for other bytes: the body was changed on the way (a line added).
    sendShopify(JSON.stringify({ ...shopify, line_items: [...shopify.line_items, shopify.line_items[0]] }), {
      'X-Shopify-Hmac-Sha256': sign(TEST_STOREFRONT_SECRETS.shopify, shopifyBody),
    }),
    sendWoo(wooBody, { 'X-WC-Webhook-Signature': sign(TEST_STOREFRONT_SECRETS.woocommerce, JSON.stringify(woo)) }),
    sendWoo(wooBody, { 'X-WC-Webhook-Signature': 'bm90IGEgc2lnbmF0dXJl' }),
  ]);
  for (const res of refused) {
    expect([res.status, res.body.error]).toEqual([401, 'invalid_signature']);
    expect(res.body.message).toMatch(/X-(Shopify-Hmac-Sha256|WC-Webhook-Signature) is missing or does not match the body/);
  }
  await expectNotStarted(`shopify-${shopify.id}`);
  await expectNotStarted(`woo-${woo.id}`);
});

test('WooCommerce’s ping when a webhook is saved (form-encoded, unsigned) gets 200 and starts nothing', async () => {
  const ping = await request(harness.app)
    .post('/v1/webhooks/storefronts/woocommerce')
    .set('Content-Type', 'application/x-www-form-urlencoded')
    .set('User-Agent', 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)')
    .send('webhook_id=14')
    .expect(200);
  expect(ping.body).toEqual({ status: 'ping_received', webhookId: '14' });

  const notPing = await request(harness.app)
    .post('/v1/webhooks/storefronts/woocommerce')
    .set('Content-Type', 'application/x-www-form-urlencoded')
    .send('id=1')
    .expect(400);
  expect(notPing.body.issues).toEqual([expect.objectContaining({ path: 'webhook_id' })]);
  // Form bodies are let through for that route only.
  const elsewhere = await request(harness.app)
    .post('/v1/webhooks/storefronts/shopify')
    .set('Content-Type', 'application/x-www-form-urlencoded')
    .send('webhook_id=14');
  expect([elsewhere.status, elsewhere.body.error]).toEqual([415, 'unsupported_media_type']);
});

test('topics other than orders/create and order.created are acknowledged (202 ignored) and start nothing', async () => {
  const shopify = shopifyPayload();
  const woo = wooPayload();
  const updated = await sendShopify(JSON.stringify(shopify), { 'X-Shopify-Topic': 'orders/updated' }).expect(202);
  expect(updated.body).toEqual({ status: 'ignored', topic: 'orders/updated', message: 'only orders/create starts an order' });
  const wooUpdated = await sendWoo(phpJson(woo), { 'X-WC-Webhook-Topic': 'order.updated' }).expect(202);
  expect(wooUpdated.body.status).toBe('ignored');
  await expectNotStarted(`shopify-${shopify.id}`);
  await expectNotStarted(`woo-${woo.id}`);
});

test('an order we cannot ship is 422 unmappable_order naming the storefront’s field, and nothing is started', async () => {
  const noSku = shopifyPayload((p) => {
    p.line_items[1].sku = '';
  });
  const res = await sendShopify(JSON.stringify(noSku)).expect(422);
  expect(res.body.error).toBe('unmappable_order');
  expect(res.body.issues).toEqual([{ path: 'line_items.1.sku', message: 'a shipped line needs a SKU' }]);

  const wooNoSku = wooPayload((p) => {
    p.line_items[0].sku = '';
  });
  const wooRes = await sendWoo(phpJson(wooNoSku)).expect(422);
  expect(wooRes.body.issues).toEqual([{ path: 'line_items.0.sku', message: 'a shipped line needs a SKU' }]);

  const noAddress = shopifyPayload((p) => {
    p.shipping_address = null;
  });
  const addressRes = await sendShopify(JSON.stringify(noAddress)).expect(422);
  expect(addressRes.body.issues.map((i: { path: string }) => i.path)).toEqual(['shipping_address']);

  await expectNotStarted(`shopify-${noSku.id}`);
  await expectNotStarted(`woo-${wooNoSku.id}`);
  await expectNotStarted(`shopify-${noAddress.id}`);
});

describe('mapping rules', () => {
  test('Shopify: a line that ships nothing (a gift card) needs no SKU and is left out; card payment and standard shipping', () => {
    const order = shopifyOrder(
      shopifyPayload((p) => {
        p.line_items.push({ ...p.line_items[0], sku: null, requires_shipping: false, gift_card: true, title: 'Hediye Kartı' });
        p.payment_gateway_names = ['shopify_payments'];
        p.shipping_lines = [{ title: 'Standart Kargo', code: 'Standart Kargo' }];
      }),
    );
    expect(order.lines.map((l) => l.sku)).toEqual(['MUG-WHITE', 'CEZVE-COPPER-M']);
    expect(order.cashOnDelivery).toBeUndefined();
    expect(order.service).toBe('standard');
  });

  test('addresses outside Turkey keep their city; a Turkish city that is the province has no district', () => {
    const berlin = shopifyOrder(
      shopifyPayload((p) => {
        const berlinAddress = { city: 'Berlin', province: 'Berlin', zip: '10115', country_code: 'DE', address1: 'Müllerstraße 12' };
        p.shipping_address = { ...p.shipping_address, ...berlinAddress };
      }),
    );
    expect(berlin.shippingAddress).toMatchObject({ city: 'Berlin', countryCode: 'DE', line1: 'Müllerstraße 12' });
    expect(berlin.shippingAddress.district).toBeUndefined();

    const istanbul = wooOrder(
      wooPayload((p) => {
        Object.assign(p.shipping, { city: 'İSTANBUL', state: 'TR34' });
      }),
    );
    expect(istanbul.shippingAddress).toMatchObject({ city: 'İstanbul' });
    expect(istanbul.shippingAddress.district).toBeUndefined();
  });

  test("the state or province goes with the address as its code (Shopify's province_code, WooCommerce's state); Turkey's is the city already (issue 25)", () => {
    const usAddress = {
      city: 'New York',
      province: 'New York',
      province_code: 'NY',
      zip: '10118',
      country_code: 'US',
      address1: '350 5th Ave',
    };
    const newYork = shopifyOrder(
      shopifyPayload((p) => {
        p.shipping_address = { ...p.shipping_address, ...usAddress };
      }),
    );
    expect(newYork.shippingAddress).toMatchObject({ city: 'New York', stateCode: 'NY', postalCode: '10118', countryCode: 'US' });

    const tokyo = shopifyOrder(
      shopifyPayload((p) => {
        p.shipping_address = { ...p.shipping_address, city: 'Chiyoda', province_code: 'JP-13', zip: '100-0001', country_code: 'JP' };
      }),
    );
    expect(tokyo.shippingAddress.stateCode).toBe('13'); // ISO 3166-2 JP-13, without the country

    const toronto = wooOrder(
      wooPayload((p) => {
        Object.assign(p.shipping, { city: 'Toronto', state: 'ON', postcode: 'M5V 3L9', country: 'CA' });
      }),
    );
    expect(toronto.shippingAddress).toMatchObject({ city: 'Toronto', stateCode: 'ON', countryCode: 'CA' });

    // Shopify's TR-34 and WooCommerce's TR35 name the province, which is the city.
    expect(shopifyOrder(shopifyPayload()).shippingAddress.stateCode).toBeUndefined();
    expect(wooOrder(wooPayload()).shippingAddress.stateCode).toBeUndefined();
  });

  test('a US order whose state is none of the US states is unmappable, naming the field', () => {
    const payload = shopifyPayload((p) => {
      p.shipping_address = { ...p.shipping_address, city: 'Springfield', province_code: 'XX', zip: '62701', country_code: 'US' };
    });
    expect(() => shopifyOrder(payload)).toThrow(/shippingAddress\.stateCode: must be a US state or territory code/);
  });

  test('WooCommerce: a card payment is not cash on delivery; an express shipping method is express', () => {
    const order = wooOrder(
      wooPayload((p) => {
        p.payment_method = 'iyzico';
        p.shipping_lines[0] = { ...p.shipping_lines[0], method_title: 'Express Teslimat', method_id: 'flat_rate' };
      }),
    );
    expect(order.cashOnDelivery).toBeUndefined();
    expect(order.service).toBe('express');
  });
});
