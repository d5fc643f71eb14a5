// Courier pickups (issue 21, item 4) over HTTP against PostgreSQL, the Temporal dev server and the
// UPS double (the only carrier that publishes a pickup call): booked at the day's first label once
// however many labels come at once, booked, listed, cancelled and rescheduled by hand, bad input
// refused naming the field, the carrier's refusal and outage answered as such and asked again by
// the scheduled close's pass, and the handover list naming the day's pickup.
import { randomUUID } from 'node:crypto';
import { createCarrierActivities } from '../../activities/carriers';
import { createHandoverActivities } from '../../activities/handovers';
import { createOrderActivities } from '../../activities/orders';
import { createShipmentActivities } from '../../activities/shipments';
import type { CarrierAdapter } from '../../carriers/adapter';
import { createUpsAdapter } from '../../carriers/ups';
import { logger } from '../../lib/logger';
import { SANDBOX_UPS_CREDENTIALS, upsDouble, type UpsState } from '../../sandbox/ups';
import { eventually, startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { carrierAdmin, startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';
import { binary } from '../helpers/label-barcode';
import { sampleOrder } from '../helpers/orders';
import { pdfPagesText } from '../helpers/pdf-text';
import { createWarehouse } from '../helpers/stock';

let double: DoubleSandbox<UpsState>;
let ups: CarrierAdapter;
let harness: ApiHarness;
let api: ApiHarness['api'];
const admin = carrierAdmin(() => double.app, 'ups');
const silent = logger.child({}, { level: 'silent' });

beforeAll(async () => {
  double = await startDouble(upsDouble);
  ups = createUpsAdapter({ ...SANDBOX_UPS_CREDENTIALS, baseUrl: double.baseUrl, timeoutMs: 3_000 });
  harness = await startApiHarness([], { pickupCarriers: [ups] });
  api = harness.api;
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await double?.close();
});

afterEach(() => admin.clearFaults());

/**
 * A warehouse whose clock reads about noon now (a fixed-offset zone chosen for this moment), so the
 * day's first label falls before its 17:00 cut-off: its pickup is for its today, whenever the test runs.
 */
async function noonWarehouse(): Promise<{ warehouseId: string; today: string; day: (offset: number) => string }> {
  const warehouseId = await createWarehouse(harness.pool);
  const offset = 12 - new Date().getUTCHours();
  const zone = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`; // Etc/GMT-3 is UTC+3
  await harness.pool.query('UPDATE warehouses SET time_zone = $2 WHERE warehouse_id = $1', [warehouseId, zone]);
  const { rows } = await harness.pool.query(
    `SELECT to_char((now() AT TIME ZONE time_zone)::date, 'YYYY-MM-DD') AS today FROM warehouses WHERE warehouse_id = $1`,
    [warehouseId],
  );
  const today: string = rows[0].today;
  const day = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  return { warehouseId, today, day };
}

const doublePickup = async (prn: string) => (await admin.get(`/pickups/${prn}`).expect(200)).body;
const pickupRows = async (warehouseId: string) =>
  (
    await harness.pool.query(
      `SELECT pickup_id, status, carrier_pickup_id, origin, failure FROM pickups WHERE warehouse_id = $1 ORDER BY date`,
      [warehouseId],
    )
  ).rows;

/** A parcel labelled by UPS through the real carrier and shipment activities, as the workflows do it. */
async function labelParcel(warehouseId: string, carriers: CarrierAdapter[] = [ups]) {
  const order = sampleOrder();
  const { orderId } = order;
  await createOrderActivities(harness.pool).recordOrder({ order, workflowId: `order-${orderId}`, receivedAt: new Date().toISOString() });
  const shipmentId = `shipment-${orderId}-1`;
  const shipments = createShipmentActivities(harness.pool);
  const view = { shipmentId, kind: 'outbound' as const, warehouseId, lines: [], events: [] };
  await shipments.recordShipment({ orderId, view: { ...view, status: 'booking' } });
  const booking = await createCarrierActivities(carriers, harness.pool, silent).bookShipment({
    carrier: 'ups',
    idempotencyKey: `${shipmentId}:book:${randomUUID()}`,
    request: {
      shipmentId,
      orderId,
      warehouseId,
      to: { ...order.shippingAddress, phone: '+90 555 000 0000' },
      parcel: { weightGrams: 800, lengthCm: 30, widthCm: 20, heightCm: 10 },
      service: 'standard',
    },
  });
  const { trackingNumber, labelRef } = booking;
  const parcel = { weightGrams: 800, lengthCm: 30, widthCm: 20, heightCm: 10 };
  await shipments.recordShipment({ orderId, view: { ...view, status: 'labelled', carrier: 'ups', trackingNumber, labelRef, parcel } });
  return trackingNumber;
}

/** The pickup rows once no booking is under way (the first label books its pickup beside the label, not in its way). */
const settled = (warehouseId: string) =>
  eventually(
    () => pickupRows(warehouseId),
    (rows) => rows.length > 0 && rows.every((r) => r.status !== 'booking'),
  );

describe("the day's first label", () => {
  test('two labels at once at a warehouse book one pickup for its day, at the cut-off; the handover list, JSON and PDF, names it', async () => {
    const { warehouseId, today } = await noonWarehouse();
    const scheduledBefore = (await admin.get('/pickups').expect(200)).body.scheduled;
    const trackingNumbers = await Promise.all([labelParcel(warehouseId), labelParcel(warehouseId)]);

    const rows = await settled(warehouseId);
    expect(rows).toEqual([
      {
        pickup_id: `ups.${warehouseId}.${today}`,
        status: 'scheduled',
        carrier_pickup_id: expect.any(String),
        origin: 'label',
        failure: null,
      },
    ]);
    const prn = rows[0].carrier_pickup_id;
    expect(await doublePickup(prn)).toMatchObject({ date: today.replaceAll('-', ''), readyTime: '1700', closeTime: '1900' });
    expect((await admin.get('/pickups').expect(200)).body.scheduled).toBe(scheduledBefore + 1);

    const list = await api.post('/v1/handovers/close').send({ carrier: 'ups', warehouseId }).expect(201);
    expect(list.body.parcels.map((p: { trackingNumber: string }) => p.trackingNumber).sort()).toEqual(trackingNumbers.sort());
    expect(list.body.pickup).toEqual({
      pickupId: `ups.${warehouseId}.${today}`,
      status: 'scheduled',
      carrierPickupId: prn,
      date: today,
      readyTime: '17:00',
      closeTime: '19:00',
      failure: null,
    });
    const pdf = await api.get(list.body.pdfUrl).buffer(true).parse(binary).expect(200);
    expect((await pdfPagesText(pdf.body))[0]).toContain(`Courier pickup: PRN ${prn}, ${today} 17:00-19:00 (scheduled)`);
  });

  test('a carrier down at the first label fails no label: the pickup is failed, ops are alerted, and the scheduled pass books it', async () => {
    const { warehouseId, today } = await noonWarehouse();
    await admin.injectFault({ kind: 'down', on: ['pickup'] });
    await labelParcel(warehouseId);
    const [failed] = await settled(warehouseId);
    expect(failed).toMatchObject({ status: 'failed', failure: expect.stringContaining('HTTP 503') });
    const alert = `pickup:ups.${warehouseId}.${today}`;
    const alerts = () =>
      harness.pool.query(`SELECT message, resolved_at FROM ops_alerts WHERE kind = 'pickup_failed' AND shipment_id = $1`, [alert]);
    expect((await alerts()).rows).toEqual([
      { message: expect.stringContaining(`warehouse ${warehouseId} on ${today}`), resolved_at: null },
    ]);

    await admin.clearFaults();
    const pass = await createHandoverActivities(harness.pool, silent, [ups]).closeDueHandovers({ warehouseIds: [warehouseId] });
    expect(pass.pickupsBooked).toEqual([`ups.${warehouseId}.${today}`]);
    expect(await pickupRows(warehouseId)).toEqual([expect.objectContaining({ status: 'scheduled', failure: null })]);
    expect((await alerts()).rows).toEqual([{ message: expect.any(String), resolved_at: expect.any(Date) }]);
  });
});

describe('POST /v1/pickups', () => {
  test('books the day once: 201 with the PRN, the same day again 200 with the same pickup; listed by warehouse and date', async () => {
    const { warehouseId, day } = await noonWarehouse();
    const body = { carrier: 'ups', warehouseId, date: day(1), readyTime: '10:00', closeTime: '13:00', parcels: 12 };
    const first = await api.post('/v1/pickups').send(body).expect(201);
    expect(first.body).toMatchObject({
      pickupId: `ups.${warehouseId}.${day(1)}`,
      carrier: 'ups',
      carrierName: 'UPS',
      warehouseId,
      date: day(1),
      status: 'scheduled',
      carrierPickupId: expect.stringMatching(/^\w{11}$/),
      readyTime: '10:00',
      closeTime: '13:00',
      parcels: 12,
      origin: 'api',
    });
    expect(await doublePickup(first.body.carrierPickupId)).toMatchObject({ readyTime: '1000', closeTime: '1300', pieces: 12 });
    const again = await api.post('/v1/pickups').send(body).expect(200);
    expect(again.body).toEqual(first.body);

    const listed = await api
      .get('/v1/pickups')
      .query({ warehouseId, date: day(1) })
      .expect(200);
    expect(listed.body.pickups).toEqual([first.body]);
    expect((await api.get(`/v1/pickups/${first.body.pickupId}`).expect(200)).body).toEqual(first.body);
  });

  test.each([
    ['carrier', { carrier: undefined }],
    ['warehouseId', { warehouseId: 'IST 1' }],
    ['date', { date: '2026-02-30' }],
    ['readyTime', { readyTime: '25:00' }],
    ['closeTime', { closeTime: '9:00' }],
    ['parcels', { parcels: 0 }],
    ['body', { pickupAt: 'noon' }],
  ])('bad input is a 400 naming %s', async (field, change) => {
    const res = await api
      .post('/v1/pickups')
      .send({ carrier: 'ups', warehouseId: 'IST-1', date: '2099-01-05', ...change })
      .expect(400);
    expect(res.body.error).toBe('validation_failed');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(field);
  });

  test('a window that ends before it starts is a 400 naming closeTime, and nothing is booked', async () => {
    const { warehouseId, day } = await noonWarehouse();
    const res = await api
      .post('/v1/pickups')
      .send({ carrier: 'ups', warehouseId, date: day(1), closeTime: '12:00' })
      .expect(400);
    expect(res.body.issues).toEqual([{ path: 'closeTime', message: 'closeTime 12:00 is not after readyTime 17:00' }]);
    expect(await pickupRows(warehouseId)).toEqual([]);
  });

  test('a carrier without pickups is a 422 naming why; an unknown carrier or warehouse a 404; a day past a 409', async () => {
    const { warehouseId, day } = await noonWarehouse();
    const ask = (body: object) => api.post('/v1/pickups').send({ carrier: 'ups', warehouseId, date: day(1), ...body });
    const aras = await ask({ carrier: 'aras' }).expect(422);
    expect(aras.body).toMatchObject({ error: 'pickups_not_offered', message: expect.stringContaining('aras offers no courier pickups') });
    expect((await ask({ carrier: 'fedex' }).expect(404)).body.error).toBe('carrier_not_found');
    expect((await ask({ warehouseId: 'NOWHERE-1' }).expect(404)).body.error).toBe('warehouse_not_found');
    expect((await ask({ date: day(-1) }).expect(409)).body.error).toBe('date_past');
    expect(await pickupRows(warehouseId)).toEqual([]);
  });

  test("the carrier's refusal is a 409 naming its reason; the pickup is failed and not asked again", async () => {
    const { warehouseId, day } = await noonWarehouse();
    const res = await api
      .post('/v1/pickups')
      .send({ carrier: 'ups', warehouseId, date: day(1), readyTime: '12:00', closeTime: '12:30' })
      .expect(409);
    expect(res.body).toMatchObject({ error: 'pickup_refused', carrierFailure: 'CarrierRefused', pickup: { status: 'failed' } });
    expect(res.body.message).toContain('carrier code PU0001');
    const pass = await createHandoverActivities(harness.pool, silent, [ups]).closeDueHandovers({ warehouseIds: [warehouseId] });
    expect(pass.pickupsBooked).toEqual([]);
  });

  test('the carrier down is a 503 with Retry-After; the scheduled pass books it once the carrier is back', async () => {
    const { warehouseId, day } = await noonWarehouse();
    await admin.injectFault({ kind: 'down', on: ['pickup'] });
    const res = await api
      .post('/v1/pickups')
      .send({ carrier: 'ups', warehouseId, date: day(2) })
      .expect(503);
    expect(res.headers['retry-after']).toBe('60');
    expect(res.body).toMatchObject({ error: 'carrier_unavailable', carrierFailure: 'CarrierUnavailable', pickup: { status: 'failed' } });

    await admin.clearFaults();
    const pass = await createHandoverActivities(harness.pool, silent, [ups]).closeDueHandovers({ warehouseIds: [warehouseId] });
    expect(pass.pickupsBooked).toEqual([`ups.${warehouseId}.${day(2)}`]);
    expect((await api.get(`/v1/pickups/ups.${warehouseId}.${day(2)}`).expect(200)).body.status).toBe('scheduled');
  });
});

describe('cancel and reschedule', () => {
  test('DELETE cancels at the carrier, safe to repeat; POST again books a new pickup for the day', async () => {
    const { warehouseId, day } = await noonWarehouse();
    const { body: booked } = await api
      .post('/v1/pickups')
      .send({ carrier: 'ups', warehouseId, date: day(1) })
      .expect(201);
    const cancelled = await api.delete(`/v1/pickups/${booked.pickupId}`).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', carrierPickupId: booked.carrierPickupId });
    expect((await doublePickup(booked.carrierPickupId)).status).toBe('cancelled');
    await api.delete(`/v1/pickups/${booked.pickupId}`).expect(200);
    expect((await api.delete(`/v1/pickups/ups.${warehouseId}.${day(9)}`).expect(404)).body.error).toBe('pickup_not_found');

    const rebooked = await api
      .post('/v1/pickups')
      .send({ carrier: 'ups', warehouseId, date: day(1) })
      .expect(201);
    expect(rebooked.body).toMatchObject({ status: 'scheduled', pickupId: booked.pickupId });
    expect(rebooked.body.carrierPickupId).not.toBe(booked.carrierPickupId);
  });

  test('reschedule to another day cancels the first and books the new day; to the same day, a new window on the same pickup', async () => {
    const { warehouseId, day } = await noonWarehouse();
    const { body: first } = await api
      .post('/v1/pickups')
      .send({ carrier: 'ups', warehouseId, date: day(1) })
      .expect(201);
    const moved = await api
      .post(`/v1/pickups/${first.pickupId}/reschedule`)
      .send({ date: day(2), readyTime: '09:00', closeTime: '12:00' })
      .expect(200);
    expect(moved.body).toMatchObject({ pickupId: `ups.${warehouseId}.${day(2)}`, status: 'scheduled', readyTime: '09:00' });
    expect((await api.get(`/v1/pickups/${first.pickupId}`).expect(200)).body.status).toBe('cancelled');
    expect((await doublePickup(first.carrierPickupId)).status).toBe('cancelled');

    const narrowed = await api
      .post(`/v1/pickups/${moved.body.pickupId}/reschedule`)
      .send({ date: day(2), readyTime: '10:00', closeTime: '12:00' })
      .expect(200);
    expect(narrowed.body).toMatchObject({ pickupId: moved.body.pickupId, status: 'scheduled', readyTime: '10:00' });
    expect(await doublePickup(narrowed.body.carrierPickupId)).toMatchObject({ readyTime: '1000', status: 'scheduled' });

    await api
      .post('/v1/pickups')
      .send({ carrier: 'ups', warehouseId, date: day(3) })
      .expect(201);
    const clash = await api
      .post(`/v1/pickups/${moved.body.pickupId}/reschedule`)
      .send({ date: day(3) })
      .expect(409);
    expect(clash.body.error).toBe('pickup_exists');
    expect((await api.post(`/v1/pickups/${moved.body.pickupId}/reschedule`).send({ date: 'soon' }).expect(400)).body.issues[0].path).toBe(
      'date',
    );
  });
});
