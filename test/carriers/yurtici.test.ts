// Contract tests: the Yurtiçi adapter against its SOAP double over HTTP. The common suite
// (test/helpers/carrier-contract.ts) runs with the kit below; this file keeps what is Yurtiçi's own:
// its status pairs and movements, the two users, return codes, lost answers without an idempotency
// header, and conformance to the captured WSDL (the double validates every request and reply; the
// spec's example replies are replayed through the adapter's parser).
import request from 'supertest';
import { carrierContract, domesticRefusals, ISTANBUL_CUSTOMER, type CarrierKit } from '../helpers/carrier-contract';
import { exampleReplies, type ExampleReplies } from '../helpers/example-replies';
import { failureOf } from '../helpers/failures';
import { cargoKeyFor, createYurticiAdapter, yurticiConnector, type YurticiAdapterConfig } from '../../carriers/yurtici';
import { createYurticiClient } from '../../carriers/yurtici/client';
import { SANDBOX_YURTICI_CREDENTIALS, YURTICI_SERVICE_PATH, YURTICI_WSDL, yurticiDouble, type YurticiState } from '../../sandbox/yurtici';
import { bodyElementOf, schemasOf, validateBodyElement } from '../../sandbox/wsdl';

/** Yurtiçi: SOAP, a cargoKey derived from our key, quotes from the contract tariff, a barcode for a label. */
const kit: CarrierKit<YurticiAdapterConfig> = {
  connector: yurticiConnector,
  double: yurticiDouble,
  adapter: (base, overrides) => createYurticiAdapter({ ...SANDBOX_YURTICI_CREDENTIALS, ...base, ...overrides }),
  customer: ISTANBUL_CUSTOMER,
  keyFor: cargoKeyFor,
  // The cargoKey is the booking id and the tracking number; NOP is "registered", CNL "cancelled".
  booking: ({ cargoKey, operationStatus }) => ({
    key: cargoKey as string,
    state: operationStatus === 'NOP' ? 'booked' : operationStatus === 'CNL' ? 'cancelled' : String(operationStatus),
  }),
  operations: { book: 'createShipment', track: 'queryShipment', cancel: 'cancelShipment' },
  bookingOperations: ['createShipment'],
  codes: {
    serverError: '936', // and for a carrier that is down: one code for its own failures
    unavailable: '936',
    rateLimited: '99429', // no published code: the sandbox's
    addressRejected: '82502', // receiverAddress shorter than 10 characters
    badCredentials: '99001', // no published code: the sandbox's
    notCancellable: 'ISR/2', // the pair that prevented it: a branch has processed the parcel
  },
  wrongCredentials: { password: 'wrong' },
  badAddress: { line1: 'Kat 3' },
  refusedWithoutCall: domesticRefusals('express'),
  tracking: {
    booked: [], // NOP/0, registered and untouched: no news
    cancelled: ['cancelled'],
    // One reading after delivery: every movement carries the status the carrier reports then.
    happyPath: {
      scans: [{}, {}, {}, {}],
      events: [
        ['DLV/5', 'delivered'],
        ['DLV/5', 'delivered'],
        ['DLV/5', 'delivered'],
        ['DLV/5', 'delivered'],
        ['DLV/5', 'delivered'],
      ],
      lastLocation: 'Kadıköy Branch, İstanbul',
      utcOffset: '+03:00',
    },
    table: { scans: [{ operationCode: 6 }], events: [['BI/6', 'on_hold']] },
    unknown: { scans: [{ operationCode: 9, operationStatus: 'XYZ' }], rawCodes: ['XYZ/9'] },
  },
  malformed: [
    { call: 'book', names: 'not a valid XML SOAP envelope' },
    { call: 'track', variant: 'wrong-shape', names: 'ShippingDeliveryVO' },
  ],
};

const yurtici = carrierContract(kit);
const { admin } = yurtici;

/** The double's summary of one booking (GET /_admin/yurtici/shipments/:cargoKey), or undefined. */
async function held(cargoKey: string): Promise<Record<string, unknown> | undefined> {
  const res = await admin.get(`/shipments/${cargoKey}`);
  return res.status === 200 ? (res.body as Record<string, unknown>) : undefined;
}

const newest = async (trackingNumber: string) => (await yurtici.carrier.track([trackingNumber])).at(-1);

describe('cargoKeys and the status pairs', () => {
  test('books a shipment keyed by a cargoKey derived from the idempotency key; the label is a barcode reference', async () => {
    const key = yurtici.newKey();
    const booking = await yurtici.carrier.book(yurtici.parcel(), key);
    const cargoKey = cargoKeyFor(key);
    expect(cargoKey).toMatch(/^[0-9A-F]{20}$/);
    expect(booking).toEqual({
      carrier: 'yurtici',
      bookingId: cargoKey,
      trackingNumber: cargoKey,
      labelRef: `barcode:${cargoKey}`,
      idempotencyKey: key,
    });
    expect(await held(cargoKey)).toMatchObject({ user: SANDBOX_YURTICI_CREDENTIALS.username, operationStatus: 'NOP', codAmount: null });
  });

  test('a number the carrier does not know (yet: a new shipment takes minutes to show) has no events, and no failure', async () => {
    expect(await yurtici.carrier.track([cargoKeyFor(yurtici.newKey())])).toEqual([]);
  });

  test('read after every movement, the newest event follows the published pairs: ISR/2 picked up, IND/1 in transit, DLV/5 delivered', async () => {
    const booking = await yurtici.carrier.book(yurtici.parcel(), yurtici.newKey());
    const seen = [];
    for (let i = 0; i < 4; i++) {
      await yurtici.advance(booking.trackingNumber);
      const last = await newest(booking.trackingNumber);
      seen.push([last?.rawCode, last?.status, last?.location]);
    }
    expect(seen).toEqual([
      ['ISR/2', 'picked_up', 'Esenyurt Branch, İstanbul'],
      ['IND/1', 'in_transit', 'Istanbul Transfer Centre, İstanbul'],
      ['IND/1', 'in_transit', 'Kadıköy Branch, İstanbul'],
      ['DLV/5', 'delivered', 'Kadıköy Branch, İstanbul'],
    ]);
  });

  test('a parcel the receiver refused goes back (rejectStatus 9) and is returned to the sender (returnStatus 3)', async () => {
    const booking = await yurtici.carrier.book(yurtici.parcel(), yurtici.newKey());
    await yurtici.advance(booking.trackingNumber);
    await yurtici.advance(booking.trackingNumber, { rejectStatus: 9 });
    expect(await newest(booking.trackingNumber)).toMatchObject({ rawCode: 'rejectStatus/9', status: 'return_to_sender' });
    await yurtici.advance(booking.trackingNumber, { returnStatus: 3 });
    expect(await newest(booking.trackingNumber)).toMatchObject({ rawCode: 'returnStatus/3', status: 'returned' });
  });

  test('a cancelled cargoKey cannot book again: the repeat is refused, not taken for the booking', async () => {
    const key = yurtici.newKey();
    await yurtici.carrier.book(yurtici.parcel(), key);
    await yurtici.carrier.cancel(key);
    const failure = await failureOf(yurtici.carrier.book(yurtici.parcel(), key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('CNL/3');
  });
});

describe('cash on delivery: its own user', () => {
  test('is booked by the COD user with the amount, our document number and cash on the same invoice; cancel finds it there', async () => {
    const key = yurtici.newKey();
    const booking = await yurtici.carrier.book(yurtici.parcel({ cashOnDelivery: { amount: 250.5, currency: 'TRY' } }), key);
    expect(await held(booking.trackingNumber)).toMatchObject({ user: SANDBOX_YURTICI_CREDENTIALS.codUsername, codAmount: 250.5 });
    expect(await yurtici.carrier.track([booking.trackingNumber])).toEqual([]); // found, registered (NOP)
    await yurtici.carrier.cancel(key);
    expect(await held(booking.trackingNumber)).toMatchObject({ operationStatus: 'CNL' });
  });

  test('the standard user cannot book cash on delivery: 82512, a refusal', async () => {
    const sameUser = yurtici.adapter({
      codUsername: SANDBOX_YURTICI_CREDENTIALS.username,
      codPassword: SANDBOX_YURTICI_CREDENTIALS.password,
    });
    const failure = await failureOf(sameUser.book(yurtici.parcel({ cashOnDelivery: { amount: 10, currency: 'TRY' } }), yurtici.newKey()));
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('82512');
  });
});

describe('returns: a return code the customer quotes at a branch', () => {
  const returnKey = () => `S-${yurtici.newKey()}:return`;

  test('saved once per key; the carrier has no parcel until the customer hands it in, then it is tracked by the code', async () => {
    const key = returnKey();
    const label = await yurtici.carrier.createReturn(yurtici.parcel(), key);
    expect(label).toMatchObject({ bookingId: cargoKeyFor(key), labelRef: `barcode:${cargoKeyFor(key)}` });
    expect(await yurtici.carrier.track([label.trackingNumber])).toEqual([]);
    await yurtici.advance(label.trackingNumber); // handed in at a branch
    expect(await newest(label.trackingNumber)).toMatchObject({ rawCode: 'ISR/2', status: 'picked_up' });
  });

  test('created but the saveReturnShipmentCode answer lost: the retry (82655, saved before) returns the same label, one code', async () => {
    const key = returnKey();
    await yurtici.injectFault({ kind: 'lose-response', on: ['saveReturnShipmentCode'], times: 1 });
    const failure = await failureOf(yurtici.carrier.createReturn(yurtici.parcel(), key));
    expect(failure.type).toBe('CarrierUnavailable');
    expect(await yurtici.bookingsUnder(key)).toHaveLength(1);
    const label = await yurtici.carrier.createReturn(yurtici.parcel(), key);
    expect(label.trackingNumber).toBe(cargoKeyFor(key));
    expect(await yurtici.bookingsUnder(key)).toEqual([expect.objectContaining({ kind: 'return', state: 'booked' })]);
  });

  test('cancel withdraws an unused return code (cancelReturnShipmentCode); repeating it is a no-op', async () => {
    const key = returnKey();
    await yurtici.carrier.createReturn(yurtici.parcel(), key);
    await yurtici.carrier.cancel(key);
    await yurtici.carrier.cancel(key);
    expect(await yurtici.bookingsUnder(key)).toHaveLength(0);
  });
});

describe('lost answers on cancel', () => {
  test('cancelled but the cancelShipment answer lost: the retry answers ISC/4 (cancelled before), and one booking fewer is live', async () => {
    const key = yurtici.newKey();
    await yurtici.carrier.book(yurtici.parcel(), key);
    const liveBefore = await yurtici.liveCount();
    await yurtici.injectFault({ kind: 'lose-response', on: ['cancelShipment'], times: 1 });
    expect((await failureOf(yurtici.carrier.cancel(key))).type).toBe('CarrierUnavailable');
    await yurtici.carrier.cancel(key);
    expect(await yurtici.liveCount()).toBe(liveBefore - 1);
  });
});

describe('conformance to the captured WSDL', () => {
  const post = (body: string) =>
    request(yurtici.sandbox.app).post(`/yurtici${YURTICI_SERVICE_PATH}`).set('Content-Type', 'text/xml').set('SOAPAction', '""').send(body);
  const envelope = (order: string) =>
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ship="http://yurticikargo.com.tr/ShippingOrderDispatcherServices">' +
    `<soapenv:Body><ship:createShipment><wsUserName>${SANDBOX_YURTICI_CREDENTIALS.username}</wsUserName><wsPassword>${SANDBOX_YURTICI_CREDENTIALS.password}</wsPassword>` +
    `<userLanguage>TR</userLanguage><ShippingOrderVO><cargoKey>K1</cargoKey><invoiceKey>I1</invoiceKey>${order}</ShippingOrderVO></ship:createShipment></soapenv:Body></soapenv:Envelope>`;

  test('a request with a field ShippingOrderVO does not have (receiverPostalCode) is refused with a Client fault naming it', async () => {
    const res = await post(
      envelope('<receiverPostalCode>34710</receiverPostalCode><taxOfficeId>0</taxOfficeId><cargoCount>1</cargoCount>'),
    );
    expect(res.status).toBe(500);
    expect(res.text).toContain('<faultcode>env:Client</faultcode>');
    expect(res.text).toContain('<errorCode>82517</errorCode>');
    expect(res.text.replace(/&apos;/g, "'")).toContain("Element 'receiverPostalCode': This element is not expected");
  });

  test("a fault's detail is the WSDL's YurticikargoWSException", async () => {
    const res = await post(envelope('<wrong/>'));
    const detail = /<detail>([\s\S]*)<\/detail>/.exec(res.text)?.[1] ?? '';
    expect(detail).toContain('YurticikargoWSException');
    expect(await validateBodyElement(schemasOf(YURTICI_WSDL), detail)).toEqual([]);
  });

  test('a reply that drifts from the WSDL is caught: a 500, and the adapter fails instead of learning it', async () => {
    const key = yurtici.newKey();
    const booking = await yurtici.carrier.book(yurtici.parcel(), key);
    await yurtici.advance(booking.trackingNumber);
    (yurtici.sandbox.state as YurticiState).get(booking.trackingNumber)!.docId = 'not-a-long'; // cancel's docId is an xs:long
    await yurtici.advance(booking.trackingNumber, { operationCode: 0 }); // cancellable again, so the reply carries the docId
    const failure = await failureOf(yurtici.carrier.cancel(key));
    expect(failure.type).toBe('CarrierUnavailable');
    expect(failure.message).toContain("does not match the WSDL: Element 'docId'");
  });
});

describe("the spec's example replies through the adapter's parser", () => {
  let examples: ExampleReplies;

  beforeAll(async () => {
    // The query sample without movements, and the one with them for the key PLACEHOLDER.
    const fileFor = (operation: string, body: string) =>
      operation === 'queryShipment' && body.includes('PLACEHOLDER') ? 'queryShipment.response.movement' : `${operation}.response`;
    examples = await exampleReplies('carriers/yurtici/spec/examples', fileFor);
  });
  afterAll(() => examples.close());

  const config = () => ({ ...SANDBOX_YURTICI_CREDENTIALS, baseUrl: examples.baseUrl, timeoutMs: 5_000, log: { warn: () => undefined } });
  const user = { username: 'YKTEST', password: 'YK' };

  test('createShipment: errCode 0 is success', async () => {
    const client = createYurticiClient(config());
    const order = { cargoKey: 'TEST001', invoiceKey: 'INV001', receiverCustName: 'A', receiverAddress: 'B', cityName: 'C', townName: 'D' };
    const base = { taxOfficeId: 0, desi: '1', kg: '1', cargoCount: 1, ttDocumentId: '0', dcSelectedCredit: 0, dcCreditRule: 0 } as const;
    await expect(client.createShipment(user, { ...order, ...base })).resolves.toEqual({ created: true });
  });

  test('queryShipment: the shortened sample (IND without its code) is in transit; the movement sample gives place and Turkish time', async () => {
    const adapter = createYurticiAdapter(config());
    const [indEvent] = (await adapter.track(['KEY1'])).filter((e) => e.eventId.includes(':status:'));
    expect(indEvent).toMatchObject({
      trackingNumber: 'KEY1',
      rawCode: 'IND/1',
      status: 'in_transit',
      location: 'TRANSFER MERKEZİ, İstanbul',
    });
    expect(indEvent.occurredAt).toBe('2024-01-14T18:30:45+03:00');
    const [movement] = await adapter.track(['PLACEHOLDER']);
    expect(movement).toMatchObject({ occurredAt: '2011-07-11T08:23:04+03:00', location: 'AFSIN IRTIBAT, Kahramanmaras' });
  });

  test('cancelShipment: the pair CNL/3 is the outcome; saveReturnShipmentCode: outFlag 0', async () => {
    const client = createYurticiClient(config());
    expect(await client.cancelShipment(user, 'KEY1')).toMatchObject({ operationStatus: 'CNL', operationCode: 3, errCode: '0' });
    const code = { fieldName: '16', returnCode: 'RMA-2024-001', startDate: '20240101', endDate: '20240131' };
    await expect(client.saveReturnCode(user, code)).resolves.toEqual({ created: true });
  });

  test('every request the client sent has SOAPAction "" and validates against the WSDL', async () => {
    const schemas = schemasOf(YURTICI_WSDL);
    expect(examples.received.length).toBeGreaterThanOrEqual(4);
    for (const { soapAction, body } of examples.received) {
      expect(soapAction).toBe('""');
      expect(await validateBodyElement(schemas, bodyElementOf(body)!.xml)).toEqual([]);
    }
  });
});
