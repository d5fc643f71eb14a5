// Connecting and disconnecting a seller account through the API (issue 20), with no worker restart:
// the account's schedule is made at once and pulls its orders; its outbox subscriber keeps its
// orders' news; DELETE stops both. Real components: the Amazon double over HTTP, PostgreSQL, the
// Temporal dev server with the workers the harness runs.
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError } from '@temporalio/client';
import { startOrder } from '../../api/order-start';
import { amazonDouble, TURKEY_MARKETPLACE_ID, type AmazonState } from '../../sandbox/marketplaces/amazon';
import { marketplacePullScheduleId } from '../../workflows/definitions';
import { logger } from '../../lib/logger';
import { startOutboxPump, type OutboxPump } from '../../workers/outbox-pump';
import { createWebhookActivities } from '../../activities/webhooks';
import { marketplaceSubscriber, syncSubscribers } from '../../activities/webhooks/subscribers';
import { marketplacePullWorkflow } from '../../workflows/marketplace-pull';
import { trackingEventSignal, webhookDispatcherWorkflowId } from '../../workflows/definitions';
import { amazonAgainstDouble, placeAmazonOrder } from '../helpers/amazon';
import { TEST_DATABASE_URL } from '../helpers/env';
import { MemoryCarrier, scan } from '../helpers/memory-carrier';
import { createWarehouse, setStock } from '../helpers/stock';
import { authorized, createTestApp, eventually, startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';
import { parcelHandle } from '../helpers/parcels';

const RUN = randomUUID().slice(0, 8);
const SKU = `AC-${RUN}`;
const accountId = `amazon-ac${RUN}-${TURKEY_MARKETPLACE_ID.toLowerCase()}`;
/** The run's own seller: a seller has one account, and the test database keeps every run's. */
const SELLER = `A2AC${RUN.toUpperCase()}`;

let sandbox: DoubleSandbox<AmazonState>;
let harness: ApiHarness;
let pump: OutboxPump;

beforeAll(async () => {
  sandbox = await startDouble(amazonDouble);
  harness = await startApiHarness(
    [new MemoryCarrier('cargo', 50)],
    {},
    { marketplaces: { ...amazonAgainstDouble(sandbox.baseUrl), startOrder } },
  );
  const { pool } = harness;
  await pool.query(
    `INSERT INTO products (sku, description, hs_code, origin_country, unit_value, currency) VALUES ($1, 'Towel', '630260', 'TR', 100, 'TRY')`,
    [SKU],
  );
  await setStock(pool, await createWarehouse(pool), SKU, 10);
  // As workers/main.ts runs it, but started before the account existed: it knows no subscriber of it.
  const silent = logger.child({}, { level: 'silent' });
  pump = await startOutboxPump({
    client: harness.client,
    pool,
    databaseUrl: TEST_DATABASE_URL,
    subscribers: [],
    marketplaces: true,
    taskQueue: 'orders',
    logger: silent,
    sweepMs: 1_000,
  });
}, 120_000);

afterAll(async () => {
  await pump?.stop();
  await harness?.client.workflow
    .getHandle(webhookDispatcherWorkflowId(`mkt-${accountId}`))
    .terminate('test over')
    .catch(() => undefined);
  await harness?.pool.query(`UPDATE marketplace_accounts SET status = 'disabled' WHERE account_id = $1`, [accountId]);
  await harness?.pool.query('DELETE FROM webhook_subscribers WHERE subscriber_id = $1', [`mkt-${accountId}`]);
  await harness?.client.schedule
    .getHandle(marketplacePullScheduleId(accountId))
    .delete()
    .catch(() => undefined);
  await harness?.stop();
  await sandbox?.close();
});

const subscriber = async () =>
  (
    await harness.pool.query<{ active: boolean; channels: string[]; events: string[] }>(
      'SELECT active, channels, events FROM webhook_subscribers WHERE subscriber_id = $1',
      [`mkt-${accountId}`],
    )
  ).rows[0];

test('POST connects a seller without a worker restart: settings checked, its orders pulled and confirmed back by the running workers; DELETE stops it', async () => {
  const { api } = harness;
  const connect = { accountId, marketplace: 'amazon', sellerRef: SELLER, displayName: 'Amazon TR (API)' };

  const noMarketplaceId = await api
    .post('/v1/marketplace-accounts')
    .send({ ...connect, settings: {} })
    .expect(400);
  expect(noMarketplaceId.body.issues).toEqual([expect.objectContaining({ path: 'settings.marketplaceId' })]);
  const unknown = await api
    .post('/v1/marketplace-accounts')
    .send({ ...connect, marketplace: 'pazar' })
    .expect(400);
  expect(unknown.body.issues).toEqual([expect.objectContaining({ path: 'marketplace' })]);

  const created = await api
    .post('/v1/marketplace-accounts')
    .send({ ...connect, settings: { marketplaceId: TURKEY_MARKETPLACE_ID } })
    .expect(201);
  expect(created.body).toMatchObject({
    accountId,
    status: 'active',
    schedule: { paused: false, scheduleId: marketplacePullScheduleId(accountId) },
  });
  expect(await subscriber()).toEqual({ active: true, channels: ['amazon'], events: ['shipment.tracking_updated'] });
  // A retry of the same request answers the same; other details under its id, or the seller under another id, are refused.
  await api
    .post('/v1/marketplace-accounts')
    .send({ ...connect, settings: { marketplaceId: TURKEY_MARKETPLACE_ID } })
    .expect(200);
  const renamed = await api
    .post('/v1/marketplace-accounts')
    .send({ ...connect, displayName: 'Another name', settings: { marketplaceId: TURKEY_MARKETPLACE_ID } })
    .expect(409);
  expect(renamed.body.error).toBe('account_exists');
  const twice = await api
    .post('/v1/marketplace-accounts')
    .send({ ...connect, accountId: `${accountId}-2`, settings: { marketplaceId: TURKEY_MARKETPLACE_ID } })
    .expect(409);
  expect(twice.body).toMatchObject({ error: 'seller_connected', message: expect.stringContaining(accountId) });

  // The workers never restarted: the schedule made by the API runs on them.
  const { amazonOrderId } = placeAmazonOrder(sandbox.state, {
    items: [{ sellerSku: SKU, quantity: 1, itemPrice: 100 }],
    lastUpdateDate: new Date(Date.now() - 3 * 60_000).toISOString(),
  });
  await api.post(`/v1/marketplace-accounts/${accountId}/pull`).expect(202);
  const orderId = `amz-${amazonOrderId}`;
  const order = await eventually(
    () => api.get(`/v1/orders/${orderId}`),
    (r) => r.body?.status === 'labelled',
    30,
  );
  expect(order.body).toMatchObject({ orderId, channel: 'amazon', status: 'labelled' });

  // Its first scan is confirmed to Amazon by the running pump and workers.
  const { trackingNumber } = order.body.shipments[0];
  await (
    await parcelHandle(harness.client, harness.pool, orderId)
  ).signal(trackingEventSignal, scan(trackingNumber, 'picked_up', new Date().toISOString()));
  const confirmed = await eventually(
    () => Promise.resolve(sandbox.state.pushes.filter((p) => p.orderId === amazonOrderId)),
    (p) => p.length > 0,
    30,
  );
  expect(confirmed.map((p) => [p.operation, p.status])).toEqual([['confirmShipment', 204]]);

  await api.delete(`/v1/marketplace-accounts/${accountId}`).expect(200, { accountId, status: 'disabled' });
  await expect(harness.client.schedule.getHandle(marketplacePullScheduleId(accountId)).describe()).rejects.toBeInstanceOf(
    ScheduleNotFoundError,
  );
  expect((await subscriber()).active).toBe(false);
  const gone = await api.post(`/v1/marketplace-accounts/${accountId}/pull`).expect(409);
  expect(gone.body.error).toBe('account_disabled');
}, 90_000);

test('a disconnected account pulls, starts and pushes nothing, even for a worker that started with it; DELETE repeats; POST connects it again', async () => {
  const { api, pool } = harness;
  await api.delete(`/v1/marketplace-accounts/${accountId}`).expect(200, { accountId, status: 'disabled' }); // again: the same answer
  await api.delete('/v1/marketplace-accounts/amazon-never-connected').expect(404);

  // A worker that started while the account was connected reconnects to the database: its list is its start's.
  await syncSubscribers(pool, [marketplaceSubscriber(accountId, 'amazon')]);
  expect((await subscriber()).active).toBe(false);

  // Its dispatcher, woken before the DELETE, ends quietly on a worker that never knew the account:
  // nothing pushed, nothing retried, its news kept.
  const { adapterOf } = amazonAgainstDouble(sandbox.baseUrl);
  const webhooks = createWebhookActivities(pool, logger.child({}, { level: 'silent' }), [], 'https://track.example', adapterOf);
  await expect(webhooks.deliverPending({ subscriberId: `mkt-${accountId}`, max: 10 })).resolves.toEqual({ delivered: 0, more: false });

  // A run already under way (or a schedule that outlived the DELETE) reads nothing and starts nothing.
  const { amazonOrderId } = placeAmazonOrder(sandbox.state, {
    items: [{ sellerSku: SKU, quantity: 1, itemPrice: 100 }],
    lastUpdateDate: new Date(Date.now() - 3 * 60_000).toISOString(),
  });
  const run = await harness.client.workflow.execute(marketplacePullWorkflow, {
    taskQueue: 'orders',
    workflowId: `pull-${accountId}-${randomUUID().slice(0, 6)}`,
    args: [{ accountId, marketplace: 'amazon', pagesPerRun: 5, pagesAtOnce: 5, pageSpacing: '1 minute', detailsPerRun: 20 }],
  });
  expect(run).toMatchObject({ packages: 0, started: 0 });
  const stored = await pool.query('SELECT 1 FROM marketplace_packages WHERE account_id = $1 AND package_id = $2', [
    accountId,
    amazonOrderId,
  ]);
  expect(stored.rowCount).toBe(0);

  // Connected again under its id: the same seller, its schedule and subscriber back, and the waiting order pulled.
  const again = await api
    .post('/v1/marketplace-accounts')
    .send({
      accountId,
      marketplace: 'amazon',
      sellerRef: SELLER,
      displayName: 'Amazon TR (again)',
      settings: { marketplaceId: TURKEY_MARKETPLACE_ID },
    })
    .expect(200);
  expect(again.body).toMatchObject({ accountId, status: 'active', displayName: 'Amazon TR (again)', schedule: { paused: false } });
  expect((await subscriber()).active).toBe(true);
  await api.post(`/v1/marketplace-accounts/${accountId}/pull`).expect(202);
  const order = await eventually(
    () => api.get(`/v1/orders/amz-${amazonOrderId}`),
    (r) => r.status === 200,
    30,
  );
  expect(order.body).toMatchObject({ channel: 'amazon' });
}, 90_000);

test('in production an account is connected only once its credentials are deployed: 422 naming the field otherwise', async () => {
  const production = authorized(createTestApp(harness.client, harness.pool, { marketplaceCredentials: { 'amazon-other': {} } }));
  const missing = await production
    .post('/v1/marketplace-accounts')
    .send({
      accountId: `amazon-nc${RUN}`,
      marketplace: 'amazon',
      sellerRef: `A2NC${RUN.toUpperCase()}`,
      displayName: 'No credentials',
      settings: { marketplaceId: TURKEY_MARKETPLACE_ID },
    })
    .expect(422);
  expect(missing.body).toMatchObject({ error: 'credentials_missing', issues: [{ path: 'accountId' }] });
  const { rowCount } = await harness.pool.query('SELECT 1 FROM marketplace_accounts WHERE account_id = $1', [`amazon-nc${RUN}`]);
  expect(rowCount).toBe(0);
});

test("an account's subscriber hears only what its marketplace is told (Trendyol: the label, as Picking, and the first scan, as its tracking number)", async () => {
  const trendyolAccount = `trendyol-ac${RUN}`;
  const sellerId = `9${parseInt(RUN, 16)}`;
  await harness.api
    .post('/v1/marketplace-accounts')
    .send({
      accountId: trendyolAccount,
      marketplace: 'trendyol',
      sellerRef: sellerId,
      displayName: 'Trendyol (API)',
      settings: { sellerId },
    })
    .expect(201);
  try {
    const { rows } = await harness.pool.query('SELECT channels, events FROM webhook_subscribers WHERE subscriber_id = $1', [
      `mkt-${trendyolAccount}`,
    ]);
    expect(rows).toEqual([{ channels: ['trendyol'], events: ['shipment.labelled', 'shipment.tracking_updated'] }]);
  } finally {
    await harness.api.delete(`/v1/marketplace-accounts/${trendyolAccount}`).expect(200);
  }
});
