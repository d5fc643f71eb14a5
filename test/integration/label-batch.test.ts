// Wave printing (issue 21, item 2) over HTTP against PostgreSQL: parcels recorded and booked
// through the real order, shipment and carrier activities (the carriers issue real PDF labels),
// then printed as one PDF and one ZPL stream whose labels, read as a scanner reads them, come in
// the floor's order; parcels that cannot print are listed and the others print.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import { PDFDocument } from 'pdf-lib';
import type { Pool } from 'pg';
import request from 'supertest';
import { createCarrierActivities } from '../../activities/carriers';
import { createOrderActivities } from '../../activities/orders';
import { createShipmentActivities } from '../../activities/shipments';
import type { ShipmentStatus } from '../../domain/shipment';
import { createPool } from '../../lib/db';
import { authorized, createTestApp } from '../helpers/api-harness';
import { devServerAddress, TEST_DATABASE_URL } from '../helpers/env';
import { barcodeInPdfPage, barcodeInZpl, binary } from '../helpers/label-barcode';
import { MemoryCarrier } from '../helpers/memory-carrier';
import { sampleOrder } from '../helpers/orders';
import { createWarehouse } from '../helpers/stock';

// Named so that the carrier booked first sorts last.
const carriers = [new MemoryCarrier('wave-b', 40, { printsLabels: true }), new MemoryCarrier('wave-a', 40, { printsLabels: true })];
const run = randomUUID().slice(0, 8);

let pool: Pool;
let connection: Connection;
let app: Express;
let api: ReturnType<typeof authorized>;

interface Parcel {
  shipmentId: string;
  orderId: string;
  carrier: string;
  trackingNumber: string;
}

beforeAll(async () => {
  pool = createPool(TEST_DATABASE_URL);
  connection = await Connection.connect({ address: devServerAddress() });
  app = createTestApp(new Client({ connection }), pool);
  api = authorized(app);
});

afterAll(async () => {
  await pool?.end();
  await connection?.close();
});

const recordedOrders = new Set<string>();

/** The order's record, once, as its workflow writes it. */
async function recordOrder(orderId: string): Promise<void> {
  if (recordedOrders.has(orderId)) return;
  recordedOrders.add(orderId);
  await createOrderActivities(pool).recordOrder({
    order: sampleOrder({ orderId }),
    workflowId: `order-${orderId}`,
    receivedAt: new Date().toISOString(),
  });
}

/** Parcel n of an order as the shipment workflow records it, up to `status`; booked with `carrier` (its label kept) unless it stops before. */
async function recordParcel(
  orderId: string,
  n: number,
  carrier: string,
  { warehouseId = 'IST-1', status = 'labelled' }: { warehouseId?: string; status?: ShipmentStatus } = {},
): Promise<Parcel> {
  await recordOrder(orderId);
  const shipmentId = `shipment-${orderId}-${n}`;
  const shipments = createShipmentActivities(pool);
  const view = { shipmentId, kind: 'outbound' as const, warehouseId, lines: [{ sku: 'MUG-WHITE', quantity: 1 }], events: [] };
  for (const step of ['packing', 'booking'] as const) await shipments.recordShipment({ orderId, view: { ...view, status: step } });
  if (status === 'booking') return { shipmentId, orderId, carrier, trackingNumber: '' };

  const booking = await createCarrierActivities(carriers, pool).bookShipment({
    carrier,
    idempotencyKey: `${shipmentId}-${carrier}`,
    request: {
      shipmentId,
      orderId,
      warehouseId,
      to: sampleOrder().shippingAddress,
      parcel: { weightGrams: 450, lengthCm: 12, widthCm: 12, heightCm: 11 },
      service: 'standard',
    },
  });
  const { trackingNumber, labelRef } = booking;
  for (const step of ['labelled', ...(status === 'labelled' ? [] : [status])] as ShipmentStatus[])
    await shipments.recordShipment({ orderId, view: { ...view, status: step, carrier, trackingNumber, labelRef } });
  return { shipmentId, orderId, carrier, trackingNumber };
}

const printBatch = (body: object) => api.post('/v1/labels/print-batch').send(body);
const document = (url: string) => api.get(url).buffer(true).parse(binary).expect(200);

/** Each page of a PDF as a PDF of its own, in order. */
async function pagesOf(pdf: Buffer): Promise<Buffer[]> {
  const doc = await PDFDocument.load(pdf);
  const pages: Buffer[] = [];
  for (const i of doc.getPageIndices()) {
    const one = await PDFDocument.create();
    const [page] = await one.copyPages(doc, [i]);
    one.addPage(page);
    pages.push(Buffer.from(await one.save()));
  }
  return pages;
}

/** What a scanner reads off each label of a ZPL stream, in print order. */
const zplLabels = (zpl: string) => zpl.match(/\^XA[\s\S]*?\^XZ/g) ?? [];

describe('a wave across two carriers, listed by id', () => {
  const order = (k: number) => `W-${run}-${k}`;
  let sorted: Parcel[];
  let listed: string[];

  beforeAll(async () => {
    // Booked in an order the floor does not want: carrier wave-b first, order 3 before order 1, parcel 10 before parcel 2.
    const b3 = await recordParcel(order(3), 1, 'wave-b');
    const b10 = await recordParcel(order(1), 10, 'wave-b');
    const b2 = await recordParcel(order(1), 2, 'wave-b');
    const a3 = await recordParcel(order(3), 2, 'wave-a');
    const a2 = await recordParcel(order(2), 1, 'wave-a');
    sorted = [a2, a3, b2, b10, b3];
    listed = [b3, b10, a3, b2, a2, b10].map((p) => p.shipmentId); // one listed twice
  }, 60_000);

  test('one PDF whose pages read, in order, as the tracking numbers by carrier, then order, then parcel; each once', async () => {
    const res = await printBatch({ shipmentIds: listed, format: 'pdf' }).expect(201);
    expect(res.body.errors).toEqual([]);
    expect(res.body.printed).toEqual(sorted);
    expect(res.body).toMatchObject({ contentType: 'application/pdf', document: `/v1/labels/print-batch/${res.body.batchId}` });
    expect(res.headers.location).toBe(res.body.document);

    const pdf = await document(res.body.document);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const pages = await pagesOf(pdf.body);
    const read = await Promise.all(pages.map((page) => barcodeInPdfPage(page)));
    expect(read).toEqual(sorted.map((p) => p.trackingNumber));
  }, 60_000);

  test('one ZPL stream: one ^XA..^XZ label per parcel, in the same order', async () => {
    const res = await printBatch({ shipmentIds: listed, format: 'zpl', dpi: '203', page: 'a4' }).expect(201); // page: not ZPL's, ignored
    expect(res.body.printed.map((p: Parcel) => p.shipmentId)).toEqual(sorted.map((p) => p.shipmentId));
    const zpl = await document(res.body.document);
    expect(zpl.headers['content-type']).toContain('application/zpl');
    const labels = zplLabels(zpl.body.toString());
    expect(labels.map(barcodeInZpl)).toEqual(sorted.map((p) => p.trackingNumber));
  }, 60_000);

  test('A4 sheets: a page per label, in the same order', async () => {
    const res = await printBatch({ shipmentIds: listed, format: 'pdf', page: 'a4' }).expect(201);
    const pages = await pagesOf((await document(res.body.document)).body);
    expect(pages).toHaveLength(sorted.length);
    expect(await barcodeInPdfPage(pages[0])).toBe(sorted[0].trackingNumber);
  }, 60_000);
});

test('an unknown id, a parcel not yet labelled, a cancelled one and an unreadable label are listed with their reasons; the rest prints', async () => {
  const orderId = `W-${run}-errors`;
  const printable = await recordParcel(orderId, 1, 'wave-a');
  const booking = await recordParcel(orderId, 2, 'wave-a', { status: 'booking' });
  const cancelled = await recordParcel(orderId, 3, 'wave-b', { status: 'cancelled' });
  const broken = await recordParcel(orderId, 4, 'wave-a', { status: 'booking' });
  await pool.query(`INSERT INTO labels (shipment_id, format, content) VALUES ($1, 'pdf', $2)`, [
    broken.shipmentId,
    Buffer.from('%PDF-1.4 not a label'),
  ]);
  const unknown = `shipment-W-${run}-nowhere-1`;
  const listed = [unknown, broken.shipmentId, cancelled.shipmentId, booking.shipmentId, printable.shipmentId];
  const reasons = (body: { errors: { shipmentId: string; error: string }[] }) => body.errors.map((e) => [e.shipmentId, e.error]);

  const pdf = await printBatch({ shipmentIds: listed, format: 'pdf' }).expect(201);
  expect(pdf.body.printed).toEqual([printable]);
  expect(reasons(pdf.body)).toEqual([
    [unknown, 'shipment_not_found'],
    [cancelled.shipmentId, 'shipment_cancelled'],
    [booking.shipmentId, 'label_not_found'],
    [broken.shipmentId, 'label_unreadable'],
  ]);
  const pages = await pagesOf((await document(pdf.body.document)).body);
  expect(await Promise.all(pages.map((page) => barcodeInPdfPage(page)))).toEqual([printable.trackingNumber]);

  const zpl = await printBatch({ shipmentIds: listed, format: 'zpl' }).expect(201);
  expect(zpl.body.printed).toEqual([printable]);
  expect(reasons(zpl.body)).toContainEqual([broken.shipmentId, 'label_unreadable']);

  const none = await printBatch({ shipmentIds: [unknown, booking.shipmentId], format: 'zpl' }).expect(404);
  expect(none.body).toMatchObject({ error: 'nothing_to_print' });
  expect(reasons(none.body)).toEqual([
    [unknown, 'shipment_not_found'],
    [booking.shipmentId, 'label_not_found'],
  ]);
}, 60_000);

test("a station's filter: its warehouse's labelled parcels labelled since a time, by carrier and order", async () => {
  const warehouseId = await createWarehouse(pool);
  const at = { warehouseId };
  const second = await recordParcel(`W-${run}-f2`, 1, 'wave-a', at);
  const first = await recordParcel(`W-${run}-f1`, 1, 'wave-a', at);
  const third = await recordParcel(`W-${run}-f0`, 1, 'wave-b', at);
  await recordParcel(`W-${run}-f3`, 1, 'wave-a', { ...at, status: 'picked_up' }); // with the carrier already
  const earlier = await recordParcel(`W-${run}-f4`, 1, 'wave-a', at);
  await pool.query(`UPDATE shipment_milestones SET at = now() - interval '1 day' WHERE shipment_id = $1 AND status = 'labelled'`, [
    earlier.shipmentId,
  ]);
  await recordParcel(`W-${run}-f5`, 1, 'wave-a'); // another warehouse

  const labelledSince = new Date(Date.now() - 3_600_000).toISOString();
  const res = await printBatch({ filter: { warehouse: warehouseId, labelledSince }, format: 'zpl' }).expect(201);
  expect(res.body.printed).toEqual([first, second, third]);
  const labels = zplLabels((await document(res.body.document)).body.toString());
  expect(labels.map(barcodeInZpl)).toEqual([first, second, third].map((p) => p.trackingNumber));

  const waveB = await printBatch({ filter: { warehouse: warehouseId, carrier: 'wave-b' }, format: 'pdf' }).expect(201);
  expect(waveB.body.printed).toEqual([third]);
  // Year 0, which the contract's dates allow, is 1 BC to PostgreSQL: before every label, not a server error.
  const sinceYear0 = await printBatch({ filter: { warehouse: warehouseId, labelledSince: '0000-01-01' }, format: 'zpl' }).expect(201);
  expect(sinceYear0.body.printed).toEqual([first, second, earlier, third]);
  const empty = await printBatch({ filter: { warehouse: `${warehouseId}-none` }, format: 'pdf' }).expect(404);
  expect(empty.body).toMatchObject({ error: 'nothing_to_print', errors: [] });
}, 60_000);

test('a filter matching over 500 parcels is a 409 batch_too_large with the count', async () => {
  const warehouseId = await createWarehouse(pool);
  const prefix = `W-${run}-many`;
  // Records only (no labels): the batch is refused before any label is read.
  await pool.query(
    `INSERT INTO orders (order_id, workflow_id, channel, status, service, request, request_hash)
     SELECT $1 || '-' || i, 'order-' || $1 || '-' || i, 'shopify', 'labelled', 'standard', '{}', 'test' FROM generate_series(1, 501) i`,
    [prefix],
  );
  await pool.query(
    `INSERT INTO shipments (shipment_id, order_id, warehouse_id, status, carrier)
     SELECT 'shipment-' || $1 || '-' || i || '-1', $1 || '-' || i, $2, 'labelled', 'wave-a' FROM generate_series(1, 501) i`,
    [prefix, warehouseId],
  );
  try {
    const res = await printBatch({ filter: { warehouse: warehouseId }, format: 'zpl' }).expect(409);
    expect(res.body).toMatchObject({ error: 'batch_too_large', matched: 501, maximum: 500 });
  } finally {
    await pool.query(`DELETE FROM shipment_milestones WHERE shipment_id LIKE $1`, [`shipment-${prefix}-%`]);
    await pool.query(`DELETE FROM shipments WHERE warehouse_id = $1`, [warehouseId]);
    await pool.query(`DELETE FROM orders WHERE order_id LIKE $1`, [`${prefix}-%`]);
  }
});

test('over 500 ids is a 400 naming shipmentIds; a body naming neither ids nor a filter is a 400; no key is a 401; an unknown batch is a 404', async () => {
  const ids = Array.from({ length: 501 }, (_, i) => `shipment-W-${run}-${i}-1`);
  const over = await printBatch({ shipmentIds: ids, format: 'pdf' }).expect(400);
  expect(over.body.issues.map((i: { path: string }) => i.path)).toEqual(['shipmentIds']);
  const badFilter = await printBatch({ filter: { labelledSince: 'yesterday' }, format: 'pdf' }).expect(400);
  expect(badFilter.body.issues.map((i: { path: string }) => i.path)).toEqual(['filter.labelledSince']);
  expect((await printBatch({ format: 'pdf' }).expect(400)).body.error).toBe('validation_failed');

  await request(app)
    .post('/v1/labels/print-batch')
    .send({ shipmentIds: [ids[0]], format: 'pdf' })
    .expect(401);
  expect((await api.get(`/v1/labels/print-batch/${randomUUID()}`).expect(404)).body.error).toBe('batch_not_found');
});
