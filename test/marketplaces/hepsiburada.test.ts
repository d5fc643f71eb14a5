// The Hepsiburada connector end to end on real components: the Hepsiburada double over HTTP, the
// project's PostgreSQL test database, and the Temporal dev server running marketplacePullWorkflow
// on the workers workers/main.ts builds (the order start is api/order-start.ts's). The orders it
// starts go to the `orders` queue, which no worker of this file polls: intake is about their being
// started once. Pushback: an order of a Hepsiburada account changes in PostgreSQL the way the
// shipment activities change it, the outbox pump wakes the account's dispatcher on this file's
// worker, and the double receives intransit.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { ShipmentView, TrackingStatus } from '../../domain/shipment';
import { hepsiburadaDouble, SANDBOX_HEPSIBURADA_MERCHANT as MERCHANT, type HepsiburadaState } from '../../sandbox/marketplaces/hepsiburada';
import { eventually } from '../helpers/api-harness';
import { startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';
import {
  connectHepsiburadaAccount,
  HEPSIBURADA_ANKARA as ANKARA,
  hepsiburadaAdapterAt,
  hepsiburadaAgainstDouble,
  placeHepsiburadaPackage,
  type PackageItem,
} from '../helpers/hepsiburada';
import { useIntakeStack } from '../helpers/marketplace-intake';
import { deliveriesOf, labelParcel, pushbackAccount, recordStartedPackage, scanParcel } from '../helpers/marketplace-pushback';

const RUN = randomUUID().slice(0, 8);
const SKUS = [`HB-${RUN}-A`, `HB-${RUN}-B`];
const taskQueue = `hb-${RUN}`;
/** The pushback tests' account, a subscriber of the outbox from the worker's start. */
const pushAccount = `hepsiburada-pb${RUN}`;
const pushback = pushbackAccount(pushAccount, taskQueue, (pool) =>
  connectHepsiburadaAccount(pool, pushAccount, { name: 'Hepsiburada (pushback test)' }),
);
const { subscriberId } = pushback;

const stack = useIntakeStack({
  marketplace: 'hepsiburada',
  taskQueue,
  startDouble: () => startDouble(hepsiburadaDouble, { requestsPerMinute: 1_000 }),
  marketplaces: hepsiburadaAgainstDouble,
  skus: SKUS,
  plan: { pagesPerRun: 30, pagesAtOnce: 30, pageSpacing: '1 second', detailsPerRun: 50 },
  workerOptions: pushback.workerOptions,
  beforeTeardown: pushback.beforeTeardown,
});
let pool: Pool;
let sandbox: DoubleSandbox<HepsiburadaState>;
beforeAll(() => {
  ({ pool, sandbox } = stack);
});
const { accounts, pull, packages, orderExists, expectOneOrderEach, expectHeldUntilSkuMapped } = stack;

async function newAccount({ pageSize }: { pageSize?: number } = {}): Promise<string> {
  const accountId = `hepsiburada-t${randomUUID().slice(0, 8)}`;
  await connectHepsiburadaAccount(pool, accountId, { pageSize });
  accounts.push(accountId);
  return accountId;
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const orderIdOf = (packageNumber: string) => `hb-${MERCHANT}-${packageNumber}`;

function place(pkg: { items?: PackageItem[]; createdAt?: string; orderedAt?: string; orderNumber?: string } = {}): string {
  const { items = [{ merchantSku: SKUS[0], quantity: 2, unitPrice: 150 }], createdAt = minutesAgo(10), ...rest } = pkg;
  return placeHepsiburadaPackage(sandbox.state, { items, createdAt, ...rest }).packageNumber;
}

describe('intake', () => {
  test("a package becomes an order: its lines by merchantSku, the order's delivery address, its due date as ship-by", async () => {
    const accountId = await newAccount();
    const orderNumber = String(4_000_000_000 + Math.floor(Math.random() * 1e8));
    const id = place({
      orderNumber,
      items: [
        { merchantSku: SKUS[0], quantity: 2, unitPrice: 150 },
        { merchantSku: SKUS[1], quantity: 1, unitPrice: 99.9 },
      ],
    });
    expect(await pull(accountId)).toMatchObject({ packages: 1, detailed: 1, started: 1, unmappable: 0 });
    const [row] = await packages(accountId);
    expect(row).toMatchObject({ package_id: id, order_id: orderIdOf(id), state: 'started' });
    expect(row.order_input).toMatchObject({
      orderId: orderIdOf(id),
      channel: 'hepsiburada',
      externalId: orderNumber,
      customer: { name: ANKARA.name, email: `${orderIdOf(id)}@marketplace.invalid` },
      shippingAddress: {
        name: ANKARA.name,
        line1: ANKARA.address,
        line2: ANKARA.district,
        city: 'Ankara',
        district: 'Çankaya',
        postalCode: '06420',
        countryCode: 'TR',
      },
      lines: [
        { sku: SKUS[0], quantity: 2, unitPrice: 150 },
        { sku: SKUS[1], quantity: 1, unitPrice: 99.9 },
      ],
      service: 'standard',
    });
    expect(row.order_input).not.toHaveProperty('cashOnDelivery');
    // dueDate, written in Turkey's time without an offset, is the ship-by instant.
    const due = sandbox.state.packages.get(id)!.dueDate.getTime();
    expect(row.ship_by?.getTime()).toBe(due - (due % 1000)); // Hepsiburada's times are to the second
    expect(await orderExists(orderIdOf(id))).toBe(true);
    // Hepsiburada's line ids, which pushback addresses, are kept once each.
    const lines = await pool.query('SELECT line_id FROM marketplace_package_lines WHERE account_id = $1', [accountId]);
    expect(lines.rows.map((r: { line_id: string }) => r.line_id).sort()).toEqual(
      sandbox.state.packages
        .get(id)!
        .items.map((i) => i.lineItemId)
        .sort(),
    );
  });

  test('one order per package under two overlapping pulls, a retried start and a later pull listing them again', async () => {
    const accountId = await newAccount({ pageSize: 2 });
    // Every pull lists them: the listing of packages to ship is swept whole.
    const ids = [place(), place(), place({ items: [{ merchantSku: SKUS[1], quantity: 1, unitPrice: 10 }] })].sort();
    await expectOneOrderEach(accountId, ids, orderIdOf);
  });

  test('twelve packages are read ten and two by Offset; the sweep then ends and the next run starts another', async () => {
    const accountId = await newAccount();
    const ids = Array.from({ length: 12 }, (_, i) => place({ createdAt: minutesAgo(30 - i) }));
    expect(await pull(accountId)).toMatchObject({ pages: 2, packages: 12, started: 12 });
    const listings = sandbox.calls.filter((c) => c.path === `/hepsiburada/packages/merchantid/${MERCHANT}`);
    expect(listings).toHaveLength(2);
    expect((await packages(accountId)).map((r) => r.package_id)).toEqual([...ids].sort());
    const { rows } = await pool.query<{ cursor: Record<string, unknown> }>('SELECT cursor FROM marketplace_cursors WHERE account_id = $1', [
      accountId,
    ]);
    expect(rows[0].cursor).toEqual({});
    // A new package: the next sweep reads the listing again, and only it starts.
    const later = place({ createdAt: minutesAgo(1) });
    expect(await pull(accountId)).toMatchObject({ packages: 13, started: 1 });
    expect(await orderExists(orderIdOf(later))).toBe(true);
  });

  test('a package packed long after its order is taken: begindate selects by when the items were added (the definition)', async () => {
    const accountId = await newAccount();
    expect(await pull(accountId)).toMatchObject({ packages: 0 });
    // Packed three minutes ago (Hepsiburada packs about a quarter of an hour after the order, reported), listed only now.
    const late = place({ orderedAt: minutesAgo(20), createdAt: minutesAgo(3) });
    expect(await pull(accountId)).toMatchObject({ started: 1 });
    expect(await orderExists(orderIdOf(late))).toBe(true);
  });

  test('a package leaving the listing between two pages passes over none for good: the next sweep takes what this one missed', async () => {
    const accountId = await newAccount({ pageSize: 2 });
    const ids = Array.from({ length: 4 }, (_, i) => place({ createdAt: minutesAgo(10 - i) }));
    // One page of two a run: the sweep spans runs, and the listing changes between them.
    const onePage = { pagesPerRun: 1, pagesAtOnce: 1 };
    expect(await pull(accountId, onePage)).toMatchObject({ packages: 2 });
    sandbox.state.packages.get(ids[0])!.status = 'InTransit'; // told, or unpacked: gone from the listing
    expect(await pull(accountId, onePage)).toMatchObject({ packages: 1 }); // offset 2 now holds the fourth: the third is passed over
    expect(await pull(accountId, onePage)).toMatchObject({ packages: 2 }); // a new sweep: the second and third
    expect(await pull(accountId, onePage)).toMatchObject({ packages: 1 });
    expect((await packages(accountId)).map((r) => r.package_id).sort()).toEqual([...ids].sort());
  });

  test('a package re-packed at Hepsiburada (its lines under a new package number) is held for ops naming the first, not shipped twice', async () => {
    const accountId = await newAccount();
    const first = place();
    expect(await pull(accountId)).toMatchObject({ started: 1 });
    // Unpacked and packed again: the first package leaves the listing, a new one holds the same line items.
    const unpacked = sandbox.state.packages.get(first)!;
    const again = place({ createdAt: minutesAgo(1) });
    sandbox.state.packages.get(again)!.items = unpacked.items.map((item) => ({ ...item }));
    unpacked.status = 'InTransit';
    expect(await pull(accountId)).toMatchObject({ started: 0, unmappable: 1 });
    const held = (await packages(accountId)).find((r) => r.package_id === again)!;
    expect(held).toMatchObject({ state: 'unmappable', attention_field: 'lines.0.lineId', order_input: null });
    expect(held.attention_reason).toContain(`package ${first}`);
    expect(await orderExists(orderIdOf(again))).toBe(false);
  });

  test('a package whose details Hepsiburada refuses holds up no newer one: the next run asks the others first', async () => {
    const accountId = await newAccount();
    const refused = place();
    expect(await pull(accountId, { detailsPerRun: 0 })).toMatchObject({ packages: 1, detailed: 0 });
    // Gone from the listing, and its order no longer found (400): only the stored package is left to ask about.
    Object.assign(sandbox.state.packages.get(refused)!, { orderNumber: '9999999999', status: 'InTransit' });
    const newer = place({ createdAt: minutesAgo(1) });
    // One package's details a run (as a long backlog leaves): the refused one first, then the newer one.
    expect(await pull(accountId, { detailsPerRun: 1 })).toMatchObject({ detailed: 0, detailsFailed: 1 });
    expect(await pull(accountId, { detailsPerRun: 1 })).toMatchObject({ detailed: 1, started: 1 });
    expect(await orderExists(orderIdOf(newer))).toBe(true);
    const { rows } = await pool.query<{ state: string; details_failures: number; last_details_error: string }>(
      'SELECT state, details_failures, last_details_error FROM marketplace_packages WHERE account_id = $1 AND package_id = $2',
      [accountId, refused],
    );
    expect(rows[0]).toMatchObject({ state: 'fetching', details_failures: 1, last_details_error: expect.stringContaining('HTTP 400') });
  });

  test("a 429 from the listing, and from one order's detail, is retried and each package still starts once", async () => {
    const accountId = await newAccount();
    const ids = [place(), place()];
    for (const on of ['listPackages', 'getOrder'] as const) {
      sandbox.state.faults.add({ kind: 'rate-limit', on: [on], times: 1, retryAfterSeconds: 1, probability: 1, seed: 1 });
    }
    expect(await pull(accountId)).toMatchObject({ detailed: 2, detailsFailed: 0, started: 2 });
    const statuses = (path: RegExp) => sandbox.calls.filter((c) => path.test(c.path)).map((c) => c.status);
    expect(statuses(/\/packages\/merchantid\/[^/]+$/)).toEqual([429, 200]);
    expect(statuses(/\/ordernumber\//)).toEqual([429, 200, 200]);
    for (const id of ids) expect(await orderExists(orderIdOf(id))).toBe(true);
  }, 60_000);

  test("the double's own limit: a pull past its calls a minute meets 429s and waits them out", async () => {
    const accountId = await newAccount();
    sandbox.state.requestsPerMinute = 2;
    const ids = [place(), place()];
    const result = pull(accountId);
    // The listing and one detail fit the minute; the second detail meets 429 until the limit is lifted (as a minute passing would).
    await eventually(
      () => Promise.resolve(sandbox.calls.filter((c) => c.status === 429).length),
      (n) => n >= 1,
      30,
    );
    sandbox.state.requestsPerMinute = 1_000;
    expect(await result).toMatchObject({ started: 2, detailsFailed: 0 });
    for (const id of ids) expect(await orderExists(orderIdOf(id))).toBe(true);
  }, 90_000);

  test('an unknown SKU holds the package for ops with the field named; mapping the SKU starts it', async () => {
    const accountId = await newAccount();
    const unknownSku = `HB-UNKNOWN-${RUN}`;
    const id = place({ items: [{ merchantSku: unknownSku, quantity: 1, unitPrice: 50 }] });
    await expectHeldUntilSkuMapped(accountId, { unknownSku, orderId: orderIdOf(id), sku: SKUS[1] });
  });

  test('an order without a postal code is held with the field named, never dropped', async () => {
    const accountId = await newAccount();
    const { postalCode: _dropped, ...noPostalCode } = ANKARA;
    placeHepsiburadaPackage(sandbox.state, {
      items: [{ merchantSku: SKUS[0], quantity: 1, unitPrice: 10 }],
      createdAt: minutesAgo(10),
      address: noPostalCode,
    });
    expect(await pull(accountId)).toMatchObject({ started: 0, unmappable: 1 });
    expect((await packages(accountId))[0]).toMatchObject({ state: 'unmappable', attention_field: 'shippingAddress.postalCode' });
  });
});

describe('pushback', () => {
  /** A Hepsiburada package as intake leaves it: placed in the double, its package and lines recorded, its order and stock held. */
  async function hepsiburadaOrder(items: { sku: string; quantity: number }[]): Promise<{ packageNumber: string; orderId: string }> {
    const packageNumber = place({ items: items.map((i) => ({ merchantSku: i.sku, quantity: i.quantity, unitPrice: 100 })) });
    const placed = sandbox.state.packages.get(packageNumber)!;
    const lines = items.map((item, n) => ({ ...item, lineId: placed.items[n].lineItemId }));
    const base = { accountId: pushAccount, packageId: packageNumber, marketplaceOrderId: placed.orderNumber, status: 'Packaged' };
    const order = await recordStartedPackage(pool, { ...base, channel: 'hepsiburada', orderId: orderIdOf(packageNumber), lines });
    return { packageNumber, orderId: order.orderId };
  }

  /** The order's parcel labelled with Yurtiçi, and the carrier's scans of it, as the shipment activities record them. */
  const labelled = (orderId: string, trackingNumber?: string) => labelParcel(pool, orderId, trackingNumber);
  const scan = (orderId: string, view: ShipmentView, steps: TrackingStatus[]) => scanParcel(pool, orderId, view, steps);
  const deliveries = (orderId: string) => deliveriesOf(pool, subscriberId, orderId);

  const inTransits = (packageNumber: string) =>
    sandbox.state.pushes.filter((p) => p.operation === 'intransit' && p.packageNumber === packageNumber);
  /** What Hepsiburada was told of how the parcel's journey ended: deliver or undeliver, with its answer and body. */
  const ends = (packageNumber: string) =>
    sandbox.state.pushes
      .filter((p) => (p.operation === 'deliver' || p.operation === 'undeliver') && p.packageNumber === packageNumber)
      .map((p) => [p.operation, p.status, p.body]);

  test("a parcel's first carrier scan tells Hepsiburada it is in transit once, with its tracking number, through a 429 and a 503; later scans send nothing but its delivery, once", async () => {
    sandbox.state.faults.add({ kind: 'rate-limit', on: ['getPackage'], times: 1, retryAfterSeconds: 1, probability: 1, seed: 1 });
    sandbox.state.faults.add({ kind: 'error', on: ['intransit'], times: 1, status: 503, probability: 1, seed: 1 });
    const { packageNumber, orderId } = await hepsiburadaOrder([
      { sku: SKUS[0], quantity: 2 },
      { sku: SKUS[1], quantity: 1 },
    ]);
    const parcel = await labelled(orderId);
    await scan(orderId, parcel, ['picked_up']);

    await eventually(
      () => Promise.resolve(inTransits(packageNumber)),
      (p) => p.length >= 1,
      60,
    );
    expect(inTransits(packageNumber).map((p) => [p.status, p.body])).toEqual([
      [
        200,
        {
          trackingNumber: parcel.trackingNumber,
          trackingUrl: `https://track.shop.example/track/${parcel.trackingNumber}`,
          shippedDate: parcel.events[0].occurredAt, // the carrier's first scan
        },
      ],
    ]);
    expect(sandbox.state.packages.get(packageNumber)).toMatchObject({ status: 'InTransit', trackingNumber: parcel.trackingNumber });

    // Later scans of the same parcel tell Hepsiburada nothing more until the delivery, which is told once.
    await scan(orderId, parcel, ['in_transit', 'delivered']);
    const statuses = await eventually(
      () => deliveries(orderId),
      (s) => s.length === 3 && s.every((x) => x === 'delivered'),
      30,
    );
    expect(statuses).toEqual(['delivered', 'delivered', 'delivered']);
    expect(inTransits(packageNumber)).toHaveLength(1);
    expect(ends(packageNumber)).toEqual([['deliver', 200, { receivedDate: parcel.events[2].occurredAt }]]);
    expect(sandbox.state.packages.get(packageNumber)!.status).toBe('Delivered');
  }, 90_000);

  test('a parcel whose first scan the pushback sees is its delivery is told in transit, then delivered, in that order', async () => {
    const { packageNumber, orderId } = await hepsiburadaOrder([{ sku: SKUS[0], quantity: 1 }]);
    const parcel = await labelled(orderId);
    await scan(orderId, parcel, ['delivered']); // the carrier's pick-up and transit scans never came
    await eventually(
      () => Promise.resolve(ends(packageNumber)),
      (p) => p.length >= 1,
      60,
    );
    expect(sandbox.state.pushes.filter((p) => p.packageNumber === packageNumber).map((p) => [p.operation, p.status, p.body])).toEqual([
      ['intransit', 200, expect.objectContaining({ trackingNumber: parcel.trackingNumber })],
      ['deliver', 200, { receivedDate: parcel.events[0].occurredAt }],
    ]);
  }, 90_000);

  test('a parcel its carrier sends back to us is told undelivered, once, with why; a failed attempt alone tells nothing', async () => {
    const { packageNumber, orderId } = await hepsiburadaOrder([{ sku: SKUS[0], quantity: 1 }]);
    const parcel = await labelled(orderId);
    await scan(orderId, parcel, ['picked_up', 'delivery_failed', 'return_to_sender', 'returned']);
    // Every event handled, the label's and the scans' up to the return at least.
    const handled = await eventually(
      () => deliveries(orderId),
      (s) => s.length >= 4 && s.every((x) => x === 'delivered'),
      60,
    );
    expect(handled.length).toBeGreaterThanOrEqual(4);
    expect(ends(packageNumber)).toEqual([
      [
        'undeliver',
        200,
        { undeliveredDate: parcel.events[2].occurredAt, undeliveredReason: 'Yurtiçi Kargo is returning the parcel to the seller' },
      ],
    ]);
    expect(sandbox.state.packages.get(packageNumber)!.status).toBe('UnDelivered');
  }, 90_000);

  test('a package Hepsiburada already holds in transit with this tracking number (a repeat after a crash) is not told again', async () => {
    const { packageNumber, orderId } = await hepsiburadaOrder([{ sku: SKUS[0], quantity: 1 }]);
    const trackingNumber = `YK${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    // Told before the crash, not recorded here.
    Object.assign(sandbox.state.packages.get(packageNumber)!, { status: 'InTransit', trackingNumber });
    await scan(orderId, await labelled(orderId, trackingNumber), ['picked_up']);
    expect(
      await eventually(
        () => deliveries(orderId),
        (s) => s.length === 1 && s[0] === 'delivered',
        30,
      ),
    ).toEqual(['delivered']);
    expect(inTransits(packageNumber)).toEqual([]);
    const told = await pool.query('SELECT 1 FROM marketplace_pushes WHERE account_id = $1 AND package_id = $2', [
      pushAccount,
      packageNumber,
    ]);
    expect(told.rowCount).toBe(1);
  }, 60_000);
});

describe('errors', () => {
  const account = { accountId: 'hepsiburada-errors', marketplace: 'hepsiburada', sellerRef: MERCHANT, settings: { merchantId: MERCHANT } };
  const parcel = (packageId: string, trackingNumber: string) => ({
    packageId,
    parcelNumber: 1,
    carrier: 'yurtici',
    carrierName: 'Yurtiçi Kargo',
    trackingNumber,
    shippedAt: new Date().toISOString(),
    lines: [],
  });

  test('a service key Hepsiburada does not take is a refused credential, retried, not a refusal', async () => {
    const adapter = hepsiburadaAdapterAt(sandbox.baseUrl, account, { serviceKey: 'revokedkey12' });
    await expect(adapter.list(undefined, new Date())).rejects.toMatchObject({ type: 'MarketplaceAuthRefused', nonRetryable: false });
  });

  test('a request Hepsiburada refuses is not retried, its bare-string reason kept', async () => {
    const packageNumber = place();
    sandbox.state.packages.get(packageNumber)!.status = 'Delivered';
    const adapter = hepsiburadaAdapterAt(sandbox.baseUrl, account);
    await expect(adapter.pushShipped!(parcel(packageNumber, 'YK-LATE'))).rejects.toMatchObject({
      type: 'MarketplaceRefused',
      nonRetryable: true,
      message: expect.stringMatching(/intransit: HTTP 400, HTTP400: package is Delivered/),
    });
  });

  test('a package whose end Hepsiburada holds already (an earlier parcel of a split order) is not told deliver or undeliver again', async () => {
    const packageNumber = place();
    Object.assign(sandbox.state.packages.get(packageNumber)!, { status: 'Delivered', trackingNumber: 'YK-FIRST-PARCEL' });
    const adapter = hepsiburadaAdapterAt(sandbox.baseUrl, account);
    const at = new Date().toISOString();
    await adapter.pushDelivered!(parcel(packageNumber, 'YK-SECOND'), { at });
    await adapter.pushUndelivered!(parcel(packageNumber, 'YK-SECOND'), { at, reason: 'returning' });
    expect(sandbox.state.pushes).toEqual([]);
  });

  test('a package already in transit on an earlier parcel of ours (a split order) is not told again, and nothing is held for ops', async () => {
    const packageNumber = place();
    Object.assign(sandbox.state.packages.get(packageNumber)!, { status: 'InTransit', trackingNumber: 'YK-FIRST-PARCEL' });
    await hepsiburadaAdapterAt(sandbox.baseUrl, account).pushShipped!(parcel(packageNumber, 'YK-SECOND'));
    expect(sandbox.state.pushes).toEqual([]);
    expect(sandbox.state.packages.get(packageNumber)!.trackingNumber).toBe('YK-FIRST-PARCEL');
  });
});
