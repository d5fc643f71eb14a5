// Contract tests: the MNG adapter against the real REST carrier sandbox over HTTP. The common suite
// (test/helpers/carrier-contract.ts) runs with the kit below; this file keeps what is MNG's own:
// its API gateway, its ZPL labels, orders without a shipment, batched tracking, address lists.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { carrierContract, domesticRefusals, ISTANBUL_CUSTOMER, type CarrierKit } from '../helpers/carrier-contract';
import { failureOf } from '../helpers/failures';
import { LABEL_DATA_URL } from '../../carriers/adapter';
import { createMngAdapter, mngConnector, referenceIdFor, type MngAdapterConfig } from '../../carriers/mng';
import type { Address } from '../../domain/order';
import { ADDRESS_REJECTED } from '../../domain/carrier-failures';
import { MNG_API_PATH, SANDBOX_MNG_CREDENTIALS, mngDouble } from '../../sandbox/mng';

const API = `/mng${MNG_API_PATH}`;
const BATCH_STATUS = `${API}/standardqueryapi/getshipmentstatus`;

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
  // An order is its referenceId; its shipment (the tracking number) is made after it. Status 0 is "created", 9 "cancelled".
  booking: ({ referenceId, trackingNumber, statusCode }) => ({
    key: referenceId as string,
    trackingNumber: trackingNumber as string | null,
    state: statusCode === 0 ? 'booked' : statusCode === 9 ? 'cancelled' : String(statusCode),
  }),
  operations: { quote: 'calculate', book: 'createOrder', track: 'getshipmentstatus', cancel: 'cancelshipment' },
  bookingOperations: ['createOrder', 'createbarcode'], // an order, then its shipment (the barcode)
  codes: {
    serverError: '9500',
    rateLimited: '9429',
    unavailable: '9503',
    addressRejected: '4001', // a province it cannot place
    badCredentials: '2001', // the customer number or password
    notCancellable: '3007', // handed to the carrier
  },
  wrongCredentials: { password: 'wrong' },
  badAddress: { city: 'Atlantis' },
  refusedWithoutCall: domesticRefusals('same_day'),
  tracking: {
    booked: [['0', 'pending']],
    cancelled: ['pending', 'cancelled'],
    happyPath: {
      scans: [{}, {}, {}, {}, {}],
      events: [
        ['0', 'pending'],
        ['1', 'picked_up'],
        ['2', 'in_transit'],
        ['3', 'in_transit'],
        ['4', 'out_for_delivery'],
        ['5', 'delivered'],
      ],
      lastLocation: 'Kadıköy Şube, İstanbul',
      utcOffset: '+03:00',
    },
    table: {
      scans: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((code) => ({ code })),
      events: [
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
      ],
    },
    unknown: { scans: [{ code: 42 }], rawCodes: ['42'] },
  },
  malformed: [
    { call: 'quote', names: 'not valid JSON' },
    { call: 'book', operation: 'createbarcode', variant: 'wrong-shape', names: 'mng createbarcode: malformed response' },
  ],
  tokens: { path: `${MNG_API_PATH}/token`, ttl: (seconds) => ({ tokenTtlSeconds: seconds }) },
  // The label's Code 128 barcode is of the tracking number.
  labelText: (zpl, booking) => expect(zpl).toMatch(new RegExp(`\\^BCN,[^\\n]*\\^FD${booking.trackingNumber}\\^FS`)),
};

const mng = carrierContract(kit);
const { parcel, newKey, advance } = mng;
const batchCalls = () => mng.sandbox.calls.filter((c) => c.method === 'POST' && c.path === BATCH_STATUS).length;

describe('the API gateway', () => {
  const gateway = { 'X-IBM-Client-Id': SANDBOX_MNG_CREDENTIALS.clientId, 'X-IBM-Client-Secret': SANDBOX_MNG_CREDENTIALS.clientSecret };

  test('the gateway refuses a call without, or with wrong, X-IBM-Client-Id and X-IBM-Client-Secret headers', async () => {
    const body = { customerNumber: SANDBOX_MNG_CREDENTIALS.customerNumber, password: SANDBOX_MNG_CREDENTIALS.password, identityType: 1 };
    const missing = await request(mng.sandbox.app).post(`${API}/token`).send(body);
    expect(missing.status).toBe(401);
    const moreInformation = expect.stringContaining('X-IBM-Client-Id');
    expect(missing.body).toEqual({ httpCode: '401', httpMessage: 'Unauthorized', moreInformation });
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

  test('past the gateway, calls need a valid bearer token: 401 with code 2002', async () => {
    const res = await request(mng.sandbox.app)
      .post(`${API}/standardqueryapi/calculate`)
      .set(gateway)
      .set('Authorization', 'Bearer not.a.token')
      .send({});
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: '2002', description: expect.any(String) } });
  });
});

describe('quotes, orders and labels', () => {
  test('quotes standard in two days and express in one', async () => {
    expect(await mng.carrier.quote(parcel())).toMatchObject({ service: 'standard', transitDays: 2 });
    expect(await mng.carrier.quote(parcel({ service: 'express' }))).toMatchObject({ service: 'express', transitDays: 1 });
  });

  test("books an order under a referenceId derived from the key; the label is the carrier's ZPL with the parcel's details", async () => {
    const key = newKey();
    const booking = await mng.carrier.book(parcel(), key);
    expect(referenceIdFor(key)).toMatch(/^[0-9A-F]{20}$/);
    const [trackingNumber, labelRef] = [expect.stringMatching(/^\d{13}$/), expect.any(String)];
    expect(booking).toEqual({ carrier: 'mng', bookingId: referenceIdFor(key), trackingNumber, labelRef, idempotencyKey: key });
    const zpl = zplOf(booking.labelRef);
    expect(zpl).toContain('^CI28'); // UTF-8, for Turkish names
    expect(zpl).toContain('Ayşe Yılmaz');
    expect(zpl).toContain('MNG Sandbox Merchant'); // the sender: the account's address
    expect(zpl).toContain('2 KG');
    expect(zpl.match(/\^XZ|~/g)).toEqual(['^XZ']); // field data cannot end the label or send commands
    const [order] = await mng.bookingsUnder(key);
    expect(order.raw).toMatchObject({ kind: 'shipment', service: 'standard', statusCode: 0, trackingNumber: booking.trackingNumber });
  });

  test('cash on delivery is printed on the label', async () => {
    const booking = await mng.carrier.book(parcel({ cashOnDelivery: { amount: 199.9, currency: 'TRY' } }), newKey());
    expect(zplOf(booking.labelRef)).toContain('TAHSİLAT 199.90 TL');
  });

  test('an order left without a shipment (createbarcode failed) is cancelled as an order; booking again is then refused', async () => {
    const key = newKey();
    await mng.injectFault({ kind: 'error', on: ['createbarcode'], times: 1 });
    expect((await failureOf(mng.carrier.book(parcel(), key))).nonRetryable).toBe(false);
    expect(await mng.bookingsUnder(key)).toEqual([expect.objectContaining({ trackingNumber: null, state: 'booked' })]);

    await mng.carrier.cancel(key);
    expect(await mng.bookingsUnder(key)).toEqual([expect.objectContaining({ trackingNumber: null, state: 'cancelled' })]);
    const failure = await failureOf(mng.carrier.book(parcel(), key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('3005');
  });

  test('a return label is from the customer to the merchant, under the return key', async () => {
    const key = `S-${randomUUID()}:return`;
    const label = await mng.carrier.createReturn(parcel(), key);
    expect(label.bookingId).toBe(referenceIdFor(key));
    const zpl = zplOf(label.labelRef);
    expect(zpl).toContain('İADE');
    expect(zpl.indexOf('Ayşe Yılmaz')).toBeLessThan(zpl.indexOf('MNG Sandbox Merchant')); // from the customer, to the merchant
  });
});

describe('tracking', () => {
  test('tracking asks for up to 50 shipments per call; numbers the carrier does not hold give no events', async () => {
    const bookings = await Promise.all([1, 2, 3].map(() => mng.carrier.book(parcel(), newKey())));
    await advance(bookings[1].trackingNumber);
    const calls = batchCalls();
    const events = await mng.carrier.track([...bookings.map((b) => b.trackingNumber), '9999000000001']);
    expect(batchCalls()).toBe(calls + 1);
    const expected = [bookings[0], bookings[1], bookings[1], bookings[2]].map((b) => b.trackingNumber);
    expect(events.map((e) => e.trackingNumber).sort()).toEqual(expected.sort());

    const many = [...Array.from({ length: 50 }, (_, i) => `8888${String(i).padStart(9, '0')}`), bookings[2].trackingNumber];
    const pending = { trackingNumber: bookings[2].trackingNumber, status: 'pending' };
    expect(await mng.carrier.track(many)).toEqual([expect.objectContaining(pending)]);
    expect(batchCalls()).toBe(calls + 3);
    expect(await mng.carrier.track([])).toEqual([]);
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

  test('a district the carrier cannot place in the province is AddressRejected too', async () => {
    expect((await failureOf(mng.carrier.book(parcel({ to: { district: 'Çankaya' } }), newKey()))).type).toBe(ADDRESS_REJECTED);
  });

  test('a parcel over 30 kg is refused by the carrier (4002), when quoting and booking; nothing is booked', async () => {
    const key = newKey();
    const heavy = parcel({ parcel: { weightGrams: 30_001, lengthCm: 30, widthCm: 20, heightCm: 10 } });
    for (const failure of [await failureOf(mng.carrier.quote(heavy)), await failureOf(mng.carrier.book(heavy, key))]) {
      expect(failure.nonRetryable).toBe(true);
      expect(failure.type).toBe('CarrierRefused');
      expect(failure.message).toContain('4002');
    }
    expect(await mng.bookingsUnder(key)).toHaveLength(0);
    const limit = parcel({ parcel: { weightGrams: 30_000, lengthCm: 30, widthCm: 20, heightCm: 10 } });
    await expect(mng.carrier.quote(limit)).resolves.toMatchObject({ carrier: 'mng' });
  });
});
