// Contract tests: the Aras adapter against the real SOAP carrier sandbox over HTTP. The common
// suite (test/helpers/carrier-contract.ts) runs with the kit below; this file keeps what is Aras's
// own: its IntegrationCode and resend semantics, its two services and logins, the return account,
// the state queries, its result codes, and the double's checks against carriers/aras/spec/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { carrierContract, domesticRefusals, ISTANBUL_CUSTOMER } from '../helpers/carrier-contract';
import type { CarrierKit, Mapped, Scan } from '../helpers/carrier-contract';
import { listen, startDouble } from '../helpers/carrier-sandbox';
import { failureOf } from '../helpers/failures';
import { LABEL_DATA_URL } from '../../carriers/adapter';
import { arasConnector, createArasAdapter, integrationCodeFor, receiverPhone, type ArasAdapterConfig } from '../../carriers/aras';
import { parseCargoStates } from '../../carriers/aras/client';
import { resultFailure } from '../../carriers/aras/errors';
import { ADDRESS_REJECTED } from '../../domain/carrier-failures';
import {
  ARAS_ORDER_SERVICE_PATH,
  ARAS_QUERY_SERVICE_PATH,
  SANDBOX_ARAS_CREDENTIALS,
  SANDBOX_ARAS_SENDER_ADDRESS_IDS,
  arasDouble,
  arasServiceUrls,
  type ArasState,
} from '../../sandbox/aras';

const EXAMPLES = path.join(__dirname, '../../carriers/aras/spec/examples');
const example = (name: string) => readFileSync(path.join(EXAMPLES, name), 'utf8');

/** The engine status of every delivery status code (1–7), by type code (1 outbound, 2 redirected, 3 returned). */
const BY_TYPE: Record<number, Array<Mapped[1]>> = {
  1: ['picked_up', 'in_transit', 'in_transit', 'out_for_delivery', 'on_hold', 'delivered', 'in_transit'],
  2: ['in_transit', 'in_transit', 'in_transit', 'out_for_delivery', 'on_hold', 'delivered', 'in_transit'],
  3: ['return_to_sender', 'return_to_sender', 'return_to_sender', 'return_to_sender', 'on_hold', 'returned', 'return_to_sender'],
};
const STATES = Object.entries(BY_TYPE).flatMap(([type, statuses]) =>
  statuses.map((status, i) => ({ code: i + 1, type: Number(type), status })),
);
/** A parcel back at its delivery branch (3) with a non-delivery reason (DEVİR KODU) is read by the reason. */
const REASONS: Array<[number, Mapped[1]]> = [
  [10, 'delivery_failed'],
  [11, 'delivery_failed'],
  [12, 'delivery_failed'],
  [14, 'delivery_failed'],
  [15, 'ready_for_pickup'],
  [17, 'delivery_failed'],
  [18, 'delivery_failed'],
  [20, 'delivery_failed'],
  [22, 'on_hold'],
  [26, 'on_hold'],
  [32, 'ready_for_pickup'],
  [33, 'delivery_failed'],
  [34, 'delivery_failed'],
  [45, 'on_hold'],
  [47, 'on_hold'],
  [51, 'delivery_failed'],
];

/** Aras: SOAP order and query services at their own URLs with their own logins, an IntegrationCode derived from our key, tariff quotes, a barcode for a label. */
const kit: CarrierKit<ArasAdapterConfig> = {
  connector: arasConnector,
  double: arasDouble,
  adapter: ({ baseUrl, ...base }, overrides) =>
    createArasAdapter({ ...SANDBOX_ARAS_CREDENTIALS, ...arasServiceUrls(baseUrl), ...base, ...overrides }),
  customer: ISTANBUL_CUSTOMER,
  keyFor: integrationCodeFor,
  // The IntegrationCode is the booking id and the engine's tracking number (the carrier's KARGO TAKİP NO comes with the waybill).
  booking: ({ integrationCode, cancelled, scans }) => ({
    key: integrationCode as string,
    state: cancelled ? 'cancelled' : (scans as unknown[]).length === 0 ? 'booked' : 'moving',
  }),
  operations: { book: 'SetOrder', track: 'GetQueryJSON', cancel: 'CancelDispatch' },
  bookingOperations: ['SetOrder'],
  codes: {
    serverError: '5000', // and for a carrier that is down: one code for its own failures
    unavailable: '5000',
    rateLimited: '5429',
    addressRejected: '940', // the receiver's province missing (the sandbox's answer for one it does not know)
    badCredentials: 'ResultCode 1000',
    notCancellable: '999', // a branch has issued the waybill
  },
  wrongCredentials: { orderPassword: 'wrong' },
  badAddress: { city: 'Atlantis' },
  refusedWithoutCall: [
    ...domesticRefusals('express'),
    { parcel: { parcel: { weightGrams: 31_000, lengthCm: 30, widthCm: 20, heightCm: 10 } } },
    { parcel: { to: { phone: undefined } } }, // the carrier needs the receiver's phone
  ],
  tracking: {
    booked: [], // no state before a branch issues the waybill
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
      lastLocation: 'Kadıköy Şube',
      utcOffset: '+03:00',
    },
    table: {
      scans: [
        ...STATES.map(({ code, type }): Scan => ({ code, type })),
        ...REASONS.map(([reason]): Scan => ({ code: 3, type: 1, reason })),
      ],
      events: [
        ...STATES.map(({ code, type, status }): Mapped => [`${code}/${type}`, status]),
        ...REASONS.map(([reason, status]): Mapped => [`devir ${reason}`, status]),
      ],
    },
    unknown: {
      scans: [
        { code: 8, type: 1 },
        { code: 1, type: 4 },
        { code: 3, type: 1, reason: 99 },
      ],
      rawCodes: ['8/1', '1/4', 'devir 99'],
    },
    snapshots: true, // the state queries give each parcel's current state, not its history
  },
  malformed: [
    { call: 'book', names: 'not a valid XML SOAP envelope' },
    { call: 'track', variant: 'invalid-json', names: 'GetQueryJSONResult is not valid JSON' },
    { call: 'track', variant: 'wrong-shape', names: 'GetQueryJSONResponse.GetQueryJSONResult' },
  ],
};

const aras = carrierContract(kit);
const { parcel, newKey, advance } = aras;
const callsTo = (servicePath: string) => aras.sandbox.calls.filter((c) => c.path === `/aras${servicePath}`).length;
const state = () => aras.sandbox.state as ArasState;

/** A raw SOAP 1.1 call to one of the double's services. */
const soap = (servicePath: string, action: string, body: string) =>
  request(aras.sandbox.app)
    .post(`/aras${servicePath}`)
    .set('Content-Type', 'text/xml; charset=utf-8')
    .set('SOAPAction', `"http://tempuri.org/${action}"`)
    .send(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${body}</s:Body></s:Envelope>`);

const escaped = (xml: string) => xml.replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** A query-service call with the sandbox's login and the given QueryInfo. */
function query(operation: 'GetQueryJSON' | 'GetQueryXML', queryType: number, integrationCode: string) {
  const { queryUserName, queryPassword, customerCode } = SANDBOX_ARAS_CREDENTIALS;
  const loginInfo = `<LoginInfo><UserName>${queryUserName}</UserName><Password>${queryPassword}</Password><CustomerCode>${customerCode}</CustomerCode></LoginInfo>`;
  const queryInfo = `<QueryInfo><QueryType>${queryType}</QueryType><IntegrationCode>${integrationCode}</IntegrationCode></QueryInfo>`;
  return soap(
    ARAS_QUERY_SERVICE_PATH,
    `IArasCargoIntegrationService/${operation}`,
    `<${operation} xmlns="http://tempuri.org/"><loginInfo>${escaped(loginInfo)}</loginInfo><queryInfo>${escaped(queryInfo)}</queryInfo></${operation}>`,
  );
}
const jsonResult = (text: string) =>
  JSON.parse(/<GetQueryJSONResult>([\s\S]*)<\/GetQueryJSONResult>/.exec(text)![1].replace(/&quot;/g, '"'));

describe('orders', () => {
  test('a heavier parcel costs more on the contract tariff', async () => {
    const plain = await aras.carrier.quote(parcel());
    const heavy = await aras.carrier.quote(parcel({ parcel: { weightGrams: 9_000, lengthCm: 30, widthCm: 20, heightCm: 10 } }));
    expect(heavy.amount).toBeGreaterThan(plain.amount);
  });

  test('the receiver phone is sent as the 10-digit national number', () => {
    expect(receiverPhone('+90 555 000 0000')).toBe('5550000000');
    expect(receiverPhone('0 (555) 111 22 33')).toBe('5551112233');
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
    expect(aras.carrier.capabilities).toMatchObject({ labelFormats: [], pickups: false, returns: true });
    const [order] = await aras.bookingsUnder(key);
    expect(order.raw).toMatchObject({ kind: 'shipment', cancelled: false, sends: 1, scans: [] });
  });

  test('the same IntegrationCode sent again updates the order the carrier holds (no duplicate refusal): one order, the latest amount', async () => {
    const key = newKey();
    const first = await aras.carrier.book(parcel({ cashOnDelivery: { amount: 100, currency: 'TRY' } }), key);
    const again = await aras.carrier.book(parcel({ cashOnDelivery: { amount: 300, currency: 'TRY' } }), key);
    expect(again).toEqual(first);
    expect(await aras.bookingsUnder(key)).toEqual([
      expect.objectContaining({ codAmount: 300, raw: expect.objectContaining({ sends: 2 }) }),
    ]);
  });

  test('cash on delivery is collected as the order says: CodCollectionType 0 cash (the default), 1 card', async () => {
    const cash = newKey();
    const card = newKey();
    await aras.carrier.book(parcel({ cashOnDelivery: { amount: 120, currency: 'TRY' } }), cash);
    await aras.carrier.book(parcel({ cashOnDelivery: { amount: 80, currency: 'TRY', collectionType: 'card' } }), card);
    expect((await aras.bookingsUnder(cash))[0].raw).toMatchObject({ codAmount: 120, codCollection: 'cash' });
    expect((await aras.bookingsUnder(card))[0].raw).toMatchObject({ codAmount: 80, codCollection: 'card' });
  });

  test('a resend after the branch issued the waybill (60020) is the same booking, unchanged', async () => {
    const key = newKey();
    const first = await aras.carrier.book(parcel(), key);
    await advance(first.trackingNumber);
    const before = callsTo(ARAS_ORDER_SERVICE_PATH);
    await expect(aras.carrier.book(parcel(), key)).resolves.toEqual(first);
    expect(callsTo(ARAS_ORDER_SERVICE_PATH) - before).toBe(1); // SetOrder only: 60020 says the order is there
    expect(await aras.bookingsUnder(key)).toEqual([
      expect.objectContaining({ state: 'moving', raw: expect.objectContaining({ sends: 1 }) }),
    ]);
  });

  test('past 20 sends (70035) the adapter asks GetOrderWithIntegrationCode, which shows the order: the same booking', async () => {
    const key = newKey();
    const first = await aras.carrier.book(parcel(), key);
    for (let i = 1; i < 20; i++) await aras.carrier.book(parcel(), key);
    const before = callsTo(ARAS_ORDER_SERVICE_PATH);
    await expect(aras.carrier.book(parcel(), key)).resolves.toEqual(first);
    expect(callsTo(ARAS_ORDER_SERVICE_PATH) - before).toBe(2); // SetOrder (70035), then GetOrderWithIntegrationCode
    expect(await aras.bookingsUnder(key)).toHaveLength(1);
  });

  test("SenderAccountAddressId is the warehouse's id as Aras issued it; one the carrier does not know is refused (1006)", async () => {
    const known = aras.adapter({ senderAddressIds: SANDBOX_ARAS_SENDER_ADDRESS_IDS });
    await expect(known.book(parcel(), newKey())).resolves.toMatchObject({ carrier: 'aras' });
    const unknown = await failureOf(aras.adapter({ senderAddressIds: { 'IST-1': '999999' } }).book(parcel(), newKey()));
    expect(unknown).toMatchObject({ type: 'CarrierRefused', nonRetryable: true });
    expect(unknown.message).toContain('ResultCode 1006: Sevk adresi bulunamadı');
  });
});

describe('returns, on the return account', () => {
  test('a return is booked on the return account: the shipping account neither sees it nor cancels it; cancel(key) finds it', async () => {
    const key = `S-${Date.now()}:return`;
    const label = await aras.carrier.createReturn(parcel(), key);
    expect(await aras.bookingsUnder(key)).toEqual([expect.objectContaining({ kind: 'return', state: 'booked' })]);
    const shippingOnly = aras.adapter({ returnUserName: undefined, returnPassword: undefined });
    await shippingOnly.cancel(key); // -1 on the shipping account: nothing there
    expect(await aras.bookingsUnder(key)).toEqual([expect.objectContaining({ state: 'booked' })]);
    await aras.carrier.cancel(key);
    expect(await aras.bookingsUnder(key)).toEqual([expect.objectContaining({ bookingId: label.bookingId, state: 'cancelled' })]);
  });
});

describe('lost answers: one live order per key without an idempotency header', () => {
  test('a return created but its SetOrder answer lost: the resend updates the same order', async () => {
    const key = `S-${Date.now()}:return`;
    const liveBefore = await aras.liveCount();
    await aras.injectFault({ kind: 'lose-response', on: ['SetOrder'], times: 1 });
    expect(await failureOf(aras.carrier.createReturn(parcel(), key))).toMatchObject({ type: 'CarrierUnavailable', nonRetryable: false });
    const label = await aras.carrier.createReturn(parcel(), key);
    expect(await aras.bookingsUnder(key)).toEqual([
      expect.objectContaining({ bookingId: label.bookingId, kind: 'return', state: 'booked' }),
    ]);
    expect(await aras.liveCount()).toBe(liveBefore + 1);
  });

  test('a cancel carried out but its CancelDispatch answer lost: the repeat finds nothing to delete (-1) and is done', async () => {
    const key = newKey();
    await aras.carrier.book(parcel(), key);
    const liveBefore = await aras.liveCount();
    await aras.injectFault({ kind: 'lose-response', on: ['CancelDispatch'], times: 1 });
    expect(await failureOf(aras.carrier.cancel(key))).toMatchObject({ type: 'CarrierUnavailable', nonRetryable: false });
    await aras.carrier.cancel(key);
    expect(await aras.bookingsUnder(key)).toEqual([expect.objectContaining({ state: 'cancelled' })]);
    expect(await aras.liveCount()).toBe(liveBefore - 1);
  });
});

describe('the query service', () => {
  test('tracking is batched: QueryType 39 with comma-separated IntegrationCodes, one state per parcel, split over calls past 50', async () => {
    const bookings = await Promise.all([1, 2, 3].map(() => aras.carrier.book(parcel(), newKey())));
    for (const [i, b] of bookings.entries()) for (let n = 0; n <= i; n++) await advance(b.trackingNumber);
    const before = callsTo(ARAS_QUERY_SERVICE_PATH);
    const events = await aras.carrier.track(bookings.map((b) => b.trackingNumber));
    expect(callsTo(ARAS_QUERY_SERVICE_PATH) - before).toBe(1);
    expect(bookings.map((b) => events.filter((e) => e.trackingNumber === b.trackingNumber).map((e) => e.rawCode))).toEqual([
      ['1/1'],
      ['2/1'],
      ['3/1'],
    ]);

    const unknown = Array.from({ length: 119 }, () => integrationCodeFor(newKey()));
    const many = await aras.carrier.track([...unknown, bookings[0].trackingNumber]);
    expect(callsTo(ARAS_QUERY_SERVICE_PATH) - before).toBe(1 + 3); // 120 numbers: 50 + 50 + 20
    expect(many.map((e) => e.trackingNumber)).toEqual([bookings[0].trackingNumber]); // unknown numbers add nothing
  });

  test('each QueryType gives its own columns: 1 and 11 the state, 39 also the last movement time; GetQueryXML the same as XML', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => aras.carrier.book(parcel(), newKey())));
    await advance(a.trackingNumber);
    await advance(b.trackingNumber);
    const one = jsonResult((await query('GetQueryJSON', 1, a.trackingNumber).expect(200)).text);
    expect(one.QueryResult.Cargo).toMatchObject({
      MUSTERI_OZEL_KODU: a.trackingNumber,
      DURUM_KODU: '1',
      TIP_KODU: '1',
      KARGO_TAKIP_NO: expect.stringMatching(/^\d{13}$/),
    });
    expect(one.QueryResult.Cargo).not.toHaveProperty('ISLEM_TARIHI');
    const eleven = jsonResult((await query('GetQueryJSON', 11, `${a.trackingNumber},${b.trackingNumber}`).expect(200)).text);
    expect(eleven.QueryResult.Cargo.map((c: { MUSTERI_OZEL_KODU: string }) => c.MUSTERI_OZEL_KODU)).toEqual([
      a.trackingNumber,
      b.trackingNumber,
    ]);
    const thirtyNine = jsonResult((await query('GetQueryJSON', 39, a.trackingNumber).expect(200)).text);
    expect(thirtyNine.QueryResult.Cargo.ISLEM_TARIHI).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/);
    expect(jsonResult((await query('GetQueryJSON', 39, 'NOSUCHCODE').expect(200)).text)).toEqual({ QueryResult: null });
    const xml = await query('GetQueryXML', 1, a.trackingNumber).expect(200);
    expect(xml.text).toContain(escaped(`<MUSTERI_OZEL_KODU>${a.trackingNumber}</MUSTERI_OZEL_KODU>`));
  });

  test('the query membership is its own login: a wrong customer code is refused there (a Client fault) while booking works', async () => {
    const wrong = aras.adapter({ customerCode: 'SOMEONE-ELSE' });
    const booking = await wrong.book(parcel(), newKey());
    const failure = await failureOf(wrong.track([booking.trackingNumber]));
    expect(failure).toMatchObject({ type: 'CarrierRefused', nonRetryable: true });
    expect(failure.message).toContain('HTTP 500, carrier code 2001');
    const orderLoginOnQuery = aras.adapter({
      queryUserName: SANDBOX_ARAS_CREDENTIALS.orderUserName,
      queryPassword: SANDBOX_ARAS_CREDENTIALS.orderPassword,
    });
    expect((await failureOf(orderLoginOnQuery.track([booking.trackingNumber]))).message).toContain('carrier code 2001');
  });
});

describe('the double speaks the captured definition (carriers/aras/spec/)', () => {
  test("the spec's example requests pass the double's WSDL check (its placeholder accounts then get 1000 / -2 / 2001)", async () => {
    for (const [file, action, answer] of [
      ['SetOrder.request.wsdl-sequence.xml', 'SetOrder', '<ResultCode>1000</ResultCode>'],
      ['SetOrder.request.carrier-document.xml', 'SetOrder', '<ResultCode>1000</ResultCode>'],
      ['CancelDispatch.request.xml', 'CancelDispatch', '<ResultCode>-2</ResultCode>'],
    ]) {
      const res = await request(aras.sandbox.app)
        .post(`/aras${ARAS_ORDER_SERVICE_PATH}`)
        .set('Content-Type', 'text/xml')
        .set('SOAPAction', `"http://tempuri.org/${action}"`)
        .send(example(file));
      expect([file, res.status, res.text]).toEqual([file, 200, expect.stringContaining(answer)]);
    }
    for (const file of ['GetQueryJSON.request.QueryType1.xml', 'GetQueryJSON.request.QueryType11-batch.xml']) {
      const res = await request(aras.sandbox.app)
        .post(`/aras${ARAS_QUERY_SERVICE_PATH}`)
        .set('Content-Type', 'text/xml')
        .set('SOAPAction', '"http://tempuri.org/IArasCargoIntegrationService/GetQueryJSON"')
        .send(example(file));
      expect([file, res.status, res.text]).toEqual([file, 500, expect.stringContaining('<ResultCode>2001</ResultCode>')]);
    }
  });

  test('a request with a deliberately wrong field name is refused with a Client fault naming it, and nothing is booked', async () => {
    const { orderUserName: user, orderPassword: pass } = SANDBOX_ARAS_CREDENTIALS;
    const order = (receiverName: string) =>
      `<SetOrder xmlns="http://tempuri.org/"><orderInfo><Order><UserName>${user}</UserName><Password>${pass}</Password>` +
      `<${receiverName}>Ayşe</${receiverName}><ReceiverAddress>Bağdat Cad. 12</ReceiverAddress><ReceiverPhone1>5550000000</ReceiverPhone1>` +
      `<ReceiverCityName>İstanbul</ReceiverCityName><ReceiverTownName>Kadıköy</ReceiverTownName><IntegrationCode>WRONGFIELD1</IntegrationCode>` +
      `</Order></orderInfo><userName>${user}</userName><password>${pass}</password></SetOrder>`;
    const wrong = await soap(ARAS_ORDER_SERVICE_PATH, 'SetOrder', order('ReceiverNme'));
    expect(wrong.status).toBe(500);
    expect(wrong.text).toContain('<faultcode>soap:Client</faultcode>');
    expect(wrong.text).toContain('ReceiverNme');
    expect(state().get('WRONGFIELD1')).toBeUndefined();
    await soap(ARAS_ORDER_SERVICE_PATH, 'SetOrder', order('ReceiverName')).expect(200); // the same request spelled right is taken

    const badQuery = await query('GetQueryJSON', 2, 'X'); // QueryType 2 is not among the captured ones
    expect(badQuery.status).toBe(500);
    expect(badQuery.text).toContain('invalid queryInfo');
  });

  test('a reply that drifts from the WSDL is never sent: a 500 and a loud log, which the adapter sees as the carrier failing', async () => {
    const logged: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) });
    const drifting = await startDouble(arasDouble, { logger });
    try {
      const adapter = aras.adapter({}, { on: drifting });
      const key = newKey();
      await adapter.book(parcel(), key);
      const order = drifting.state.get(integrationCodeFor(key))!;
      order.sends = 20; // the carrier's limit: the next send is answered 70035 and the adapter reads the order back
      order.waybillNumber = 'W'.repeat(17); // TradingWaybillNumber is String(16)
      const failure = await failureOf(adapter.book(parcel(), key));
      expect(failure).toMatchObject({ type: 'CarrierUnavailable', nonRetryable: false });
      expect(failure.message).toContain('GetOrderWithIntegrationCode: HTTP 500');
      expect(logged.join('\n')).toContain('sandbox reply does not match the WSDL');
    } finally {
      await drifting.close();
    }
  });

  test("the carrier's captured SetOrder reply (1006, tulparstudyo/kargo-net) replayed through the adapter's parser is a refusal naming it", async () => {
    const app = express().post(
      '/arascargoservice.asmx',
      (_req, res) => void res.type('text/xml').send(example('SetOrder.response-1006.captured.xml')),
    );
    const server = await listen(app);
    try {
      const adapter = aras.adapter({ orderUrl: `${server.url}/arascargoservice.asmx` });
      const failure = await failureOf(adapter.book(parcel(), newKey()));
      expect(failure).toMatchObject({ type: 'CarrierRefused', nonRetryable: true });
      expect(failure.message).toBe('aras SetOrder: ResultCode 1006: Sevk adresi bulunamadı.'); // the message as sent, trimmed
    } finally {
      await server.close();
    }
  });

  test('the query JSON as integrations show it: one record an object, several an array, string values, null for nothing', () => {
    const cargo = {
      MUSTERI_OZEL_KODU: 'A1',
      DURUM_KODU: '6',
      TIP_KODU: '1',
      ISLEM_TARIHI: '02.12.2026 10:15:00',
      KARGO_TAKIP_NO: '3100000000001',
    };
    expect(parseCargoStates(JSON.stringify({ QueryResult: { Cargo: cargo } }))).toEqual([expect.objectContaining({ DURUM_KODU: '6' })]);
    expect(parseCargoStates(JSON.stringify({ QueryResult: { Cargo: [cargo, { ...cargo, MUSTERI_OZEL_KODU: 'A2' }] } }))).toHaveLength(2);
    expect(parseCargoStates(JSON.stringify({ QueryResult: null }))).toEqual([]);
    expect(() => parseCargoStates(JSON.stringify({ QueryResult: { CargoTransaction: [cargo] } }))).toThrow(
      'GetQueryJSONResult: QueryResult.Cargo',
    );
  });
});

describe('result codes', () => {
  test("codes map by the carrier's published meaning: 940/941 the address, CancelDispatch's 936 its trouble, 70019/70026 refusals", () => {
    const mapped = (operation: string, code: string) => {
      const f = resultFailure(operation, code, 'message');
      return [f.type, f.nonRetryable];
    };
    expect(mapped('SetOrder', '940')).toEqual([ADDRESS_REJECTED, true]);
    expect(mapped('SetOrder', '941')).toEqual([ADDRESS_REJECTED, true]);
    expect(mapped('CancelDispatch', '936')).toEqual(['CarrierUnavailable', false]);
    expect(mapped('SetOrder', '70019')).toEqual(['CarrierRefused', true]); // InvoiceKey over 20 characters, not an address
    expect(mapped('SetOrder', '70026')).toEqual(['CarrierRefused', true]); // volume not a decimal
  });

  test('wrong order-service credentials on CancelDispatch are refused with result code -2', async () => {
    const cancel = await failureOf(aras.adapter({ orderPassword: 'wrong' }).cancel(newKey()));
    expect(cancel.type).toBe('CarrierRefused');
    expect(cancel.message).toContain('ResultCode -2');
  });
});
