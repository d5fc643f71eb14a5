// Trendyol intake end to end on real components: the Trendyol double over HTTP, the project's
// PostgreSQL test database, and the Temporal dev server running marketplacePullWorkflow on the
// workers workers/order-worker.ts builds (orders started as POST /v1/orders starts them). The
// orders go to the `orders` queue, which no worker of this file polls: the test is about their
// being started once, from the right reading of each package. The adapter's own calls (the common
// label, the error bodies) are asked of the same double. Pushback: an order of a Trendyol account
// changes in PostgreSQL the way the shipment activities change it, the outbox pump wakes the
// account's dispatcher on this file's worker, and the double receives Picking at the label and the
// tracking number at the first scan.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { marketplacePushback } from '../../activities/webhooks/marketplace';
import { marketplaceSubscriber } from '../../activities/webhooks/subscribers';
import type { MarketplaceAdapter } from '../../marketplaces/adapter';
import { MARKETPLACE_FAILURE_TYPES } from '../../marketplaces/failures';
import { marketplaceAdapter } from '../../marketplaces/registry';
import { quoteLongNumbers } from '../../marketplaces/trendyol/client';
import { SANDBOX_TRENDYOL_CREDENTIALS, trendyolDouble, type TrendyolState } from '../../sandbox/marketplaces/trendyol';
import { eventually } from '../helpers/api-harness';
import { startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';
import { useIntakeStack } from '../helpers/marketplace-intake';
import {
  deliveriesOf,
  labelParcel,
  pushbackAccount,
  recordStartedPackage,
  outboundEvents,
  scanParcel,
} from '../helpers/marketplace-pushback';
import {
  connectTrendyolAccount,
  placeTrendyolPackage,
  TRENDYOL_ISTANBUL,
  trendyolAgainstDouble,
  type TrendyolLineInput,
} from '../helpers/trendyol';

const RUN = randomUUID().slice(0, 8);
const SKUS = [`TY-${RUN}-A`, `TY-${RUN}-B`];
const taskQueue = `ty-intake-${RUN}`;
/** The pushback tests' account, a subscriber of the outbox from the worker's start. */
const pushAccount = `trendyol-pb${RUN}`;
const pushback = pushbackAccount(pushAccount, taskQueue, (pool) => connectTrendyolAccount(pool, pushAccount));
const { subscriberId } = pushback;

const stack = useIntakeStack({
  marketplace: 'trendyol',
  taskQueue,
  // No limit unless a test sets one (reset restores this): the listing and each package's details share getShipmentPackages'.
  startDouble: () => startDouble(trendyolDouble, { rateLimits: { getShipmentPackages: { limit: 10_000, windowMs: 1_000 } } }),
  marketplaces: trendyolAgainstDouble,
  skus: SKUS,
  plan: { pagesPerRun: 10, pagesAtOnce: 10, pageSpacing: '1 minute', detailsPerRun: 50 },
  workerOptions: pushback.workerOptions,
  beforeTeardown: pushback.beforeTeardown,
});
let pool: Pool;
let sandbox: DoubleSandbox<TrendyolState>;
beforeAll(() => {
  ({ pool, sandbox } = stack);
});
const { accounts, pull, packages, orderExists, expectOneOrderEach, expectHeldUntilSkuMapped } = stack;

async function newAccount({ pageSize = 200 }: { pageSize?: number } = {}): Promise<string> {
  const accountId = `trendyol-t${randomUUID().slice(0, 8)}`;
  await connectTrendyolAccount(pool, accountId, { pageSize });
  accounts.push(accountId);
  return accountId;
}

const minutesAgo = (n: number) => Date.now() - n * 60_000;

function place({
  lines = [{ merchantSku: SKUS[0], quantity: 2, price: 150 }],
  ...rest
}: { lines?: TrendyolLineInput[] } & Record<string, unknown> = {}) {
  return placeTrendyolPackage(sandbox.state, { lines, lastModifiedDate: minutesAgo(10), ...rest });
}

const adapterFor = (accountId: string, credentials: Record<string, string> = {}): MarketplaceAdapter =>
  marketplaceAdapter(
    {
      accountId,
      marketplace: 'trendyol',
      sellerRef: SANDBOX_TRENDYOL_CREDENTIALS.sellerId,
      settings: { sellerId: SANDBOX_TRENDYOL_CREDENTIALS.sellerId },
    },
    { [accountId]: { baseUrl: `${sandbox.baseUrl}/integration`, ...credentials } },
    { timeoutMs: 5_000 },
  );

test('one order per package under two overlapping pulls and a third; lines, address, order number and ship-by as Trendyol gave them', async () => {
  const accountId = await newAccount();
  const placed = [place(), place(), place({ lines: [{ merchantSku: SKUS[1], quantity: 1, price: 99.9 }] })];
  const ids = placed.map((p) => String(p.id)).sort();
  const rows = await expectOneOrderEach(accountId, ids, (id) => `ty-${id}`);
  for (const p of placed) {
    const row = rows.find((r) => r.package_id === String(p.id))!;
    expect(row.order_input).toMatchObject({
      channel: 'trendyol',
      externalId: p.orderNumber,
      lines: [{ sku: p.lines[0].merchantSku, quantity: p.lines[0].quantity, unitPrice: p.lines[0].price }],
      shippingAddress: {
        name: 'Ayşe Yılmaz',
        line1: TRENDYOL_ISTANBUL.address1,
        city: 'İstanbul',
        district: 'Kadıköy',
        postalCode: '34710',
        countryCode: 'TR',
      },
    });
    // agreedDeliveryDate, read as the hand-over deadline (README: unconfirmed).
    expect(row.ship_by?.getTime()).toBe(p.agreedDeliveryDate);
    expect(row.package.assigned).toBeUndefined();
  }
  // Trendyol's line ids, which every pushback addresses, are kept once each.
  const lines = await pool.query<{ line_id: string }>('SELECT line_id FROM marketplace_package_lines WHERE account_id = $1', [accountId]);
  expect(lines.rows.map((l) => l.line_id).sort()).toEqual(placed.map((p) => String(p.lines[0].id)).sort());
});

test('a window of five packages is read in pages of two (page/size); the cursor then rests at the window end', async () => {
  const accountId = await newAccount({ pageSize: 2 });
  const ids = [0, 1, 2, 3, 4].map((i) => String(place({ lastModifiedDate: minutesAgo(20 - i) }).id));
  const result = await pull(accountId);
  expect(result).toMatchObject({ pages: 3, packages: 5, started: 5 });
  expect((await packages(accountId)).map((r) => r.package_id).sort()).toEqual([...ids].sort());
  const { rows } = await pool.query<{ cursor: Record<string, unknown> }>('SELECT cursor FROM marketplace_cursors WHERE account_id = $1', [
    accountId,
  ]);
  expect(rows[0].cursor).toEqual({ until: expect.any(Number) });

  // The next run's window overlaps the last by five minutes: a package changed since is read, nothing starts twice.
  const late = String(place({ lastModifiedDate: Date.now() }).id);
  expect(await pull(accountId)).toMatchObject({ packages: 1, started: 1, duplicates: 0 });
  expect(await orderExists(`ty-${late}`)).toBe(true);
});

test('a 429 from getShipmentPackages (its limit spent by the details) is retried, and each package still starts once', async () => {
  const accountId = await newAccount();
  const ids = [place(), place()].map((p) => String(p.id));
  // One listing and two details: the third call is over a limit of two every three seconds.
  sandbox.state.rateLimits.getShipmentPackages = { limit: 2, windowMs: 3_000 };
  const result = await pull(accountId);
  expect(result).toMatchObject({ detailed: 2, detailsFailed: 0, started: 2 });
  const statuses = sandbox.calls.filter((c) => c.path.endsWith('/orders')).map((c) => c.status);
  expect(statuses).toEqual([200, 200, 429, 200]);
  for (const id of ids) expect(await orderExists(`ty-${id}`)).toBe(true);
}, 60_000);

test('an unknown SKU holds the package for ops with the field named; mapping the SKU starts it', async () => {
  const accountId = await newAccount();
  const unknownSku = `TY-UNKNOWN-${RUN}`;
  const pkg = place({ lines: [{ merchantSku: unknownSku, quantity: 1, price: 50 }] });
  await expectHeldUntilSkuMapped(accountId, { unknownSku, orderId: `ty-${pkg.id}`, sku: SKUS[1] });
});

test("a Trendyol-contracted package keeps the carrier and tracking number Trendyol gave it: with a carrier of ours its order starts on Trendyol's contract, with another it is held for ops; the common label comes back as ZPL after Picking", async () => {
  const accountId = await newAccount();
  const pkg = place({ contract: 'trendyol', cargoProviderName: 'Aras Kargo Marketplace', cargoTrackingNumber: '7330000000123' });
  const tex = place({ contract: 'trendyol', cargoProviderName: 'Trendyol Express Marketplace', cargoTrackingNumber: '7270000000456' });
  expect(await pull(accountId)).toMatchObject({ started: 1, unmappable: 1 });
  const rows = await packages(accountId);
  const aras = rows.find((r) => r.package_id === String(pkg.id))!;
  expect(aras).toMatchObject({ state: 'started', attention_field: null });
  expect(aras.order_input!.marketplaceShipping).toEqual({
    marketplace: 'trendyol',
    accountId,
    packageId: String(pkg.id),
    carrier: 'aras',
    trackingNumber: '7330000000123',
  });
  expect(await orderExists(aras.order_id)).toBe(true);
  const held = rows.find((r) => r.package_id === String(tex.id))!;
  expect(held).toMatchObject({ state: 'unmappable', attention_field: 'assigned', order_input: null });
  expect(held.attention_reason).toMatch(/own contract with Trendyol Express Marketplace, not a carrier of ours/);
  expect(await orderExists(held.order_id)).toBe(false);
  expect(rows.find((r) => r.package_id === String(pkg.id))!.package.assigned).toEqual({
    carrierCode: 'aras',
    carrierName: 'Aras Kargo Marketplace',
    trackingNumber: '7330000000123',
  });
  expect(rows.find((r) => r.package_id === String(tex.id))!.package.assigned).toEqual({
    carrierCode: 'marketplace:trendyol:trendyol-express-marketplace',
    carrierName: 'Trendyol Express Marketplace',
    trackingNumber: '7270000000456',
  });

  const adapter = adapterFor(accountId);
  // Before Picking Trendyol refuses the label: a refusal, not retried.
  await expect(adapter.commonLabel!(String(pkg.id), '7330000000123', 'aras')).rejects.toMatchObject({
    type: MARKETPLACE_FAILURE_TYPES.refused,
    nonRetryable: true,
    message: expect.stringContaining('Picking'),
  });
  sandbox.state.move(sandbox.state.packages.get(pkg.id)!, 'Picking');
  const label = (await adapter.commonLabel!(String(pkg.id), '7330000000123', 'aras'))!;
  expect(label.format).toBe('zpl');
  expect(label.labels).toHaveLength(1);
  expect(label.labels[0]).toMatch(/^\^XA[\s\S]*7330000000123[\s\S]*\^XZ$/);
  // Trendyol makes none for its other carriers (the definition: TEX and Aras only): not asked.
  expect(await adapter.commonLabel!(String(pkg.id), '7330000000123', 'yurtici')).toBeUndefined();
  expect(sandbox.state.pushes.map((p) => [p.operation, p.target, p.status])).toEqual([
    ['createCommonLabel', '7330000000123', 400],
    ['createCommonLabel', '7330000000123', 200],
  ]);
});

test('statuses: Created is taken, Picking (handled elsewhere) skipped, Cancelled skipped and marked cancelled', async () => {
  const accountId = await newAccount();
  const picking = place({ status: 'Picking' });
  const cancelled = place({ status: 'Cancelled' });
  const taken = place();
  expect(await pull(accountId)).toMatchObject({ packages: 3, detailed: 1, started: 1 });
  const rows = Object.fromEntries((await packages(accountId)).map((r) => [r.package_id, r]));
  expect(rows[String(picking.id)]).toMatchObject({ state: 'skipped', status: 'Picking' });
  expect(rows[String(cancelled.id)]).toMatchObject({ state: 'skipped', status: 'Cancelled', package: { cancelled: true } });
  expect(rows[String(taken.id)]).toMatchObject({ state: 'started', package: { cancelled: false } });
  expect(await orderExists(`ty-${picking.id}`)).toBe(false);
  expect(await orderExists(`ty-${cancelled.id}`)).toBe(false);
});

describe('pushback', () => {
  /** A Trendyol package as intake leaves it: placed in the double, its package and lines recorded, its order and stock held. */
  async function trendyolOrder(
    items: { sku: string; quantity: number }[],
  ): Promise<{ packageId: string; orderId: string; lineIds: number[] }> {
    const placed = place({ lines: items.map((i) => ({ merchantSku: i.sku, quantity: i.quantity, price: 100 })) });
    const packageId = String(placed.id);
    const lines = items.map((item, n) => ({ ...item, lineId: String(placed.lines[n].id) }));
    const base = { accountId: pushAccount, packageId, marketplaceOrderId: placed.orderNumber, status: 'Created' };
    const order = await recordStartedPackage(pool, { ...base, channel: 'trendyol', orderId: `ty-${packageId}`, lines });
    return { packageId, orderId: order.orderId, lineIds: placed.lines.map((l) => l.id) };
  }

  const pushesOf = (packageId: string) =>
    sandbox.state.pushes.filter((p) => p.target === packageId).map((p) => [p.operation, p.status, p.body] as const);
  const deliveries = (orderId: string) => deliveriesOf(pool, subscriberId, orderId);

  test("a parcel is told as Picking when labelled and its tracking number at the carrier's first scan, in order, once each: later scans and the first scan delivered again send nothing", async () => {
    const { packageId, orderId, lineIds } = await trendyolOrder([
      { sku: SKUS[0], quantity: 2 },
      { sku: SKUS[1], quantity: 1 },
    ]);
    const parcel = await labelParcel(pool, orderId);
    const picking = [
      'updatePackageStatus',
      200,
      {
        status: 'Picking',
        lines: [
          { lineId: lineIds[0], quantity: 2 },
          { lineId: lineIds[1], quantity: 1 },
        ],
      },
    ];
    expect(
      await eventually(
        () => Promise.resolve(pushesOf(packageId)),
        (p) => p.length >= 1,
        60,
      ),
    ).toEqual([picking]);

    await scanParcel(pool, orderId, parcel, ['picked_up']);
    const told = ['updateTrackingNumber', 200, { trackingNumber: parcel.trackingNumber }];
    expect(
      await eventually(
        () => Promise.resolve(pushesOf(packageId)),
        (p) => p.length >= 2,
        60,
      ),
    ).toEqual([picking, told]);
    expect(sandbox.state.packages.get(Number(packageId))).toMatchObject({ status: 'Picking', cargoTrackingNumber: parcel.trackingNumber });

    // Later scans are delivered to the subscriber and tell Trendyol nothing more.
    await scanParcel(pool, orderId, parcel, ['in_transit', 'delivered']);
    expect(
      await eventually(
        () => deliveries(orderId),
        (s) => s.length === 4 && s.every((x) => x === 'delivered'),
        30,
      ),
    ).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);

    // Delivery is at least once: the label and the first scan handed to the account's push again tell nothing twice.
    const push = marketplacePushback(
      { pool, adapterOf: trendyolAgainstDouble(sandbox.baseUrl).adapterOf },
      marketplaceSubscriber(pushAccount, 'trendyol'),
    );
    const [labelledEvent] = await outboundEvents(pool, orderId, 'shipment.labelled');
    const [firstScan] = await outboundEvents(pool, orderId, 'shipment.tracking_updated');
    expect(firstScan.data.status).toBe('picked_up');
    await push(labelledEvent);
    await push(firstScan);
    await push(firstScan);
    expect(pushesOf(packageId)).toEqual([picking, told]);
    const ledger = await pool.query<{ command: string }>(
      'SELECT command FROM marketplace_pushes WHERE account_id = $1 AND package_id = $2 ORDER BY pushed_at',
      [pushAccount, packageId],
    );
    expect(ledger.rows.map((r) => r.command)).toEqual(['picking', 'shipped']);
  }, 120_000);

  test('a tracking number Trendyol refuses (the package cancelled there) is held for ops with its later news, and the others go on', async () => {
    const refused = await trendyolOrder([{ sku: SKUS[0], quantity: 1 }]);
    const fine = await trendyolOrder([{ sku: SKUS[1], quantity: 1 }]);
    const refusedParcel = await labelParcel(pool, refused.orderId);
    await eventually(
      () => Promise.resolve(pushesOf(refused.packageId)),
      (p) => p.length === 1,
      60,
    );
    // Cancelled at Trendyol after Picking: the first scan's tracking number is refused.
    sandbox.state.move(sandbox.state.packages.get(Number(refused.packageId))!, 'Cancelled');
    await scanParcel(pool, refused.orderId, refusedParcel, ['picked_up']);
    expect(
      await eventually(
        () => deliveries(refused.orderId),
        (s) => s.includes('refused'),
        60,
      ),
    ).toEqual(['delivered', 'refused']);
    expect(pushesOf(refused.packageId).map(([operation, status]) => [operation, status])).toEqual([
      ['updatePackageStatus', 200],
      ['updateTrackingNumber', 400],
    ]);
    const alert = await pool.query<{ message: string; resolved_at: Date | null }>(
      `SELECT message, resolved_at FROM ops_alerts WHERE shipment_id = $1 AND kind = 'marketplace_push_refused'`,
      [refusedParcel.shipmentId],
    );
    expect(alert.rows).toEqual([{ message: expect.stringMatching(/updateTrackingNumber: HTTP 400.*Cancelled/), resolved_at: null }]);
    const { rows } = await pool.query('SELECT 1 FROM marketplace_pushes WHERE account_id = $1 AND package_id = $2 AND command = $3', [
      pushAccount,
      refused.packageId,
      'shipped',
    ]);
    expect(rows).toEqual([]);

    // The refused order's later news waits behind the refusal; another order's goes on.
    await scanParcel(pool, refused.orderId, refusedParcel, ['in_transit']);
    const fineParcel = await labelParcel(pool, fine.orderId);
    await scanParcel(pool, fine.orderId, fineParcel, ['picked_up']);
    expect(
      await eventually(
        () => deliveries(fine.orderId),
        (s) => s.length === 2 && s.every((x) => x === 'delivered'),
        60,
      ),
    ).toEqual(['delivered', 'delivered']);
    expect(pushesOf(fine.packageId).map(([operation, status]) => [operation, status])).toEqual([
      ['updatePackageStatus', 200],
      ['updateTrackingNumber', 200],
    ]);
    expect(await deliveries(refused.orderId)).toEqual(['delivered', 'refused', 'pending']);
  }, 120_000);
});

describe('the adapter against the double', () => {
  test('wrong credentials are the refused credentials (retried), read from the guide’s 401 body', async () => {
    const err = await adapterFor('trendyol-wrong', { apiSecret: 'not-the-secret' })
      .list(undefined, new Date())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({
      type: MARKETPLACE_FAILURE_TYPES.auth,
      nonRetryable: false,
      message: expect.stringContaining('ClientApiAuthenticationException'),
    });
  });

  test('an unknown tracking number is refused in the common label’s own error shape', async () => {
    await expect(adapterFor('trendyol-label').commonLabel!('1', '9990000000000', 'aras')).rejects.toMatchObject({
      type: MARKETPLACE_FAILURE_TYPES.refused,
      message: expect.stringContaining('NotFoundException'),
    });
  });
});

test('a tracking number production sends as a JSON number keeps every digit, past what a JavaScript number holds', () => {
  const body = '{"cargoTrackingNumber": 72602420957047276123, "shipmentNumber":3853354, "productName": "x \\"cargoTrackingNumber\\":5"}';
  expect(JSON.parse(quoteLongNumbers(body))).toEqual({
    cargoTrackingNumber: '72602420957047276123',
    shipmentNumber: '3853354',
    productName: 'x "cargoTrackingNumber":5',
  });
  expect(String(JSON.parse(body).cargoTrackingNumber)).not.toBe('72602420957047276123');
});
