// GET /v1/kpis over HTTP against PostgreSQL: parcels recorded through the real order and shipment
// activities (so the migration's triggers see the writes the workflows make), their scans and
// label times set to known moments, and every KPI figure checked per carrier, per day and in
// total; filters; the ops scope; a clear 400 for a bad query.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import type { Pool } from 'pg';
import request from 'supertest';
import { createOrderActivities } from '../../activities/orders';
import { createShipmentActivities } from '../../activities/shipments';
import type { Quote, ShipmentStatus, ShipmentView, TrackingStatus } from '../../domain/shipment';
import { createPool } from '../../lib/db';
import { createTestApp, TEST_KEYS } from '../helpers/api-harness';
import { devServerAddress, TEST_DATABASE_URL } from '../helpers/env';
import { sampleOrder } from '../helpers/orders';
import { clearOrdersCreatedBetween } from '../helpers/records';
import { CARRIERS } from '../../carriers/registry';

let pool: Pool;
let connection: Connection;
let app: Express;

// A period of its own, long past, so the figures hold only what this file recorded.
const DAY1 = '2025-03-10';
const DAY2 = '2025-03-11';
const run = randomUUID().slice(0, 8);
const CHANNEL = `kpi-${run}`;
const OTHER_CHANNEL = `kpi-${run}-b`;

const kpis = (query: Record<string, string>, key = TEST_KEYS.ops) =>
  request(app).get('/v1/kpis').query(query).set('Authorization', `Bearer ${key}`);

interface ParcelSpec {
  channel?: string;
  orderedAt: string;
  promised?: string;
  /** Statuses before the label: e.g. an address every carrier rejected. */
  before?: ShipmentStatus[];
  carrier?: string;
  labelledAt?: string;
  quotes?: Quote[];
  /** Status, when, and the reason of a hold (customs). */
  scans?: [TrackingStatus, string, 'customs'?][];
  alert?: 'delayed' | 'lost';
  /** The customer sent it back: a return request, and a return parcel the KPIs must leave out. */
  returned?: boolean;
  /** The customer's rating of the delivery, as the rating page stores it. */
  rating?: { stars: number; reasons?: string[] };
}

const quote = (carrier: string, amount: number): Quote => ({ carrier, service: 'standard', amount, currency: 'TRY', transitDays: 2 });

/** Removes what earlier runs of this file left in its period (the test database outlives runs). */
const clearPeriod = () => clearOrdersCreatedBetween(pool, '2025-03-09', '2025-03-14');

/** One parcel as the workflows record it, step by step; then its label time set to when it "happened". */
async function recordParcel(spec: ParcelSpec): Promise<{ orderId: string; shipmentId: string }> {
  const orders = createOrderActivities(pool);
  const shipments = createShipmentActivities(pool);
  const order = sampleOrder({ channel: spec.channel ?? CHANNEL, promisedDeliveryDate: spec.promised });
  const { orderId } = order;
  await orders.recordOrder({ order, workflowId: `order-${orderId}`, receivedAt: spec.orderedAt });
  const shipmentId = `shipment-${orderId}-1`;
  const view: ShipmentView = {
    shipmentId,
    kind: 'outbound',
    warehouseId: 'IST-1',
    lines: [{ sku: 'MUG-WHITE', quantity: 1 }],
    status: 'packing',
    events: [],
  };
  const record = (changes: Partial<ShipmentView>) => shipments.recordShipment({ orderId, view: Object.assign(view, changes) });
  for (const status of ['packing', 'booking', ...(spec.before ?? [])] as ShipmentStatus[]) await record({ status });
  if (!spec.carrier) return { orderId, shipmentId };

  const trackingNumber = `KPI${randomUUID().slice(0, 12).toUpperCase()}`;
  await record({
    status: 'labelled',
    carrier: spec.carrier,
    trackingNumber,
    labelRef: 'label',
    quotes: spec.quotes ?? [quote(spec.carrier, 100)],
  });
  await pool.query(`UPDATE shipment_milestones SET at = $2 WHERE shipment_id = $1 AND status = 'labelled'`, [shipmentId, spec.labelledAt]);
  const events = (spec.scans ?? []).map(([status, occurredAt, reason], i) => ({
    eventId: `e${i}`,
    trackingNumber,
    status,
    occurredAt,
    ...(reason && { reason }),
  }));
  if (events.length > 0) await record({ status: events[events.length - 1].status, events });
  if (spec.alert) {
    await pool.query(`INSERT INTO ops_alerts (shipment_id, kind, order_id, message) VALUES ($1, $2, $3, 'test')`, [
      shipmentId,
      spec.alert,
      orderId,
    ]);
  }
  if (spec.returned) await recordReturn(orderId, spec.carrier);
  if (spec.rating)
    await pool.query(`INSERT INTO delivery_ratings (shipment_id, order_id, stars, reasons, language) VALUES ($1, $2, $3, $4, 'tr')`, [
      shipmentId,
      orderId,
      spec.rating.stars,
      spec.rating.reasons ?? [],
    ]);
  return { orderId, shipmentId };
}

/** The order asks for a return, then its return parcel travels back: written as the workflows write them. */
async function recordReturn(orderId: string, carrier: string): Promise<void> {
  await createOrderActivities(pool).recordStatus({
    orderId,
    seq: 1,
    status: 'return_requested',
    at: '2025-03-15T09:00:00Z',
    reason: 'too small',
  });
  const trackingNumber = `RET${randomUUID().slice(0, 12).toUpperCase()}`;
  const events = [{ eventId: 'r1', trackingNumber, status: 'delivered' as const, occurredAt: '2025-03-25T09:00:00Z' }];
  await createShipmentActivities(pool).recordShipment({
    orderId,
    view: {
      shipmentId: `shipment-${orderId}-2`,
      kind: 'return',
      warehouseId: 'IST-1',
      lines: [],
      status: 'delivered',
      carrier,
      trackingNumber,
      events,
    },
  });
}

let returned: { orderId: string; shipmentId: string };

/** DAY1's parcels that were promised for the 12th and labelled at 10:00. */
const labelledOnDay1At10 = { promised: '2025-03-12', labelledAt: `${DAY1}T10:00:00Z` };

beforeAll(async () => {
  pool = createPool(TEST_DATABASE_URL);
  connection = await Connection.connect({ address: devServerAddress() });
  app = createTestApp(new Client({ connection }), pool);
  await clearPeriod();
  // DAY1, aras: on time. Ordered 08:00, labelled 10:00, first scan 14:00, delivered two days later at noon.
  await recordParcel({
    ...labelledOnDay1At10,
    orderedAt: `${DAY1}T08:00:00Z`,
    carrier: 'aras',
    quotes: [quote('aras', 80), quote('mng', 95)],
    rating: { stars: 5 },
    scans: [
      ['picked_up', `${DAY1}T14:00:00Z`],
      ['in_transit', '2025-03-11T02:00:00Z'],
      ['out_for_delivery', '2025-03-12T07:00:00Z'],
      ['delivered', '2025-03-12T12:00:00Z'],
    ],
  });
  // DAY1, aras: first attempt failed a day after the promise, delivered the day after; later sent back.
  returned = await recordParcel({
    ...labelledOnDay1At10,
    orderedAt: `${DAY1}T08:00:00Z`,
    carrier: 'aras',
    quotes: [quote('aras', 90)],
    returned: true,
    rating: { stars: 2, reasons: ['late', 'damaged'] },
    scans: [
      ['picked_up', `${DAY1}T18:00:00Z`],
      ['delivery_failed', '2025-03-13T10:00:00Z'],
      ['delivered', '2025-03-14T10:00:00Z'],
    ],
  });
  // DAY1, mng: data sent ahead (pending) before its first real scan; flagged delayed, still on the road.
  await recordParcel({
    ...labelledOnDay1At10,
    orderedAt: `${DAY1}T09:00:00Z`,
    carrier: 'mng',
    quotes: [quote('mng', 95), quote('aras', 99)],
    alert: 'delayed',
    scans: [
      ['pending', `${DAY1}T10:30:00Z`],
      ['picked_up', `${DAY1}T16:00:00Z`],
      ['in_transit', '2025-03-11T03:00:00Z'],
    ],
  });
  // DAY2, aras: every carrier rejected the address first; delivered late in the promised day (UTC).
  await recordParcel({
    orderedAt: `${DAY2}T09:00:00Z`,
    promised: '2025-03-13',
    before: ['address_invalid', 'booking'],
    carrier: 'aras',
    labelledAt: '2025-03-12T09:00:00Z',
    quotes: [quote('aras', 70)],
    scans: [
      ['picked_up', '2025-03-12T11:00:00Z'],
      ['delivered', '2025-03-13T23:30:00Z'],
    ],
  });
  // DAY2: no carrier would take it.
  await recordParcel({ orderedAt: `${DAY2}T10:00:00Z`, before: ['needs_attention'] });
  // Another channel: DAY1, mng, on time.
  await recordParcel({
    channel: OTHER_CHANNEL,
    rating: { stars: 4 },
    orderedAt: `${DAY1}T11:00:00Z`,
    promised: '2025-03-12',
    carrier: 'mng',
    labelledAt: `${DAY1}T12:00:00Z`,
    quotes: [quote('mng', 60)],
    scans: [
      ['picked_up', `${DAY1}T13:00:00Z`],
      ['delivered', '2025-03-11T13:00:00Z'],
    ],
  });
  // Outside the period by a second on each side.
  await recordParcel({
    orderedAt: '2025-03-09T23:59:59Z',
    carrier: 'aras',
    labelledAt: '2025-03-10T01:00:00Z',
    scans: [['picked_up', '2025-03-10T02:00:00Z']],
  });
  await recordParcel({
    orderedAt: '2025-03-12T00:00:00Z',
    carrier: 'aras',
    labelledAt: '2025-03-12T01:00:00Z',
    scans: [['picked_up', '2025-03-12T02:00:00Z']],
  });
}, 60_000);

afterAll(async () => {
  await clearPeriod();
  await pool?.end();
  await connection?.close();
});

test('the return parcel is told from the outbound one, and each status is kept with when it first came', async () => {
  const { rows } = await pool.query('SELECT shipment_id, kind FROM shipments WHERE order_id = $1 ORDER BY shipment_id', [returned.orderId]);
  expect(rows).toEqual([
    { shipment_id: returned.shipmentId, kind: 'outbound' },
    { shipment_id: `shipment-${returned.orderId}-2`, kind: 'return' },
  ]);
  const milestones = await pool.query('SELECT status FROM shipment_milestones WHERE shipment_id = $1 ORDER BY at, status', [
    returned.shipmentId,
  ]);
  expect(milestones.rows.map((r) => r.status)).toEqual(expect.arrayContaining(['packing', 'booking', 'labelled', 'delivered']));
});

/** The channel's ratings, all of them of aras parcels: 5 stars, and 2 with two reasons. */
const ARAS_RATINGS = {
  ratings: 2,
  averageStars: 3.5,
  satisfied: { rate: 0.5, count: 1, of: 2 }, // 4-5 stars, of the ratings
  responseRate: { rate: 0.6667, count: 2, of: 3 }, // ratings, of the delivered parcels
  reasons: { late: 1, damaged: 1, courier_behaviour: 0, left_without_notice: 0, wrong_address: 0 },
};

test('every KPI of a channel over two days: in total, per carrier (unbooked parcels apart) and per carrier and day', async () => {
  const { body } = await kpis({ from: DAY1, to: DAY2, channel: CHANNEL }).expect(200);
  expect(body).toMatchObject({ from: DAY1, to: DAY2, channel: CHANNEL, carrier: null, timeZone: 'UTC' });
  // The registry's carriers, booked in the period or not, for the dashboard's filter.
  expect(body.knownCarriers).toEqual(CARRIERS.map((c) => ({ carrier: c.name, name: c.displayName })));
  expect(body.knownCarriers).toContainEqual({ carrier: 'yurtici', name: 'Yurtiçi Kargo' });
  expect(body.total).toEqual({
    shipments: 5,
    onTimeDelivery: { rate: 0.6667, count: 2, of: 3 }, // first attempts: on the day, a day late (a failed one counts), 23:30 on the day
    orderToDeliveryHours: { p50: 62.5, p90: 90.9 }, // 52, 62.5, 98
    transitHours: { p50: 46, p90: 79.6 }, // first scan → delivered: 36.5, 46, 88
    firstScanHours: { p50: 5, p90: 7.4 }, // label → first scan: 2, 4, 6 (a pending scan is not one), 8
    exceptionRate: { rate: 0.5, count: 2, of: 4 }, // a failed attempt, a delayed alert; of the parcels the carriers scanned
    shippingErrorRate: { rate: 0.4, count: 2, of: 5 }, // an address rejected, a booking refused
    returnRate: { rate: 0.3333, count: 1, of: 3 }, // of the delivered ones
    notAcceptedRate: { rate: null, count: 0, of: 0 }, // none was on a handover list
    costPerShipment: [{ currency: 'TRY', perShipment: 83.75, shipments: 4 }], // what the booked carrier quoted
    satisfaction: ARAS_RATINGS,
  });

  expect(body.carriers.map((c: { carrier: string | null }) => c.carrier)).toEqual(['aras', 'mng', null]);
  const [aras, mng, unbooked] = body.carriers;
  expect(aras).toEqual({
    carrier: 'aras',
    shipments: 3,
    onTimeDelivery: { rate: 0.6667, count: 2, of: 3 },
    orderToDeliveryHours: { p50: 62.5, p90: 90.9 },
    transitHours: { p50: 46, p90: 79.6 },
    firstScanHours: { p50: 4, p90: 7.2 },
    exceptionRate: { rate: 0.3333, count: 1, of: 3 },
    shippingErrorRate: { rate: 0.3333, count: 1, of: 3 },
    returnRate: { rate: 0.3333, count: 1, of: 3 },
    notAcceptedRate: { rate: null, count: 0, of: 0 },
    costPerShipment: [{ currency: 'TRY', perShipment: 80, shipments: 3 }],
    satisfaction: ARAS_RATINGS,
  });
  expect(mng).toEqual({
    carrier: 'mng',
    shipments: 1,
    onTimeDelivery: { rate: null, count: 0, of: 0 },
    orderToDeliveryHours: { p50: null, p90: null },
    transitHours: { p50: null, p90: null },
    firstScanHours: { p50: 6, p90: 6 },
    exceptionRate: { rate: 1, count: 1, of: 1 },
    shippingErrorRate: { rate: 0, count: 0, of: 1 },
    returnRate: { rate: null, count: 0, of: 0 },
    notAcceptedRate: { rate: null, count: 0, of: 0 },
    costPerShipment: [{ currency: 'TRY', perShipment: 95, shipments: 1 }],
    satisfaction: {
      ratings: 0,
      averageStars: null,
      satisfied: { rate: null, count: 0, of: 0 },
      responseRate: { rate: null, count: 0, of: 0 },
      reasons: { late: 0, damaged: 0, courier_behaviour: 0, left_without_notice: 0, wrong_address: 0 },
    },
  });
  expect(unbooked).toMatchObject({ carrier: null, shipments: 1, shippingErrorRate: { rate: 1, count: 1, of: 1 }, costPerShipment: [] });

  const daily = body.daily.map((d: { day: string; carrier: string | null; shipments: number }) => [d.day, d.carrier, d.shipments]);
  expect(daily).toEqual([
    [DAY1, 'aras', 2],
    [DAY1, 'mng', 1],
    [DAY2, 'aras', 1],
    [DAY2, null, 1],
  ]);
  expect(body.daily[0]).toMatchObject({
    onTimeDelivery: { rate: 0.5, count: 1, of: 2 },
    orderToDeliveryHours: { p50: 75, p90: 93.4 }, // 52, 98
    transitHours: { p50: 67, p90: 83.8 }, // 46, 88
    firstScanHours: { p50: 6, p90: 7.6 }, // 4, 8
    costPerShipment: [{ currency: 'TRY', perShipment: 85, shipments: 2 }],
  });
  expect(body.daily[2]).toMatchObject({
    onTimeDelivery: { rate: 1, count: 1, of: 1 },
    shippingErrorRate: { rate: 1, count: 1, of: 1 },
    transitHours: { p50: 36.5, p90: 36.5 },
  });
});

test('filters: a carrier narrows every figure; without a channel every channel counts; the period ends on the last second of `to`', async () => {
  const aras = await kpis({ from: DAY1, to: DAY2, channel: CHANNEL, carrier: 'aras' }).expect(200);
  expect(aras.body.carrier).toBe('aras');
  expect(aras.body.total).toMatchObject({
    shipments: 3,
    onTimeDelivery: { rate: 0.6667, count: 2, of: 3 },
    costPerShipment: [{ currency: 'TRY', perShipment: 80, shipments: 3 }],
  });
  expect(aras.body.carriers.map((c: { carrier: string }) => c.carrier)).toEqual(['aras']);
  expect(aras.body.daily.map((d: { day: string }) => d.day)).toEqual([DAY1, DAY2]);

  const everyChannel = await kpis({ from: DAY1, to: DAY2 }).expect(200);
  expect(everyChannel.body.total).toMatchObject({ shipments: 6, onTimeDelivery: { rate: 0.75, count: 3, of: 4 } });
  expect(everyChannel.body.carriers.find((c: { carrier: string }) => c.carrier === 'mng')).toMatchObject({
    shipments: 2,
    onTimeDelivery: { rate: 1, count: 1, of: 1 },
    costPerShipment: [{ currency: 'TRY', perShipment: 77.5, shipments: 2 }],
  });

  const oneDay = await kpis({ from: DAY2, to: DAY2, channel: CHANNEL }).expect(200);
  expect(oneDay.body.total.shipments).toBe(2);
  const wider = await kpis({ from: '2025-03-09', to: '2025-03-12' }).expect(200);
  expect(wider.body.total.shipments).toBe(8); // the two parcels just outside come in

  const nothing = await kpis({ from: DAY1, to: DAY2, channel: 'no-such-channel' }).expect(200);
  expect(nothing.body).toMatchObject({
    carriers: [],
    daily: [],
    total: { shipments: 0, onTimeDelivery: { rate: null, count: 0, of: 0 }, costPerShipment: [] },
  });
});

test('without dates: the last 30 days up to today (UTC)', async () => {
  const { body } = await kpis({ channel: CHANNEL }).expect(200);
  const today = new Date().toISOString().slice(0, 10);
  expect(body.to).toBe(today);
  expect((Date.parse(body.to) - Date.parse(body.from)) / 86_400_000).toBe(29);
  const fromOnly = await kpis({ from: DAY1, channel: CHANNEL }).expect(200);
  expect([fromOnly.body.from, fromOnly.body.to]).toEqual([DAY1, '2025-04-08']); // a year ago and more: 30 days from it
});

test('a bad query is a 400 naming the field', async () => {
  const issues = async (query: Record<string, string>) => (await kpis(query).expect(400)).body;
  expect(await issues({ from: '2025-02-30' })).toMatchObject({ error: 'validation_failed', issues: [{ path: 'from' }] });
  expect((await issues({ to: 'yesterday' })).issues[0].path).toBe('to');
  expect((await issues({ from: DAY2, to: DAY1 })).issues).toEqual([{ path: 'to', message: 'must not be before from' }]);
  expect((await issues({ from: '2024-01-01', to: '2025-03-01' })).issues).toEqual([{ path: 'to', message: 'at most 367 days after from' }]);
  expect((await issues({ carrier: "aras'; DROP TABLE shipments;--" })).issues[0]).toEqual({
    path: 'carrier',
    message: 'must be a carrier code: 1-32 of a-z 0-9 _ -',
  });
  expect((await issues({ channel: 'Shop Ify' })).issues[0].path).toBe('channel');
  const misspelt = await issues({ carier: 'aras' });
  expect(misspelt.message).toMatch(/carier/); // a typo is refused, not silently ignored
  const twice = await request(app).get('/v1/kpis?carrier=aras&carrier=mng').set('Authorization', `Bearer ${TEST_KEYS.ops}`).expect(400);
  expect(twice.body.issues[0].path).toBe('carrier');
});

test('customer satisfaction per warehouse: the filter narrows it, a bad warehouse id is a 400 naming it (issue 26)', async () => {
  const ist = await kpis({ from: DAY1, to: DAY2, channel: CHANNEL, warehouse: 'IST-1' }).expect(200);
  expect(ist.body.total.satisfaction).toMatchObject({ ratings: 2, averageStars: 3.5 });
  const elsewhere = await kpis({ from: DAY1, to: DAY2, channel: CHANNEL, warehouse: 'ANK-1' }).expect(200);
  expect(elsewhere.body.total).toMatchObject({ shipments: 0, satisfaction: { ratings: 0, averageStars: null } });
  const bad = await kpis({ warehouse: "IST-1'--" }).expect(400);
  expect(bad.body.issues[0].path).toBe('warehouse');
});

test('ops scope: no key 401, another scope 403', async () => {
  await request(app).get('/v1/kpis').expect(401);
  await kpis({}, TEST_KEYS.orders).expect(403);
  await kpis({}, TEST_KEYS.wms).expect(403);
  await kpis({}, TEST_KEYS.all).expect(200);
});

test('a customs hold on the way abroad is no exception; a hold for any other reason is (issue 25)', async () => {
  const channel = `kpi-${run}-customs`;
  const heldOnTheWay = (reason?: 'customs') =>
    recordParcel({
      channel,
      orderedAt: `${DAY1}T08:00:00Z`,
      carrier: 'ups',
      labelledAt: `${DAY1}T10:00:00Z`,
      scans: [
        ['picked_up', `${DAY1}T14:00:00Z`],
        ['on_hold', '2025-03-11T09:00:00Z', reason],
        ['in_transit', '2025-03-11T15:00:00Z'],
        ['delivered', '2025-03-12T12:00:00Z'],
      ],
    });
  await heldOnTheWay('customs');
  expect((await kpis({ from: DAY1, to: DAY2, channel }).expect(200)).body.total.exceptionRate).toEqual({ rate: 0, count: 0, of: 1 });
  await heldOnTheWay();
  expect((await kpis({ from: DAY1, to: DAY2, channel }).expect(200)).body.total.exceptionRate).toEqual({ rate: 0.5, count: 1, of: 2 });
});

test("cost per shipment adds the duties the merchant paid where the carrier quoted them (DDP), in the shipping's currency (issue 25)", async () => {
  const channel = `kpi-${run}-duties`;
  const booked = (quotes: Quote[]) =>
    recordParcel({ channel, orderedAt: `${DAY1}T08:00:00Z`, carrier: 'ups', labelledAt: `${DAY1}T10:00:00Z`, quotes });
  await booked([{ ...quote('ups', 500), duties: { amount: 300, currency: 'TRY' } }]); // DDP: 800
  await booked([quote('ups', 600)]); // DAP: the customer pays, nothing added
  await booked([{ ...quote('ups', 500), duties: { amount: 20, currency: 'EUR' } }]); // duties in another currency do not add up: 500
  const { body } = await kpis({ from: DAY1, to: DAY2, channel }).expect(200);
  expect(body.total.costPerShipment).toEqual([{ currency: 'TRY', perShipment: 633.33, shipments: 3 }]);
});
