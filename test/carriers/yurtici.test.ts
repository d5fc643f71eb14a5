// Contract tests: the Yurtiçi adapter against the real SOAP carrier sandbox over HTTP (one
// sandbox for the file, on a free loopback port, mounted here until sandbox/app.ts wires it).
// Faults are set through the sandbox's admin API and cleared after every test.
import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { carrierAdmin, listen } from '../helpers/carrier-sandbox';
import { failureOf } from '../helpers/failures';
import type { CarrierAdapter } from '../../carriers/adapter';
import { cargoKeyFor, createYurticiAdapter, type YurticiAdapterConfig } from '../../carriers/yurtici';
import type { ShipmentRequest } from '../../domain/shipment';
import { ADDRESS_REJECTED } from '../../workflows/definitions';
import { SANDBOX_YURTICI_CREDENTIALS, YURTICI_SERVICE_PATH, mountYurtici } from '../../sandbox/yurtici';

const app = express();
mountYurtici(app);
let server: Awaited<ReturnType<typeof listen>>;
let baseUrl: string;
let yurtici: CarrierAdapter;
const warnings: Array<Record<string, unknown>> = [];

function adapter(overrides: Partial<YurticiAdapterConfig> = {}): CarrierAdapter {
  return createYurticiAdapter({
    baseUrl,
    ...SANDBOX_YURTICI_CREDENTIALS,
    timeoutMs: 5_000,
    log: { warn: (fields) => warnings.push(fields) },
    ...overrides,
  });
}

beforeAll(async () => {
  server = await listen(app);
  baseUrl = `${server.url}/yurtici`;
  yurtici = adapter();
});
afterAll(() => server.close());
afterEach(() => admin.clearFaults());

const admin = carrierAdmin(() => app, 'yurtici');
const { injectFault } = admin;

async function advance(cargoKey: string, operationCode?: number, operationStatus?: string): Promise<void> {
  await admin.post(`/shipments/${cargoKey}/advance`, { operationCode, operationStatus }).expect(201);
}

interface SandboxShipmentSummary {
  cargoKey: string;
  kind: string;
  operationStatus: string;
  codAmount: number | null;
}

async function sandboxShipments(idempotencyKey: string): Promise<SandboxShipmentSummary[]> {
  const { body } = await admin.get('/shipments').expect(200);
  return (body.shipments as SandboxShipmentSummary[]).filter((s) => s.cargoKey === cargoKeyFor(idempotencyKey));
}

async function liveCount(): Promise<number> {
  const { body } = await admin.get('/shipments').expect(200);
  return body.live as number;
}

const newKey = () => `S-${randomUUID()}:book`;

function parcel(overrides: Partial<ShipmentRequest> = {}): ShipmentRequest {
  return {
    shipmentId: `S-${randomUUID().slice(0, 8)}`,
    orderId: `O-${randomUUID().slice(0, 8)}`,
    warehouseId: 'IST-1',
    to: { name: 'Ayşe Yılmaz', line1: 'Bağdat Cad. 12 & Sok. <3>', city: 'İstanbul', district: 'Kadıköy', postalCode: '34710', countryCode: 'TR', phone: '+90 555 000 0000' },
    parcel: { weightGrams: 1_200, lengthCm: 30, widthCm: 20, heightCm: 10 },
    service: 'standard',
    ...overrides,
  };
}

describe('the happy path', () => {
  test('quotes standard service in TRY from the contract tariff; cash on delivery costs more', async () => {
    const plain = await yurtici.quote(parcel());
    const cod = await yurtici.quote(parcel({ cashOnDelivery: { amount: 250, currency: 'TRY' } }));
    expect(plain).toEqual({ carrier: 'yurtici', service: 'standard', amount: expect.any(Number), currency: 'TRY', transitDays: expect.any(Number) });
    expect(cod.amount).toBeGreaterThan(plain.amount);
  });

  test('quoting outside Turkey, or another service, is refused without a call', async () => {
    const abroad = await failureOf(yurtici.quote(parcel({ to: { ...parcel().to, countryCode: 'DE' } })));
    expect(abroad.nonRetryable).toBe(true);
    expect(abroad.type).toBe('CarrierRefused');
    expect((await failureOf(yurtici.quote(parcel({ service: 'express' })))).type).toBe('CarrierRefused');
  });

  test('books a shipment keyed by a cargoKey derived from the idempotency key; the label is a barcode reference', async () => {
    const key = newKey();
    const booking = await yurtici.book(parcel(), key);
    expect(cargoKeyFor(key)).toMatch(/^[0-9A-F]{20}$/);
    expect(booking).toEqual({ carrier: 'yurtici', bookingId: cargoKeyFor(key), trackingNumber: cargoKeyFor(key), labelRef: `barcode:${cargoKeyFor(key)}`, idempotencyKey: key });
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ kind: 'shipment', operationStatus: 'NOP' })]);
    expect((await yurtici.book(parcel(), newKey())).trackingNumber).not.toBe(booking.trackingNumber);
  });

  test('the same key books once: the carrier refuses the repeat as a duplicate cargoKey and the first booking comes back', async () => {
    const key = newKey();
    const liveBefore = await liveCount();
    const first = await yurtici.book(parcel(), key);
    const again = await yurtici.book(parcel(), key);
    expect(again).toEqual(first);
    expect(await sandboxShipments(key)).toHaveLength(1);
    expect(await liveCount()).toBe(liveBefore + 1);
  });

  test('cash on delivery in TRY is booked with the amount to collect', async () => {
    const key = newKey();
    await yurtici.book(parcel({ cashOnDelivery: { amount: 199.9, currency: 'TRY' } }), key);
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ codAmount: 199.9 })]);
    const euros = await failureOf(yurtici.book(parcel({ cashOnDelivery: { amount: 10, currency: 'EUR' } }), newKey()));
    expect(euros.type).toBe('CarrierRefused');
  });

  test('cancel cancels the booking made under the key; repeating it, or cancelling an unknown key, is a no-op', async () => {
    const key = newKey();
    const booking = await yurtici.book(parcel(), key);
    const liveBefore = await liveCount();
    await yurtici.cancel(key);
    await yurtici.cancel(key);
    await yurtici.cancel(newKey());
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ operationStatus: 'CNL' })]);
    expect(await liveCount()).toBe(liveBefore - 1);
    const events = await yurtici.track([booking.trackingNumber]);
    expect(events.map((e) => e.status)).toEqual(['pending', 'cancelled']);
  });

  test('a parcel a branch has accepted can no longer be cancelled: a non-retryable refusal with the carrier code', async () => {
    const key = newKey();
    const booking = await yurtici.book(parcel(), key);
    await advance(booking.trackingNumber); // accepted by the branch
    const failure = await failureOf(yurtici.cancel(key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('60021');
  });

  test("tracking maps the carrier's operationStatus/operationCode onto the engine's statuses, oldest first", async () => {
    const booking = await yurtici.book(parcel(), newKey());
    for (let i = 0; i < 4; i++) await advance(booking.trackingNumber);
    const events = await yurtici.track([booking.trackingNumber]);
    expect(events.map((e) => [e.rawCode, e.status])).toEqual([
      ['NOP/0', 'pending'],
      ['ISR/1', 'picked_up'],
      ['IND/2', 'in_transit'],
      ['IND/4', 'out_for_delivery'],
      ['DLV/5', 'delivered'],
    ]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(events.every((e) => e.trackingNumber === booking.trackingNumber && e.occurredAt.endsWith('+03:00'))).toBe(true);
    expect(events.at(-1)?.location).toBe('Kadıköy Branch, İstanbul');
  });

  test('a returned parcel maps to returned; an unknown pair becomes unknown and is logged once with the raw value', async () => {
    const booking = await yurtici.book(parcel(), newKey());
    await advance(booking.trackingNumber, 6);
    await advance(booking.trackingNumber, 9, 'XYZ');
    const events = await yurtici.track([booking.trackingNumber]);
    await yurtici.track([booking.trackingNumber]);
    expect(events.map((e) => e.status)).toEqual(['pending', 'returned', 'unknown']);
    expect(events[2].rawCode).toBe('XYZ/9');
    expect(warnings.filter((w) => w.rawCode === 'XYZ/9')).toHaveLength(1);
  });

  test('tracking an unknown number is a non-retryable refusal naming 80859', async () => {
    const failure = await failureOf(yurtici.track([cargoKeyFor(newKey())]));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('80859');
  });

  test('createReturn books a reverse shipment under its own cargoKey, once per key', async () => {
    const key = `S-${randomUUID()}:return`;
    const label = await yurtici.createReturn(parcel(), key);
    const again = await yurtici.createReturn(parcel(), key);
    expect(again).toEqual(label);
    expect(label.labelRef).toBe(`barcode:${cargoKeyFor(key)}`);
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ kind: 'return', operationStatus: 'NOP' })]);
  });
});

describe('refusals', () => {
  test('a receiver address the carrier cannot find (postal code 00000) is non-retryable AddressRejected naming 60019, and nothing is booked', async () => {
    const key = newKey();
    const failure = await failureOf(yurtici.book(parcel({ to: { ...parcel().to, postalCode: '00000' } }), key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe(ADDRESS_REJECTED);
    expect(failure.message).toContain('60019');
    expect(await sandboxShipments(key)).toHaveLength(0);
  });

  test('wrong credentials are a SOAP Client fault: a non-retryable refusal naming the carrier code', async () => {
    const failure = await failureOf(adapter({ password: 'wrong' }).book(parcel(), newKey()));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('82500');
  });

  test('the endpoint speaks SOAP: a request that is not XML gets a Client fault', async () => {
    const res = await request(app).post(`/yurtici${YURTICI_SERVICE_PATH}`).set('Content-Type', 'text/xml').set('SOAPAction', '"createShipment"').send('{"not": "xml"}');
    expect(res.status).toBe(500);
    expect(res.text).toContain('<faultcode>env:Client</faultcode>');
  });
});

describe('faults', () => {
  test('a 5xx is a retryable failure with the carrier code; the next call succeeds', async () => {
    await injectFault({ kind: 'error', status: 502, on: ['createShipment'], times: 1 });
    const key = newKey();
    const failure = await failureOf(yurtici.book(parcel(), key));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierUnavailable');
    expect(failure.message).toContain('HTTP 502');
    expect(failure.message).toContain('936');
    await expect(yurtici.book(parcel(), key)).resolves.toMatchObject({ carrier: 'yurtici' });
  });

  test('429 with Retry-After is retryable with nextRetryDelay taken from the header', async () => {
    await injectFault({ kind: 'rate-limit', retryAfterSeconds: 7, on: ['createShipment'], times: 1 });
    const failure = await failureOf(yurtici.book(parcel(), newKey()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierRateLimited');
    expect(failure.nextRetryDelay).toBe(7_000);
    expect(failure.message).toContain('82429');
  });

  test('a carrier that never answers ends in a retryable timeout', async () => {
    await injectFault({ kind: 'hang', on: ['queryShipment'], times: 1 });
    const failure = await failureOf(adapter({ timeoutMs: 300 }).track([cargoKeyFor(newKey())]));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierTimeout');
  });

  test('a body that is not valid XML is a retryable malformed response', async () => {
    await injectFault({ kind: 'malformed', on: ['createShipment'], times: 1 });
    const failure = await failureOf(yurtici.book(parcel(), newKey()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierMalformedResponse');
    expect(failure.message).toContain('not a valid XML SOAP envelope');
  });

  test('a valid envelope in an unexpected shape is a retryable malformed response naming what is missing', async () => {
    await injectFault({ kind: 'malformed', variant: 'wrong-shape', on: ['queryShipment'], times: 1 });
    const booking = await yurtici.book(parcel(), newKey());
    const failure = await failureOf(yurtici.track([booking.trackingNumber]));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierMalformedResponse');
    expect(failure.message).toContain('ShippingDeliveryVO');
  });

  test('a carrier that is down fails every call retryably until it is back', async () => {
    await injectFault({ kind: 'down' });
    const key = newKey();
    const failure = await failureOf(yurtici.book(parcel(), key));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierUnavailable');
    expect(failure.message).toContain('HTTP 503');
    expect((await failureOf(yurtici.cancel(key))).nonRetryable).toBe(false);
    await admin.delete('/faults').expect(204);
    await expect(yurtici.book(parcel(), key)).resolves.toMatchObject({ carrier: 'yurtici' });
  });

  test('latency within the timeout only slows the call down', async () => {
    await injectFault({ kind: 'latency', ms: 50, times: 2 });
    await expect(yurtici.book(parcel(), newKey())).resolves.toMatchObject({ carrier: 'yurtici' });
  });

  test('created but response lost: the retry with the same key returns the same booking, and one shipment is live', async () => {
    const key = newKey();
    const liveBefore = await liveCount();
    await injectFault({ kind: 'lose-response', on: ['createShipment'], times: 1 });
    const failure = await failureOf(yurtici.book(parcel(), key));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierUnavailable');
    expect(await sandboxShipments(key)).toHaveLength(1); // the carrier did create it

    const booking = await yurtici.book(parcel(), key);
    expect(booking).toEqual(expect.objectContaining({ trackingNumber: cargoKeyFor(key), idempotencyKey: key }));
    expect(await sandboxShipments(key)).toHaveLength(1);
    expect(await liveCount()).toBe(liveBefore + 1);
  });
});
