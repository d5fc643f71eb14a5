// What the OMS, the WMS and ops do to running orders through the API, against the real
// Temporal CLI dev server and PostgreSQL: cancel, correct an address, return, retry a
// booking, report a parcel packed, sync stock, and list orders.
import { defaultPayloadConverter } from '@temporalio/common';
import type { Pool } from 'pg';
import { loadConfig } from '../../lib/config';
import { codecFrom } from '../../lib/payload-codec';
import type { OrderView } from '../../domain/order';
import type { TrackingEvent } from '../../domain/shipment';
import { orderWorkflowId, shipmentWorkflowId, trackingEventSignal } from '../../workflows/definitions';
import { authorized, createTestApp, eventually, startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { MemoryCarrier, scan } from '../helpers/memory-carrier';
import { barcodeInPdfPage, barcodeInPng, barcodeInZpl, binary } from '../helpers/label-barcode';
import { sampleOrder } from '../helpers/orders';
import { createWarehouse, setStock, stockedOrder, stockOf, uniqueName } from '../helpers/stock';
import { parcelHandle } from '../helpers/parcels';

// cargo ships to TR; the others serve one country each, so a test picks its carrier by destination.
const cargo = new MemoryCarrier('cargo', 50);
const france = new MemoryCarrier('colis', 40, { countries: ['FR'], behaviour: 'refuse' });
const netherlands = new MemoryCarrier('pakket', 40, { countries: ['NL'], behaviour: 'bad-address' });
const austria = new MemoryCarrier('postat', 40, { countries: ['AT'], pushTracking: false }); // polled hourly: no push
const belgium = new MemoryCarrier('bpost', 40, { countries: ['BE'], returnDelayMs: 3_000 }); // slow to issue return labels
const italy = new MemoryCarrier('posteit', 40, { countries: ['IT'], voidDelayMs: 3_000 }); // slow to void labels
const printer = new MemoryCarrier('etiket', 40, { countries: ['PL'], printsLabels: true }); // issues a real PDF label
let harness: ApiHarness;
let api: ApiHarness['api'];
let pool: Pool;

beforeAll(async () => {
  harness = await startApiHarness([cargo, france, netherlands, austria, belgium, italy, printer]);
  ({ api, pool } = harness);
}, 120_000);

afterAll(() => harness?.stop());

async function orderReaching(orderId: string, accept: (view: OrderView) => boolean): Promise<OrderView> {
  const res = await eventually(
    () => api.get(`/v1/orders/${orderId}`),
    (r) => r.status === 200 && accept(r.body),
  );
  return res.body;
}
const inStatus = (status: string) => (view: OrderView) => view.status === status;

async function scanParcel(orderId: string, events: TrackingEvent[]): Promise<void> {
  const shipment = await parcelHandle(harness.client, pool, orderId);
  for (const event of events) await shipment.signal(trackingEventSignal, event);
}

async function postOrder(order: object): Promise<void> {
  await api.post('/v1/orders').send(order).expect(202);
}

describe('POST /v1/orders/:orderId/cancel', () => {
  test('before hand-over: 200 cancelled and the stock is back; again: 409 not_cancellable with the status', async () => {
    const { order, warehouseId, skus } = await stockedOrder(pool);
    await postOrder(order);
    await orderReaching(order.orderId, inStatus('labelled'));

    const res = await api.post(`/v1/orders/${order.orderId}/cancel`).send({ reason: 'customer asked' }).expect(200);
    expect(res.body).toEqual({ orderId: order.orderId, status: 'cancelled' });
    await eventually(
      () => stockOf(pool, warehouseId, skus[0]),
      (s) => s.reserved === 0,
    );
    expect(await stockOf(pool, warehouseId, skus[0])).toEqual({ onHand: 10, reserved: 0 });

    const again = await api.post(`/v1/orders/${order.orderId}/cancel`).send({ reason: 'twice' }).expect(409);
    expect(again.body).toMatchObject({ error: 'not_cancellable', status: 'cancelled' });
  });

  test('a cancel accepted while the order records its way to its parcel reaches the parcel: nothing is booked, the stock is back', async () => {
    const { order, warehouseId, skus } = await stockedOrder(pool);
    // The allocation waits on the stock row this test holds; meanwhile the order's next status records are made to wait too.
    const stock = await pool.connect();
    const records = await pool.connect();
    try {
      await stock.query('BEGIN');
      await stock.query('SELECT 1 FROM inventory WHERE warehouse_id = $1 AND sku = $2 FOR UPDATE', [warehouseId, skus[0]]);
      await postOrder(order);
      const received = await eventually(
        () => pool.query<{ seq: number }>('SELECT max(seq) AS seq FROM order_status_history WHERE order_id = $1', [order.orderId]),
        (r) => r.rows[0].seq !== null,
      );
      const next = received.rows[0].seq + 1;
      await records.query('BEGIN');
      await records.query(
        `INSERT INTO order_status_history (order_id, seq, status, at) VALUES ($1, $2, 'held', now()), ($1, $2 + 1, 'held', now())`,
        [order.orderId, next],
      );
      await stock.query('COMMIT'); // allocated; its record waits on the rows above

      const cancel = api
        .post(`/v1/orders/${order.orderId}/cancel`)
        .send({ reason: 'customer asked' })
        .then((r) => r);
      const handle = harness.client.workflow.getHandle(orderWorkflowId(order.orderId));
      const events = await eventually(
        async () => (await handle.fetchHistory()).events ?? [],
        (events) => events.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes),
        30,
      );
      expect(events.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(true); // taken while the records wait
      expect(await pool.query('SELECT 1 FROM shipments WHERE order_id = $1', [order.orderId])).toMatchObject({ rowCount: 0 });
      await records.query('ROLLBACK'); // the records go through, and the parcel starts
      expect([200, 504]).toContain((await cancel).status);
    } finally {
      await stock.query('ROLLBACK').catch(() => undefined);
      await records.query('ROLLBACK').catch(() => undefined);
      stock.release();
      records.release();
    }

    const cancelled = await orderReaching(order.orderId, inStatus('cancelled'));
    expect(cancelled.shipments.map((s) => s.status)).toEqual(['cancelled']);
    expect(cargo.requests.filter((r) => r.orderId === order.orderId)).toEqual([]);
    expect(await stockOf(pool, warehouseId, skus[0])).toEqual({ onHand: 10, reserved: 0 });
  });

  test('after hand-over: 409 not_cancellable with the current status', async () => {
    const { order } = await stockedOrder(pool);
    await postOrder(order);
    const labelled = await orderReaching(order.orderId, inStatus('labelled'));
    await scanParcel(order.orderId, [scan(labelled.shipments[0].trackingNumber!, 'picked_up', new Date().toISOString())]);
    await orderReaching(order.orderId, inStatus('picked_up'));

    const res = await api.post(`/v1/orders/${order.orderId}/cancel`).send({ reason: 'too late' }).expect(409);
    expect(res.body).toMatchObject({ error: 'not_cancellable', status: 'picked_up' });
    expect(res.body.message).toContain('is already picked_up');
  });

  test('a missing reason is a 400 naming reason; an unknown order is a 404', async () => {
    const missing = await api.post('/v1/orders/NOPE-1/cancel').send({}).expect(400);
    expect(missing.body.issues).toEqual([expect.objectContaining({ path: 'reason' })]);
    await api
      .post(`/v1/orders/${uniqueName('NOPE')}/cancel`)
      .send({ reason: 'x' })
      .expect(404);
  });
});

test('PUT shipping-address: an address every carrier rejected is corrected and the parcel is labelled', async () => {
  const { order } = await stockedOrder(pool, undefined, {});
  const dutch = { ...order, shippingAddress: { ...order.shippingAddress, city: 'Amsterdam', countryCode: 'NL', postalCode: '1011' } };
  await postOrder(dutch);
  await orderReaching(order.orderId, inStatus('address_invalid'));

  const bad = await api
    .put(`/v1/orders/${order.orderId}/shipping-address`)
    .send({ address: { ...dutch.shippingAddress, countryCode: 'Holland' } })
    .expect(400);
  expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['address.countryCode']);

  netherlands.behaviour = 'ok';
  const res = await api
    .put(`/v1/orders/${order.orderId}/shipping-address`)
    .send({ address: { ...dutch.shippingAddress, line1: 'Damrak 1', postalCode: '1012 LG' } })
    .expect(200);
  expect(res.body.orderId).toBe(order.orderId);
  const labelled = await orderReaching(order.orderId, inStatus('labelled'));
  expect(labelled.shipments[0].carrier).toBe('pakket');
});

test('POST returns: 409 before delivery; after delivery 202 with a label URL; a second request is a 409', async () => {
  const { order } = await stockedOrder(pool);
  await postOrder(order);
  const labelled = await orderReaching(order.orderId, inStatus('labelled'));
  const early = await api.post(`/v1/orders/${order.orderId}/returns`).send({ reason: 'changed my mind' }).expect(409);
  expect(early.body).toMatchObject({ error: 'not_returnable', status: 'labelled' });

  const tn = labelled.shipments[0].trackingNumber!;
  await scanParcel(order.orderId, [scan(tn, 'picked_up', '2026-11-20T09:00:00Z'), scan(tn, 'delivered', '2026-11-21T09:00:00Z')]);
  await orderReaching(order.orderId, inStatus('delivered'));

  // Lines that were not delivered: 422 naming the line, and the order stays returnable (issue 16, defect 8).
  const unknownSku = await api
    .post(`/v1/orders/${order.orderId}/returns`)
    .send({ reason: 'wrong size', lines: [{ sku: 'NEVER-ORDERED', quantity: 1 }] })
    .expect(422);
  expect(unknownSku.body).toMatchObject({
    error: 'return_lines_invalid',
    status: 'delivered',
    issues: [{ path: 'lines.0.sku', message: 'NEVER-ORDERED was not delivered in this order' }],
  });

  const res = await api.post(`/v1/orders/${order.orderId}/returns`).send({ reason: 'wrong size' }).expect(202);
  const returnId = shipmentWorkflowId(order.orderId, 2);
  expect(res.body).toMatchObject({ orderId: order.orderId, returnId, labelUrl: `/v1/shipments/${returnId}/label` });
  expect(res.body.labels).toEqual([expect.objectContaining({ carrier: 'cargo', trackingNumber: expect.any(String) })]);

  const again = await api.post(`/v1/orders/${order.orderId}/returns`).send({ reason: 'again' }).expect(409);
  expect(again.body.error).toBe('return_already_requested');
});

test('POST returns: when the carrier is slow to issue the label, 202 at once with the return pending; the label follows and nothing is asked twice', async () => {
  const { order } = await stockedOrder(pool);
  await postOrder({ ...order, shippingAddress: { ...order.shippingAddress, city: 'Brussel', countryCode: 'BE', postalCode: '1000' } });
  const labelled = await orderReaching(order.orderId, inStatus('labelled'));
  const tn = labelled.shipments[0].trackingNumber!;
  await scanParcel(order.orderId, [scan(tn, 'picked_up', '2026-11-20T09:00:00Z'), scan(tn, 'delivered', '2026-11-21T09:00:00Z')]);
  await orderReaching(order.orderId, inStatus('delivered'));

  const impatient = authorized(createTestApp(harness.client, pool, { returnLabelWaitMs: 500 }));
  const res = await impatient.post(`/v1/orders/${order.orderId}/returns`).send({ reason: 'too small' }).expect(202);
  expect(res.body).toMatchObject({ orderId: order.orderId, status: 'return_requested', labels: [] });
  expect(res.body.message).toContain(`GET /v1/orders/${order.orderId}`);

  const again = await api.post(`/v1/orders/${order.orderId}/returns`).send({ reason: 'asking again' }).expect(409);
  expect(again.body.error).toBe('return_already_requested');
  const returned = await orderReaching(order.orderId, (view) =>
    view.shipments.some((s) => s.kind === 'return' && s.trackingNumber !== undefined),
  );
  const parcels = returned.shipments.filter((s) => s.kind === 'return');
  expect(parcels).toEqual([expect.objectContaining({ carrier: 'bpost', status: 'labelled' })]);
  expect(belgium.liveBookings()).toHaveLength(2); // the parcel out and its one return label
});

test('an order update answers within a bounded time: a cancel still voiding a label is a 504 update_pending, and the order goes on to cancelled (issue 16, defect 1)', async () => {
  const { order } = await stockedOrder(pool);
  await postOrder({ ...order, shippingAddress: { ...order.shippingAddress, city: 'Roma', countryCode: 'IT', postalCode: '00184' } });
  await orderReaching(order.orderId, inStatus('labelled'));

  const impatient = authorized(createTestApp(harness.client, pool, { updateWaitMs: 500 }));
  const started = Date.now();
  const res = await impatient.post(`/v1/orders/${order.orderId}/cancel`).send({ reason: 'customer called' }).expect(504);
  expect(Date.now() - started).toBeLessThan(2_500); // not the carrier's 3 s
  expect(res.body).toMatchObject({ error: 'update_pending' });
  expect(res.body.message).toContain(`GET /v1/orders/${order.orderId}`);

  await orderReaching(order.orderId, inStatus('cancelled'));
  expect(italy.liveBookings()).toHaveLength(0);
});

test('POST retry-booking: a parcel every carrier refused is booked when ops retry naming a carrier', async () => {
  const { order } = await stockedOrder(pool);
  await postOrder({ ...order, shippingAddress: { ...order.shippingAddress, city: 'Paris', countryCode: 'FR', postalCode: '75001' } });
  const stuck = await orderReaching(order.orderId, inStatus('needs_attention'));
  expect(stuck.pendingActions[0]).toContain('every carrier refused (colis)');

  france.behaviour = 'ok';
  const shipmentId = stuck.shipments[0].shipmentId;
  await api.post(`/v1/shipments/${shipmentId}/retry-booking`).send({ carrier: 'colis' }).expect(202);
  const labelled = await orderReaching(order.orderId, inStatus('labelled'));
  expect(labelled.shipments[0].carrier).toBe('colis');

  await api.post('/v1/shipments/not-a-shipment/retry-booking').send({}).expect(400);
  const missing = await api
    .post(`/v1/shipments/shipment-${uniqueName('NONE')}-1/retry-booking`)
    .send({})
    .expect(404);
  expect(missing.body.error).toBe('shipment_not_found');
});

test('POST poll-tracking: ops make the engine ask a polling carrier now; its scans arrive without waiting for the hourly poll', async () => {
  const { order } = await stockedOrder(pool);
  await postOrder({ ...order, shippingAddress: { ...order.shippingAddress, city: 'Wien', countryCode: 'AT', postalCode: '1010' } });
  const labelled = await orderReaching(order.orderId, inStatus('labelled'));
  const { shipmentId, trackingNumber } = labelled.shipments[0];
  expect(labelled.shipments[0].carrier).toBe('postat');
  austria.scans.set(trackingNumber!, [
    scan(trackingNumber!, 'picked_up', new Date().toISOString()),
    scan(trackingNumber!, 'in_transit', new Date().toISOString()),
  ]);

  await api.post(`/v1/shipments/${shipmentId}/poll-tracking`).send({}).expect(202);

  const moving = await orderReaching(order.orderId, inStatus('in_transit'));
  expect(moving.shipments[0].events.map((e) => e.status)).toEqual(['picked_up', 'in_transit']);

  // The UI's timeline reads as the process: each carrier call carries a summary (encrypted like every payload).
  const history = await (await parcelHandle(harness.client, pool, order.orderId)).fetchHistory();
  const summaries = await Promise.all(
    history
      .events!.filter((e) => e.activityTaskScheduledEventAttributes && e.userMetadata?.summary)
      .map(async (e) => {
        const [plain] = await codecFrom(loadConfig()).decode([e.userMetadata!.summary!]);
        return defaultPayloadConverter.fromPayload<string>(plain);
      }),
  );
  expect(summaries).toEqual(expect.arrayContaining(['Ask postat for a price', 'Book the parcel with postat', 'Ask postat for scans']));
  await api
    .post(`/v1/shipments/shipment-${uniqueName('NONE')}-1/poll-tracking`)
    .send({})
    .expect(404);
});

test('POST on a parcel that has ended answers 409 shipment_finished with its status, though its order still runs (its return window)', async () => {
  const { order } = await stockedOrder(pool);
  await postOrder(order);
  const labelled = await orderReaching(order.orderId, inStatus('labelled'));
  const { shipmentId, trackingNumber } = labelled.shipments[0];
  const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
  await scanParcel(
    order.orderId,
    (['picked_up', 'in_transit', 'out_for_delivery', 'delivered'] as const).map((status, i) =>
      scan(trackingNumber!, status, minutesAgo(4 - i)),
    ),
  );
  await orderReaching(order.orderId, inStatus('delivered')); // the order waits out its return window, its parcel has ended
  // The API reads the parcel's record, written just after the order's view moved.
  await eventually(
    () => pool.query<{ status: string }>('SELECT status FROM shipments WHERE shipment_id = $1', [shipmentId]),
    (r) => r.rows[0]?.status === 'delivered',
  );

  for (const action of ['poll-tracking', 'retry-booking']) {
    const res = await api.post(`/v1/shipments/${shipmentId}/${action}`).send({}).expect(409);
    expect(res.body).toMatchObject({ error: 'shipment_finished', status: 'delivered' });
  }
});

test('POST packed: a hand-packed parcel waits for the WMS, then ships with the reported weight', async () => {
  const warehouseId = await createWarehouse(pool, { manualPacking: true });
  const sku = uniqueName('SKU');
  await setStock(pool, warehouseId, sku, 3);
  const order = sampleOrder({ lines: [{ sku, quantity: 1 }] });
  await postOrder(order);
  const waiting = await orderReaching(order.orderId, (v) => v.shipments[0]?.status === 'awaiting_pack');

  const bad = await api.post(`/v1/shipments/${waiting.shipments[0].shipmentId}/packed`).send({ weightGrams: -5 }).expect(400);
  expect(bad.body.issues[0].path).toBe('weightGrams');
  await api.post(`/v1/shipments/${waiting.shipments[0].shipmentId}/packed`).send({ weightGrams: 2100 }).expect(202);
  const labelled = await orderReaching(order.orderId, inStatus('labelled'));
  expect(labelled.shipments[0].parcel?.weightGrams).toBe(2100);
});

test('POST packed with pieces: a shipment packed in several boxes is booked as one shipment of that many pieces (issue 19)', async () => {
  const warehouseId = await createWarehouse(pool, { manualPacking: true });
  const sku = uniqueName('SKU');
  await setStock(pool, warehouseId, sku, 3);
  const order = sampleOrder({ lines: [{ sku, quantity: 3 }] });
  await postOrder(order);
  const waiting = await orderReaching(order.orderId, (v) => v.shipments[0]?.status === 'awaiting_pack');
  const packed = `/v1/shipments/${waiting.shipments[0].shipmentId}/packed`;

  for (const pieces of [0, 1.5, 100]) {
    const bad = await api.post(packed).send({ weightGrams: 4200, pieces }).expect(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['pieces']);
  }
  await api.post(packed).send({ weightGrams: 4200, pieces: 3 }).expect(202);
  const labelled = await orderReaching(order.orderId, inStatus('labelled'));
  expect(labelled.shipments[0].parcel).toMatchObject({ weightGrams: 4200, pieces: 3 });
  expect(cargo.requests.find((r) => r.shipmentId === labelled.shipments[0].shipmentId)?.parcel.pieces).toBe(3);
});

describe('inventory', () => {
  test('PUT stock for a backordered SKU wakes the order, which allocates and ships', async () => {
    const { order, warehouseId, skus } = await stockedOrder(pool, [{ quantity: 4, stock: 1 }]);
    await postOrder(order);
    await orderReaching(order.orderId, inStatus('backordered'));

    const res = await api.put(`/v1/inventory/${warehouseId}/${skus[0]}`).send({ onHand: 20 }).expect(200);
    expect(res.body).toMatchObject({ onHand: 20, reserved: 0, available: 20, backordersWoken: 1 });
    await orderReaching(order.orderId, inStatus('labelled'));

    const listed = await api.get('/v1/inventory').query({ sku: skus[0] }).expect(200);
    expect(listed.body.warehouses).toEqual([{ warehouseId, onHand: 20, reserved: 4, available: 16 }]); // held until the carrier picks it up
  });

  test('only a rise in available stock wakes backordered orders: the same count again, or less, wakes none (issue 16, defect 11)', async () => {
    const { order, warehouseId, skus } = await stockedOrder(pool, [{ quantity: 4, stock: 2 }]);
    await postOrder(order);
    await orderReaching(order.orderId, inStatus('backordered'));
    const put = (onHand: number) => api.put(`/v1/inventory/${warehouseId}/${skus[0]}`).send({ onHand }).expect(200);

    expect((await put(2)).body).toMatchObject({ available: 2, backordersWoken: 0 }); // a WMS resending its count
    expect((await put(1)).body).toMatchObject({ available: 1, backordersWoken: 0 }); // a fall
    expect((await put(3)).body).toMatchObject({ available: 3, backordersWoken: 1 }); // a rise, though not yet enough
    expect((await api.get(`/v1/orders/${order.orderId}`).expect(200)).body.status).toBe('backordered');
  });

  test('stock cannot drop below what orders hold; unknown warehouse is a 404; a negative count is a 400', async () => {
    const { order, warehouseId, skus } = await stockedOrder(pool, [{ quantity: 3, stock: 5 }]);
    await postOrder(order);
    await orderReaching(order.orderId, inStatus('labelled'));
    const below = await api.put(`/v1/inventory/${warehouseId}/${skus[0]}`).send({ onHand: 2 }).expect(409);
    expect(below.body.error).toBe('below_reserved');
    await api.put(`/v1/inventory/NOWHERE/${skus[0]}`).send({ onHand: 2 }).expect(404);
    const negative = await api.put(`/v1/inventory/${warehouseId}/${skus[0]}`).send({ onHand: -1 }).expect(400);
    expect(negative.body.issues[0].path).toBe('onHand');
  });
});

test('GET /v1/orders lists from the records, filtered, newest first, page by page', async () => {
  const channel = uniqueName('shop').toLowerCase();
  const orders = [];
  for (let i = 0; i < 3; i++) orders.push((await stockedOrder(pool, undefined, { channel })).order);
  for (const order of orders) await postOrder(order);
  for (const order of orders) await orderReaching(order.orderId, inStatus('labelled'));

  const first = await api.get('/v1/orders').query({ channel, limit: 2 }).expect(200);
  expect(first.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([orders[2].orderId, orders[1].orderId]);
  const second = await api.get('/v1/orders').query({ channel, limit: 2, cursor: first.body.nextCursor }).expect(200);
  expect(second.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([orders[0].orderId]);
  expect(second.body.nextCursor).toBeNull();

  const byCarrier = await api.get('/v1/orders').query({ channel, carrier: 'cargo', status: 'labelled' }).expect(200);
  expect(byCarrier.body.orders).toHaveLength(3);
  expect(byCarrier.body.orders[0].shipments[0]).toMatchObject({ carrier: 'cargo', status: 'labelled' });

  const bad = await api.get('/v1/orders').query({ status: 'teleported', limit: 0 }).expect(400);
  expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['limit', 'status']);
});

test('GET /v1/orders: a date the contract allows at the edge of time (year 0, a +14:00 offset) lists orders, not a 500', async () => {
  const { order } = await stockedOrder(pool, undefined, { channel: uniqueName('edge').toLowerCase() });
  await postOrder(order);
  await orderReaching(order.orderId, inStatus('labelled'));
  const since = await api.get('/v1/orders').query({ channel: order.channel, from: '0000-01-01' }).expect(200);
  expect(since.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([order.orderId]);
  const before = await api.get('/v1/orders').query({ channel: order.channel, to: '0000-02-29T00:00:00+14:00' }).expect(200);
  expect(before.body.orders).toEqual([]);
});

test("GET label: the carrier's PDF as it came, and every other format rendered from it, each scanning as the tracking number", async () => {
  const { order } = await stockedOrder(pool);
  await postOrder({ ...order, shippingAddress: { ...order.shippingAddress, city: 'Warszawa', countryCode: 'PL', postalCode: '00-950' } });
  const labelled = await orderReaching(order.orderId, inStatus('labelled'));
  const { shipmentId, labelRef, trackingNumber } = labelled.shipments[0];
  expect(labelRef).toBe(`/v1/shipments/${shipmentId}/label`);
  const label = (query: Record<string, string>) => api.get(labelRef!).query(query).buffer(true).parse(binary);

  const issued = printer.liveBookings().find((b) => b.trackingNumber === trackingNumber)!.labelRef;
  const pdf = await label({ format: 'pdf' }).expect(200);
  expect(pdf.headers['content-type']).toBe('application/pdf');
  expect(`data:application/pdf;base64,${pdf.body.toString('base64')}`).toBe(issued); // the carrier's own, not re-rendered
  const a4 = await label({ format: 'pdf', page: 'a4' }).expect(200);
  expect(await barcodeInPdfPage(a4.body)).toBe(trackingNumber);
  // An option of another format is ignored, as the contract says, not refused.
  expect((await label({ format: 'pdf', dpi: '300' }).expect(200)).body).toEqual(pdf.body);
  for (const dpi of ['203', '300']) {
    const zpl = await label({ format: 'zpl', dpi }).expect(200);
    expect(zpl.headers['content-type']).toContain('application/zpl');
    expect(zpl.body.toString()).toContain(`^PW${dpi === '203' ? 812 : 1200}`);
    expect((await label({ format: 'zpl', dpi, page: 'a4' }).expect(200)).body).toEqual(zpl.body);
    expect(barcodeInZpl(zpl.body.toString())).toBe(trackingNumber);
    const png = await label({ format: 'png', dpi }).expect(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(await barcodeInPng(png.body)).toBe(trackingNumber);
  }
});

test('GET label: an unknown format, dpi or page is a 400 naming it; no label, or a ZPL-only label booked before renditions, is a 404', async () => {
  const shipmentId = `shipment-${uniqueName('L')}-1`;
  const labelRef = `/v1/shipments/${shipmentId}/label`;
  const issuesOf = async (query: Record<string, string>) =>
    (await api.get(labelRef).query(query).expect(400)).body.issues.map((i: { path: string }) => i.path);
  expect(await issuesOf({ format: 'bmp' })).toEqual(['format']);
  expect(await issuesOf({ format: 'zpl', dpi: '600' })).toEqual(['dpi']);
  expect(await issuesOf({ format: 'pdf', page: 'a5' })).toEqual(['page']);

  expect((await api.get(labelRef).expect(404)).body.error).toBe('label_not_found');
  await pool.query(`INSERT INTO labels (shipment_id, format, content) VALUES ($1, 'zpl', $2)`, [
    shipmentId,
    Buffer.from('^XA^FDold^FS^XZ'),
  ]);
  expect((await api.get(labelRef).query({ format: 'zpl' }).buffer(true).parse(binary).expect(200)).body.toString()).toBe('^XA^FDold^FS^XZ');
  const png = await api.get(labelRef).query({ format: 'png' }).expect(404);
  expect(png.body).toMatchObject({ error: 'label_format_unavailable', available: ['zpl'] });
});
