// Contract tests: the Aras adapter against the real SOAP carrier sandbox over HTTP (one sandbox
// for the file, on a free loopback port, mounted here with mountAras). Faults are set through the
// sandbox's admin API and cleared after every test.
import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { carrierAdmin, listen } from '../helpers/carrier-sandbox';
import { failureOf } from '../helpers/failures';
import { LABEL_DATA_URL, type CarrierAdapter } from '../../carriers/adapter';
import { createArasAdapter, integrationCodeFor, receiverPhone, type ArasAdapterConfig } from '../../carriers/aras';
import { resultFailure } from '../../carriers/aras/errors';
import type { ShipmentRequest } from '../../domain/shipment';
import { ADDRESS_REJECTED } from '../../workflows/definitions';
import { ARAS_ORDER_SERVICE_PATH, ARAS_QUERY_SERVICE_PATH, SANDBOX_ARAS_CREDENTIALS, mountAras } from '../../sandbox/aras';

const app = express();
let queryCalls = 0; // calls to the tracking query service, to see batching
app.use((req, _res, next) => {
  if (req.path === `/aras${ARAS_QUERY_SERVICE_PATH}`) queryCalls += 1;
  next();
});
mountAras(app);
let server: Awaited<ReturnType<typeof listen>>;
let baseUrl: string;
let aras: CarrierAdapter;
const warnings: Array<Record<string, unknown>> = [];

function adapter(overrides: Partial<ArasAdapterConfig> = {}): CarrierAdapter {
  return createArasAdapter({
    baseUrl,
    ...SANDBOX_ARAS_CREDENTIALS,
    timeoutMs: 5_000,
    log: { warn: (fields) => warnings.push(fields) },
    ...overrides,
  });
}

beforeAll(async () => {
  server = await listen(app);
  baseUrl = `${server.url}/aras`;
  aras = adapter();
});
afterAll(() => server.close());
afterEach(() => admin.clearFaults());

const admin = carrierAdmin(() => app, 'aras');
const { injectFault } = admin;

async function advance(trackingNumber: string, code?: number, type?: number): Promise<void> {
  await admin.post(`/shipments/${trackingNumber}/advance`, { code, type }).expect(201);
}

interface SandboxShipmentSummary {
  integrationCode: string;
  kind: string;
  cancelled: boolean;
  codAmount: number | null;
  scans: unknown[];
}

async function sandboxShipments(idempotencyKey: string): Promise<SandboxShipmentSummary[]> {
  const { body } = await admin.get('/shipments').expect(200);
  return (body.shipments as SandboxShipmentSummary[]).filter((s) => s.integrationCode === integrationCodeFor(idempotencyKey));
}

async function liveCount(): Promise<number> {
  const { body } = await admin.get('/shipments').expect(200);
  return body.live as number;
}

const newKey = () => `S-${randomUUID()}:book`;
/** An ISO date some days from now (Turkey's date included). */
const daysAhead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

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
    const plain = await aras.quote(parcel());
    const cod = await aras.quote(parcel({ cashOnDelivery: { amount: 250, currency: 'TRY' } }));
    expect(plain).toEqual({ carrier: 'aras', service: 'standard', amount: expect.any(Number), currency: 'TRY', transitDays: expect.any(Number) });
    expect(cod.amount).toBeGreaterThan(plain.amount);
    expect((await aras.quote(parcel({ parcel: { weightGrams: 9_000, lengthCm: 30, widthCm: 20, heightCm: 10 } }))).amount).toBeGreaterThan(plain.amount);
  });

  test('what the carrier cannot take is refused without a call, even while the carrier is down', async () => {
    await injectFault({ kind: 'down' });
    const refusals = [
      parcel({ to: { ...parcel().to, countryCode: 'DE' } }),
      parcel({ service: 'express' }),
      parcel({ parcel: { weightGrams: 31_000, lengthCm: 30, widthCm: 20, heightCm: 10 } }),
      parcel({ cashOnDelivery: { amount: 10, currency: 'EUR' } }),
      parcel({ cashOnDelivery: { amount: 6_000, currency: 'TRY' } }),
      parcel({ to: { ...parcel().to, phone: undefined } }),
    ];
    for (const r of refusals) {
      for (const failure of [await failureOf(aras.quote(r)), await failureOf(aras.book(r, newKey()))]) {
        expect(failure.nonRetryable).toBe(true);
        expect(failure.type).toBe('CarrierRefused');
      }
    }
  });

  test('the receiver phone is sent as the 10-digit national number', () => {
    expect(receiverPhone('+90 555 000 0000')).toBe('5550000000');
    expect(receiverPhone('0 (555) 111 22 33')).toBe('5551112233');
    expect(receiverPhone('5551112233')).toBe('5551112233');
    expect(receiverPhone('+49 30 1234567')).toBeUndefined();
    expect(receiverPhone(undefined)).toBeUndefined();
  });

  test('books an order keyed by an IntegrationCode derived from the idempotency key; the label is a barcode reference only', async () => {
    const key = newKey();
    const booking = await aras.book(parcel(), key);
    const code = integrationCodeFor(key);
    expect(code).toMatch(/^[0-9A-F]{20}$/);
    expect(booking).toEqual({ carrier: 'aras', bookingId: code, trackingNumber: code, labelRef: `barcode:${code}`, idempotencyKey: key });
    expect(LABEL_DATA_URL.test(booking.labelRef)).toBe(false); // the engine renders PDF and ZPL itself
    expect(aras.capabilities.labelFormats).toEqual([]);
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ kind: 'shipment', cancelled: false, scans: [] })]);
    expect((await aras.book(parcel(), newKey())).trackingNumber).not.toBe(booking.trackingNumber);
  });

  test('the same key books once: the carrier refuses the repeat as a duplicate IntegrationCode and the first booking comes back', async () => {
    const key = newKey();
    const liveBefore = await liveCount();
    const first = await aras.book(parcel({ cashOnDelivery: { amount: 100, currency: 'TRY' } }), key);
    const again = await aras.book(parcel({ cashOnDelivery: { amount: 300, currency: 'TRY' } }), key);
    expect(again).toEqual(first);
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ codAmount: 100 })]); // the first order stands
    expect(await liveCount()).toBe(liveBefore + 1);
  });

  test('cash on delivery in TRY is booked with the amount to collect', async () => {
    const key = newKey();
    await aras.book(parcel({ cashOnDelivery: { amount: 199.9, currency: 'TRY' } }), key);
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ codAmount: 199.9 })]);
  });

  test('cancel deletes the order made under the key; repeating it, or cancelling an unknown key, is a no-op', async () => {
    const key = newKey();
    const booking = await aras.book(parcel(), key);
    const liveBefore = await liveCount();
    await aras.cancel(key);
    await aras.cancel(key);
    await aras.cancel(newKey());
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ cancelled: true })]);
    expect(await liveCount()).toBe(liveBefore - 1);
    expect(await aras.track([booking.trackingNumber])).toEqual([]);
  });

  test('an order whose waybill a branch has issued can no longer be cancelled: a non-retryable refusal naming 999', async () => {
    const key = newKey();
    const booking = await aras.book(parcel(), key);
    await advance(booking.trackingNumber); // at the origin branch
    const failure = await failureOf(aras.cancel(key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('999');
  });

  test("tracking maps the carrier's delivery status and type codes onto the engine's statuses, oldest first", async () => {
    const booking = await aras.book(parcel(), newKey());
    expect(await aras.track([booking.trackingNumber])).toEqual([]); // no movement before a branch has the parcel
    for (let i = 0; i < 5; i++) await advance(booking.trackingNumber);
    await admin.post(`/shipments/${booking.trackingNumber}/advance`).expect(409); // delivered: the end of the path
    const events = await aras.track([booking.trackingNumber]);
    expect(events.map((e) => [e.rawCode, e.status])).toEqual([
      ['1/1', 'picked_up'],
      ['2/1', 'in_transit'],
      ['3/1', 'in_transit'],
      ['4/1', 'out_for_delivery'],
      ['6/1', 'delivered'],
    ]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(events.every((e) => e.trackingNumber === booking.trackingNumber && e.occurredAt.endsWith('+03:00'))).toBe(true);
    expect(events.at(-1)?.location).toBe('Kadıköy Şube, İstanbul');
    expect(Date.parse(events.at(-1)!.occurredAt)).toBeGreaterThan(Date.parse(events[0].occurredAt));
  });

  test('every delivery status and type code has its engine status', async () => {
    const booking = await aras.book(parcel(), newKey());
    const expected: Array<[number, number, string]> = [
      [1, 1, 'picked_up'], [2, 1, 'in_transit'], [3, 1, 'in_transit'], [4, 1, 'out_for_delivery'], [5, 1, 'on_hold'], [6, 1, 'delivered'], [7, 1, 'in_transit'],
      [1, 2, 'in_transit'], [2, 2, 'in_transit'], [3, 2, 'in_transit'], [4, 2, 'out_for_delivery'], [5, 2, 'on_hold'], [6, 2, 'delivered'], [7, 2, 'in_transit'],
      [1, 3, 'return_to_sender'], [2, 3, 'return_to_sender'], [3, 3, 'return_to_sender'], [4, 3, 'return_to_sender'], [5, 3, 'on_hold'], [6, 3, 'returned'], [7, 3, 'return_to_sender'],
    ];
    for (const [code, type] of expected) await advance(booking.trackingNumber, code, type);
    const events = await aras.track([booking.trackingNumber]);
    expect(events.map((e) => [e.rawCode, e.status])).toEqual(expected.map(([code, type, status]) => [`${code}/${type}`, status]));
  });

  test('a code pair the table lacks becomes unknown and is logged once with the raw value', async () => {
    const booking = await aras.book(parcel(), newKey());
    await advance(booking.trackingNumber, 8, 1);
    await advance(booking.trackingNumber, 1, 4);
    const events = await aras.track([booking.trackingNumber]);
    await aras.track([booking.trackingNumber]);
    expect(events.map((e) => [e.rawCode, e.status])).toEqual([
      ['8/1', 'unknown'],
      ['1/4', 'unknown'],
    ]);
    expect(warnings.filter((w) => w.rawCode === '8/1')).toEqual([{ carrier: 'aras', rawCode: '8/1' }]);
    expect(warnings.filter((w) => w.rawCode === '1/4')).toHaveLength(1);
  });

  test('tracking is batched: several numbers in one query call, split over calls past 50', async () => {
    const bookings = await Promise.all([1, 2, 3].map(() => aras.book(parcel(), newKey())));
    for (const [i, b] of bookings.entries()) for (let n = 0; n <= i; n++) await advance(b.trackingNumber);
    const before = queryCalls;
    const events = await aras.track(bookings.map((b) => b.trackingNumber));
    expect(queryCalls - before).toBe(1);
    expect(bookings.map((b) => events.filter((e) => e.trackingNumber === b.trackingNumber).length)).toEqual([1, 2, 3]);

    const unknown = Array.from({ length: 119 }, () => integrationCodeFor(newKey()));
    const many = await aras.track([...unknown, bookings[0].trackingNumber]);
    expect(queryCalls - before).toBe(1 + 3); // 120 numbers: 50 + 50 + 20
    expect(many.map((e) => e.trackingNumber)).toEqual([bookings[0].trackingNumber]); // unknown numbers add nothing
  });

  test('the query service also answers GetQueryXML, with the same movements as XML', async () => {
    const booking = await aras.book(parcel(), newKey());
    await advance(booking.trackingNumber);
    const { username, password, customerCode } = SANDBOX_ARAS_CREDENTIALS;
    const loginInfo = `&lt;LoginInfo&gt;&lt;UserName&gt;${username}&lt;/UserName&gt;&lt;Password&gt;${password}&lt;/Password&gt;&lt;CustomerCode&gt;${customerCode}&lt;/CustomerCode&gt;&lt;/LoginInfo&gt;`;
    const queryInfo = `&lt;QueryInfo&gt;&lt;QueryType&gt;9&lt;/QueryType&gt;&lt;IntegrationCode&gt;${booking.trackingNumber}&lt;/IntegrationCode&gt;&lt;/QueryInfo&gt;`;
    const res = await request(app)
      .post(`/aras${ARAS_QUERY_SERVICE_PATH}`)
      .set('Content-Type', 'text/xml')
      .set('SOAPAction', '"http://tempuri.org/IArasCargoIntegrationService/GetQueryXML"')
      .send(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetQueryXML xmlns="http://tempuri.org/"><loginInfo>${loginInfo}</loginInfo><queryInfo>${queryInfo}</queryInfo></GetQueryXML></s:Body></s:Envelope>`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`&lt;ENTEGRASYON_KODU&gt;${booking.trackingNumber}&lt;/ENTEGRASYON_KODU&gt;`);
    expect(res.text).toContain('&lt;DURUM_KODU&gt;1&lt;/DURUM_KODU&gt;');
  });

  test('createReturn books a reverse order under its own IntegrationCode, once per key', async () => {
    const key = `S-${randomUUID()}:return`;
    const label = await aras.createReturn(parcel(), key);
    const again = await aras.createReturn(parcel(), key);
    expect(again).toEqual(label);
    expect(label.labelRef).toBe(`barcode:${integrationCodeFor(key)}`);
    expect(await sandboxShipments(key)).toEqual([expect.objectContaining({ kind: 'return', cancelled: false })]);
  });

  test('schedules a courier pickup once per key', async () => {
    const date = daysAhead(3);
    const key = `pickup-${randomUUID()}`;
    const first = await aras.schedulePickup!({ warehouseId: 'IST-1', date, parcels: 4, idempotencyKey: key });
    const again = await aras.schedulePickup!({ warehouseId: 'IST-1', date, parcels: 4, idempotencyKey: key });
    const other = await aras.schedulePickup!({ warehouseId: 'IST-1', date, parcels: 1, idempotencyKey: `pickup-${randomUUID()}` });
    expect(first).toEqual({ carrier: 'aras', pickupId: expect.stringMatching(/^KT\d{8}$/), date });
    expect(again).toEqual(first);
    expect(other.pickupId).not.toBe(first.pickupId);
    const { body } = await admin.get('/pickups').expect(200);
    expect(body.pickups.filter((p: { pickupNumber: string }) => p.pickupNumber === first.pickupId)).toEqual([
      { pickupCode: integrationCodeFor(key), pickupNumber: first.pickupId, addressId: 'IST-1', date, pieceCount: 4 },
    ]);
  });

  test('a pickup in the past is refused by the carrier (70041); an impossible parcel count without a call', async () => {
    const past = await failureOf(aras.schedulePickup!({ warehouseId: 'IST-1', date: '2020-01-06', parcels: 1, idempotencyKey: `pickup-${randomUUID()}` }));
    expect(past.nonRetryable).toBe(true);
    expect(past.type).toBe('CarrierRefused');
    expect(past.message).toContain('70041');
    const none = await failureOf(aras.schedulePickup!({ warehouseId: 'IST-1', date: daysAhead(3), parcels: 0, idempotencyKey: `pickup-${randomUUID()}` }));
    expect(none.type).toBe('CarrierRefused');
  });
});

describe('refusals', () => {
  test('a receiver city the carrier does not route to is non-retryable AddressRejected naming 70019, and nothing is booked', async () => {
    const key = newKey();
    const failure = await failureOf(aras.book(parcel({ to: { ...parcel().to, city: 'Atlantis' } }), key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe(ADDRESS_REJECTED);
    expect(failure.message).toContain('70019');
    expect(await sandboxShipments(key)).toHaveLength(0);
    await expect(aras.book(parcel({ to: { ...parcel().to, city: 'ŞANLIURFA' } }), newKey())).resolves.toMatchObject({ carrier: 'aras' });
  });

  test('an order the carrier finds invalid (a receiver name over 100 characters) is a non-retryable refusal naming 936', async () => {
    const failure = await failureOf(aras.book(parcel({ to: { ...parcel().to, name: 'A'.repeat(101) } }), newKey()));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('ResultCode 936');
    expect(failure.message).toContain('ReceiverName');
  });

  test('wrong order-service credentials are refused by result code: 1000 on SetOrder, -2 on CancelDispatch', async () => {
    const wrong = adapter({ password: 'wrong' });
    const book = await failureOf(wrong.book(parcel(), newKey()));
    expect(book.nonRetryable).toBe(true);
    expect(book.type).toBe('CarrierRefused');
    expect(book.message).toContain('ResultCode 1000');
    const cancel = await failureOf(wrong.cancel(newKey()));
    expect(cancel.type).toBe('CarrierRefused');
    expect(cancel.message).toContain('ResultCode -2');
  });

  test('the query service checks its own LoginInfo: a wrong customer code is a SOAP Client fault there, while booking still works', async () => {
    const wrong = adapter({ customerCode: 'SOMEONE-ELSE' });
    const booking = await wrong.book(parcel(), newKey());
    const failure = await failureOf(wrong.track([booking.trackingNumber]));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('HTTP 500, carrier code 2001');
  });

  test('the endpoints speak SOAP: a request that is not XML, or an operation of the other service, gets a Client fault', async () => {
    const notXml = await request(app).post(`/aras${ARAS_ORDER_SERVICE_PATH}`).set('Content-Type', 'text/xml').set('SOAPAction', '"http://tempuri.org/SetOrder"').send('{"not": "xml"}');
    expect(notXml.status).toBe(500);
    expect(notXml.text).toContain('<faultcode>soap:Client</faultcode>');
    const wrongService = await request(app)
      .post(`/aras${ARAS_QUERY_SERVICE_PATH}`)
      .set('Content-Type', 'text/xml')
      .set('SOAPAction', '"http://tempuri.org/SetOrder"')
      .send('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><SetOrder xmlns="http://tempuri.org/"/></s:Body></s:Envelope>');
    expect(wrongService.status).toBe(500);
    expect(wrongService.text).toContain('unknown operation SetOrder');
  });

  test("result codes map by the carrier's meaning: 5000–5007 and CancelDispatch's 936 are its own trouble; SetOrder's 936 and 70019 are refusals", () => {
    const mapped = (operation: string, code: string) => {
      const f = resultFailure(operation, code, 'message');
      return [f.type, f.nonRetryable];
    };
    expect(mapped('SetOrder', '5003')).toEqual(['CarrierUnavailable', false]);
    expect(mapped('CancelDispatch', '936')).toEqual(['CarrierUnavailable', false]);
    expect(mapped('SetOrder', '936')).toEqual(['CarrierRefused', true]);
    expect(mapped('SetOrder', '5008')).toEqual(['CarrierRefused', true]);
    expect(mapped('SetOrder', '70019')).toEqual([ADDRESS_REJECTED, true]);
    expect(resultFailure('SetOrder', '1000', 'Kullanıcı adı veya şifre yanlış').message).toBe('aras SetOrder: ResultCode 1000: Kullanıcı adı veya şifre yanlış');
  });
});

describe('faults', () => {
  test('a 5xx is a retryable failure with the carrier code; the next call succeeds', async () => {
    await injectFault({ kind: 'error', status: 502, on: ['SetOrder'], times: 1 });
    const key = newKey();
    const failure = await failureOf(aras.book(parcel(), key));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierUnavailable');
    expect(failure.message).toContain('HTTP 502');
    expect(failure.message).toContain('5000');
    await expect(aras.book(parcel(), key)).resolves.toMatchObject({ carrier: 'aras' });
  });

  test('429 with Retry-After is retryable with nextRetryDelay taken from the header', async () => {
    await injectFault({ kind: 'rate-limit', retryAfterSeconds: 7, on: ['GetQueryJSON'], times: 1 });
    const failure = await failureOf(aras.track([integrationCodeFor(newKey())]));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierRateLimited');
    expect(failure.nextRetryDelay).toBe(7_000);
    expect(failure.message).toContain('5429');
  });

  test('a carrier that never answers ends in a retryable timeout', async () => {
    await injectFault({ kind: 'hang', on: ['GetQueryJSON'], times: 1 });
    const failure = await failureOf(adapter({ timeoutMs: 300 }).track([integrationCodeFor(newKey())]));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierTimeout');
    expect(failure.message).toContain('300 ms');
  });

  test('latency within the timeout only slows the call down', async () => {
    await injectFault({ kind: 'latency', ms: 100, on: ['SetOrder'], times: 1 });
    const started = Date.now();
    await expect(adapter({ timeoutMs: 2_000 }).book(parcel(), newKey())).resolves.toMatchObject({ carrier: 'aras' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  test('latency past the timeout is a retryable timeout', async () => {
    await injectFault({ kind: 'latency', ms: 1_000, on: ['CancelDispatch'], times: 1 });
    const failure = await failureOf(adapter({ timeoutMs: 300 }).cancel(newKey()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierTimeout');
  });

  test('a carrier that is down fails every call retryably until it is back', async () => {
    await injectFault({ kind: 'down' });
    const key = newKey();
    const failures = [
      await failureOf(aras.book(parcel(), key)),
      await failureOf(aras.cancel(key)),
      await failureOf(aras.track([integrationCodeFor(key)])),
      await failureOf(aras.schedulePickup!({ warehouseId: 'IST-1', date: daysAhead(3), parcels: 1, idempotencyKey: key })),
    ];
    for (const failure of failures) {
      expect(failure.nonRetryable).toBe(false);
      expect(failure.type).toBe('CarrierUnavailable');
      expect(failure.message).toContain('HTTP 503');
    }
    await admin.delete('/faults').expect(204);
    await expect(aras.book(parcel(), key)).resolves.toMatchObject({ carrier: 'aras' });
  });

  test('an envelope that is not valid XML is a retryable malformed response', async () => {
    await injectFault({ kind: 'malformed', on: ['SetOrder'], times: 1 });
    const failure = await failureOf(aras.book(parcel(), newKey()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierMalformedResponse');
    expect(failure.message).toContain('not a valid XML SOAP envelope');
  });

  test("a query result that is not valid JSON is a retryable malformed response", async () => {
    await injectFault({ kind: 'malformed', variant: 'invalid-json', on: ['GetQueryJSON'], times: 1 });
    const failure = await failureOf(aras.track([integrationCodeFor(newKey())]));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierMalformedResponse');
    expect(failure.message).toContain('GetQueryJSONResult is not valid JSON');
  });

  test('a valid envelope in an unexpected shape is a retryable malformed response naming what is missing', async () => {
    await injectFault({ kind: 'malformed', variant: 'wrong-shape', on: ['GetQueryJSON'], times: 1 });
    const booking = await aras.book(parcel(), newKey());
    const failure = await failureOf(aras.track([booking.trackingNumber]));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierMalformedResponse');
    expect(failure.message).toContain('GetQueryJSONResponse.GetQueryJSONResult');
  });

  test('created but response lost: the retry with the same key returns the same booking, and one order is live', async () => {
    const key = newKey();
    const liveBefore = await liveCount();
    await injectFault({ kind: 'lose-response', on: ['SetOrder'], times: 1 });
    const failure = await failureOf(aras.book(parcel(), key));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('CarrierUnavailable');
    expect(await sandboxShipments(key)).toHaveLength(1); // the carrier did create it

    const booking = await aras.book(parcel(), key);
    expect(booking).toEqual(expect.objectContaining({ trackingNumber: integrationCodeFor(key), idempotencyKey: key }));
    expect(await sandboxShipments(key)).toHaveLength(1);
    expect(await liveCount()).toBe(liveBefore + 1);
  });
});
