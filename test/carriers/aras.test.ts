// Contract tests: the Aras adapter against the real SOAP carrier sandbox over HTTP. The common
// suite (test/helpers/carrier-contract.ts) runs with the kit below; this file keeps what is Aras's
// own: its IntegrationCode, its two services, batched tracking, pickups and result codes.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { carrierContract, daysAhead, domesticRefusals, ISTANBUL_CUSTOMER } from '../helpers/carrier-contract';
import type { CarrierKit, Mapped, Scan } from '../helpers/carrier-contract';
import { failureOf } from '../helpers/failures';
import { LABEL_DATA_URL } from '../../carriers/adapter';
import { arasConnector, createArasAdapter, integrationCodeFor, receiverPhone, type ArasAdapterConfig } from '../../carriers/aras';
import { resultFailure } from '../../carriers/aras/errors';
import { ADDRESS_REJECTED } from '../../domain/carrier-failures';
import { ARAS_ORDER_SERVICE_PATH, ARAS_QUERY_SERVICE_PATH, SANDBOX_ARAS_CREDENTIALS, arasDouble } from '../../sandbox/aras';

/** The engine status of every delivery status code (1–7), by type code (1 outbound, 2 transfer, 3 return). */
const BY_TYPE: Record<number, Array<Mapped[1]>> = {
  1: ['picked_up', 'in_transit', 'in_transit', 'out_for_delivery', 'on_hold', 'delivered', 'in_transit'],
  2: ['in_transit', 'in_transit', 'in_transit', 'out_for_delivery', 'on_hold', 'delivered', 'in_transit'],
  3: ['return_to_sender', 'return_to_sender', 'return_to_sender', 'return_to_sender', 'on_hold', 'returned', 'return_to_sender'],
};
const TABLE = Object.entries(BY_TYPE).flatMap(([type, statuses]) =>
  statuses.map((status, i) => ({ code: i + 1, type: Number(type), status })),
);

/** Aras: SOAP order and query services, an IntegrationCode derived from our key, tariff quotes, a barcode for a label. */
const kit: CarrierKit<ArasAdapterConfig> = {
  connector: arasConnector,
  double: arasDouble,
  adapter: (base, overrides) => createArasAdapter({ ...SANDBOX_ARAS_CREDENTIALS, ...base, ...overrides }),
  customer: ISTANBUL_CUSTOMER,
  keyFor: integrationCodeFor,
  // The IntegrationCode is the booking id and the engine's tracking number (the carrier's KARGO TAKİP NO comes with a scan).
  booking: ({ integrationCode, cancelled, scans }) => ({
    key: integrationCode as string,
    state: cancelled ? 'cancelled' : (scans as unknown[]).length === 0 ? 'booked' : 'moving',
  }),
  operations: { book: 'SetOrder', track: 'GetQueryJSON', cancel: 'CancelDispatch', pickup: 'SetPickupRequest' },
  bookingOperations: ['SetOrder'],
  codes: {
    serverError: '5000', // and for a carrier that is down: one code for its own failures
    unavailable: '5000',
    rateLimited: '5429',
    addressRejected: '70019', // a city it does not route to
    badCredentials: 'ResultCode 1000',
    notCancellable: '999', // a branch has issued the waybill
  },
  wrongCredentials: { password: 'wrong' },
  badAddress: { city: 'Atlantis' },
  refusedWithoutCall: [
    ...domesticRefusals('express'),
    { parcel: { parcel: { weightGrams: 31_000, lengthCm: 30, widthCm: 20, heightCm: 10 } } },
    { parcel: { cashOnDelivery: { amount: 6_000, currency: 'TRY' } } }, // more cash than the carrier collects
    { parcel: { to: { phone: undefined } } }, // the carrier needs the receiver's phone
  ],
  tracking: {
    booked: [], // no movement before a branch has the parcel
    cancelled: [], // CancelDispatch deletes the order
    happyPath: {
      scans: [{}, {}, {}, {}, {}],
      events: [
        ['1/1', 'picked_up'],
        ['2/1', 'in_transit'],
        ['3/1', 'in_transit'],
        ['4/1', 'out_for_delivery'],
        ['6/1', 'delivered'],
      ],
      lastLocation: 'Kadıköy Şube, İstanbul',
      utcOffset: '+03:00',
    },
    table: {
      scans: TABLE.map(({ code, type }): Scan => ({ code, type })),
      events: TABLE.map(({ code, type, status }): Mapped => [`${code}/${type}`, status]),
    },
    unknown: {
      scans: [
        { code: 8, type: 1 },
        { code: 1, type: 4 },
      ],
      rawCodes: ['8/1', '1/4'],
    },
  },
  malformed: [
    { call: 'book', names: 'not a valid XML SOAP envelope' },
    { call: 'track', variant: 'invalid-json', names: 'GetQueryJSONResult is not valid JSON' },
    { call: 'track', variant: 'wrong-shape', names: 'GetQueryJSONResponse.GetQueryJSONResult' },
  ],
};

const aras = carrierContract(kit);
const { parcel, newKey, advance } = aras;
/** Calls to the tracking query service, to see batching. */
const queryCalls = () => aras.sandbox.calls.filter((c) => c.path === `/aras${ARAS_QUERY_SERVICE_PATH}`).length;

describe('quotes and orders', () => {
  test('a heavier parcel costs more on the contract tariff', async () => {
    const plain = await aras.carrier.quote(parcel());
    const heavy = await aras.carrier.quote(parcel({ parcel: { weightGrams: 9_000, lengthCm: 30, widthCm: 20, heightCm: 10 } }));
    expect(heavy.amount).toBeGreaterThan(plain.amount);
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
    const booking = await aras.carrier.book(parcel(), key);
    const code = integrationCodeFor(key);
    expect(code).toMatch(/^[0-9A-F]{20}$/);
    expect(booking).toEqual({ carrier: 'aras', bookingId: code, trackingNumber: code, labelRef: `barcode:${code}`, idempotencyKey: key });
    expect(LABEL_DATA_URL.test(booking.labelRef)).toBe(false); // the engine renders PDF and ZPL itself
    expect(aras.carrier.capabilities.labelFormats).toEqual([]);
    const [order] = await aras.bookingsUnder(key);
    expect(order.raw).toMatchObject({ kind: 'shipment', cancelled: false, scans: [] });
  });

  test('the same key books once: the carrier refuses the repeat as a duplicate IntegrationCode and the first order stands', async () => {
    const key = newKey();
    const first = await aras.carrier.book(parcel({ cashOnDelivery: { amount: 100, currency: 'TRY' } }), key);
    const again = await aras.carrier.book(parcel({ cashOnDelivery: { amount: 300, currency: 'TRY' } }), key);
    expect(again).toEqual(first);
    expect(await aras.bookingsUnder(key)).toEqual([expect.objectContaining({ codAmount: 100 })]);
  });
});

describe('the query service', () => {
  test('tracking is batched: several numbers in one query call, split over calls past 50', async () => {
    const bookings = await Promise.all([1, 2, 3].map(() => aras.carrier.book(parcel(), newKey())));
    for (const [i, b] of bookings.entries()) for (let n = 0; n <= i; n++) await advance(b.trackingNumber);
    const before = queryCalls();
    const events = await aras.carrier.track(bookings.map((b) => b.trackingNumber));
    expect(queryCalls() - before).toBe(1);
    expect(bookings.map((b) => events.filter((e) => e.trackingNumber === b.trackingNumber).length)).toEqual([1, 2, 3]);

    const unknown = Array.from({ length: 119 }, () => integrationCodeFor(newKey()));
    const many = await aras.carrier.track([...unknown, bookings[0].trackingNumber]);
    expect(queryCalls() - before).toBe(1 + 3); // 120 numbers: 50 + 50 + 20
    expect(many.map((e) => e.trackingNumber)).toEqual([bookings[0].trackingNumber]); // unknown numbers add nothing
  });

  test('the query service also answers GetQueryXML, with the same movements as XML', async () => {
    const booking = await aras.carrier.book(parcel(), newKey());
    await advance(booking.trackingNumber);
    const { username, password, customerCode } = SANDBOX_ARAS_CREDENTIALS;
    const loginInfo =
      `&lt;LoginInfo&gt;&lt;UserName&gt;${username}&lt;/UserName&gt;&lt;Password&gt;${password}&lt;/Password&gt;` +
      `&lt;CustomerCode&gt;${customerCode}&lt;/CustomerCode&gt;&lt;/LoginInfo&gt;`;
    const queryInfo =
      `&lt;QueryInfo&gt;&lt;QueryType&gt;9&lt;/QueryType&gt;` +
      `&lt;IntegrationCode&gt;${booking.trackingNumber}&lt;/IntegrationCode&gt;&lt;/QueryInfo&gt;`;
    const res = await request(aras.sandbox.app)
      .post(`/aras${ARAS_QUERY_SERVICE_PATH}`)
      .set('Content-Type', 'text/xml')
      .set('SOAPAction', '"http://tempuri.org/IArasCargoIntegrationService/GetQueryXML"')
      .send(
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetQueryXML xmlns="http://tempuri.org/">' +
          `<loginInfo>${loginInfo}</loginInfo><queryInfo>${queryInfo}</queryInfo></GetQueryXML></s:Body></s:Envelope>`,
      );
    expect(res.status).toBe(200);
    expect(res.text).toContain(`&lt;ENTEGRASYON_KODU&gt;${booking.trackingNumber}&lt;/ENTEGRASYON_KODU&gt;`);
    expect(res.text).toContain('&lt;DURUM_KODU&gt;1&lt;/DURUM_KODU&gt;');
  });
});

describe('pickups', () => {
  const pickup = (date: string, parcels: number, idempotencyKey = `pickup-${randomUUID()}`) =>
    aras.carrier.schedulePickup!({ warehouseId: 'IST-1', date, parcels, idempotencyKey });

  test('schedules a courier pickup once per key', async () => {
    const date = daysAhead(3);
    const key = `pickup-${randomUUID()}`;
    const first = await pickup(date, 4, key);
    const again = await pickup(date, 4, key);
    const other = await pickup(date, 1);
    expect(first).toEqual({ carrier: 'aras', pickupId: expect.stringMatching(/^KT\d{8}$/), date });
    expect(again).toEqual(first);
    expect(other.pickupId).not.toBe(first.pickupId);
    const { body } = await aras.admin.get('/pickups').expect(200);
    expect(body.pickups.filter((p: { pickupNumber: string }) => p.pickupNumber === first.pickupId)).toEqual([
      { pickupCode: integrationCodeFor(key), pickupNumber: first.pickupId, addressId: 'IST-1', date, pieceCount: 4 },
    ]);
  });

  test('a pickup in the past is refused by the carrier (70041); an impossible parcel count without a call', async () => {
    const past = await failureOf(pickup('2020-01-06', 1));
    expect(past.nonRetryable).toBe(true);
    expect(past.type).toBe('CarrierRefused');
    expect(past.message).toContain('70041');
    const none = await failureOf(pickup(daysAhead(3), 0));
    expect(none.type).toBe('CarrierRefused');
  });
});

describe('refusals and result codes', () => {
  test('cities are matched as the carrier spells them: ŞANLIURFA is routed', async () => {
    await expect(aras.carrier.book(parcel({ to: { city: 'ŞANLIURFA' } }), newKey())).resolves.toMatchObject({ carrier: 'aras' });
  });

  test('an order the carrier finds invalid (a receiver name over 100 characters) is a non-retryable refusal naming 936', async () => {
    const failure = await failureOf(aras.carrier.book(parcel({ to: { name: 'A'.repeat(101) } }), newKey()));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('ResultCode 936');
    expect(failure.message).toContain('ReceiverName');
  });

  test('wrong order-service credentials on CancelDispatch are refused with result code -2', async () => {
    const cancel = await failureOf(aras.adapter({ password: 'wrong' }).cancel(newKey()));
    expect(cancel.type).toBe('CarrierRefused');
    expect(cancel.message).toContain('ResultCode -2');
  });

  test('the query service checks its own LoginInfo: a wrong customer code is a SOAP Client fault there; booking still works', async () => {
    const wrong = aras.adapter({ customerCode: 'SOMEONE-ELSE' });
    const booking = await wrong.book(parcel(), newKey());
    const failure = await failureOf(wrong.track([booking.trackingNumber]));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('HTTP 500, carrier code 2001');
  });

  test('the endpoints speak SOAP: a request that is not XML, or an operation of the other service, gets a Client fault', async () => {
    const soap = (path: string, action: string) =>
      request(aras.sandbox.app).post(`/aras${path}`).set('Content-Type', 'text/xml').set('SOAPAction', `"http://tempuri.org/${action}"`);
    const notXml = await soap(ARAS_ORDER_SERVICE_PATH, 'SetOrder').send('{"not": "xml"}');
    expect(notXml.status).toBe(500);
    expect(notXml.text).toContain('<faultcode>soap:Client</faultcode>');
    const setOrder = '<SetOrder xmlns="http://tempuri.org/"/>';
    const wrongService = await soap(ARAS_QUERY_SERVICE_PATH, 'SetOrder').send(
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${setOrder}</s:Body></s:Envelope>`,
    );
    expect(wrongService.status).toBe(500);
    expect(wrongService.text).toContain('unknown operation SetOrder');
  });

  test("result codes map by the carrier's meaning: 5000–5007, CancelDispatch's 936 its trouble; SetOrder's 936, 70019 refusals", () => {
    const mapped = (operation: string, code: string) => {
      const f = resultFailure(operation, code, 'message');
      return [f.type, f.nonRetryable];
    };
    expect(mapped('SetOrder', '5003')).toEqual(['CarrierUnavailable', false]);
    expect(mapped('CancelDispatch', '936')).toEqual(['CarrierUnavailable', false]);
    expect(mapped('SetOrder', '936')).toEqual(['CarrierRefused', true]);
    expect(mapped('SetOrder', '5008')).toEqual(['CarrierRefused', true]);
    expect(mapped('SetOrder', '70019')).toEqual([ADDRESS_REJECTED, true]);
    const wrongPassword = 'Kullanıcı adı veya şifre yanlış';
    expect(resultFailure('SetOrder', '1000', wrongPassword).message).toBe(`aras SetOrder: ResultCode 1000: ${wrongPassword}`);
  });
});
