// Amazon intake end to end on real components: the Amazon double over HTTP, the project's
// PostgreSQL test database, and the Temporal dev server running marketplacePullWorkflow on the
// workers workers/main.ts builds (the order start is api/order-start.ts's, as POST /v1/orders makes
// it). The orders it starts go to the `orders` queue, which no worker of this file polls: the test
// is about their being started once, not about their fulfilment.
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { amazonConnector } from '../../marketplaces/amazon';
import { amazonDouble, TURKEY_MARKETPLACE_ID, type AmazonState } from '../../sandbox/marketplaces/amazon';
import { ensureMarketplaceSchedules, MARKETPLACE_CATCHUP_WINDOW } from '../../api/marketplace-schedules';
import { marketplacePullScheduleId } from '../../workflows/definitions';
import { startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';
import { useIntakeStack } from '../helpers/marketplace-intake';
import { authorized, createTestApp, TEST_KEYS } from '../helpers/api-harness';
import {
  AMAZON_ISTANBUL as ISTANBUL,
  amazonAgainstDouble,
  placeAmazonOrder,
  type BuyerItem,
  connectAmazonAccount,
} from '../helpers/amazon';

const RUN = randomUUID().slice(0, 8);
const SKUS = [`MKT-${RUN}-A`, `MKT-${RUN}-B`];

const taskQueue = `mkt-intake-${RUN}`;
const stack = useIntakeStack({
  marketplace: 'amazon',
  taskQueue,
  startDouble: () => startDouble(amazonDouble),
  marketplaces: amazonAgainstDouble,
  skus: SKUS,
  plan: { pagesPerRun: 10, pagesAtOnce: 10, pageSpacing: '1 minute', detailsPerRun: 50 },
});
let env: TestWorkflowEnvironment;
let pool: Pool;
let sandbox: DoubleSandbox<AmazonState>;
beforeAll(() => {
  ({ env, pool, sandbox } = stack);
});
const { accounts, pull, packages, orderExists, expectOneOrderEach, expectHeldUntilSkuMapped } = stack;

async function newAccount({
  pageSize = 100,
  status = 'active',
}: { pageSize?: number; status?: 'active' | 'paused' } = {}): Promise<string> {
  const accountId = `amazon-t${randomUUID().slice(0, 8)}-${TURKEY_MARKETPLACE_ID.toLowerCase()}`;
  await connectAmazonAccount(pool, accountId, { pageSize, status });
  accounts.push(accountId);
  return accountId;
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

function place(order: Record<string, unknown> = {}): string {
  const { lastUpdateDate = minutesAgo(10), items = [{ sellerSku: SKUS[0], quantity: 2, itemPrice: 300 }], ...rest } = order;
  return placeAmazonOrder(sandbox.state, { items: items as BuyerItem[], lastUpdateDate: lastUpdateDate as string, ...rest }).amazonOrderId;
}

test('one order per Amazon order under two overlapping pulls and a retried pull', async () => {
  const accountId = await newAccount({ pageSize: 2 });
  const ids = [place(), place(), place({ items: [{ sellerSku: SKUS[1], quantity: 1, itemPrice: 99.9 }] })].sort();
  const rows = await expectOneOrderEach(accountId, ids, (id) => `amz-${id}`);
  for (const row of rows) expect(row.order_input).toMatchObject({ channel: 'amazon', externalId: row.package_id });
  // Amazon's line ids, which every pushback (confirmShipment) addresses, are kept once each.
  const lines = await pool.query('SELECT line_id FROM marketplace_package_lines WHERE account_id = $1', [accountId]);
  expect(lines.rowCount).toBe(3);
  // Amazon's ItemPrice is the line's total: 300 for 2 is 150 each.
  expect(rows.flatMap((r) => r.order_input!.lines)).toEqual(
    expect.arrayContaining([
      { sku: SKUS[0], quantity: 2, unitPrice: 150 },
      { sku: SKUS[1], quantity: 1, unitPrice: 99.9 },
    ]),
  );
});

test('a window of five orders is read in pages of two with NextToken; the cursor then rests at the window end', async () => {
  const accountId = await newAccount({ pageSize: 2 });
  for (let i = 0; i < 5; i++) place({ lastUpdateDate: minutesAgo(20 - i) });
  const result = await pull(accountId);
  expect(result).toMatchObject({ pages: 3, packages: 5, started: 5 });
  const getOrders = sandbox.calls.filter((c) => c.path === '/amazon/orders/v0/orders');
  expect(getOrders).toHaveLength(3);
  const { rows } = await pool.query<{ cursor: Record<string, unknown> }>('SELECT cursor FROM marketplace_cursors WHERE account_id = $1', [
    accountId,
  ]);
  expect(rows[0].cursor).toEqual({ until: expect.any(String) });
});

test('an order already started and listed again (the next window overlaps; Amazon updated it when we confirmed its shipment) stays started, and the pull goes on', async () => {
  const accountId = await newAccount();
  const first = place();
  expect(await pull(accountId)).toMatchObject({ started: 1 });
  // Shipped at Amazon since (our confirmation), so listed again; a new order in the same window.
  const shipped = sandbox.state.orders.get(first)!;
  Object.assign(shipped, { status: 'Shipped', lastUpdateDate: new Date(Date.now() - 3 * 60_000) });
  const second = place({ lastUpdateDate: minutesAgo(3) });
  expect(await pull(accountId)).toMatchObject({ packages: 2, started: 1 });
  expect((await packages(accountId)).map((p) => [p.package_id, p.state])).toEqual(
    [
      [first, 'started'],
      [second, 'started'],
    ].sort(([a], [b]) => a.localeCompare(b)),
  );
  const { rows } = await pool.query<{ status: string }>(
    'SELECT status FROM marketplace_packages WHERE account_id = $1 AND package_id = $2',
    [accountId, first],
  );
  expect(rows[0].status).toBe('Shipped');
});

test("a 429 from getOrders, and from one order's getOrderItems, is retried and each order still starts once", async () => {
  const accountId = await newAccount();
  const ids = [place(), place()];
  for (const on of ['getOrders', 'getOrderItems'] as const) {
    sandbox.state.faults.add({ kind: 'rate-limit', on: [on], times: 1, retryAfterSeconds: 1, probability: 1, seed: 1 });
  }
  const result = await pull(accountId);
  expect(result).toMatchObject({ detailed: 2, detailsFailed: 0, started: 2 });
  const statuses = (path: RegExp) => sandbox.calls.filter((c) => path.test(c.path)).map((c) => c.status);
  expect(statuses(/\/orders$/)).toEqual([429, 200]);
  expect(statuses(/\/orderItems$/)).toEqual([429, 200, 200]);
  for (const id of ids) expect(await orderExists(`amz-${id}`)).toBe(true);
}, 60_000);

test('an unknown SKU holds the order for ops with the field named; mapping the SKU starts it', async () => {
  const accountId = await newAccount();
  const unknownSku = `AMZ-UNKNOWN-${RUN}`;
  const id = place({ items: [{ sellerSku: unknownSku, quantity: 1, itemPrice: 50 }] });
  await expectHeldUntilSkuMapped(accountId, { unknownSku, orderId: `amz-${id}`, sku: SKUS[1] });
});

test('an address our orders cannot take is held with the field named, never dropped', async () => {
  const accountId = await newAccount();
  const { PostalCode: _dropped, ...noPostalCode } = ISTANBUL;
  place({ address: noPostalCode });
  expect(await pull(accountId)).toMatchObject({ started: 0, unmappable: 1 });
  expect((await packages(accountId))[0]).toMatchObject({ state: 'unmappable', attention_field: 'shippingAddress.postalCode' });
});

test('a COD order is cash on delivery of its total; Expedited is our express', async () => {
  const accountId = await newAccount();
  place({ paymentMethod: 'COD', serviceLevelCategory: 'Expedited' });
  expect(await pull(accountId)).toMatchObject({ started: 1 });
  expect((await packages(accountId))[0].order_input).toMatchObject({
    service: 'express',
    cashOnDelivery: { amount: 300, currency: 'TRY' },
    shippingAddress: { name: ISTANBUL.Name, city: 'İstanbul', district: 'Kadıköy', postalCode: '34710', countryCode: 'TR' },
  });
});

test('Pending orders wait until Amazon releases them; fulfilled-by-Amazon ones are not pulled', async () => {
  const accountId = await newAccount();
  const pending = place({ status: 'Pending' });
  place({ fulfillmentChannel: 'AFN' });
  expect(await pull(accountId)).toMatchObject({ packages: 1, detailed: 0, started: 0 });
  expect((await packages(accountId)).map((r) => [r.package_id, r.state])).toEqual([[pending, 'waiting']]);

  // Paid: Amazon moves it to Unshipped, a change the next window (five minutes of overlap) sees.
  Object.assign(sandbox.state.orders.get(pending)!, { status: 'Unshipped', lastUpdateDate: new Date(minutesAgo(4)) });
  expect(await pull(accountId)).toMatchObject({ packages: 1, detailed: 1, started: 1 });
  expect((await packages(accountId)).map((r) => [r.package_id, r.state])).toEqual([[pending, 'started']]);
});

test('each account gets its schedule (SKIP, 15-minute catch-up; paused as its row says), whose run starts the orders', async () => {
  const active = await newAccount();
  const paused = await newAccount({ status: 'paused' });
  const id = place();
  const logger = { info: () => undefined } as never;
  await ensureMarketplaceSchedules(env.client, pool, { taskQueue, logger });
  await ensureMarketplaceSchedules(env.client, pool, { taskQueue, logger }); // a second worker starting: nothing more

  const handle = env.client.schedule.getHandle(marketplacePullScheduleId(active));
  const described = await handle.describe();
  expect(described.policies).toMatchObject({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 15 * 60_000 });
  expect(MARKETPLACE_CATCHUP_WINDOW).toBe('15 minutes');
  expect(described.state.paused).toBe(false);
  expect((await env.client.schedule.getHandle(marketplacePullScheduleId(paused)).describe()).state.paused).toBe(true);

  await handle.trigger();
  const deadline = Date.now() + 30_000;
  while (!(await orderExists(`amz-${id}`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  expect(await orderExists(`amz-${id}`)).toBe(true);
  const view = await authorized(createTestApp(env.client, pool), TEST_KEYS.ops).get('/v1/marketplace-accounts').expect(200);
  const shown = (view.body as { accounts: { accountId: string; schedule: unknown }[] }).accounts.find((a) => a.accountId === active);
  expect(shown?.schedule).toMatchObject({ lastRunAt: expect.any(String), lastRunStatus: expect.stringMatching(/^(RUNNING|COMPLETED)$/) });
  for (const accountId of [active, paused]) await env.client.schedule.getHandle(marketplacePullScheduleId(accountId)).delete();
});

describe('GET /v1/marketplace-accounts, pause and resume', () => {
  const logger = { info: () => undefined } as never;
  type View = { accountId: string; status: string; schedule: { paused: boolean; note: string | null } | null; [k: string]: unknown };
  const api = () => authorized(createTestApp(env.client, pool), TEST_KEYS.ops);
  const viewOf = async (accountId: string): Promise<View> => {
    const res = await api().get('/v1/marketplace-accounts').expect(200);
    return (res.body as { accounts: View[] }).accounts.find((a) => a.accountId === accountId)!;
  };

  test('shows the schedule, the cursor and the packages; pause and resume reach the schedule and survive a worker start', async () => {
    const accountId = await newAccount();
    place();
    await ensureMarketplaceSchedules(env.client, pool, { taskQueue, logger });
    await pull(accountId);

    expect(await viewOf(accountId)).toMatchObject({
      status: 'active',
      schedule: { paused: false, scheduleId: marketplacePullScheduleId(accountId), nextRunAt: expect.any(String), lastRunAt: null },
      scheduleMismatch: false,
      cursor: { until: expect.any(String) },
      lastPageAt: expect.any(String),
      packages: { started: 1 },
    });

    const paused = await api().post(`/v1/marketplace-accounts/${accountId}/pause`).send({ reason: 'stock count' }).expect(200);
    expect(paused.body).toMatchObject({ status: 'paused', pausedReason: 'stock count', schedule: { paused: true, note: 'stock count' } });
    await ensureMarketplaceSchedules(env.client, pool, { taskQueue, logger }); // a worker starting never unpauses
    expect((await viewOf(accountId)).schedule).toMatchObject({ paused: true });

    const resumed = await api().post(`/v1/marketplace-accounts/${accountId}/resume`).expect(200);
    expect(resumed.body).toMatchObject({ status: 'active', pausedReason: null, schedule: { paused: false } });

    // Paused in the Temporal UI (the schedule only): shown, and the difference named.
    await env.client.schedule.getHandle(marketplacePullScheduleId(accountId)).pause('from the UI');
    expect(await viewOf(accountId)).toMatchObject({
      status: 'active',
      schedule: { paused: true, note: 'from the UI' },
      scheduleMismatch: true,
    });
    await env.client.schedule.getHandle(marketplacePullScheduleId(accountId)).delete();
  });

  test('paused: its schedule makes no calls; resumed: the orders that waited arrive', async () => {
    // Amazon's connector with a schedule every two seconds instead of five minutes.
    const fast = [{ ...amazonConnector, pull: { ...amazonConnector.pull, every: '2 seconds' as const } }];
    const accountId = await newAccount({ status: 'paused' });
    await ensureMarketplaceSchedules(env.client, pool, { taskQueue, logger, connectors: fast });
    const id = place();
    await new Promise((r) => setTimeout(r, 5_000));
    expect(sandbox.calls).toEqual([]);

    await api().post(`/v1/marketplace-accounts/${accountId}/resume`).expect(200);
    const deadline = Date.now() + 20_000;
    while (!(await orderExists(`amz-${id}`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await orderExists(`amz-${id}`)).toBe(true);
    await env.client.schedule.getHandle(marketplacePullScheduleId(accountId)).delete();
  }, 40_000);

  test('POST …/pull runs the pull now: the order waiting at Amazon starts without waiting for the tick; a paused account is refused', async () => {
    const accountId = await newAccount();
    const id = place();
    await api().post(`/v1/marketplace-accounts/${accountId}/pull`).expect(409); // no schedule before a worker makes it
    await ensureMarketplaceSchedules(env.client, pool, { taskQueue, logger });
    await api().post(`/v1/marketplace-accounts/${accountId}/pull`).expect(202);
    const deadline = Date.now() + 20_000;
    while (!(await orderExists(`amz-${id}`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await orderExists(`amz-${id}`)).toBe(true);
    await api().post(`/v1/marketplace-accounts/${accountId}/pause`).send({ reason: 'stock count' }).expect(200);
    const refused = await api().post(`/v1/marketplace-accounts/${accountId}/pull`).expect(409);
    expect(refused.body.error).toBe('account_paused');
    await env.client.schedule.getHandle(marketplacePullScheduleId(accountId)).delete();
  }, 40_000);

  test('an unknown account is a 404; a body without a reason is refused', async () => {
    await api().post('/v1/marketplace-accounts/amazon-nobody/resume').expect(404);
    const accountId = await newAccount();
    await api().post(`/v1/marketplace-accounts/${accountId}/pause`).send({}).expect(400);
  });
});

test("Amazon's delivery promise is the order's promised date (carriers ranked by it, late parcels flagged against it); its ship-by is kept", async () => {
  const accountId = await newAccount();
  const deliverBy = new Date(Date.now() + 4 * 86_400_000);
  deliverBy.setUTCHours(20, 59, 59, 0); // the end of an Istanbul day
  const shipBy = new Date(Date.now() + 86_400_000);
  const id = place({ latestDeliveryDate: deliverBy, latestShipDate: shipBy });
  expect(await pull(accountId)).toMatchObject({ started: 1 });
  const { rows } = await pool.query<{ ship_by: Date; order_input: { promisedDeliveryDate?: string } }>(
    'SELECT ship_by, order_input FROM marketplace_packages WHERE account_id = $1 AND package_id = $2',
    [accountId, id],
  );
  expect(rows[0].order_input.promisedDeliveryDate).toBe(deliverBy.toISOString().slice(0, 10));
  expect(rows[0].ship_by.getTime()).toBe(Math.floor(shipBy.getTime() / 1000) * 1000); // Amazon's times are whole seconds

  // An order past its ship-by and not yet with its carrier is shown to ops, who see the marketplace's score at risk.
  const lateToShip = async () => {
    const view = await authorized(createTestApp(env.client, pool), TEST_KEYS.ops).get('/v1/marketplace-accounts').expect(200);
    return (view.body as { accounts: { accountId: string; lateToShip: number }[] }).accounts.find((a) => a.accountId === accountId)
      ?.lateToShip;
  };
  expect(await lateToShip()).toBe(0);
  place({ latestShipDate: new Date(Date.now() - 3_600_000), lastUpdateDate: minutesAgo(4) }); // inside the next window
  expect(await pull(accountId)).toMatchObject({ started: 1 });
  expect(await lateToShip()).toBe(1);
});
