// Outbound webhooks end to end: business records change in PostgreSQL (as the activities change
// them), the triggers fill the outbox, the outbox pump wakes the subscriber's dispatcher workflow
// on the real Temporal dev server, and the sandbox's inbox (a real HTTP subscriber) receives
// signed events, in order, through faults and a pause. Storefront adapters are checked against a
// local stub of Shopify's and WooCommerce's APIs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import express from 'express';
import { randomUUID } from 'node:crypto';
import { createOrderActivities } from '../../activities/orders';
import { createShipmentActivities } from '../../activities/shipments';
import { pushFor } from '../../activities/webhooks';
import type { OutboundEvent } from '../../domain/webhooks';
import { SubscribersSchema, type Subscriber } from '../../domain/webhooks';
import type { OrderInput } from '../../domain/order';
import type { ShipmentView } from '../../domain/shipment';
import { logger } from '../../lib/logger';
import { startSandbox, type RunningSandbox } from '../../sandbox/main';
import { SANDBOX_INBOX_SECRETS, type InboxDelivery } from '../../sandbox/inbox';
import { storefrontsDouble, type StorefrontsState } from '../../sandbox/storefronts';
import { shopifyOrder } from '../../api/storefronts/shopify';
import { wooOrder } from '../../api/storefronts/woocommerce';
import { startOutboxPump, type OutboxPump } from '../../workers/outbox-pump';
import { searchAttributes } from '../../workflows/definitions';
import { eventually, startApiHarness, TEST_KEYS, type ApiHarness } from '../helpers/api-harness';
import { keepForCorpus } from '../helpers/history-corpus';
import { listen } from '../helpers/carrier-sandbox';
import { ROOT, TEST_DATABASE_URL } from '../helpers/env';
import { sampleOrder } from '../helpers/orders';

const run = randomUUID().slice(0, 8);
const channel = `hooks${run}`; // only this file's orders reach this file's subscribers
let sandbox: RunningSandbox;
let harness: ApiHarness;
let pump: OutboxPump;
let subscriber: Subscriber;
/** The storefronts this file's Shopify and WooCommerce orders are pushed back to, each on a channel of its own. */
const storeChannels = { shopify: `shop${run}`, woocommerce: `woo${run}` };
const STORE_CREDENTIALS = { shopifyAccessToken: `shpat_${run}`, wooConsumerKey: `ck_${run}`, wooConsumerSecret: `cs_${run}` };
let stores: { url: string; state: StorefrontsState; close(): Promise<void> };
/** A store whose every answer is a 500 quoting our token and a customer at length. */
const leaky = { channel: `leaky${run}`, accessToken: `shpat_${randomUUID().replace(/-/g, '')}`, email: 'ayse.yilmaz@example.com' };
let leakyStore: { url: string; close(): Promise<void> };
let storeSubscribers: Subscriber[];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  const double = storefrontsDouble(STORE_CREDENTIALS);
  stores = { ...(await listen(double.app)), state: double.state };
  leakyStore = await listen(
    express().use((_req, res) => {
      const errors = `[API] Invalid API key or access token ${leaky.accessToken} for the shop of ${leaky.email}, +90 532 111 22 33`;
      res.status(500).json({ errors, trace: 'x'.repeat(10_000) });
    }),
  );
  [subscriber, ...storeSubscribers] = SubscribersSchema.parse([
    {
      id: `oms-${run}`,
      kind: 'webhook',
      url: `${sandbox.url}/inbox/oms`,
      secret: SANDBOX_INBOX_SECRETS.oms,
      channels: [channel],
      maxAttempts: 3,
    },
    {
      id: `shop-${run}`,
      kind: 'shopify',
      url: stores.url,
      accessToken: STORE_CREDENTIALS.shopifyAccessToken,
      channels: [storeChannels.shopify],
      maxAttempts: 3,
    },
    {
      id: `woo-${run}`,
      kind: 'woocommerce',
      url: stores.url,
      consumerKey: STORE_CREDENTIALS.wooConsumerKey,
      consumerSecret: STORE_CREDENTIALS.wooConsumerSecret,
      channels: [storeChannels.woocommerce],
      maxAttempts: 3,
    },
    { id: `leaky-${run}`, kind: 'shopify', url: leakyStore.url, accessToken: leaky.accessToken, channels: [leaky.channel], maxAttempts: 1 },
  ]);
  const subscribers = [subscriber, ...storeSubscribers];
  harness = await startApiHarness([], {}, { webhooks: { subscribers, publicBaseUrl: 'https://track.shop.example' } });
  pump = await startOutboxPump({
    client: harness.client,
    pool: harness.pool,
    databaseUrl: TEST_DATABASE_URL,
    subscribers,
    taskQueue: 'orders',
    logger: logger.child({}, { level: 'silent' }),
  });
}, 60_000);
afterAll(async () => {
  await pump?.stop();
  const dispatcher = harness?.client.workflow.getHandle(`webhooks-${subscriber.id}`);
  await dispatcher?.terminate('test over').catch(() => undefined);
  const history = await dispatcher?.fetchHistory().catch(() => undefined);
  if (history) keepForCorpus('outbound webhooks', 'dispatcher', history);
  for (const s of storeSubscribers ?? [])
    await harness?.client.workflow
      .getHandle(`webhooks-${s.id}`)
      .terminate('test over')
      .catch(() => undefined);
  await harness?.pool.query('DELETE FROM webhook_subscribers WHERE subscriber_id = ANY ($1)', [
    [subscriber, ...(storeSubscribers ?? [])].map((s) => s?.id),
  ]);
  await harness?.stop();
  await sandbox?.close();
  await stores?.close();
  await leakyStore?.close();
});
beforeEach(() => sandbox.state.inbox.reset());

/** What an order's life writes to the records, the way the order and shipment activities write it. */
async function orderLife(order: OrderInput, steps: ('labelled' | 'in_transit' | 'delivered')[]): Promise<void> {
  const orders = createOrderActivities(harness.pool);
  const shipments = createShipmentActivities(harness.pool);
  await orders.recordOrder({ order, workflowId: `order-${order.orderId}`, receivedAt: new Date().toISOString() });
  await orders.recordStatus({ orderId: order.orderId, seq: 1, status: 'allocated', at: new Date().toISOString() });
  const view: ShipmentView = {
    shipmentId: `shipment-${order.orderId}-1`,
    kind: 'outbound',
    warehouseId: 'IST-1',
    lines: [],
    status: 'packing',
    events: [],
  };
  let seq = 2;
  for (const step of steps) {
    if (step === 'labelled')
      Object.assign(view, { status: 'labelled', carrier: 'yurtici', trackingNumber: `YK${run}${order.orderId.slice(-6)}` });
    else {
      view.status = step;
      view.events = [
        ...view.events,
        {
          eventId: `${step}-1`,
          trackingNumber: view.trackingNumber!,
          status: step,
          occurredAt: new Date().toISOString(),
          location: 'İstanbul',
        },
      ];
    }
    await shipments.recordShipment({ orderId: order.orderId, view });
    await orders.recordStatus({
      orderId: order.orderId,
      seq: seq++,
      status: step === 'labelled' ? 'labelled' : step,
      at: new Date().toISOString(),
    });
  }
}

const inboxFor = (orderId: string) => () =>
  Promise.resolve(sandbox.state.inbox.deliveries.filter((d) => (d.body as OutboundEvent | undefined)?.data.orderId === orderId));
const typesOf = (deliveries: InboxDelivery[]) => deliveries.map((d) => d.type);

/** The verification snippet exactly as the README documents it. */
function readmeVerifier(): (raw: string, signature: string, secret: string) => boolean {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const snippet = /### Verifying our webhooks[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!snippet) throw new Error('README has no verification snippet');
  // Compiled as a function of `require` (the snippet's one import), named after its source so a failure points at the README.
  return compileFunction(`${snippet}\nreturn verifyWebhook;`, ['require'], { filename: 'README.md' })(require);
}

test("an order's status changes, label, scans and delivery reach the subscriber signed, in order, each once", async () => {
  const order = sampleOrder({ channel });
  await orderLife(order, ['labelled', 'in_transit', 'delivered']);

  const received = await eventually(inboxFor(order.orderId), (d) => d.length >= 8, 30);
  expect(typesOf(received)).toEqual([
    'order.status_changed', // received → allocated
    'shipment.labelled',
    'order.status_changed',
    'shipment.tracking_updated',
    'order.status_changed',
    'shipment.tracking_updated',
    'shipment.delivered',
    'order.status_changed',
  ]);
  expect(received.every((d) => d.signatureValid)).toBe(true);
  expect(new Set(received.map((d) => d.eventId)).size).toBe(received.length);
  const labelled = received.find((d) => d.type === 'shipment.labelled')!.body as OutboundEvent;
  expect(labelled.data).toMatchObject({
    orderId: order.orderId,
    carrier: 'yurtici',
    trackingUrl: `https://track.shop.example/track/${labelled.data.trackingNumber}`,
  });
  expect((received.at(-1)!.body as OutboundEvent).data).toMatchObject({ from: 'in_transit', to: 'delivered' });

  const verify = readmeVerifier();
  for (const d of received) expect(verify(d.raw, d.signature!, SANDBOX_INBOX_SECRETS.oms)).toBe(true);
  expect(verify(received[0].raw.replace('allocated', 'cancelled'), received[0].signature!, SANDBOX_INBOX_SECRETS.oms)).toBe(false);
  expect(verify(received[0].raw, received[0].signature!, 'another-secret-of-sixteen')).toBe(false);
}, 45_000);

test('a flaky subscriber gets the event once it recovers; the outbox counts the attempts', async () => {
  sandbox.state.inbox.faults.add({ kind: 'error', status: 503, times: 2, probability: 1, seed: 1 });
  const order = sampleOrder({ channel });
  await orderLife(order, []);

  const received = await eventually(inboxFor(order.orderId), (d) => d.length >= 1, 30);
  expect(typesOf(received)).toEqual(['order.status_changed']);
  // The delivery is recorded once the subscriber has answered: a moment after the inbox shows it.
  const { rows } = await eventually(
    () =>
      harness.pool.query(
        `SELECT d.status, d.attempts FROM webhook_deliveries d JOIN outbound_events e USING (event_id) WHERE d.subscriber_id = $1 AND e.order_id = $2`,
        [subscriber.id, order.orderId],
      ),
    (result) => result.rows[0]?.status !== 'pending',
    10,
  );
  expect(rows).toEqual([{ status: 'delivered', attempts: 3 }]);
}, 45_000);

test('a subscriber that keeps failing is paused for ops with its events kept; resumed, it gets them all in order', async () => {
  sandbox.state.inbox.faults.add({ kind: 'down', probability: 1, seed: 1 });
  const first = sampleOrder({ channel });
  await orderLife(first, ['labelled']);

  const ops = harness.api;
  const paused = await eventually(
    async () =>
      (await ops.get('/v1/webhook-subscribers').expect(200)).body.subscribers.find(
        (s: { subscriberId: string }) => s.subscriberId === subscriber.id,
      ),
    (s) => s?.pausedAt !== null,
    30,
  );
  expect(paused).toMatchObject({ pending: 3, pausedReason: expect.stringContaining('503'), lastError: expect.stringContaining('503') });
  const dispatcher = await harness.client.workflow.getHandle(`webhooks-${subscriber.id}`).describe();
  expect(dispatcher.typedSearchAttributes.get(searchAttributes.NeedsAttention)).toBe(true);

  const second = sampleOrder({ channel }); // events keep coming while it is paused
  await orderLife(second, []);
  sandbox.state.inbox.faults.clear();
  await ops.post(`/v1/webhook-subscribers/${subscriber.id}/resume`).set('Authorization', `Bearer ${TEST_KEYS.ops}`).expect(202);

  const all = await eventually(
    () => Promise.resolve(sandbox.state.inbox.deliveries.filter((d) => d.signatureValid)),
    (d) => d.length >= 4,
    30,
  );
  const orderIds = all.map((d) => (d.body as OutboundEvent).data.orderId);
  expect(orderIds).toEqual([first.orderId, first.orderId, first.orderId, second.orderId]);
  expect(typesOf(all)).toEqual(['order.status_changed', 'shipment.labelled', 'order.status_changed', 'order.status_changed']);
  await ops.post(`/v1/webhook-subscribers/${subscriber.id}/resume`).expect(409); // not paused any more
  await ops.post('/v1/webhook-subscribers/nobody/resume').expect(404);
}, 60_000);

describe("a storefront's order is updated under the store's own id", () => {
  const fixture = (name: string) => JSON.parse(readFileSync(join(ROOT, 'test/fixtures/storefronts', name), 'utf8'));
  /** The store's id shapes: Shopify's 13-digit ids, WooCommerce's post ids. */
  const shopifyId = () => 5_809_000_000_000 + Math.floor(Math.random() * 1e9);
  const wooId = () => 8_000 + Math.floor(Math.random() * 1e6);
  const trackingNumberOf = (orderId: string) => `YK${run}${orderId.slice(-6)}`; // as orderLife labels it

  test('Shopify: the tracking number and the scans reach the order the store knows', async () => {
    const storeOrderId = shopifyId();
    const order = { ...shopifyOrder({ ...fixture('shopify-orders-create.json'), id: storeOrderId }), channel: storeChannels.shopify };
    const inStore = stores.state.seedShopifyOrder(String(storeOrderId));

    await orderLife(order, ['labelled', 'in_transit']);

    await eventually(
      () => Promise.resolve(inStore.fulfillments),
      (f) => f[0]?.events.length === 1,
      30,
    );
    expect(inStore.fulfillments).toEqual([
      expect.objectContaining({
        tracking_number: trackingNumberOf(order.orderId),
        tracking_company: 'Yurtiçi Kargo',
        events: [expect.objectContaining({ status: 'in_transit' })],
      }),
    ]);
  }, 45_000);

  test('WooCommerce: the tracking note and the delivery reach the order the store knows', async () => {
    const storeOrderId = wooId();
    const order = { ...wooOrder({ ...fixture('woocommerce-order-created.json'), id: storeOrderId }), channel: storeChannels.woocommerce };
    const inStore = stores.state.seedWooOrder(String(storeOrderId));

    await orderLife(order, ['labelled', 'in_transit', 'delivered']);

    await eventually(
      () => Promise.resolve(inStore),
      (o) => o.status === 'completed',
      30,
    );
    expect(inStore.notes).toEqual([{ note: expect.stringContaining(trackingNumberOf(order.orderId)), customer_note: true }]);
  }, 45_000);
});

test('a far end failing with a long answer that quotes our token and a customer leaves ops a short, clean error', async () => {
  const order = { ...sampleOrder({ channel: leaky.channel }), externalId: '5809162584231' };
  await orderLife(order, ['labelled']);

  const paused = await eventually(
    async () =>
      (await harness.api.get('/v1/webhook-subscribers').expect(200)).body.subscribers.find(
        (s: { subscriberId: string }) => s.subscriberId === `leaky-${run}`,
      ),
    (s) => Boolean(s?.lastError && s.pausedReason),
    30,
  );
  expect(paused.lastError).toMatch(/^GET \/admin\/api\/2025-01\/orders\/5809162584231\/fulfillments\.json answered 500: .*Invalid API key/);
  for (const text of [paused.lastError, paused.pausedReason]) {
    expect(text.length).toBeLessThanOrEqual(300);
    for (const leak of [leaky.accessToken, leaky.email, '532 111 22 33', 'xxxxxxxxxx']) expect(text).not.toContain(leak);
  }
}, 45_000);

describe("storefront adapters call the storefront's own API", () => {
  const calls: { method: string; path: string; body: unknown; auth?: string }[] = [];
  let store: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    const app = express();
    app.use(express.json());
    app.use((req, _res, next) => {
      calls.push({
        method: req.method,
        path: req.path,
        body: req.body,
        auth: req.get('x-shopify-access-token') ?? req.get('authorization'),
      });
      next();
    });
    app.get('/admin/api/2025-01/orders/:id/fulfillments.json', (_req, res) => {
      res.json({
        fulfillments: calls.some((c) => c.path === '/admin/api/2025-01/fulfillments.json') ? [{ id: 77, tracking_number: 'YK1' }] : [],
      });
    });
    app.get('/admin/api/2025-01/orders/:id/fulfillment_orders.json', (_req, res) => {
      res.json({
        fulfillment_orders: [
          { id: 5001, status: 'open' },
          { id: 5002, status: 'closed' },
        ],
      });
    });
    app.use((_req, res) => {
      res.status(201).json({});
    });
    store = await listen(app);
  });
  afterAll(() => store.close());
  beforeEach(() => void calls.splice(0));

  const event = (type: OutboundEvent['type'], data: Partial<OutboundEvent['data']> = {}): OutboundEvent => ({
    id: randomUUID(),
    type,
    occurredAt: new Date().toISOString(),
    data: {
      orderId: 'shopify-4501',
      externalOrderId: '4501',
      carrier: 'yurtici',
      trackingNumber: 'YK1',
      trackingUrl: 'https://t.example/track/YK1',
      ...data,
    },
  });

  test('Shopify: a fulfillment with the tracking number once, fulfillment events as the parcel moves, the order cancelled', async () => {
    const [shopify] = SubscribersSchema.parse([{ id: 'shop', kind: 'shopify', url: store.url, accessToken: 'shpat_test' }]);
    const push = pushFor(shopify);

    await push(event('shipment.labelled'));
    await push(event('shipment.labelled')); // redelivered: already fulfilled, nothing created
    await push(event('shipment.tracking_updated', { status: 'out_for_delivery', scannedAt: '2026-11-30T09:00:00.000Z' }));
    await push(event('order.status_changed'));
    await push(event('order.cancelled'));

    const writes = calls.filter((c) => c.method === 'POST');
    expect(writes.map((c) => c.path)).toEqual([
      '/admin/api/2025-01/fulfillments.json',
      '/admin/api/2025-01/orders/4501/fulfillments/77/events.json',
      '/admin/api/2025-01/orders/4501/cancel.json',
    ]);
    expect(writes[0].body).toEqual({
      fulfillment: {
        line_items_by_fulfillment_order: [{ fulfillment_order_id: 5001 }],
        tracking_info: { company: 'Yurtiçi Kargo', number: 'YK1', url: 'https://t.example/track/YK1' },
        notify_customer: false,
      },
    });
    expect(writes[1].body).toEqual({ event: { status: 'out_for_delivery', happened_at: '2026-11-30T09:00:00.000Z' } });
    expect(calls.every((c) => c.auth === 'shpat_test')).toBe(true);
  });

  test('WooCommerce: a customer note with the tracking link, completed when delivered, cancelled', async () => {
    const [woo] = SubscribersSchema.parse([
      { id: 'woo', kind: 'woocommerce', url: store.url, consumerKey: 'ck_1', consumerSecret: 'cs_1' },
    ]);
    const push = pushFor(woo);

    await push(event('shipment.labelled', { externalOrderId: '812' }));
    await push(event('shipment.tracking_updated', { externalOrderId: '812' }));
    await push(event('shipment.delivered', { externalOrderId: '812' }));
    await push(event('order.cancelled', { externalOrderId: '812' }));

    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /wp-json/wc/v3/orders/812/notes',
      'PUT /wp-json/wc/v3/orders/812',
      'PUT /wp-json/wc/v3/orders/812',
    ]);
    expect(calls[0].body).toEqual({
      note: 'Shipped with Yurtiçi Kargo, tracking number YK1: https://t.example/track/YK1',
      customer_note: true,
    });
    expect(calls.slice(1).map((c) => c.body)).toEqual([{ status: 'completed' }, { status: 'cancelled' }]);
    expect(calls[0].auth).toBe(`Basic ${Buffer.from('ck_1:cs_1').toString('base64')}`);
  });

  test('a redirect is a failure with its status, never followed: our token and signature go nowhere else', async () => {
    const reached: string[] = [];
    const elsewhere = await listen(
      express().use((req, res) => {
        reached.push(`${req.method} ${req.path}`);
        res.status(201).json({});
      }),
    );
    const moved = await listen(express().use((req, res) => res.redirect(307, `${elsewhere.url}${req.originalUrl}`)));
    const subscribers = SubscribersSchema.parse([
      { id: 'moved-shop', kind: 'shopify', url: moved.url, accessToken: 'shpat_moved' },
      { id: 'moved-woo', kind: 'woocommerce', url: moved.url, consumerKey: 'ck_1', consumerSecret: 'cs_1' },
      { id: 'moved-oms', kind: 'webhook', url: `${moved.url}/hooks`, secret: 'a-secret-of-sixteen-chars' },
    ]);
    try {
      for (const s of subscribers) {
        await expect(pushFor(s)(event('order.cancelled'))).rejects.toMatchObject({
          status: 307,
          message: expect.stringMatching(/answered 307: a redirect, not followed$/),
        });
      }
      expect(reached).toEqual([]);
    } finally {
      await Promise.all([elsewhere.close(), moved.close()]);
    }
  });

  test('a storefront out of reach is a failure naming the call (so the dispatcher retries it)', async () => {
    const [badUrl] = SubscribersSchema.parse([{ id: 'shop2', kind: 'shopify', url: 'http://127.0.0.1:1', accessToken: 'x' }]);
    await expect(pushFor(badUrl)(event('order.cancelled'))).rejects.toThrow(/POST \/admin\/api\/2025-01\/orders\/4501\/cancel\.json/);
  });
});
