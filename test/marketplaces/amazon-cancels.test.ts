// A buyer cancels on Amazon after the engine started the order (issue 20): the next pull sees the
// order Canceled and cancels ours as POST /v1/orders/:id/cancel would; a parcel already with its
// carrier is too late, and ops are told to intercept it. Real components: the Amazon double over
// HTTP, the project's PostgreSQL, the Temporal dev server running the pull and the orders (booked
// with the in-memory carrier the order tests use).
import { randomUUID } from 'node:crypto';
import { startOrder } from '../../api/order-start';
import type { TrackingEvent } from '../../domain/shipment';
import { amazonDouble, TURKEY_MARKETPLACE_ID, type AmazonState } from '../../sandbox/marketplaces/amazon';
import { orderWorkflowId, trackingEventSignal } from '../../workflows/definitions';
import { marketplacePullWorkflow, type MarketplacePullResult } from '../../workflows/marketplace-pull';
import { amazonAgainstDouble, placeAmazonOrder, connectAmazonAccount } from '../helpers/amazon';
import { eventually, startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';
import { MemoryCarrier, scan } from '../helpers/memory-carrier';
import { createWarehouse, setStock } from '../helpers/stock';
import { parcelHandle } from '../helpers/parcels';

const RUN = randomUUID().slice(0, 8);
const SKU = `CX-${RUN}`;
const accountId = `amazon-cx${RUN}-${TURKEY_MARKETPLACE_ID.toLowerCase()}`;
const cargo = new MemoryCarrier('cargo', 50);
/** How long the pull waits for an order's answer to its cancel (a minute in the workers). */
const CANCEL_WAIT_MS = 10_000;

let sandbox: DoubleSandbox<AmazonState>;
let harness: ApiHarness;

beforeAll(async () => {
  sandbox = await startDouble(amazonDouble);
  harness = await startApiHarness(
    [cargo],
    {},
    { marketplaces: { ...amazonAgainstDouble(sandbox.baseUrl), startOrder, cancelWaitMs: CANCEL_WAIT_MS } },
  );
  const { pool } = harness;
  await pool.query(
    `INSERT INTO products (sku, description, hs_code, origin_country, unit_value, currency) VALUES ($1, 'Towel', '630260', 'TR', 100, 'TRY')`,
    [SKU],
  );
  await setStock(pool, await createWarehouse(pool), SKU, 100);
  await connectAmazonAccount(pool, accountId, { name: 'Amazon TR (cancels)' });
}, 120_000);

afterAll(async () => {
  await harness?.pool.query(`UPDATE marketplace_accounts SET status = 'disabled' WHERE account_id = $1`, [accountId]);
  await harness?.stop();
  await sandbox?.close();
});

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

function pull(): Promise<MarketplacePullResult> {
  return harness.client.workflow.execute(marketplacePullWorkflow, {
    taskQueue: 'orders',
    workflowId: `pull-${accountId}-${randomUUID().slice(0, 6)}`,
    args: [{ accountId, marketplace: 'amazon', pagesPerRun: 5, pagesAtOnce: 5, pageSpacing: '1 minute', detailsPerRun: 20 }],
  });
}

type View = { status: string; shipments: { trackingNumber?: string }[] };
const orderView = async (orderId: string) => (await harness.api.get(`/v1/orders/${orderId}`)).body as View;

/** An Amazon order pulled and labelled by the engine. */
async function labelledAmazonOrder(): Promise<{ amazonOrderId: string; orderId: string; trackingNumber: string }> {
  const { amazonOrderId } = placeAmazonOrder(sandbox.state, {
    items: [{ sellerSku: SKU, quantity: 1, itemPrice: 100 }],
    lastUpdateDate: minutesAgo(3), // inside the next window: it ends two minutes ago and overlaps the last by five
  });
  await pull();
  const orderId = `amz-${amazonOrderId}`;
  const view = await eventually(
    () => orderView(orderId),
    (v) => v.status === 'labelled',
    30,
  );
  expect(view.status).toBe('labelled');
  return { amazonOrderId, orderId, trackingNumber: view.shipments[0].trackingNumber! };
}

/** The buyer cancels at Amazon: the order is Canceled and listed again. */
function buyerCancels(amazonOrderId: string): void {
  Object.assign(sandbox.state.orders.get(amazonOrderId)!, { status: 'Canceled', lastUpdateDate: new Date(Date.now() - 3 * 60_000) });
}

async function cancelOutcome(amazonOrderId: string): Promise<string | null> {
  const { rows } = await harness.pool.query<{ cancel_outcome: string | null }>(
    'SELECT cancel_outcome FROM marketplace_packages WHERE account_id = $1 AND package_id = $2',
    [accountId, amazonOrderId],
  );
  return rows[0].cancel_outcome;
}

test('a buyer cancels on Amazon before the parcel leaves: the next pull cancels our order, its label voided; a later pull asks nothing again', async () => {
  const { amazonOrderId, orderId, trackingNumber } = await labelledAmazonOrder();
  buyerCancels(amazonOrderId);
  expect((await pull()).cancels).toEqual({ cancelled: 1, tooLate: 0, ended: 0, stillCancelling: 0 });

  const view = await eventually(
    () => orderView(orderId),
    (v) => v.status === 'cancelled',
    30,
  );
  expect(view.status).toBe('cancelled');
  expect(cargo.liveBookings().map((b) => b.trackingNumber)).not.toContain(trackingNumber);
  expect([...cargo.bookings.values()].map((b) => b.trackingNumber)).toContain(trackingNumber); // booked, then voided
  expect(await cancelOutcome(amazonOrderId)).toBe('cancelled');

  // Listed again within the overlap: nothing more to ask.
  expect((await pull()).cancels).toBeUndefined();
}, 90_000);

test('a buyer cancels after the pick-up scan: too late, the order goes on and ops are told to intercept the parcel', async () => {
  const { amazonOrderId, orderId, trackingNumber } = await labelledAmazonOrder();
  const pickedUp: TrackingEvent = scan(trackingNumber, 'picked_up', new Date().toISOString());
  await (await parcelHandle(harness.client, harness.pool, orderId)).signal(trackingEventSignal, pickedUp);
  const handedOver = await eventually(
    () => orderView(orderId),
    (v) => v.status === 'picked_up',
    30,
  );
  expect(handedOver.status).toBe('picked_up');
  buyerCancels(amazonOrderId);

  expect((await pull()).cancels).toEqual({ cancelled: 0, tooLate: 1, ended: 0, stillCancelling: 0 });
  expect(await cancelOutcome(amazonOrderId)).toBe('too_late');
  const { rows } = await harness.pool.query<{ message: string }>(
    `SELECT message FROM ops_alerts WHERE shipment_id = $1 AND kind = 'marketplace_cancel_too_late'`,
    [`order:${orderId}`],
  );
  expect(rows[0].message).toMatch(/^amazon cancelled order amz-.* but not_cancellable: .*picked_up.*intercept the parcel/);
  expect((await orderView(orderId)).status).toBe('picked_up');
  await harness.client.workflow.getHandle(orderWorkflowId(orderId)).terminate('test over');
}, 90_000);

test('an order slow to cancel (its carrier cannot void yet) does not fail the pull: it is asked again by the next, and then counted cancelled', async () => {
  const { amazonOrderId, orderId } = await labelledAmazonOrder();
  cargo.voids = 'down';
  try {
    buyerCancels(amazonOrderId);
    // The order is still voiding when the wait ends: the run ends well, nothing recorded, nothing alerted.
    expect((await pull()).cancels).toEqual({ cancelled: 0, tooLate: 0, ended: 0, stillCancelling: 1 });
    expect(await cancelOutcome(amazonOrderId)).toBeNull();
  } finally {
    cargo.voids = 'ok';
  }
  const view = await eventually(
    () => orderView(orderId),
    (v) => v.status === 'cancelled',
    60,
  );
  expect(view.status).toBe('cancelled');
  // The next run reads the answer of the same ask.
  buyerCancels(amazonOrderId); // listed again
  expect((await pull()).cancels).toEqual({ cancelled: 1, tooLate: 0, ended: 0, stillCancelling: 0 });
  expect(await cancelOutcome(amazonOrderId)).toBe('cancelled');
}, 240_000);
