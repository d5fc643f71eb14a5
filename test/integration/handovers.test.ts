// End-of-day handover (issue 21, item 3) over HTTP against PostgreSQL and the Temporal dev server:
// parcels recorded through the real order and shipment activities, their label times set to known
// moments around a warehouse's 17:00 (Europe/Istanbul) cut-off; the lists, their totals and PDF,
// closing twice and at once, the parcels the carrier never scanned, and the scheduled close.
import { randomUUID } from 'node:crypto';
import { createOrderActivities } from '../../activities/orders';
import { createShipmentActivities } from '../../activities/shipments';
import type { ShipmentStatus, ShipmentView, TrackingStatus } from '../../domain/shipment';
import { handoverCloseWorkflow } from '../../workflows/handover-close';
import { ORDER_TASK_QUEUE } from '../../workflows/definitions';
import { ensureHandoverSchedule, HANDOVER_CLOSE_EVERY } from '../../workers/handover-schedule';
import { logger } from '../../lib/logger';
import { authorized, startApiHarness, TEST_KEYS, type ApiHarness } from '../helpers/api-harness';
import { binary } from '../helpers/label-barcode';
import { sampleOrder } from '../helpers/orders';
import { pdfPagesText } from '../helpers/pdf-text';
import { createWarehouse } from '../helpers/stock';

let harness: ApiHarness;
let api: ApiHarness['api'];

const DAY_MS = 86_400_000;
/** Istanbul keeps UTC+3 all year: its date is the UTC date three hours on. */
const istanbulDay = (offsetDays: number) => new Date(Date.now() + 3 * 3_600_000 + offsetDays * DAY_MS).toISOString().slice(0, 10);
// Two days in the recent past, so both days' cut-offs, and the next ones, have passed.
const D1 = istanbulDay(-3);
const D2 = istanbulDay(-2);

interface ParcelSpec {
  warehouseId: string;
  carrier: string;
  labelledAt: string;
  status?: ShipmentStatus;
  pieces?: number;
  weightGrams?: number;
  cod?: number;
  scans?: [TrackingStatus, string][];
}

/** One parcel as the workflows record it (order, shipment statuses, scans), its label time set to when it "happened". */
async function recordParcel(spec: ParcelSpec) {
  const pool = harness.pool;
  const order = sampleOrder(spec.cod ? { cashOnDelivery: { amount: spec.cod, currency: 'TRY' } } : {});
  const { orderId } = order;
  await createOrderActivities(pool).recordOrder({ order, workflowId: `order-${orderId}`, receivedAt: `${D1}T06:00:00Z` });
  const shipmentId = `shipment-${orderId}-1`;
  const trackingNumber = `HO${randomUUID().slice(0, 10).toUpperCase()}`;
  const view: ShipmentView = { shipmentId, kind: 'outbound', warehouseId: spec.warehouseId, lines: [], status: 'packing', events: [] };
  const record = (changes: Partial<ShipmentView>) =>
    createShipmentActivities(pool).recordShipment({ orderId, view: Object.assign(view, changes) });
  await record({ status: 'booking' });
  await record({
    status: 'labelled',
    carrier: spec.carrier,
    trackingNumber,
    labelRef: 'label',
    parcel: { weightGrams: spec.weightGrams ?? 1000, lengthCm: 30, widthCm: 20, heightCm: 10, pieces: spec.pieces },
  });
  await pool.query(`UPDATE shipment_milestones SET at = $2 WHERE shipment_id = $1 AND status = 'labelled'`, [shipmentId, spec.labelledAt]);
  const events = (spec.scans ?? []).map(([status, occurredAt], i) => ({ eventId: `e${i}`, trackingNumber, status, occurredAt }));
  if (events.length > 0) await record({ status: events[events.length - 1].status, events });
  if (spec.status) await record({ status: spec.status });
  return { orderId, shipmentId, trackingNumber };
}

const trackingNumbers = (body: { parcels: { trackingNumber: string }[] }) => body.parcels.map((p) => p.trackingNumber).sort();

let warehouseId: string;
let early: Awaited<ReturnType<typeof recordParcel>>; // 13:00 local on D1, scanned next morning
let lastMinute: Awaited<ReturnType<typeof recordParcel>>; // 16:59 local on D1, never scanned
let late: Awaited<ReturnType<typeof recordParcel>>; // 17:01 local on D1: D2's list; only data sent ahead, no real scan
let cancelled: Awaited<ReturnType<typeof recordParcel>>;
let otherCarrier: Awaited<ReturnType<typeof recordParcel>>;

beforeAll(async () => {
  harness = await startApiHarness([]);
  api = harness.api;
  warehouseId = await createWarehouse(harness.pool);
  early = await recordParcel({
    warehouseId,
    carrier: 'yurtici',
    labelledAt: `${D1}T10:00:00Z`,
    pieces: 2,
    weightGrams: 1250,
    cod: 150.55,
    scans: [['picked_up', `${D2}T08:00:00Z`]],
  });
  lastMinute = await recordParcel({ warehouseId, carrier: 'yurtici', labelledAt: `${D1}T13:59:00Z`, weightGrams: 800, cod: 49.45 });
  late = await recordParcel({
    warehouseId,
    carrier: 'yurtici',
    labelledAt: `${D1}T14:01:00Z`,
    weightGrams: 500,
    scans: [['pending', `${D1}T14:05:00Z`]],
  });
  cancelled = await recordParcel({ warehouseId, carrier: 'yurtici', labelledAt: `${D1}T09:00:00Z`, status: 'cancelled' });
  otherCarrier = await recordParcel({ warehouseId, carrier: 'aras', labelledAt: `${D1}T10:00:00Z` });
}, 120_000);

afterAll(() => harness?.stop());

const close = (day: string, carrier = 'yurtici') => api.post('/v1/handovers/close').send({ carrier, warehouseId, day });

describe('closing a day', () => {
  test("parcels labelled before the cut-off are on the day's list, later ones on the next day's; cancelled and other carriers' parcels on neither", async () => {
    const first = await close(D1).expect(201);
    expect(first.body).toMatchObject({
      handoverId: `yurtici.${warehouseId}.${D1}`,
      carrier: 'yurtici',
      carrierName: 'Yurtiçi Kargo',
      warehouse: { warehouseId, timeZone: 'Europe/Istanbul' },
      day: D1,
      cutoffAt: `${D1}T14:00:00.000Z`, // 17:00 in Istanbul
      acceptBy: `${D2}T14:00:00.000Z`,
      pdfUrl: `/v1/handovers/yurtici.${warehouseId}.${D1}/pdf`,
    });
    expect(trackingNumbers(first.body)).toEqual([early.trackingNumber, lastMinute.trackingNumber].sort());

    const next = await close(D2).expect(201);
    expect(trackingNumbers(next.body)).toEqual([late.trackingNumber]);

    const aras = await close(D1, 'aras').expect(201);
    expect(trackingNumbers(aras.body)).toEqual([otherCarrier.trackingNumber]);
    const everywhere = [first, next, aras].flatMap((r) => trackingNumbers(r.body));
    expect(everywhere).not.toContain(cancelled.trackingNumber);
  });

  test('the JSON totals add up: parcels, pieces, weight, cash on delivery per currency', async () => {
    const { body } = await api.get(`/v1/handovers/yurtici.${warehouseId}.${D1}`).expect(200);
    const parcel = (tn: string) => body.parcels.find((p: { trackingNumber: string }) => p.trackingNumber === tn);
    expect(parcel(early.trackingNumber)).toMatchObject({
      orderId: early.orderId,
      pieces: 2,
      weightGrams: 1250,
      cashOnDelivery: { amount: 150.55, currency: 'TRY' },
    });
    expect(parcel(lastMinute.trackingNumber)).toMatchObject({
      pieces: 1,
      weightGrams: 800,
      cashOnDelivery: { amount: 49.45, currency: 'TRY' },
    });
    expect(body.totals).toEqual({ parcels: 2, pieces: 3, weightGrams: 2050, cashOnDelivery: [{ currency: 'TRY', amount: 200 }] });
  });

  test('closing again answers the same list; two closers at once get one list', async () => {
    const again = await close(D1).expect(200);
    const stored = await api.get(`/v1/handovers/yurtici.${warehouseId}.${D1}`).expect(200);
    expect(again.body).toEqual(stored.body);

    const D0 = istanbulDay(-4);
    const [a, b] = await Promise.all([close(D0), close(D0)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body).toEqual(b.body);
    const { rows } = await harness.pool.query('SELECT count(*)::int AS n FROM handovers WHERE warehouse_id = $1 AND day = $2', [
      warehouseId,
      D0,
    ]);
    expect(rows[0].n).toBe(1);
  });

  test('the list filters by carrier, warehouse and day, without the parcels', async () => {
    const { body } = await api.get('/v1/handovers').query({ warehouseId, carrier: 'yurtici' }).expect(200);
    expect(body.handovers.map((h: { day: string }) => h.day)).toEqual([D2, D1, istanbulDay(-4)]);
    expect(body.handovers[1]).toMatchObject({ totals: { parcels: 2 }, pdfUrl: `/v1/handovers/yurtici.${warehouseId}.${D1}/pdf` });
    expect(body.handovers[1].parcels).toBeUndefined();
  });
});

test('the PDF names every tracking number, the totals and the signature boxes', async () => {
  const res = await api.get(`/v1/handovers/yurtici.${warehouseId}.${D1}/pdf`).buffer(true).parse(binary).expect(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  const text = (await pdfPagesText(res.body as Buffer)).join('\n');
  for (const tn of [early.trackingNumber, lastMinute.trackingNumber]) expect(text).toContain(tn);
  expect(text).toContain('Yurtiçi Kargo');
  expect(text).toContain(warehouseId);
  expect(text).toMatch(/cut-off \d{4}-\d{2}-\d{2} 17:00 \(Europe\/Istanbul\)/);
  expect(text).toMatch(/Total\s+2 parcels\s+3\s+2\.05/);
  expect(text).toContain('200.00 TRY');
  expect(text).toContain('Driver (Yurtiçi Kargo)');
  expect(text).toContain('Warehouse');
});

test("the scheduled close: a parcel without a first scan by the next day's cut-off is reported not accepted, one with a scan is not", async () => {
  const result = await harness.client.workflow.execute(handoverCloseWorkflow, {
    taskQueue: ORDER_TASK_QUEUE,
    workflowId: `handover-close-test-${randomUUID()}`,
    args: [{ warehouseIds: [warehouseId] }],
  });
  // D1's yurtici list: the last-minute parcel was never scanned. D2's: only data sent ahead. The aras parcel: never scanned.
  expect(result.notAccepted.sort()).toEqual([lastMinute.trackingNumber, late.trackingNumber, otherCarrier.trackingNumber].sort());
  expect(result.notAccepted).not.toContain(early.trackingNumber);

  const { body } = await api.get('/v1/handovers/not-accepted').query({ warehouseId, carrier: 'yurtici' }).expect(200);
  expect(trackingNumbers(body)).toEqual([lastMinute.trackingNumber, late.trackingNumber].sort());
  expect(body.parcels.find((p: { trackingNumber: string }) => p.trackingNumber === lastMinute.trackingNumber)).toMatchObject({
    handoverId: `yurtici.${warehouseId}.${D1}`,
    warehouseId,
    carrier: 'yurtici',
    orderId: lastMinute.orderId,
    acceptBy: `${D2}T14:00:00.000Z`,
    firstScanAt: null,
  });

  const alerts = await harness.pool.query(
    `SELECT shipment_id, message FROM ops_alerts WHERE kind = 'not_accepted' AND shipment_id = ANY($1)`,
    [[early, lastMinute, late].map((p) => p.shipmentId)],
  );
  expect(alerts.rows.map((r) => r.shipment_id).sort()).toEqual([lastMinute.shipmentId, late.shipmentId].sort());
  const message = alerts.rows.find((r) => r.shipment_id === lastMinute.shipmentId).message;
  expect(message).toContain('yurtici');
  expect(message).toContain(lastMinute.trackingNumber);
  expect(message).toContain(warehouseId);

  // Checked once: a second run reports nothing again.
  const again = await harness.client.workflow.execute(handoverCloseWorkflow, {
    taskQueue: ORDER_TASK_QUEUE,
    workflowId: `handover-close-test-${randomUUID()}`,
    args: [{ warehouseIds: [warehouseId] }],
  });
  expect(again).toEqual({ closed: [], notAccepted: [], pickupsBooked: [] });

  // The KPIs count them: of the 4 parcels on checked lists (the cancelled one on none), 3 not accepted.
  const kpis = await authorized(harness.app, TEST_KEYS.ops).get('/v1/kpis').query({ from: D1, to: D1, warehouse: warehouseId }).expect(200);
  expect(kpis.body.total.notAcceptedRate).toEqual({ rate: 0.75, count: 3, of: 4 });
  expect(kpis.body.carriers.find((c: { carrier: string }) => c.carrier === 'yurtici').notAcceptedRate).toEqual({
    rate: 0.6667,
    count: 2,
    of: 3,
  });
});

test("the scheduled close closes a warehouse's day once its cut-off has passed, and only once", async () => {
  const midnight = await createWarehouse(harness.pool);
  // A cut-off at midnight has always passed today: yesterday evening's parcel is on today's list, this morning's is not.
  await harness.pool.query(`UPDATE warehouses SET cutoff_time = '00:00' WHERE warehouse_id = $1`, [midnight]);
  const today = istanbulDay(0);
  const yesterdayEvening = await recordParcel({ warehouseId: midnight, carrier: 'mng', labelledAt: `${istanbulDay(-1)}T20:00:00Z` });
  const thisMorning = await recordParcel({ warehouseId: midnight, carrier: 'mng', labelledAt: new Date().toISOString() });
  const run = () =>
    harness.client.workflow.execute(handoverCloseWorkflow, {
      taskQueue: ORDER_TASK_QUEUE,
      workflowId: `handover-close-test-${randomUUID()}`,
      args: [{ warehouseIds: [midnight] }],
    });

  expect(await run()).toEqual({ closed: [`mng.${midnight}.${today}`], notAccepted: [], pickupsBooked: [] });
  const { body } = await api.get(`/v1/handovers/mng.${midnight}.${today}`).expect(200);
  expect(trackingNumbers(body)).toEqual([yesterdayEvening.trackingNumber]);
  expect(trackingNumbers(body)).not.toContain(thisMorning.trackingNumber);
  expect(await run()).toEqual({ closed: [], notAccepted: [], pickupsBooked: [] });
});

test('the schedule is created once, every few minutes, starting the close workflow', async () => {
  const scheduleId = `handover-close-test-${randomUUID()}`;
  const options = { taskQueue: `handover-test-${randomUUID()}`, logger: logger.child({}, { level: 'silent' }), scheduleId };
  await ensureHandoverSchedule(harness.client, options);
  await ensureHandoverSchedule(harness.client, options); // a second worker starting: no error, no second schedule
  const handle = harness.client.schedule.getHandle(scheduleId);
  try {
    const described = await handle.describe();
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'handoverCloseWorkflow', taskQueue: options.taskQueue });
    expect(described.spec.intervals?.[0]?.every).toBe(5 * 60_000);
    expect(HANDOVER_CLOSE_EVERY).toBe('5 minutes');
  } finally {
    await handle.delete();
  }
});

test("a warehouse's cut-off is kept in a time zone PostgreSQL knows; an unknown one is refused when written", async () => {
  const id = await createWarehouse(harness.pool);
  await harness.pool.query(`UPDATE warehouses SET time_zone = 'Europe/Berlin', cutoff_time = '15:30' WHERE warehouse_id = $1`, [id]);
  await expect(harness.pool.query(`UPDATE warehouses SET time_zone = 'Europe/Atlantis' WHERE warehouse_id = $1`, [id])).rejects.toThrow(
    'time zone "Europe/Atlantis" not recognized',
  );
  const { body } = await api.post('/v1/handovers/close').send({ carrier: 'ups', warehouseId: id, day: '2026-01-15' }).expect(201);
  expect(body).toMatchObject({ cutoffAt: '2026-01-15T14:30:00.000Z', warehouse: { timeZone: 'Europe/Berlin' } }); // 15:30 in Berlin's winter
});

describe('bad requests', () => {
  test('400 naming the field; 404 for an unknown carrier or warehouse, 409 for a day not begun; 404 for an unknown list; 403 without the scope', async () => {
    const missing = await api.post('/v1/handovers/close').send({}).expect(400);
    expect(missing.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['carrier', 'warehouseId']);
    const badDay = await api.post('/v1/handovers/close').send({ carrier: 'yurtici', warehouseId, day: '2026-02-30' }).expect(400);
    expect(badDay.body.issues.map((i: { path: string }) => i.path)).toEqual(['day']);
    const carrier = await api.post('/v1/handovers/close').send({ carrier: 'pony-express', warehouseId }).expect(404);
    expect(carrier.body).toMatchObject({ error: 'carrier_not_found', message: 'no carrier pony-express is registered' });
    const warehouse = await api.post('/v1/handovers/close').send({ carrier: 'yurtici', warehouseId: 'NO-SUCH-WH' }).expect(404);
    expect(warehouse.body).toMatchObject({ error: 'warehouse_not_found' });
    const ahead = await close(istanbulDay(2)).expect(409);
    expect(ahead.body).toMatchObject({ error: 'day_not_started' });
    await api.get(`/v1/handovers/yurtici.${warehouseId}.2020-01-01`).expect(404);
    expect((await api.get('/v1/handovers/close').expect(405)).headers.allow).toBe('POST, OPTIONS');
    const misspelt = await api.get('/v1/handovers').query({ carier: 'yurtici' }).expect(400);
    expect(misspelt.body.issues[0].path).toBe('query');
    await authorized(harness.app, TEST_KEYS.orders).get('/v1/handovers').expect(403);
    await authorized(harness.app, TEST_KEYS.wms).get('/v1/handovers').query({ warehouseId }).expect(200);
  });
});
