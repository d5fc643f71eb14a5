// Amazon pushback end to end on real components: orders of an Amazon account change in PostgreSQL
// the way the order and shipment activities change them, the triggers fill the outbox, the outbox
// pump wakes the account's dispatcher workflow on the Temporal dev server, and the Amazon double
// (over HTTP, checked against orders-v0.json) receives confirmShipment through injected faults.
// A refusal is held for ops, the account's other packages go on, and ops settle it through the API.
import { randomUUID } from 'node:crypto';
import type { OrderInput } from '../../domain/order';
import type { ShipmentView, TrackingStatus } from '../../domain/shipment';
import { createPool } from '../../lib/db';
import { logger } from '../../lib/logger';
import { amazonDouble, TURKEY_MARKETPLACE_ID, type AmazonState } from '../../sandbox/marketplaces/amazon';
import { marketplaceSubscribers, syncSubscribers } from '../../activities/webhooks/subscribers';
import { marketplaceAdapter } from '../../marketplaces/registry';

import { startOutboxPump, type OutboxPump } from '../../workers/outbox-pump';
import { webhookDispatcherWorkflowId } from '../../workflows/definitions';
import { amazonAgainstDouble, placeAmazonOrder, connectAmazonAccount } from '../helpers/amazon';
import { eventually, startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';
import { TEST_DATABASE_URL } from '../helpers/env';
import { deliveriesOf, labelParcel, recordStartedPackage, scanParcel } from '../helpers/marketplace-pushback';

const RUN = randomUUID().slice(0, 8);
const SKUS = [`PB-${RUN}-A`, `PB-${RUN}-B`];
const accountId = `amazon-pb${RUN}-${TURKEY_MARKETPLACE_ID.toLowerCase()}`;
const subscriberId = `mkt-${accountId}`;

let sandbox: DoubleSandbox<AmazonState>;
let harness: ApiHarness;
let pump: OutboxPump;

beforeAll(async () => {
  sandbox = await startDouble(amazonDouble);
  const pool = createPool(TEST_DATABASE_URL);
  await connectAmazonAccount(pool, accountId, { name: 'Amazon TR (pushback test)' });
  // As the worker makes them at start: every account of the test database that is not disabled.
  const subscribers = (await marketplaceSubscribers(pool)).filter((s) => s.accountId === accountId);
  await pool.end();
  harness = await startApiHarness(
    [],
    {},
    { webhooks: { subscribers, publicBaseUrl: 'https://track.shop.example' }, marketplaces: amazonAgainstDouble(sandbox.baseUrl, []) },
  );
  pump = await startOutboxPump({
    client: harness.client,
    pool: harness.pool,
    databaseUrl: TEST_DATABASE_URL,
    subscribers,
    taskQueue: 'orders',
    logger: logger.child({}, { level: 'silent' }),
  });
}, 120_000);

afterAll(async () => {
  await pump?.stop();
  await harness?.client.workflow
    .getHandle(webhookDispatcherWorkflowId(subscriberId))
    .terminate('test over')
    .catch(() => undefined);
  await harness?.pool.query('DELETE FROM webhook_subscribers WHERE subscriber_id = $1', [subscriberId]);
  await harness?.pool.query(`UPDATE marketplace_accounts SET status = 'disabled' WHERE account_id = $1`, [accountId]);
  await harness?.stop();
  await sandbox?.close();
});

beforeEach(() => sandbox.state.faults.clear());

/** An Amazon order as intake leaves it: placed in the double, its package and lines recorded, its order and stock held. */
async function amazonOrder(
  items: { sku: string; quantity: number }[],
): Promise<{ amazonOrderId: string; order: OrderInput; itemIds: string[] }> {
  const placed = placeAmazonOrder(sandbox.state, { items: items.map((i) => ({ sellerSku: i.sku, quantity: i.quantity, itemPrice: 100 })) });
  const { amazonOrderId } = placed;
  const itemIds = sandbox.state.orders.get(amazonOrderId)!.items.map((i) => i.orderItemId);
  const lines = items.map((item, n) => ({ ...item, lineId: itemIds[n] }));
  const base = { accountId, packageId: amazonOrderId, marketplaceOrderId: amazonOrderId, status: 'Unshipped' };
  const order = await recordStartedPackage(harness.pool, { ...base, channel: 'amazon', orderId: `amz-${amazonOrderId}`, lines });
  return { amazonOrderId, order, itemIds };
}

/** The order's parcel labelled with Yurtiçi, and the carrier's scans of it, as the shipment activities record them. */
const labelled = (orderId: string) => labelParcel(harness.pool, orderId);
const scan = (orderId: string, view: ShipmentView, steps: TrackingStatus[]) => scanParcel(harness.pool, orderId, view, steps);

/** A labelled parcel of the order, scanned through `steps`. */
async function parcelLife(orderId: string, steps: TrackingStatus[]): Promise<ShipmentView> {
  const view = await labelled(orderId);
  await scan(orderId, view, steps);
  return view;
}

/** What the account's subscriber has done with each of the order's events: delivered, pending, refused, dropped. */
const deliveries = (orderId: string) => deliveriesOf(harness.pool, subscriberId, orderId);

const confirmations = (amazonOrderId?: string) =>
  sandbox.state.pushes.filter((p) => p.operation === 'confirmShipment' && (amazonOrderId === undefined || p.orderId === amazonOrderId));

test("a parcel's first carrier scan confirms its shipment on Amazon once, in Amazon's item ids, through 429s and 503s; later scans send nothing", async () => {
  sandbox.state.faults.add({ kind: 'rate-limit', on: ['confirmShipment'], times: 2, retryAfterSeconds: 1, probability: 1, seed: 1 });
  sandbox.state.faults.add({ kind: 'error', on: ['confirmShipment'], times: 1, status: 503, probability: 1, seed: 1 });
  const first = await amazonOrder([
    { sku: SKUS[0], quantity: 2 },
    { sku: SKUS[1], quantity: 1 },
  ]);
  const second = await amazonOrder([{ sku: SKUS[1], quantity: 3 }]);
  const firstParcel = await parcelLife(first.order.orderId, ['picked_up']);
  await parcelLife(second.order.orderId, ['in_transit']);

  await eventually(
    () => Promise.resolve(confirmations().filter((p) => p.status === 204)),
    (c) => c.length >= 2,
    60,
  );
  // The faults were met (the double answers them before it takes a call), then each parcel once, the first scanned first.
  const answered = sandbox.calls.filter((c) => c.path.endsWith('/shipmentConfirmation')).map((c) => c.status);
  expect(answered.slice(0, 3)).toEqual([429, 429, 503]);
  expect(confirmations().map((p) => [p.orderId, p.status])).toEqual([
    [first.amazonOrderId, 204],
    [second.amazonOrderId, 204],
  ]);
  expect(confirmations(first.amazonOrderId)[0].body).toEqual({
    marketplaceId: TURKEY_MARKETPLACE_ID,
    packageDetail: {
      packageReferenceId: '1',
      carrierCode: 'Other',
      carrierName: 'Yurtiçi Kargo',
      trackingNumber: firstParcel.trackingNumber,
      shipDate: firstParcel.events[0].occurredAt, // the carrier's first scan
      orderItems: [
        { orderItemId: first.itemIds[0], quantity: 2 },
        { orderItemId: first.itemIds[1], quantity: 1 },
      ],
    },
  });
  expect(sandbox.state.orders.get(first.amazonOrderId)!.status).toBe('Shipped');
  expect(sandbox.state.orders.get(second.amazonOrderId)!.status).toBe('Shipped');

  // Later scans of the same parcel are delivered to the subscriber and tell Amazon nothing more.
  await scan(first.order.orderId, firstParcel, ['in_transit', 'delivered']);
  const statuses = await eventually(
    () => deliveries(first.order.orderId),
    (s) => s.length === 3 && s.every((x) => x === 'delivered'),
    30,
  );
  expect(statuses).toEqual(['delivered', 'delivered', 'delivered']);
  expect(confirmations(first.amazonOrderId)).toHaveLength(1);
}, 90_000);

test('a package Amazon refuses is held for ops with its later news, the others go on, and ops retry or drop it through the API', async () => {
  const refused = await amazonOrder([{ sku: SKUS[0], quantity: 1 }]);
  const dropped = await amazonOrder([{ sku: SKUS[0], quantity: 1 }]);
  const fine = await amazonOrder([{ sku: SKUS[1], quantity: 1 }]);
  // Cancelled at Amazon after we took them: Amazon refuses to confirm a shipment of a cancelled order.
  for (const { amazonOrderId } of [refused, dropped]) sandbox.state.orders.get(amazonOrderId)!.status = 'Canceled';
  const refusedParcel = await parcelLife(refused.order.orderId, ['picked_up']);
  const droppedParcel = await parcelLife(dropped.order.orderId, ['picked_up']);
  await parcelLife(fine.order.orderId, ['picked_up']);

  await eventually(
    () => Promise.resolve(confirmations(fine.amazonOrderId)),
    (c) => c.length === 1,
    60,
  );
  expect(confirmations(fine.amazonOrderId).map((p) => p.status)).toEqual([204]);
  expect(confirmations(refused.amazonOrderId).map((p) => p.status)).toEqual([400]);
  expect(await deliveries(refused.order.orderId)).toEqual(['refused']);

  // Ops see it: the account counts it, its pushes name the reason, an alert names the parcel.
  const { api } = harness;
  const accounts = await api.get('/v1/marketplace-accounts').expect(200);
  expect(accounts.body.accounts.find((a: { accountId: string }) => a.accountId === accountId).refusedPushes).toBe(2);
  const pushes = await api.get(`/v1/marketplace-accounts/${accountId}/pushes`).expect(200);
  const held = pushes.body.refused.find((p: { orderId: string }) => p.orderId === refused.order.orderId);
  expect(held).toMatchObject({ type: 'shipment.tracking_updated', shipmentId: `shipment-${refused.order.orderId}-1` });
  expect(held.reason).toMatch(/HTTP 400.*order is Canceled/);
  expect(pushes.body.pushed).toEqual(
    expect.arrayContaining([expect.objectContaining({ packageId: fine.amazonOrderId, command: 'shipped' })]),
  );
  const alert = await harness.pool.query(
    `SELECT resolved_at FROM ops_alerts WHERE shipment_id = $1 AND kind = 'marketplace_push_refused'`,
    [held.shipmentId],
  );
  expect(alert.rows).toEqual([{ resolved_at: null }]);

  // The refused order's later news waits behind the refusal, while news of others passes it.
  await scan(refused.order.orderId, refusedParcel, ['in_transit']);
  const later = await amazonOrder([{ sku: SKUS[1], quantity: 1 }]);
  await parcelLife(later.order.orderId, ['picked_up']);
  expect(
    await eventually(
      () => deliveries(later.order.orderId),
      (s) => s[0] === 'delivered',
      30,
    ),
  ).toEqual(['delivered']);
  expect(await deliveries(refused.order.orderId)).toEqual(['refused', 'pending']);

  // Ops fix it at Amazon and retry: confirmed, the held scan follows, the alert is resolved.
  sandbox.state.orders.get(refused.amazonOrderId)!.status = 'Unshipped';
  await api.post(`/v1/marketplace-accounts/${accountId}/pushes/${held.eventId}/retry`).expect(200, {
    eventId: held.eventId,
    orderId: refused.order.orderId,
    status: 'pending',
  });
  expect(
    await eventually(
      () => deliveries(refused.order.orderId),
      (s) => s.every((x) => x === 'delivered'),
      30,
    ),
  ).toEqual(['delivered', 'delivered']);
  expect(confirmations(refused.amazonOrderId).map((p) => p.status)).toEqual([400, 204]);
  const resolved = await harness.pool.query(
    `SELECT resolved_at FROM ops_alerts WHERE shipment_id = $1 AND kind = 'marketplace_push_refused'`,
    [held.shipmentId],
  );
  expect(resolved.rows[0].resolved_at).not.toBeNull();

  // The other is given up: dropped, and its parcel's next scan does not ask Amazon again.
  const other = pushes.body.refused.find((p: { orderId: string }) => p.orderId === dropped.order.orderId);
  await api.post(`/v1/marketplace-accounts/${accountId}/pushes/${other.eventId}/drop`).expect(200);
  expect(await deliveries(dropped.order.orderId)).toEqual(['dropped']);
  await scan(dropped.order.orderId, droppedParcel, ['in_transit']);
  expect(
    await eventually(
      () => deliveries(dropped.order.orderId),
      (s) => s[1] === 'delivered',
      30,
    ),
  ).toEqual(['dropped', 'delivered']);
  const again = await api.post(`/v1/marketplace-accounts/${accountId}/pushes/${other.eventId}/retry`).expect(409);
  expect(again.body.error).toBe('push_not_refused');
  await api.post(`/v1/marketplace-accounts/${accountId}/pushes/${randomUUID()}/drop`).expect(404);
  const bad = await api.post(`/v1/marketplace-accounts/${accountId}/pushes/not-an-event/drop`).expect(400);
  expect(JSON.stringify(bad.body)).toMatch(/eventId/);
  expect(confirmations(dropped.amazonOrderId)).toHaveLength(1);
}, 120_000);

test('a credential Amazon no longer takes is not a refusal: the push is retried (ops fix the credential, not each parcel)', async () => {
  const account = { accountId, marketplace: 'amazon', sellerRef: 'A2SANDBOXSELLER', settings: { marketplaceId: TURKEY_MARKETPLACE_ID } };
  const revoked = { [accountId]: { baseUrl: sandbox.baseUrl, lwaUrl: `${sandbox.baseUrl}/auth/o2/token`, refreshToken: 'Atzr|revoked' } };
  const adapter = marketplaceAdapter(account, revoked, { timeoutMs: 5_000 });
  const parcel = {
    packageId: 'x',
    parcelNumber: 1,
    carrier: 'aras',
    carrierName: 'Aras Kargo',
    trackingNumber: 'AR1',
    shippedAt: new Date().toISOString(),
    lines: [],
  };
  await expect(adapter.pushShipped!(parcel)).rejects.toMatchObject({ type: 'MarketplaceAuthRefused', nonRetryable: false });
});

test('a worker that does not know a marketplace account leaves its subscriber on: it is not configuration', async () => {
  await syncSubscribers(harness.pool, []);
  const { rows } = await harness.pool.query('SELECT active FROM webhook_subscribers WHERE subscriber_id = $1', [subscriberId]);
  expect(rows).toEqual([{ active: true }]);
});
