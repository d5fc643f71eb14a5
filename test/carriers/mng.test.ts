// Contract tests: the MNG adapter against the real REST carrier sandbox over HTTP (one sandbox for
// the file, on a free loopback port, mounted here with mountMng). Faults are set through the
// sandbox's admin API and cleared after every test.
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import request from 'supertest';
import { carrierAdmin, listen } from '../helpers/carrier-sandbox';
import { failureOf } from '../helpers/failures';
import { LABEL_DATA_URL, type CarrierAdapter } from '../../carriers/adapter';
import { createMngAdapter, referenceIdFor, type MngAdapterConfig } from '../../carriers/mng';
import type { Address } from '../../domain/order';
import type { ShipmentRequest } from '../../domain/shipment';
import { ADDRESS_REJECTED } from '../../workflows/definitions';
import { MNG_API_PATH, SANDBOX_MNG_CREDENTIALS, mountMng, type MngState } from '../../sandbox/mng';

const API = `/mng${MNG_API_PATH}`;
const BATCH_STATUS = `${API}/standardqueryapi/getshipmentstatus`;

/** Each sandbox counts its batch tracking calls and the 401s it sends, so tests can see batching and token refreshes. */
interface Sandbox {
  app: Express;
  state: MngState;
  server: Awaited<ReturnType<typeof listen>>;
  baseUrl: string;
  batchCalls: number;
  unauthorized: number;
}

async function startSandbox(tokenTtlSeconds?: number): Promise<Sandbox> {
  const app = express();
  const counters = { batchCalls: 0, unauthorized: 0 };
  app.use((req, res, next) => {
    if (req.method === 'POST' && req.path === BATCH_STATUS) counters.batchCalls += 1;
    res.on('finish', () => {
      if (res.statusCode === 401) counters.unauthorized += 1;
    });
    next();
  });
  const state = mountMng(app, { tokenTtlSeconds });
  const server = await listen(app);
  return Object.assign(counters, { app, state, server, baseUrl: `${server.url}/mng` });
}

const stop = ({ server }: Sandbox) => server.close();

let sandbox: Sandbox;
let mng: CarrierAdapter;
const warnings: Array<Record<string, unknown>> = [];

function adapter(overrides: Partial<MngAdapterConfig> = {}, on: Sandbox = sandbox): CarrierAdapter {
  return createMngAdapter({
    baseUrl: on.baseUrl,
    ...SANDBOX_MNG_CREDENTIALS,
    timeoutMs: 5_000,
    log: { warn: (fields) => warnings.push(fields) },
    ...overrides,
  });
}

beforeAll(async () => {
  sandbox = await startSandbox();
  mng = adapter();
});
afterAll(() => stop(sandbox));
afterEach(() => admin.clearFaults());

const admin = carrierAdmin(() => sandbox.app, 'mng');
const { injectFault } = admin;

async function advance(trackingNumber: string, code?: number): Promise<void> {
  await admin.post(`/shipments/${trackingNumber}/advance`, code === undefined ? {} : { code }).expect(201);
}

interface SandboxShipmentSummary {
  referenceId: string;
  trackingNumber: string | null;
  kind: string;
  service: string;
  codAmount: number | null;
  statusCode: number;
}

async function sandboxShipments(idempotencyKey: string): Promise<SandboxShipmentSummary[]> {
  const { body } = await admin.get('/shipments').expect(200);
  return (body.shipments as SandboxShipmentSummary[]).filter((s) => s.referenceId === referenceIdFor(idempotencyKey));
}

async function liveCount(): Promise<number> {
  const { body } = await admin.get('/shipments').expect(200);
  return body.live as number;
}

const newKey = () => `S-${randomUUID()}:mng:1`;

const customer: Address = { name: 'Ayşe Yılmaz', line1: 'Bağdat Cad. 12 ^XZ ~JA', city: 'İstanbul', district: 'Kadıköy', postalCode: '34710', countryCode: 'TR', phone: '+90 555 000 0000' };

function parcel(overrides: Partial<ShipmentRequest> = {}): ShipmentRequest {
  return {
    shipmentId: `S-${randomUUID().slice(0, 8)}`,
    orderId: `O-${randomUUID().slice(0, 8)}`,
    warehouseId: 'IST-1',
    to: customer,
    parcel: { weightGrams: 1_200, lengthCm: 30, widthCm: 20, heightCm: 10 },
    service: 'standard',
    ...overrides,
  };
}

/** The ZPL text inside a booking's data URL. */
function zplOf(labelRef: string): string {
  const match = LABEL_DATA_URL.exec(labelRef);
  expect(match?.[1]).toBe('zpl');
  return Buffer.from(match![2], 'base64').toString('utf8');
}

describe('tokens and the API gateway', () => {
  test('the gateway refuses a call without, or with wrong, X-IBM-Client-Id and X-IBM-Client-Secret headers', async () => {
    const body = { customerNumber: SANDBOX_MNG_CREDENTIALS.customerNumber, password: SANDBOX_MNG_CREDENTIALS.password, identityType: 1 };
    const missing = await request(sandbox.app).post(`${API}/token`).send(body);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ httpCode: '401', httpMessage: 'Unauthorized', moreInformation: expect.stringContaining('X-IBM-Client-Id') });
    const wrong = await request(sandbox.app).post(`${API}/token`).set('X-IBM-Client-Id', SANDBOX_MNG_CREDENTIALS.clientId).set('X-IBM-Client-Secret', 'wrong').send(body);
    expect(wrong.status).toBe(401);
    const right = await request(sandbox.app).post(`${API}/token`).set('X-IBM-Client-Id', SANDBOX_MNG_CREDENTIALS.clientId).set('X-IBM-Client-Secret', SANDBOX_MNG_CREDENTIALS.clientSecret).send(body);
    expect(right.status).toBe(200);
    expect(right.body).toEqual({ jwt: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), refreshToken: expect.any(String), jwtExpireDate: expect.stringMatching(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/), refreshTokenExpireDate: expect.any(String) });

    const failure = await failureOf(adapter({ clientSecret: 'wrong' }).quote(parcel()));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('mng token: HTTP 401');
    expect(failure.message).toContain('Invalid client id or secret');
  });

  test('a wrong customer number or password is a non-retryable refusal naming 2001', async () => {
    const failure = await failureOf(adapter({ password: 'wrong' }).book(parcel(), newKey()));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('2001');
  });

  test('past the gateway, calls need a valid bearer token: 401 with code 2002', async () => {
    const res = await request(sandbox.app)
      .post(`${API}/standardqueryapi/calculate`)
      .set('X-IBM-Client-Id', SANDBOX_MNG_CREDENTIALS.clientId)
      .set('X-IBM-Client-Secret', SANDBOX_MNG_CREDENTIALS.clientSecret)
      .set('Authorization', 'Bearer not.a.token')
      .send({});
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: '2002', description: expect.any(String) } });
  });

  test('the token is fetched once and reused while it is valid', async () => {
    const fresh = adapter();
    const before = sandbox.state.tokensIssued;
    await fresh.quote(parcel());
    await fresh.book(parcel(), newKey());
    await fresh.track(['0']);
    expect(sandbox.state.tokensIssued).toBe(before + 1);
  });

  test('a token revoked early is replaced: one 401, one new token, and the call succeeds', async () => {
    const fresh = adapter();
    await fresh.quote(parcel());
    const [issued, unauthorized] = [sandbox.state.tokensIssued, sandbox.unauthorized];
    await admin.post('/tokens/revoke').expect(204);
    await expect(fresh.quote(parcel())).resolves.toMatchObject({ carrier: 'mng' });
    expect(sandbox.state.tokensIssued).toBe(issued + 1);
    expect(sandbox.unauthorized).toBe(unauthorized + 1);
  });

  test('a token is replaced before it expires, by its jwtExpireDate: no call is refused', async () => {
    const shortLived = await startSandbox(2);
    try {
      const fresh = adapter({}, shortLived);
      await fresh.quote(parcel());
      await new Promise((resolve) => setTimeout(resolve, 2_100)); // past the token's expiry
      await expect(fresh.quote(parcel())).resolves.toMatchObject({ carrier: 'mng' });
      expect(shortLived.state.tokensIssued).toBe(2);
      expect(shortLived.unauthorized).toBe(0);
    } finally {
      await stop(shortLived);
    }
  });
});

describe('the happy path', () => {
  test('quotes standard and express in TRY from the carrier; express costs more and arrives sooner, cash on delivery costs more', async () => {
    const standard = await mng.quote(parcel());
    const express = await mng.quote(parcel({ service: 'express' }));
    const cod = await mng.quote(parcel({ cashOnDelivery: { amount: 250, currency: 'TRY' } }));
    expect(standard).toEqual({ carrier: 'mng', service: 'standard', amount: expect.any(Number), currency: 'TRY', transitDays: 2 });
    expect(express).toMatchObject({ service: 'express', transitDays: 1 });
    expect(express.amount).toBeGreaterThan(standard.amount);
    expect(cod.amount).toBeGreaterThan(standard.amount);
  });

  test('abroad, another service or cash on delivery in another currency is refused without a call', async () => {
    const before = sandbox.state.tokensIssued;
    const fresh = adapter();
    for (const request of [parcel({ to: { ...customer, countryCode: 'DE' } }), parcel({ service: 'same_day' }), parcel({ cashOnDelivery: { amount: 10, currency: 'EUR' } })]) {
      const failure = await failureOf(fresh.quote(request));
      expect(failure.nonRetryable).toBe(true);
      expect(failure.type).toBe('CarrierRefused');
      expect((await failureOf(fresh.book(request, newKey()))).type).toBe('CarrierRefused');
    }
    expect(sandbox.state.tokensIssued).toBe(before); // not even a token was fetched
  });

  test("books an order under a referenceId derived from the key; the label is the carrier's ZPL with a Code 128 barcode of the tracking number", async () => {
    const key = newKey();
    const booking = await mng.book(parcel(), key);
    expect(referenceIdFor(key)).toMatch(/^[0-9A-F]{20}$/);
    expect(booking).toEqual({ carrier: 'mng', bookingId: referenceIdFor(key), trackingNumber: expect.stringMatching(/^\d{13}$/), labelRef: expect.any(String), idempotencyKey: key });
    const zpl = zplOf(booking.labelRef);
    expect(zpl.startsWith('^XA')).toBe(true);
    expect(zpl.trimEnd().endsWith('^XZ')).toBe(true);
    expect(zpl).toMatch(new RegExp(`\\^BCN,[^\\n]*\\^FD${booking.trackingNumber}\\^FS`));
    expect(zpl).toContain('^CI28'); // UTF-8, for Turkish names
    expect(zpl).toContain('Ayşe Yılmaz');
    expect(zpl).toContain('MNG Sandbox Merchant'); // the sender: the account's address
    expect(zpl).toContain('2 KG');
    expect(zpl.match(/\^XZ|~/g)).toEqual(['^XZ']); // field data cannot end the label or send commands
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ kind: 'shipment', service: 'standard', statusCode: 0, trackingNumber: booking.trackingNumber })]);
    expect((await mng.book(parcel(), newKey())).trackingNumber).not.toBe(booking.trackingNumber);
  });

  test('the same key books once: the carrier refuses the repeated referenceId (3002) and the first booking comes back', async () => {
    const key = newKey();
    const liveBefore = await liveCount();
    const first = await mng.book(parcel(), key);
    const again = await mng.book(parcel(), key);
    expect(again).toEqual(first);
    expect(await sandboxShipments(key)).toHaveLength(1);
    expect(await liveCount()).toBe(liveBefore + 1);
  });

  test('cash on delivery in TRY is booked with the amount to collect, printed on the label', async () => {
    const key = newKey();
    const booking = await mng.book(parcel({ cashOnDelivery: { amount: 199.9, currency: 'TRY' } }), key);
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ codAmount: 199.9 })]);
    expect(zplOf(booking.labelRef)).toContain('TAHSİLAT 199.90 TL');
  });

  test('cancel cancels the shipment made under the key; repeating it, or cancelling an unknown key, is a no-op', async () => {
    const key = newKey();
    const booking = await mng.book(parcel(), key);
    const liveBefore = await liveCount();
    await mng.cancel(key);
    await mng.cancel(key);
    await mng.cancel(newKey());
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ statusCode: 9 })]);
    expect(await liveCount()).toBe(liveBefore - 1);
    const events = await mng.track([booking.trackingNumber]);
    expect(events.map((e) => e.status)).toEqual(['pending', 'cancelled']);
  });

  test('an order left without a shipment (createbarcode failed) is cancelled as an order; booking again under the key is then refused', async () => {
    const key = newKey();
    await injectFault({ kind: 'error', on: ['createbarcode'], times: 1 });
    expect((await failureOf(mng.book(parcel(), key))).nonRetryable).toBe(false);
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ trackingNumber: null, statusCode: 0 })]);

    await mng.cancel(key);
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ trackingNumber: null, statusCode: 9 })]);
    const failure = await failureOf(mng.book(parcel(), key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('3005');
  });

  test('a parcel the carrier has taken can no longer be cancelled: a non-retryable refusal naming 3007', async () => {
    const key = newKey();
    const booking = await mng.book(parcel(), key);
    await advance(booking.trackingNumber); // handed to the carrier
    const failure = await failureOf(mng.cancel(key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('3007');
  });

  test("tracking follows the happy path onto the engine's statuses, oldest first, in Turkey's time", async () => {
    const booking = await mng.book(parcel(), newKey());
    for (let i = 0; i < 5; i++) await advance(booking.trackingNumber);
    const events = await mng.track([booking.trackingNumber]);
    expect(events.map((e) => [e.rawCode, e.status])).toEqual([
      ['0', 'pending'],
      ['1', 'picked_up'],
      ['2', 'in_transit'],
      ['3', 'in_transit'],
      ['4', 'out_for_delivery'],
      ['5', 'delivered'],
    ]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(events.every((e) => e.trackingNumber === booking.trackingNumber && e.occurredAt.endsWith('+03:00'))).toBe(true);
    expect(Math.abs(Date.parse(events[0].occurredAt) - Date.now())).toBeLessThan(60_000);
    expect(events.at(-1)?.location).toBe('Kadıköy Şube, İstanbul');
  });

  test('every status code the sandbox defines maps as the table says; an unknown code becomes unknown and is logged once', async () => {
    const booking = await mng.book(parcel(), newKey());
    for (const code of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 42]) await advance(booking.trackingNumber, code);
    const events = await mng.track([booking.trackingNumber]);
    await mng.track([booking.trackingNumber]);
    expect(events.map((e) => [e.rawCode, e.status])).toEqual([
      ['0', 'pending'],
      ['1', 'picked_up'],
      ['2', 'in_transit'],
      ['3', 'in_transit'],
      ['4', 'out_for_delivery'],
      ['5', 'delivered'],
      ['6', 'delivery_failed'],
      ['7', 'return_to_sender'],
      ['8', 'on_hold'],
      ['9', 'cancelled'],
      ['10', 'returned'],
      ['42', 'unknown'],
    ]);
    expect(warnings.filter((w) => w.carrier === 'mng' && w.rawCode === '42')).toHaveLength(1);
  });

  test('tracking asks for up to 50 shipments per call; numbers the carrier does not hold give no events', async () => {
    const bookings = await Promise.all([1, 2, 3].map(() => mng.book(parcel(), newKey())));
    await advance(bookings[1].trackingNumber);
    const calls = sandbox.batchCalls;
    const events = await mng.track([...bookings.map((b) => b.trackingNumber), '9999000000001']);
    expect(sandbox.batchCalls).toBe(calls + 1);
    expect(events.map((e) => e.trackingNumber).sort()).toEqual([bookings[0], bookings[1], bookings[1], bookings[2]].map((b) => b.trackingNumber).sort());

    const many = [...Array.from({ length: 50 }, (_, i) => `8888${String(i).padStart(9, '0')}`), bookings[2].trackingNumber];
    expect(await mng.track(many)).toEqual([expect.objectContaining({ trackingNumber: bookings[2].trackingNumber, status: 'pending' })]);
    expect(sandbox.batchCalls).toBe(calls + 3);
    expect(await mng.track([])).toEqual([]);
  });

  test('createReturn books a reverse order under its own referenceId, once per key, with a return label to the merchant', async () => {
    const key = `S-${randomUUID()}:return`;
    const label = await mng.createReturn(parcel(), key);
    const again = await mng.createReturn(parcel(), key);
    expect(again).toEqual(label);
    expect(label.bookingId).toBe(referenceIdFor(key));
    const zpl = zplOf(label.labelRef);
    expect(zpl).toContain('İADE');
    expect(zpl.indexOf('Ayşe Yılmaz')).toBeLessThan(zpl.indexOf('MNG Sandbox Merchant')); // from the customer, to the merchant
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ kind: 'return', statusCode: 0 })]);
  });

  test("validateAddress checks the province and district against the carrier's city/district lists", async () => {
    await expect(mng.validateAddress!(customer)).resolves.toEqual({ valid: true });
    await expect(mng.validateAddress!({ ...customer, city: 'ISTANBUL', district: 'kadikoy' })).resolves.toEqual({ valid: true });
    await expect(mng.validateAddress!({ ...customer, district: undefined })).resolves.toEqual({ valid: true });
    await expect(mng.validateAddress!({ ...customer, city: 'Atlantis' })).resolves.toEqual({ valid: false, reason: 'no province named Atlantis' });
    await expect(mng.validateAddress!({ ...customer, district: 'Çankaya' })).resolves.toEqual({ valid: false, reason: 'no district named Çankaya in İstanbul' });
    await expect(mng.validateAddress!({ ...customer, city: 'Bursa', district: 'Nilüfer' })).resolves.toEqual({ valid: true }); // no district list in the sandbox
    await expect(mng.validateAddress!({ ...customer, countryCode: 'DE' })).resolves.toMatchObject({ valid: false });
  });
});

describe('refusals', () => {
  test('a province the carrier cannot place is non-retryable AddressRejected naming 4001, and nothing is booked', async () => {
    const key = newKey();
    const failure = await failureOf(mng.book(parcel({ to: { ...customer, city: 'Atlantis' } }), key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe(ADDRESS_REJECTED);
    expect(failure.message).toContain('4001');
    expect(await sandboxShipments(key)).toHaveLength(0);
    expect((await failureOf(mng.book(parcel({ to: { ...customer, district: 'Çankaya' } }), newKey()))).type).toBe(ADDRESS_REJECTED);
  });

  test('a parcel over 30 kg is refused by the carrier (4002), when quoting and booking; nothing is booked', async () => {
    const key = newKey();
    const heavy = parcel({ parcel: { weightGrams: 30_001, lengthCm: 30, widthCm: 20, heightCm: 10 } });
    for (const failure of [await failureOf(mng.quote(heavy)), await failureOf(mng.book(heavy, key))]) {
      expect(failure.nonRetryable).toBe(true);
      expect(failure.type).toBe('CarrierRefused');
      expect(failure.message).toContain('4002');
    }
    expect(await sandboxShipments(key)).toHaveLength(0);
    await expect(mng.quote(parcel({ parcel: { weightGrams: 30_000, lengthCm: 30, widthCm: 20, heightCm: 10 } }))).resolves.toMatchObject({ carrier: 'mng' });
  });
});

describe('faults', () => {
  test('a 5xx is a retryable failure with the carrier code; the next call succeeds', async () => {
    await injectFault({ kind: 'error', status: 502, on: ['calculate'], times: 1 });
    const failure = await failureOf(mng.quote(parcel()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierUnavailable');
    expect(failure.message).toContain('HTTP 502');
    expect(failure.message).toContain('9500');
    await expect(mng.quote(parcel())).resolves.toMatchObject({ carrier: 'mng' });
  });

  test('429 with Retry-After is retryable with nextRetryDelay taken from the header', async () => {
    await injectFault({ kind: 'rate-limit', retryAfterSeconds: 7, on: ['createOrder'], times: 1 });
    const failure = await failureOf(mng.book(parcel(), newKey()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierRateLimited');
    expect(failure.nextRetryDelay).toBe(7_000);
    expect(failure.message).toContain('9429');
  });

  test('latency within the timeout only slows the call down', async () => {
    await injectFault({ kind: 'latency', ms: 50, times: 3 });
    await expect(mng.book(parcel(), newKey())).resolves.toMatchObject({ carrier: 'mng' });
  });

  test('latency beyond the timeout is a retryable timeout', async () => {
    await injectFault({ kind: 'latency', ms: 1_000, on: ['calculate'], times: 1 });
    const failure = await failureOf(adapter({ timeoutMs: 300 }).quote(parcel()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierTimeout');
    expect(failure.message).toContain('no answer within 300 ms');
  });

  test('a carrier that never answers ends in a retryable timeout', async () => {
    await injectFault({ kind: 'hang', on: ['getshipmentstatus'], times: 1 });
    const failure = await failureOf(adapter({ timeoutMs: 300 }).track(['9999000000001']));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierTimeout');
  });

  test('a carrier that is down fails every call retryably, the token call included, until it is back', async () => {
    await injectFault({ kind: 'down' });
    const failure = await failureOf(adapter().quote(parcel())); // a fresh adapter: the token call fails first
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierUnavailable');
    expect(failure.message).toContain('mng token: HTTP 503');
    expect(failure.message).toContain('9503');
    expect((await failureOf(mng.cancel(newKey()))).nonRetryable).toBe(false);
    await admin.delete('/faults').expect(204);
    await expect(mng.quote(parcel())).resolves.toMatchObject({ carrier: 'mng' });
  });

  test('a body that is not JSON is a retryable malformed response', async () => {
    await injectFault({ kind: 'malformed', on: ['calculate'], times: 1 });
    const failure = await failureOf(mng.quote(parcel()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierMalformedResponse');
    expect(failure.message).toContain('not valid JSON');
  });

  test('JSON in an unexpected shape is a retryable malformed response naming the call', async () => {
    await injectFault({ kind: 'malformed', variant: 'wrong-shape', on: ['createbarcode'], times: 1 });
    const failure = await failureOf(mng.book(parcel(), newKey()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierMalformedResponse');
    expect(failure.message).toContain('mng createbarcode: malformed response');
  });

  test.each(['createOrder', 'createbarcode'])('created but the %s response lost: the retry with the same key returns the same booking, and one order is live', async (operation) => {
    const key = newKey();
    const liveBefore = await liveCount();
    await injectFault({ kind: 'lose-response', on: [operation], times: 1 });
    const failure = await failureOf(mng.book(parcel(), key));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierUnavailable');
    expect(await sandboxShipments(key)).toHaveLength(1); // the carrier did create it

    const booking = await mng.book(parcel(), key);
    const [shipment] = await sandboxShipments(key);
    expect(booking).toMatchObject({ bookingId: referenceIdFor(key), trackingNumber: shipment.trackingNumber, idempotencyKey: key });
    expect(zplOf(booking.labelRef)).toContain(`^FD${shipment.trackingNumber}^FS`);
    expect(await sandboxShipments(key)).toHaveLength(1);
    expect(await liveCount()).toBe(liveBefore + 1);
  });
});
