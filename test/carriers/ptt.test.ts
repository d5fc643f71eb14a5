// Contract tests: the PTT adapter against its SOAP double over HTTP. The common suite
// (test/helpers/carrier-contract.ts) runs with the kit below; this file keeps what is PTT's own: barcodes
// PTT gives under our reference, il/ilçe codes, deletion only before acceptance, returns on their own
// account, a slow API, and conformance to the captured WSDLs (the double validates every request and
// reply; the spec's examples are validated and a captured reply replayed through the adapter).
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { startDouble } from '../helpers/carrier-sandbox';
import { carrierContract, domesticRefusals, ISTANBUL_CUSTOMER, type CarrierKit } from '../helpers/carrier-contract';
import { exampleReplies, type ExampleReplies } from '../helpers/example-replies';
import { failureOf } from '../helpers/failures';
import { ADDRESS_REJECTED } from '../../domain/carrier-failures';
import { createPttAdapter, pttConnector, referenceFor, type PttAdapterConfig } from '../../carriers/ptt';
import {
  ACCEPTANCE_WSDL,
  MOVEMENT_WSDL,
  NO_LATENCY,
  PTT_ACCEPTANCE_PATH,
  SANDBOX_PTT_CREDENTIALS,
  SLOW_API,
  pttDouble,
} from '../../sandbox/ptt';
import { bodyElementOf, schemasOf, validateBodyElement } from '../../sandbox/wsdl';

const WAREHOUSE = { name: 'Order Engine Depo', street: 'Hadımköy Yolu No: 5', city: 'İstanbul', district: 'Esenyurt' };
const SANDBOX_ACCOUNTS = { ...SANDBOX_PTT_CREDENTIALS, returnTo: WAREHOUSE };

/** PTT: SOAP, our reference derived from the key, a barcode PTT gives, quotes from the contract tariff. */
const kit: CarrierKit<PttAdapterConfig> = {
  connector: pttConnector,
  double: pttDouble,
  doubleOptions: { latency: NO_LATENCY },
  adapter: (base, overrides) => createPttAdapter({ ...SANDBOX_ACCOUNTS, ...base, ...overrides }),
  customer: ISTANBUL_CUSTOMER,
  keyFor: referenceFor,
  // The barcode is the booking id and the tracking number; 701 is "registered", a deleted record cancelled.
  booking: ({ reference, barcode, state }) => ({
    key: reference as string,
    bookingId: barcode as string,
    trackingNumber: barcode as string,
    state: state === 'deleted' ? 'cancelled' : state === 701 ? 'booked' : String(state),
  }),
  operations: { book: 'kabulEkle2', track: 'barkodSorgu', cancel: 'referansVeriSil' },
  bookingOperations: ['kabulEkle2'],
  codes: {
    serverError: '-99', // no published code for PTT's own failures: the sandbox's
    unavailable: '-99',
    rateLimited: '-429', // the sandbox's
    addressRejected: '30', // the sandbox's: an address of fewer than 10 characters
    badCredentials: '-1', // "Kullanıcı Şifre Hatalı", published
    notCancellable: 'hataKodu 40', // the sandbox's: accepted by an office, no longer deletable
  },
  wrongCredentials: { password: 'wrong' },
  badAddress: { line1: 'Kat 3' },
  refusedWithoutCall: domesticRefusals('express'),
  tracking: {
    booked: [['701', 'pending']],
    cancelled: ['pending', 'cancelled'],
    happyPath: {
      scans: [{}, {}, {}, {}, {}],
      events: [
        ['701', 'pending'],
        ['1', 'picked_up'],
        ['77', 'in_transit'],
        ['11', 'in_transit'],
        ['7', 'out_for_delivery'],
        ['100', 'delivered'],
      ],
      lastLocation: 'KADIKÖY PTT MERKEZİ',
      utcOffset: '+03:00',
    },
    table: {
      scans: [{ code: 112 }, { code: 124 }, { code: 99 }, { code: 120 }],
      events: [
        ['112', 'ready_for_pickup'],
        ['124', 'delivery_failed'],
        ['99', 'return_to_sender'],
        ['120', 'returned'],
      ],
    },
    unknown: { scans: [{ code: 4242, words: 'Bilinmeyen' }], rawCodes: ['4242'] },
  },
  malformed: [
    { call: 'book', names: 'not a valid XML SOAP envelope' },
    { call: 'track', variant: 'wrong-shape', names: 'barkodSorguResponse.return' },
  ],
};

const ptt = carrierContract(kit);
const { admin } = ptt;

/** The double's summary of one parcel (GET /_admin/ptt/shipments/:barcode). */
const held = async (barcode: string) => (await admin.get(`/shipments/${barcode}`).expect(200)).body as Record<string, unknown>;

describe('references, barcodes and il/ilçe codes', () => {
  test('books under a reference derived from the idempotency key; PTT gives the barcode, our label prints it', async () => {
    const key = ptt.newKey();
    const booking = await ptt.carrier.book(ptt.parcel(), key);
    expect(referenceFor(key)).toMatch(/^[0-9A-F]{20}$/);
    expect(booking).toEqual({
      carrier: 'ptt',
      bookingId: expect.stringMatching(/^KP\d{11}$/),
      trackingNumber: booking.bookingId,
      labelRef: `barcode:${booking.bookingId}`,
      idempotencyKey: key,
    });
    expect(await held(booking.trackingNumber)).toMatchObject({ reference: referenceFor(key), account: SANDBOX_PTT_CREDENTIALS.customerId });
  });

  test.each([
    [{ district: 'Springfield' }, 'to.district', '"Springfield" is not a district (ilçe) of İstanbul'],
    [{ district: undefined }, 'to.district', 'PTT routes by district (ilçe): none given in İstanbul'],
    [{ city: 'Gotham' }, 'to.city', '"Gotham" is not a Turkish province (il)'],
  ])('an address that cannot be coded (%o) is AddressRejected naming %s, booking and quoting, before any call', async (to, field, why) => {
    const before = ptt.sandbox.calls.length;
    const failure = await failureOf(ptt.carrier.book(ptt.parcel({ to }), ptt.newKey()));
    expect(failure.type).toBe(ADDRESS_REJECTED);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(`ptt book: ${field}: ${why}`);
    expect((await failureOf(ptt.carrier.quote(ptt.parcel({ to })))).message).toBe(`ptt quote: ${field}: ${why}`);
    expect(ptt.sandbox.calls.length).toBe(before);
  });

  test('names are matched as people type them; a province whose districts we do not list goes by name', async () => {
    await expect(ptt.carrier.book(ptt.parcel({ to: { city: 'ISTANBUL', district: 'kadikoy' } }), ptt.newKey())).resolves.toBeDefined();
    await expect(ptt.carrier.book(ptt.parcel({ to: { city: 'Bursa', district: 'Osmangazi' } }), ptt.newKey())).resolves.toBeDefined();
  });
});

test('a restarted sandbox gives no barcode again: the engine keeps every barcode it recorded', async () => {
  const restarted = await startDouble(pttDouble, { latency: NO_LATENCY });
  try {
    const before = await ptt.carrier.book(ptt.parcel(), ptt.newKey());
    const after = await ptt.adapter({}, { on: restarted }).book(ptt.parcel(), ptt.newKey());
    expect(after.trackingNumber).not.toBe(before.trackingNumber);
  } finally {
    await restarted.close();
  }
});

describe('deletion only before acceptance', () => {
  test('once an office has accepted the parcel, cancel is refused with its state in PTT’s words', async () => {
    const key = ptt.newKey();
    const booking = await ptt.carrier.book(ptt.parcel(), key);
    await ptt.advance(booking.trackingNumber); // 1 Kabul Edildi
    const failure = await failureOf(ptt.carrier.cancel(key));
    expect(failure.message).toBe('ptt referansVeriSil: hataKodu 40: Gönderi kabul edilmiş, silinemez: 1 Kabul Edildi');
    expect(await held(booking.trackingNumber)).toMatchObject({ state: 1 });
  });

  test('deleted but the referansVeriSil answer lost: the retry finds no record, and one booking fewer is live', async () => {
    const key = ptt.newKey();
    await ptt.carrier.book(ptt.parcel(), key);
    const liveBefore = await ptt.liveCount();
    await ptt.injectFault({ kind: 'lose-response', on: ['referansVeriSil'], times: 1 });
    expect((await failureOf(ptt.carrier.cancel(key))).type).toBe('CarrierUnavailable');
    await ptt.carrier.cancel(key);
    expect(await ptt.liveCount()).toBe(liveBefore - 1);
  });
});

describe('returns: their own account', () => {
  const returnKey = () => `S-${ptt.newKey()}:return`;

  test('a return is uploaded on the returns account to the warehouse, tracked and deleted there', async () => {
    const key = returnKey();
    const label = await ptt.carrier.createReturn(ptt.parcel(), key);
    expect(await held(label.trackingNumber)).toMatchObject({ kind: 'return', account: SANDBOX_PTT_CREDENTIALS.returnCustomerId });
    await ptt.advance(label.trackingNumber); // handed in at the customer's office
    expect((await ptt.carrier.track([label.trackingNumber])).at(-1)).toMatchObject({
      rawCode: '1',
      status: 'picked_up',
      location: 'KADIKÖY PTT MERKEZİ',
    });
    const unused = returnKey();
    const other = await ptt.carrier.createReturn(ptt.parcel(), unused);
    await ptt.carrier.cancel(unused);
    expect(await held(other.trackingNumber)).toMatchObject({ state: 'deleted' });
  });

  test('a returns account PTT does not know is refused with its code', async () => {
    const wrong = ptt.adapter({ returnPassword: 'wrong' });
    const failure = await failureOf(wrong.createReturn(ptt.parcel(), returnKey()));
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('hataKodu -1');
  });
});

test('a return address PTT cannot route fails when the adapter is made, not on the first return', () => {
  const returnTo = { ...WAREHOUSE, district: 'Springfield' };
  expect(() => ptt.adapter({ returnTo })).toThrow('invalid PTT return address: "Springfield" is not a district (ilçe) of İstanbul');
});

describe('a slow API', () => {
  test('the timeout is set above the sandbox’s realistic worst case: base, jitter and a stall', () => {
    const { PTT_TIMEOUT_MS } = pttConnector.settings.parse({});
    expect(PTT_TIMEOUT_MS).toBeGreaterThan(SLOW_API.baseMs + SLOW_API.jitterMs + SLOW_API.stallMs);
  });

  test('a stall past the timeout is a retryable timeout; the retry with the same key books nothing new', async () => {
    const stalling = await startDouble(pttDouble, { latency: { ...NO_LATENCY, stallProbability: 1, stallMs: 800 } });
    try {
      const impatient = ptt.adapter({}, { on: stalling, timeoutMs: 300 });
      const key = ptt.newKey();
      const failure = await failureOf(impatient.book(ptt.parcel(), key));
      expect(failure).toMatchObject({ type: 'CarrierTimeout', nonRetryable: false });
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // PTT still takes the late upload
      const patient = ptt.adapter({}, { on: stalling, timeoutMs: 3_000 });
      const booking = await patient.book(ptt.parcel(), key);
      expect(stalling.state.list()).toEqual([expect.objectContaining({ barcode: booking.trackingNumber, deleted: false })]);
    } finally {
      await stalling.close();
    }
  });
});

describe('conformance to the captured WSDLs', () => {
  test('a parcel with an element Dongu does not have (aliciPostaKodu) is refused with a Client fault naming it', async () => {
    const body =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:kab="http://kabul.ptt.gov.tr" xmlns:ax="http://kabul.ptt.gov.tr/xsd">' +
      '<soapenv:Body><kab:kabulEkle2><kab:input><ax:dongu><ax:aAdres>Bağdat Cad. 12</ax:aAdres><ax:aliciPostaKodu>34710</ax:aliciPostaKodu></ax:dongu>' +
      '</kab:input></kab:kabulEkle2></soapenv:Body></soapenv:Envelope>';
    const res = await request(ptt.sandbox.app)
      .post(`/ptt${PTT_ACCEPTANCE_PATH}`)
      .set('Content-Type', 'text/xml')
      .set('SOAPAction', '"urn:kabulEkle2"')
      .send(body);
    expect(res.status).toBe(500);
    expect(res.text).toContain('<faultcode>soapenv:Client</faultcode>');
    expect(res.text).toContain('<hataKodu>-2</hataKodu>');
    expect(res.text).toContain('aliciPostaKodu');
  });

  test.each([
    ['kabulEkle2.request.xml', ACCEPTANCE_WSDL],
    ['kabulEkle2.response.xml', ACCEPTANCE_WSDL],
    ['barkodSorgu.response.xml', MOVEMENT_WSDL],
  ])("the spec's example %s validates against its WSDL", async (file, wsdl) => {
    const element = bodyElementOf(readFileSync(`carriers/ptt/spec/examples/${file}`, 'utf8'));
    expect(await validateBodyElement(schemasOf(wsdl), element!.xml)).toEqual([]);
  });

  describe("the captured reply through the adapter's parser", () => {
    let examples: ExampleReplies;
    beforeAll(async () => {
      examples = await exampleReplies('carriers/ptt/spec/examples');
    });
    afterAll(() => examples.close());

    test('kabulEkle2 gives the barcode; barkodSorgu: event 1 accepted, at its unit, in Turkish time', async () => {
      const adapter = createPttAdapter({
        ...SANDBOX_ACCOUNTS,
        baseUrl: examples.baseUrl,
        timeoutMs: 5_000,
        log: { warn: () => undefined },
      });
      const booking = await adapter.book(ptt.parcel(), ptt.newKey());
      expect(booking.trackingNumber).toBe('KP01000000017');
      expect(await adapter.track(['KP01000000017'])).toEqual([
        expect.objectContaining({
          rawCode: '1',
          status: 'picked_up',
          occurredAt: '2023-03-23T15:42:34+03:00',
          location: 'GENEL MÜDÜRLÜK/GENEL MÜDÜRLÜK',
        }),
      ]);
      expect(examples.received.map((r) => r.soapAction)).toEqual(['"urn:kabulEkle2"', '"urn:barkodSorgu"']);
    });
  });
});
