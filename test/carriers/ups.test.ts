// Contract tests: the UPS adapter against the real carrier sandbox over HTTP (one sandbox for
// the file, on a free loopback port). Faults are set through the sandbox's admin API, for the
// next call only unless a test says otherwise, and cleared after every test.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { carrierAdmin } from '../helpers/carrier-sandbox';
import { failureOf } from '../helpers/failures';
import type { CarrierAdapter } from '../../carriers/adapter';
import { createUpsAdapter, type UpsAdapterConfig } from '../../carriers/ups';
import type { ShipmentRequest } from '../../domain/shipment';
import { ADDRESS_REJECTED } from '../../workflows/definitions';
import { SANDBOX_UPS_CREDENTIALS } from '../../sandbox/app';
import { startSandbox, type RunningSandbox } from '../../sandbox/main';

let sandbox: RunningSandbox;
let ups: CarrierAdapter;
const warnings: Array<Record<string, unknown>> = [];

function adapter(overrides: Partial<UpsAdapterConfig> = {}): CarrierAdapter {
  return createUpsAdapter({
    baseUrl: `${sandbox.url}/ups`,
    ...SANDBOX_UPS_CREDENTIALS,
    timeoutMs: 5_000,
    log: { warn: (fields) => warnings.push(fields) },
    ...overrides,
  });
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  ups = adapter();
});
afterAll(() => sandbox.close());
afterEach(() => admin.clearFaults());

const admin = carrierAdmin(() => sandbox.app, 'ups');
const { injectFault } = admin;

async function advance(trackingNumber: string, code?: string): Promise<void> {
  await admin.post(`/shipments/${trackingNumber}/advance`, code ? { code } : {}).expect(201);
}

interface SandboxShipmentSummary {
  id: string;
  kind: string;
  idempotencyKey: string;
  status: string;
}

async function sandboxShipments(idempotencyKey?: string): Promise<SandboxShipmentSummary[]> {
  const { body } = await admin.get('/shipments').expect(200);
  const all = body.shipments as SandboxShipmentSummary[];
  return idempotencyKey ? all.filter((s) => s.idempotencyKey === idempotencyKey) : all;
}

async function liveCount(): Promise<number> {
  const { body } = await admin.get('/shipments').expect(200);
  return body.live as number;
}

const newKey = () => `book-${randomUUID()}`;

function parcel(overrides: Partial<ShipmentRequest> = {}): ShipmentRequest {
  return {
    shipmentId: `S-${randomUUID().slice(0, 8)}`,
    orderId: `O-${randomUUID().slice(0, 8)}`,
    warehouseId: 'IST-1',
    to: { name: 'Hans Muster', line1: 'Friedrichstr. 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' },
    parcel: { weightGrams: 1_200, lengthCm: 30, widthCm: 20, heightCm: 10 },
    service: 'standard',
    ...overrides,
  };
}

describe('the happy path', () => {
  test('quotes each service with a price in the account currency and transit days; express costs more and arrives sooner', async () => {
    const standard = await ups.quote(parcel());
    const express = await ups.quote(parcel({ service: 'express' }));
    expect(standard).toEqual({ carrier: 'ups', service: 'standard', amount: expect.any(Number), currency: 'TRY', transitDays: expect.any(Number) });
    expect(express.service).toBe('express');
    expect(express.amount).toBeGreaterThan(standard.amount);
    expect(express.transitDays).toBeLessThan(standard.transitDays);
  });

  test('books a shipment with a tracking number and a PDF label; tracking numbers are unique', async () => {
    const first = await ups.book(parcel(), newKey());
    const second = await ups.book(parcel(), newKey());
    expect(first).toEqual({ carrier: 'ups', bookingId: expect.any(String), trackingNumber: expect.any(String), labelRef: expect.stringMatching(/^data:application\/pdf;base64,/), idempotencyKey: expect.any(String) });
    const pdf = Buffer.from(first.labelRef.split(',')[1], 'base64').toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(second.trackingNumber).not.toBe(first.trackingNumber);
  });

  test('the same key books once: the repeat returns the first booking', async () => {
    const key = newKey();
    const first = await ups.book(parcel(), key);
    const again = await ups.book(parcel(), key);
    expect(again).toEqual(first);
    expect(await sandboxShipments(key)).toHaveLength(1);
  });

  test('cancel voids the booking made under the key; repeating it, or cancelling an unknown key, is a no-op', async () => {
    const key = newKey();
    const booking = await ups.book(parcel(), key);
    await ups.cancel(key);
    await ups.cancel(key);
    await ups.cancel(newKey());
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ id: booking.bookingId, status: 'voided' })]);
    const events = await ups.track([booking.trackingNumber]);
    expect(events.map((e) => e.status)).toEqual(['pending', 'cancelled']);
  });

  test('a parcel the carrier has scanned can no longer be cancelled: a non-retryable refusal with the carrier code', async () => {
    const key = newKey();
    const booking = await ups.book(parcel(), key);
    await advance(booking.trackingNumber); // pickup scan
    const failure = await failureOf(ups.cancel(key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('190118');
  });

  test("tracking maps the carrier's raw codes onto the engine's statuses, oldest first", async () => {
    const booking = await ups.book(parcel(), newKey());
    for (const code of [undefined, undefined, undefined, 'X', undefined, undefined]) await advance(booking.trackingNumber, code);
    const events = await ups.track([booking.trackingNumber]);
    expect(events.map((e) => [e.rawCode, e.status])).toEqual([
      ['M', 'pending'],
      ['P', 'picked_up'],
      ['I', 'in_transit'],
      ['O', 'out_for_delivery'],
      ['X', 'on_hold'],
      ['O', 'out_for_delivery'],
      ['D', 'delivered'],
    ]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(events.every((e) => e.trackingNumber === booking.trackingNumber && !Number.isNaN(Date.parse(e.occurredAt)))).toBe(true);
    expect(events.at(-1)?.location).toBe('Berlin, DE');
  });

  test('returned to shipper maps to return_to_sender; an unknown code becomes unknown and is logged once', async () => {
    const booking = await ups.book(parcel(), newKey());
    await advance(booking.trackingNumber, 'RS');
    await advance(booking.trackingNumber, 'ZQ');
    const events = await ups.track([booking.trackingNumber]);
    await ups.track([booking.trackingNumber]);
    expect(events.map((e) => e.status)).toEqual(['pending', 'return_to_sender', 'unknown']);
    expect(events[2].rawCode).toBe('ZQ');
    expect(warnings.filter((w) => w.rawCode === 'ZQ')).toHaveLength(1);
  });

  test('createReturn books a return label once per key', async () => {
    const key = `return-${randomUUID()}`;
    const label = await ups.createReturn(parcel(), key);
    const again = await ups.createReturn(parcel(), key);
    expect(again).toEqual(label);
    expect(label.labelRef).toMatch(/^data:application\/pdf;base64,/);
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ kind: 'return', status: 'active' })]);
  });

  test('cash on delivery is refused without calling the carrier', async () => {
    const key = newKey();
    const failure = await failureOf(ups.book(parcel({ cashOnDelivery: { amount: 100, currency: 'TRY' } }), key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(await sandboxShipments(key)).toHaveLength(0);
  });
});

describe('refusals', () => {
  test('an invalid address (postal code 00000) is non-retryable AddressRejected with the carrier code, and nothing is booked', async () => {
    const key = newKey();
    const failure = await failureOf(ups.book(parcel({ to: { ...parcel().to, postalCode: '00000' } }), key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe(ADDRESS_REJECTED);
    expect(failure.message).toContain('120802');
    expect(await sandboxShipments(key)).toHaveLength(0);
  });

  test('calls without a valid bearer token get 401 with the carrier code', async () => {
    const res = await request(sandbox.app).post('/ups/api/rating').set('Authorization', 'Bearer not-a-token').send({});
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ response: { errors: [{ code: '250002', message: expect.any(String) }] } });
  });

  test('wrong client credentials are a non-retryable refusal naming the carrier code', async () => {
    const failure = await failureOf(adapter({ clientSecret: 'wrong' }).quote(parcel()));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('250003');
  });

  test('a token revoked early is replaced: the adapter fetches a new one and the call succeeds', async () => {
    await ups.quote(parcel()); // caches a token
    await admin.post('/tokens/revoke').expect(204);
    await expect(ups.quote(parcel())).resolves.toMatchObject({ carrier: 'ups' });
  });
});

describe('faults', () => {
  test('a 5xx is a retryable failure with the carrier code; the next call succeeds', async () => {
    await injectFault({ kind: 'error', status: 502, on: ['rate'], times: 1 });
    const failure = await failureOf(ups.quote(parcel()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierUnavailable');
    expect(failure.message).toContain('HTTP 502');
    expect(failure.message).toContain('10500');
    await expect(ups.quote(parcel())).resolves.toMatchObject({ carrier: 'ups' });
  });

  test('429 with Retry-After is retryable with nextRetryDelay taken from the header', async () => {
    await injectFault({ kind: 'rate-limit', retryAfterSeconds: 7, on: ['ship'], times: 1 });
    const failure = await failureOf(ups.book(parcel(), newKey()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierRateLimited');
    expect(failure.nextRetryDelay).toBe(7_000);
    expect(failure.message).toContain('10429');
  });

  test('a carrier that never answers ends in a retryable timeout', async () => {
    await injectFault({ kind: 'hang', on: ['rate'], times: 1 });
    const failure = await failureOf(adapter({ timeoutMs: 300 }).quote(parcel()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierTimeout');
  });

  test('a body that is not JSON is a retryable malformed response', async () => {
    await injectFault({ kind: 'malformed', on: ['rate'], times: 1 });
    const failure = await failureOf(ups.quote(parcel()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierMalformedResponse');
    expect(failure.message).toContain('not valid JSON');
  });

  test('JSON in an unexpected shape is a retryable malformed response naming what is missing', async () => {
    await injectFault({ kind: 'malformed', variant: 'wrong-shape', on: ['ship'], times: 1 });
    const failure = await failureOf(ups.book(parcel(), newKey()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierMalformedResponse');
    expect(failure.message).toContain('shipment');
  });

  test('a carrier that is down fails every call retryably until it is back', async () => {
    await injectFault({ kind: 'down' });
    const failure = await failureOf(adapter().quote(parcel())); // a fresh adapter: the token call fails too
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('HTTP 503');
    await failureOf(ups.track(['1Z0000000000000000']));
    await admin.delete('/faults').expect(204);
    await expect(ups.quote(parcel())).resolves.toMatchObject({ carrier: 'ups' });
  });

  test('latency within the timeout only slows the call down', async () => {
    await injectFault({ kind: 'latency', ms: 50, times: 2 });
    await expect(ups.quote(parcel())).resolves.toMatchObject({ carrier: 'ups' });
  });

  test('created but response lost: the retry with the same key returns the same booking, and one shipment is live', async () => {
    const key = newKey();
    const liveBefore = await liveCount();
    await injectFault({ kind: 'lose-response', on: ['ship'], times: 1 });
    const failure = await failureOf(ups.book(parcel(), key));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierUnavailable');

    const booking = await ups.book(parcel(), key);
    const shipments = await sandboxShipments(key);
    expect(shipments).toEqual([expect.objectContaining({ id: booking.bookingId, status: 'active' })]);
    expect(await liveCount()).toBe(liveBefore + 1);
  });

  test('an error rate is repeatable: the same seed fails the same calls', async () => {
    const pattern = async () => {
      await admin.delete('/faults').expect(204);
      await injectFault({ kind: 'error', status: 503, probability: 0.5, seed: 42, on: ['rate'] });
      const outcomes: string[] = [];
      for (let i = 0; i < 10; i++) outcomes.push(await ups.quote(parcel()).then(() => 'ok', () => 'failed'));
      return outcomes;
    };
    const first = await pattern();
    expect(await pattern()).toEqual(first);
    expect(first).toContain('ok');
    expect(first).toContain('failed');
  });
});
