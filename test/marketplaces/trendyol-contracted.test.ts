// A package Trendyol ships on its own contract (docs/design/marketplaces.md section 7), end to end on
// real components: the Trendyol double over HTTP, PostgreSQL, the Temporal dev server running the
// pull and the order and parcel workflows. Trendyol names the carrier (Aras, a carrier of ours) and the
// tracking number and makes the label: the parcel prints Trendyol's label and is never booked with our
// carriers, and Trendyol's own following of the parcel reaches it through the pull.
import { randomUUID } from 'node:crypto';
import { startOrder } from '../../api/order-start';
import { trendyolDouble, type TrendyolState } from '../../sandbox/marketplaces/trendyol';
import { marketplacePullWorkflow } from '../../workflows/marketplace-pull';
import { shipmentWorkflowId, shipmentQuery } from '../../workflows/definitions';
import { eventually, startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';
import { MemoryCarrier } from '../helpers/memory-carrier';
import { createWarehouse, setStock } from '../helpers/stock';
import { connectTrendyolAccount, placeTrendyolPackage, trendyolAgainstDouble } from '../helpers/trendyol';
import { parcelHandle } from '../helpers/parcels';

const RUN = randomUUID().slice(0, 8);
const SKU = `TYC-${RUN}`;
const accountId = `trendyol-c${RUN}`;
const TRACKING = `733${String(Date.now()).slice(-10)}`;

let sandbox: DoubleSandbox<TrendyolState>;
let harness: ApiHarness;
/** Our Aras: the parcel is Aras's on Trendyol's contract, and must never reach ours. */
const aras = new MemoryCarrier('aras', 40);
const other = new MemoryCarrier('cargo', 30);

beforeAll(async () => {
  sandbox = await startDouble(trendyolDouble, { rateLimits: { getShipmentPackages: { limit: 10_000, windowMs: 1_000 } } });
  harness = await startApiHarness([aras, other], {}, { marketplaces: { ...trendyolAgainstDouble(sandbox.baseUrl), startOrder } });
  const { pool } = harness;
  await pool.query(
    `INSERT INTO products (sku, description, hs_code, origin_country, unit_value, currency) VALUES ($1, 'Towel', '630260', 'TR', 100, 'TRY')`,
    [SKU],
  );
  await setStock(pool, await createWarehouse(pool), SKU, 10);
  await connectTrendyolAccount(pool, accountId);
}, 120_000);

afterAll(async () => {
  await harness?.pool.query(`UPDATE marketplace_accounts SET status = 'disabled' WHERE account_id = $1`, [accountId]);
  await harness?.stop();
  await sandbox?.close();
});

const pull = () =>
  harness.client.workflow.execute(marketplacePullWorkflow, {
    workflowId: `pull-${accountId}-${randomUUID().slice(0, 8)}`,
    taskQueue: 'orders',
    args: [{ accountId, marketplace: 'trendyol', pagesPerRun: 5, pagesAtOnce: 5, pageSpacing: '1 minute', detailsPerRun: 10 }],
  });

/**
 * Our carriers' bookings for the order: none, ever. Filtered by the order, since
 * other test files' parcels share the carrier queues of the test server.
 */
const askedOurCarriers = (orderId: string) => [...aras.requests, ...other.requests].filter((r) => r.orderId === orderId);

const parcel = async (orderId: string) => (await parcelHandle(harness.client, harness.pool, orderId)).query(shipmentQuery);

/** A package on Trendyol's contract with `cargoProviderName`, placed a minute ago; its order id. */
function placeContracted(cargoProviderName: string, cargoTrackingNumber: string, quantity = 1): { pkg: { id: number }; orderId: string } {
  const pkg = placeTrendyolPackage(sandbox.state, {
    lines: [{ merchantSku: SKU, quantity, price: 150 }],
    lastModifiedDate: Date.now() - 60_000,
    contract: 'trendyol',
    cargoProviderName,
    cargoTrackingNumber,
  });
  return { pkg, orderId: `ty-${pkg.id}` };
}

/** The order's parcel once labelled (the pull started it). */
const labelledParcel = (orderId: string) =>
  eventually(
    () => parcel(orderId).catch(() => undefined),
    (view) => view?.status === 'labelled',
    60,
  );

test("Trendyol's label is printed, our carriers are never asked, and Trendyol's following of the parcel moves it to delivered", async () => {
  const { pkg, orderId } = placeContracted('Aras Kargo Marketplace', TRACKING, 2);
  expect(await pull()).toMatchObject({ started: 1 });
  const labelled = await labelledParcel(orderId);
  expect(labelled).toMatchObject({ status: 'labelled', carrier: 'aras', trackingNumber: TRACKING });
  expect(labelled!.quotes).toBeUndefined(); // no rate-shopping either
  expect(askedOurCarriers(orderId)).toEqual([]);
  expect(aras.subscribed.has(TRACKING)).toBe(false);

  // Trendyol makes the label of a package being picked: Picking first, then the common label, which is what is printed.
  expect(sandbox.state.pushes.map((p) => [p.operation, p.status])).toEqual([
    ['updatePackageStatus', 200],
    ['createCommonLabel', 200],
  ]);
  const { rows } = await harness.pool.query<{ content: Buffer }>(`SELECT content FROM labels WHERE shipment_id = $1 AND format = 'zpl'`, [
    shipmentWorkflowId(orderId, 1),
  ]);
  expect(rows[0].content.toString('utf8')).toBe(sandbox.state.packages.get(pkg.id)!.labels!.join('\n'));

  // Trendyol follows its own contract's parcel; each pull passes what it shows on as a scan.
  sandbox.state.move(sandbox.state.packages.get(pkg.id)!, 'Shipped');
  await pull();
  const shipped = await eventually(
    () => parcel(orderId),
    (view) => view.status === 'in_transit',
  );
  expect(shipped.events.map((e) => [e.status, e.rawCode])).toEqual([['in_transit', 'Shipped']]);
  sandbox.state.move(sandbox.state.packages.get(pkg.id)!, 'Delivered');
  await pull();
  await pull(); // listed again in the overlap: the same scan is not taken twice
  const delivered = await eventually(
    () => parcel(orderId),
    (view) => view.status === 'delivered',
  );
  expect(delivered.events.map((e) => e.status)).toEqual(['in_transit', 'delivered']);
  // Nothing more was told Trendyol: the tracking number is its own.
  expect(sandbox.state.pushes.map((p) => p.operation)).toEqual(['updatePackageStatus', 'createCommonLabel']);
  expect(askedOurCarriers(orderId)).toEqual([]);
}, 180_000);

test("a Trendyol-paid parcel with a carrier Trendyol makes no common label for (Yurtiçi) carries our label of Trendyol's tracking number", async () => {
  const tracking = `111${String(Date.now()).slice(-10)}`;
  const { pkg, orderId } = placeContracted('Yurtiçi Kargo Marketplace', tracking);
  const pushesBefore = sandbox.state.pushes.length;
  await pull();
  const labelled = await labelledParcel(orderId);
  expect(labelled).toMatchObject({ carrier: 'yurtici', trackingNumber: tracking });
  expect(sandbox.state.pushes.slice(pushesBefore).map((p) => [p.operation, p.target])).toEqual([['updatePackageStatus', String(pkg.id)]]);
  const { rows } = await harness.pool.query<{ format: string; content: Buffer }>(
    `SELECT format, content FROM labels WHERE shipment_id = $1 ORDER BY format`,
    [shipmentWorkflowId(orderId, 1)],
  );
  expect(rows.map((r) => r.format)).toEqual(['pdf', 'zpl']);
  expect(rows[1].content.toString('utf8')).toContain(tracking);
  expect(askedOurCarriers(orderId)).toEqual([]);
}, 120_000);

test('Trendyol moving a labelled parcel to another carrier moves the parcel: the new carrier, tracking number and label, and ops told to relabel it; its scans then follow the new number', async () => {
  const first = `733${String(Date.now() + 7).slice(-10)}`;
  const { pkg, orderId } = placeContracted('Aras Kargo Marketplace', first);
  const shipmentId = shipmentWorkflowId(orderId, 1);
  await pull();
  await labelledParcel(orderId);

  const moved = `111${String(Date.now() + 11).slice(-10)}`;
  sandbox.state.reassign(sandbox.state.packages.get(pkg.id)!, {
    cargoProviderName: 'Yurtiçi Kargo Marketplace',
    cargoTrackingNumber: moved,
  });
  await pull();
  await pull(); // listed again in the overlap: moved once
  const relabelled = await eventually(
    () => parcel(orderId),
    (view) => view.trackingNumber === moved,
  );
  expect(relabelled).toMatchObject({ status: 'labelled', carrier: 'yurtici', trackingNumber: moved });
  const alerts = await harness.pool.query<{ message: string }>(
    `SELECT message FROM ops_alerts WHERE shipment_id = $1 AND kind = 'marketplace_relabel'`,
    [shipmentId],
  );
  expect(alerts.rows).toEqual([
    { message: expect.stringMatching(new RegExp(`from aras ${first} to yurtici ${moved}: print its new label`)) },
  ]);
  const label = await harness.pool.query<{ content: Buffer }>(`SELECT content FROM labels WHERE shipment_id = $1 AND format = 'zpl'`, [
    shipmentId,
  ]);
  expect(label.rows[0].content.toString('utf8')).toContain(moved); // ours for Yurtiçi, with Trendyol's new number
  expect(label.rows[0].content.toString('utf8')).not.toContain(first);

  sandbox.state.move(sandbox.state.packages.get(pkg.id)!, 'Shipped');
  await pull();
  const shipped = await eventually(
    () => parcel(orderId),
    (view) => view.status === 'in_transit',
  );
  expect(shipped.events.map((e) => [e.status, e.trackingNumber])).toEqual([['in_transit', moved]]);
  expect(askedOurCarriers(orderId)).toEqual([]);
}, 120_000);

test("Picking refused (the package already past Created) does not stop the label: ops are asked only while Trendyol's label cannot be had, and retryBooking takes it once it can", async () => {
  const { pkg, orderId } = placeContracted('Aras Kargo Marketplace', `733${String(Date.now() + 13).slice(-10)}`);
  sandbox.state.faults.add({ kind: 'error', on: ['updatePackageStatus'], times: 1, status: 400, probability: 1, seed: 1 });
  await pull();
  // Picking refused, so the package stays Created and Trendyol refuses its label: ops are asked, with why.
  const waiting = await eventually(
    () => parcel(orderId).catch(() => undefined),
    (view) => view?.status === 'needs_attention',
    60,
  );
  expect(waiting!.attention).toMatch(/its label could not be had .*send retryBooking/);
  // Invoiced meanwhile (the seller's e-invoicing): Picking is refused again, and passed over; the label is had.
  sandbox.state.move(sandbox.state.packages.get(pkg.id)!, 'Invoiced');
  await harness.api
    .post(`/v1/shipments/${shipmentWorkflowId(orderId, 1)}/retry-booking`)
    .send({})
    .expect(202);
  expect(await labelledParcel(orderId)).toMatchObject({ carrier: 'aras', status: 'labelled' });
}, 120_000);

test("an order cancelled here after Trendyol's label voids nothing of ours and asks ops to cancel the package at Trendyol", async () => {
  const { pkg, orderId } = placeContracted('Aras Kargo Marketplace', `733${String(Date.now() + 17).slice(-10)}`);
  await pull();
  await labelledParcel(orderId);
  await harness.api.post(`/v1/orders/${orderId}/cancel`).send({ reason: 'customer changed their mind' }).expect(200);
  const cancelled = await eventually(
    () => parcel(orderId),
    (view) => view.status === 'cancelled',
  );
  expect(cancelled.outcome).toMatch(/the label is the marketplace's, cancel the package in its seller panel/);
  const alerts = await harness.pool.query<{ message: string }>(
    `SELECT message FROM ops_alerts WHERE shipment_id = $1 AND kind = 'marketplace_cancel_to_tell'`,
    [shipmentWorkflowId(orderId, 1)],
  );
  expect(alerts.rows).toEqual([{ message: expect.stringContaining(`package ${pkg.id}: cancel the package in the seller panel`) }]);
  expect(askedOurCarriers(orderId)).toEqual([]);
}, 120_000);
