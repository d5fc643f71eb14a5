// Contract tests: the MNG adapter against its double over HTTP. The double checks every request and
// reply against carriers/mng/spec/mng-openapi.yaml (sandbox/openapi.ts), so every call below is also
// a conformance check. The common suite (test/helpers/carrier-contract.ts) runs with the kit below;
// this file keeps what is MNG's own: its gateway, ZPL labels, getorder recovery for book, return and
// cancel, one tracking call per parcel, the spec's examples through the parser, address lists.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { carrierContract, domesticRefusals, ISTANBUL_CUSTOMER, type CarrierKit } from '../helpers/carrier-contract';
import { startDouble } from '../helpers/carrier-sandbox';
import { failureOf } from '../helpers/failures';
import { LABEL_DATA_URL } from '../../carriers/adapter';
import { createMngAdapter, mngConnector, referenceIdFor, type MngAdapterConfig } from '../../carriers/mng';
import { BarcodeSchema, MovementSchema, readBarcode } from '../../carriers/mng/client';
import type { Address } from '../../domain/order';
import { ADDRESS_REJECTED } from '../../domain/carrier-failures';
import { MNG_API_PATH, SANDBOX_MNG_CREDENTIALS, mngDouble, type MngState } from '../../sandbox/mng';

const API = `/mng${MNG_API_PATH}`;
const EXAMPLES = path.join(__dirname, '../../carriers/mng/spec/examples');
const example = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));

const customer: Address = { ...ISTANBUL_CUSTOMER, line1: 'Bağdat Cad. 12 ^XZ ~JA' }; // ZPL commands in field data

/** The ZPL text inside a booking's data URL. */
function zplOf(labelRef: string): string {
  const match = LABEL_DATA_URL.exec(labelRef);
  expect(match?.[1]).toBe('zpl');
  return Buffer.from(match![2], 'base64').toString('utf8');
}

/** MNG: REST behind an API gateway with bearer tokens, a referenceId derived from our key, ZPL labels. */
const kit: CarrierKit<MngAdapterConfig> = {
  connector: mngConnector,
  double: mngDouble,
  adapter: (base, overrides) => createMngAdapter({ ...SANDBOX_MNG_CREDENTIALS, ...base, ...overrides }),
  customer,
  newKey: () => `S-${randomUUID()}:mng:1`,
  keyFor: referenceIdFor,
  booking: ({ referenceId, trackingNumber, statusCode, cancelled }) => ({
    key: referenceId as string,
    trackingNumber: trackingNumber as string | null,
    state: cancelled ? 'cancelled' : (statusCode as number) <= 1 ? 'booked' : String(statusCode),
  }),
  operations: { quote: 'calculate', book: 'createOrder', track: 'trackshipment', cancel: 'cancelshipment' },
  bookingOperations: ['createOrder', 'createbarcode'], // an order, then its shipment (the barcode)
  codes: {
    serverError: '9500',
    rateLimited: '9429',
    unavailable: '9503',
    addressRejected: '4001', // a province it cannot place (the double's code)
    badCredentials: 'HTTP 401', // the customer number or password: no published code
    notCancellable: '3007', // accepted by a branch (the double's code)
  },
  wrongCredentials: { password: 'wrong' },
  badAddress: { city: 'Atlantis' },
  refusedWithoutCall: [
    ...domesticRefusals('same_day'),
    { parcel: { parcel: { weightGrams: 30_001, lengthCm: 30, widthCm: 20, heightCm: 10 } } },
  ],
  tracking: {
    booked: [['1', 'pending']], // "Gönderi Hazırlandı": labelled, not yet with the carrier
    cancelled: ['pending'], // MNG has no cancelled status: the movements stay as they were
    happyPath: {
      scans: [{}, {}, {}, {}],
      events: [
        ['1', 'pending'],
        ['2', 'in_transit'],
        ['3', 'in_transit'],
        ['4', 'out_for_delivery'],
        ['5', 'delivered'],
      ],
      lastLocation: 'Kadıköy Şube, İstanbul',
      utcOffset: '+03:00',
    },
    table: {
      scans: [6, 7, 8].map((code) => ({ code })),
      events: [
        ['6', 'delivery_failed'],
        ['7', 'return_to_sender'],
        ['8', 'on_hold'],
      ],
    },
    unknown: { scans: [{ text: 'Şubede Bekliyor' }], rawCodes: ['Şubede Bekliyor'] },
  },
  malformed: [
    { call: 'quote', names: 'not valid JSON' },
    { call: 'book', operation: 'createbarcode', variant: 'wrong-shape', names: 'mng createbarcode: malformed response' },
    { call: 'track', variant: 'wrong-shape', names: 'mng trackshipment: malformed response' },
  ],
  tokens: { path: `${MNG_API_PATH}/token`, ttl: (seconds) => ({ tokenTtlSeconds: seconds }) },
  // The label's Code 128 barcode is of the tracking number.
  labelText: (zpl, booking) => expect(zpl).toMatch(new RegExp(`\\^BCN,[^\\n]*\\^FD${booking.trackingNumber}\\^FS`)),
};

const mng = carrierContract(kit);
const { parcel, newKey, advance } = mng;
const gateway = { 'X-IBM-Client-Id': SANDBOX_MNG_CREDENTIALS.clientId, 'X-IBM-Client-Secret': SANDBOX_MNG_CREDENTIALS.clientSecret };
const callsTo = (prefix: string) => mng.sandbox.calls.filter((c) => c.path.startsWith(`${API}${prefix}`)).length;

describe('the API gateway', () => {
  test('the gateway refuses a call without, or with wrong, X-IBM-Client-Id and X-IBM-Client-Secret headers', async () => {
    const body = { customerNumber: SANDBOX_MNG_CREDENTIALS.customerNumber, password: SANDBOX_MNG_CREDENTIALS.password, identityType: 1 };
    const missing = await request(mng.sandbox.app).post(`${API}/token`).send(body);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      httpCode: '401',
      httpMessage: 'Unauthorized',
      moreInformation: expect.stringContaining('X-IBM-Client-Id'),
    });
    const wrong = await request(mng.sandbox.app)
      .post(`${API}/token`)
      .set({ ...gateway, 'X-IBM-Client-Secret': 'wrong' })
      .send(body);
    expect(wrong.status).toBe(401);
    const right = await request(mng.sandbox.app).post(`${API}/token`).set(gateway).send(body);
    expect(right.status).toBe(200);
    expect(right.body).toEqual({
      jwt: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refreshToken: expect.any(String),
      jwtExpireDate: expect.stringMatching(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/),
      refreshTokenExpireDate: expect.any(String),
    });

    const failure = await failureOf(mng.adapter({ clientSecret: 'wrong' }).quote(parcel()));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('mng token: HTTP 401');
    expect(failure.message).toContain('Invalid client id or secret');
  });

  test('a product the application is not subscribed to: a refusal naming the product, after one fresh token', async () => {
    const unsubscribed = await startDouble(mngDouble, { unsubscribed: ['barcodecmdapi'] });
    try {
      const adapter = mng.adapter({}, { on: unsubscribed });
      const failure = await failureOf(adapter.book(parcel(), newKey()));
      expect(failure.nonRetryable).toBe(true);
      expect(failure.message).toContain('mng createbarcode: HTTP 401');
      expect(failure.message).toContain('Cannot find valid subscription');
      expect(failure.message).toContain("subscribed to MNG's Barcode Command API?");
      expect(unsubscribed.calls.filter((c) => c.path.endsWith('/token'))).toHaveLength(2); // one fresh token, then the refusal
    } finally {
      await unsubscribed.close();
    }
  });

  test('createbarcode from an IP address MNG has not allowed is a refusal, though MNG sends it as a 500', async () => {
    const refusing = await startDouble(mngDouble, { barcodeIpRefused: true });
    try {
      const failure = await failureOf(mng.adapter({}, { on: refusing }).book(parcel(), newKey()));
      expect(failure.nonRetryable).toBe(true);
      expect(failure.type).toBe('CarrierRefused');
      expect(failure.message).toContain(
        "HTTP 500: 127.0.0.1 IP adresi için tek barkod yetkiniz yoktur (this server's IP address is not on MNG's allow-list)",
      );
    } finally {
      await refusing.close();
    }
  });

  test('past the gateway, calls need a valid bearer token', async () => {
    const res = await request(mng.sandbox.app)
      .get(`${API}/standardqueryapi/getorder/R1`)
      .set(gateway)
      .set('Authorization', 'Bearer not.a.token');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { message: expect.stringContaining('token') } });
  });
});

describe('conformance: the double holds requests and its own replies to the captured spec', () => {
  test('a request with a misspelt field is refused with 400 naming the field; the correct one passes the guard', async () => {
    const token = (
      await request(mng.sandbox.app)
        .post(`${API}/token`)
        .set(gateway)
        .send({ ...SANDBOX_MNG_CREDENTIALS, identityType: 1 })
    ).body;
    expect(token).toEqual({ title: 'Bad Request', status: 400, detail: 'clientId: is not a field the spec defines' });
    const body = { customerNumber: SANDBOX_MNG_CREDENTIALS.customerNumber, pasword: SANDBOX_MNG_CREDENTIALS.password, identityType: 1 };
    const misspelt = await request(mng.sandbox.app).post(`${API}/token`).set(gateway).send(body);
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.detail).toBe('password: is required');
    const order = example('createOrder.request.json') as { order: object };
    const wrongName = await request(mng.sandbox.app)
      .post(`${API}/standardcmdapi/createOrder`)
      .set(gateway)
      .send({ ...order, order: { ...order.order, isReturn: 1 } }); // the old sandbox's field: not MNG's
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.detail).toBe('order.isReturn: is not a field the spec defines');
    const unknown = await request(mng.sandbox.app)
      .post(`${API}/standardqueryapi/getshipmentstatus`)
      .set(gateway)
      .send({ shipmentIds: ['1'] });
    expect(unknown.status).toBe(404); // the old batch call: not in the spec
  });

  test('a reply that drifts from the spec is caught: the adapter sees a 500, not a silent pass', async () => {
    const booking = await mng.carrier.book(parcel(), newKey());
    // A double bug: a movement's location as a number, where the spec has a string.
    const [movement] = (mng.sandbox.state as MngState).byShipment(booking.trackingNumber)!.movements;
    movement.location = 34 as unknown as string;
    const failure = await failureOf(mng.carrier.track([booking.trackingNumber]));
    expect(failure.type).toBe('CarrierUnavailable');
    expect(failure.message).toContain('HTTP 500');
    expect(failure.message).toContain("the double's reply breaks the spec: 0.location: must be string");
  });
});

describe("the spec's captured examples through the adapter's parser", () => {
  test("createbarcode's SDK fixture is read as a shipment, and refused as a label: its value is no ZPL", () => {
    const shipment = BarcodeSchema.parse(example('createbarcode.response-200.json'));
    expect(shipment).toMatchObject({ shipmentId: '4536457657', barcodes: [{ pieceNumber: 1, value: 'Barcode1' }] });
    expect(() => readBarcode(shipment, 'SIPARIS34567')).toThrow('barcodes[].value is not a ZPL label');
    const zpl = { ...shipment, barcodes: [{ value: '^XA^FDx^FS^XZ' }] }; // no `barcode` field: older replies
    expect(readBarcode(zpl, 'SIPARIS34567')).toEqual({ shipmentId: '4536457657', zpl: '^XA^FDx^FS^XZ' });
    expect(() => readBarcode(zpl, 'OTHER')).toThrow('another referenceId');
  });

  test('movements as the typed source declares them (all strings) and as the double sends them (numbers) both read', () => {
    const asStrings = { eventSequence: '3', eventStatus: 'Teslim Edildi', eventDateTime: '01.12.2026 14:05:00', location: 'KADIKOY' };
    expect(MovementSchema.parse(asStrings)).toMatchObject({ eventSequence: 3, eventStatus: 'Teslim Edildi' });
    expect(MovementSchema.safeParse({ ...asStrings, eventSequence: 'x' }).success).toBe(false);
  });
});

describe('quotes, orders and labels', () => {
  test('quotes standard in two days and express in one', async () => {
    expect(await mng.carrier.quote(parcel())).toMatchObject({ service: 'standard', transitDays: 2 });
    expect(await mng.carrier.quote(parcel({ service: 'express' }))).toMatchObject({ service: 'express', transitDays: 1 });
  });

  test("books under a referenceId derived from the key (getorder, createOrder, createbarcode); the label is MNG's ZPL", async () => {
    const key = newKey();
    const [orders, barcodes] = [callsTo('/standardcmdapi/createOrder'), callsTo('/barcodecmdapi/createbarcode')];
    const booking = await mng.carrier.book(parcel(), key);
    expect(referenceIdFor(key)).toMatch(/^R[0-9A-F]{20}$/);
    const [trackingNumber, labelRef] = [expect.stringMatching(/^\d{12}$/), expect.any(String)];
    expect(booking).toEqual({ carrier: 'mng', bookingId: referenceIdFor(key), trackingNumber, labelRef, idempotencyKey: key });
    expect([callsTo('/standardcmdapi/createOrder'), callsTo('/barcodecmdapi/createbarcode')]).toEqual([orders + 1, barcodes + 1]);
    const zpl = zplOf(booking.labelRef);
    expect(zpl).toContain('^CI28'); // UTF-8, for Turkish names
    expect(zpl).toContain('Ayşe Yılmaz');
    expect(zpl).toContain('MNG Sandbox Merchant'); // the sender: the account's address
    expect(zpl.match(/\^XZ|~/g)).toEqual(['^XZ']); // field data cannot end the label or send commands
  });

  test('cash on delivery is printed on the label', async () => {
    const booking = await mng.carrier.book(parcel({ cashOnDelivery: { amount: 199.9, currency: 'TRY' } }), newKey());
    expect(zplOf(booking.labelRef)).toContain('TAHSİLAT 199.90 TL');
  });

  test('a shipment whose createbarcode answer was lost is found by getorder; its label, given once by MNG, is printed by us', async () => {
    const key = newKey();
    const cod = parcel({ cashOnDelivery: { amount: 199.9, currency: 'TRY' } });
    await mng.injectFault({ kind: 'lose-response', on: ['createbarcode'], times: 1 });
    await failureOf(mng.carrier.book(cod, key));
    const fresh = mng.adapter(); // another worker: nothing remembered
    const barcodes = callsTo('/barcodecmdapi/createbarcode');
    const booking = await fresh.book(cod, key);
    expect(callsTo('/barcodecmdapi/createbarcode')).toBe(barcodes); // not asked again
    const [order] = await mng.bookingsUnder(key);
    expect(booking.trackingNumber).toBe(order.trackingNumber);
    const zpl = zplOf(booking.labelRef);
    expect(zpl).toContain(`^FD${booking.trackingNumber}^FS`);
    expect(zpl).toContain('Ayşe Yılmaz');
    expect(zpl).toContain('TAHSİLAT 199.90 TL'); // the courier must see the cash to collect
    expect(zpl.match(/\^XZ|~/g)).toEqual(['^XZ']);
  });

  test('an order left without a shipment (createbarcode failed) is cancelled as an order; booking again under the key is refused', async () => {
    const key = newKey();
    await mng.injectFault({ kind: 'error', on: ['createbarcode'], times: 1 });
    expect((await failureOf(mng.carrier.book(parcel(), key))).nonRetryable).toBe(false);
    expect(await mng.bookingsUnder(key)).toEqual([expect.objectContaining({ trackingNumber: null, state: 'booked' })]);

    await mng.carrier.cancel(key);
    expect(await mng.bookingsUnder(key)).toEqual([expect.objectContaining({ trackingNumber: null, state: 'cancelled' })]);
    const failure = await failureOf(mng.carrier.book(parcel(), key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('taken by an order MNG no longer lists');
  });
});

describe('returns', () => {
  const returnKey = () => `S-${randomUUID()}:return`;

  test('a return is createReturnOrder with the customer as the shipper; we print its label, tracked by the referenceId', async () => {
    const key = returnKey();
    const label = await mng.carrier.createReturn(parcel(), key);
    expect(label).toMatchObject({ bookingId: referenceIdFor(key), trackingNumber: referenceIdFor(key) });
    const zpl = zplOf(label.labelRef);
    expect(zpl).toContain('İADE');
    expect(zpl.indexOf('Ayşe Yılmaz')).toBeLessThan(zpl.indexOf('IST-1')); // from the customer, to the warehouse
    expect(await mng.carrier.track([label.trackingNumber])).toEqual([]); // not yet handed over
    await advance(label.trackingNumber); // dropped off at a branch
    await advance(label.trackingNumber);
    const events = await mng.carrier.track([label.trackingNumber]);
    expect(events.map((e) => [e.rawCode, e.status])).toEqual([
      ['1', 'pending'],
      ['2', 'in_transit'],
    ]);
  });

  test('created but the createReturnOrder response lost: the retry finds it by getorder, one return order', async () => {
    const key = returnKey();
    await mng.injectFault({ kind: 'lose-response', on: ['createReturnOrder'], times: 1 });
    expect((await failureOf(mng.carrier.createReturn(parcel(), key))).type).toBe('CarrierUnavailable');
    const label = await mng.carrier.createReturn(parcel(), key);
    expect(label.trackingNumber).toBe(referenceIdFor(key));
    expect(await mng.bookingsUnder(key)).toEqual([expect.objectContaining({ kind: 'return', state: 'booked' })]);
  });
});

describe('cancelling', () => {
  test('a cancelled return order is not booked again under its key: the referenceId stays taken', async () => {
    const key = `S-${randomUUID()}:return`;
    await mng.carrier.createReturn(parcel(), key);
    await mng.carrier.cancel(key);
    expect(await mng.bookingsUnder(key)).toEqual([expect.objectContaining({ kind: 'return', state: 'cancelled' })]);
    const failure = await failureOf(mng.carrier.createReturn(parcel(), key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('createReturnOrder: referenceId');
    expect(failure.message).toContain('taken by an order MNG no longer lists');
  });

  test('cancelled but the cancelshipment response lost: the retry finds no live order and does nothing', async () => {
    const key = newKey();
    await mng.carrier.book(parcel(), key);
    const liveBefore = await mng.liveCount();
    await mng.injectFault({ kind: 'lose-response', on: ['cancelshipment'], times: 1 });
    expect((await failureOf(mng.carrier.cancel(key))).type).toBe('CarrierUnavailable');
    const cancels = callsTo('/barcodecmdapi/cancelshipment');
    await mng.carrier.cancel(key);
    expect(callsTo('/barcodecmdapi/cancelshipment')).toBe(cancels);
    expect(await mng.liveCount()).toBe(liveBefore - 1);
  });
});

describe('tracking', () => {
  test('one call per parcel, by shipment id, one after another; numbers MNG does not hold give no events', async () => {
    const bookings = await Promise.all([1, 2, 3].map(() => mng.carrier.book(parcel(), newKey())));
    await advance(bookings[1].trackingNumber);
    const calls = callsTo('/standardqueryapi/trackshipmentByShipmentId/');
    const events = await mng.carrier.track([...bookings.map((b) => b.trackingNumber), '999000000001']);
    expect(callsTo('/standardqueryapi/trackshipmentByShipmentId/')).toBe(calls + 4);
    const expected = [bookings[0], bookings[1], bookings[1], bookings[2]].map((b) => b.trackingNumber);
    expect(events.map((e) => e.trackingNumber).sort()).toEqual(expected.sort());
    expect(await mng.carrier.track([])).toEqual([]);
  });

  test('a 429 stops the poll at once, retryable after its Retry-After (the shared transport decides)', async () => {
    const bookings = await Promise.all([1, 2].map(() => mng.carrier.book(parcel(), newKey())));
    await mng.injectFault({ kind: 'rate-limit', retryAfterSeconds: 3, on: ['trackshipment'], times: 1 });
    const calls = callsTo('/standardqueryapi/trackshipmentByShipmentId/');
    const failure = await failureOf(mng.carrier.track(bookings.map((b) => b.trackingNumber)));
    expect(failure.type).toBe('CarrierRateLimited');
    expect(failure.nextRetryDelay).toBe(3_000);
    expect(callsTo('/standardqueryapi/trackshipmentByShipmentId/')).toBe(calls + 1);
  });
});

describe('addresses and refusals', () => {
  test("validateAddress checks the province and district against the carrier's city/district lists", async () => {
    const validate = (address: Address) => mng.carrier.validateAddress!(address);
    await expect(validate(customer)).resolves.toEqual({ valid: true });
    await expect(validate({ ...customer, city: 'ISTANBUL', district: 'kadikoy' })).resolves.toEqual({ valid: true });
    await expect(validate({ ...customer, district: undefined })).resolves.toEqual({ valid: true });
    await expect(validate({ ...customer, city: 'Atlantis' })).resolves.toEqual({ valid: false, reason: 'no province named Atlantis' });
    const notThere = { valid: false, reason: 'no district named Çankaya in İstanbul' };
    await expect(validate({ ...customer, district: 'Çankaya' })).resolves.toEqual(notThere);
    // No district list in the sandbox for Bursa:
    await expect(validate({ ...customer, city: 'Bursa', district: 'Nilüfer' })).resolves.toEqual({ valid: true });
    await expect(validate({ ...customer, countryCode: 'DE' })).resolves.toMatchObject({ valid: false });
  });

  test("bookings send the customer's CBS codes, from lists fetched once per process", async () => {
    const fresh = mng.adapter();
    const [cities, districts] = [callsTo('/cbsinfoapi/getcities'), callsTo('/cbsinfoapi/getdistricts/34')];
    await fresh.book(parcel(), newKey());
    await fresh.createReturn(parcel(), `S-${randomUUID()}:return`);
    expect([callsTo('/cbsinfoapi/getcities'), callsTo('/cbsinfoapi/getdistricts/34')]).toEqual([cities + 1, districts + 1]);
  });

  test('a district the carrier cannot place in the province is AddressRejected too', async () => {
    expect((await failureOf(mng.carrier.book(parcel({ to: { district: 'Çankaya' } }), newKey()))).type).toBe(ADDRESS_REJECTED);
  });
});
