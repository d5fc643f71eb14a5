// Contract tests: the Sürat adapter against its SOAP double over HTTP. The common suite
// (test/helpers/carrier-contract.ts) runs with the kit below; this file keeps what is Sürat's own:
// status words mapped by an explicit table, the withdrawal that answers with the status after
// pickup, cash on delivery, lost answers without an idempotency header, and conformance to the
// captured WSDL (the double validates every request and reply).
import request from 'supertest';
import { carrierContract, domesticRefusals, ISTANBUL_CUSTOMER, type CarrierKit } from '../helpers/carrier-contract';
import { failureOf } from '../helpers/failures';
import { createSuratAdapter, suratConnector, suratKeyFor, type SuratAdapterConfig } from '../../carriers/surat';
import { SANDBOX_SURAT_CREDENTIALS, SURAT_SERVICE_PATH, suratDouble } from '../../sandbox/surat';

/** Sürat: SOAP, an OzelKargoTakipNo derived from our key, quotes from the contract tariff, a barcode for a label. */
const kit: CarrierKit<SuratAdapterConfig> = {
  connector: suratConnector,
  double: suratDouble,
  adapter: (base, overrides) => createSuratAdapter({ ...SANDBOX_SURAT_CREDENTIALS, ...base, ...overrides }),
  customer: ISTANBUL_CUSTOMER,
  keyFor: suratKeyFor,
  booking: ({ key, withdrawn, movements }) => ({
    key: key as string,
    state: withdrawn ? 'cancelled' : (movements as unknown[]).length === 0 ? 'booked' : 'scanned',
  }),
  operations: { book: 'GonderiyiKargoyaGonderYeniSiparisBarkodOlustur', track: 'KargoTakipHareketDetayliV2', cancel: 'GonderiGeriCek' },
  bookingOperations: ['GonderiyiKargoyaGonderYeniSiparisBarkodOlustur'],
  codes: {
    serverError: '999', // no published code: the sandbox's, for its own failures
    unavailable: '999',
    rateLimited: '429',
    addressRejected: '461', // AliciAdresi shorter than 10 characters
    badCredentials: '401',
    notCancellable: 'Kargo Kabul', // the status the carrier reports once it has taken the parcel in
  },
  wrongCredentials: { password: 'wrong' },
  badAddress: { line1: 'Kat 3' },
  refusedWithoutCall: domesticRefusals('express'),
  tracking: {
    booked: [], // registered, no movement: no news
    cancelled: ['cancelled'],
    happyPath: {
      scans: [{}, {}, {}, {}, {}],
      events: [
        ['Kargo Kabul', 'picked_up'],
        ['Aktarma Merkezinde', 'in_transit'],
        ['Dağıtım Şubesinde', 'in_transit'],
        ['Dağıtıma Verildi', 'out_for_delivery'],
        ['Teslim Edildi', 'delivered'],
      ],
      lastLocation: 'Kadıköy Şube, İstanbul',
      utcOffset: '+03:00',
    },
    table: {
      scans: [{ durum: 'Teslim Edilemedi' }, { durum: 'Şubede Bekliyor' }, { durum: 'İade Sürecinde' }, { durum: 'Iade Edildi' }],
      events: [
        ['Teslim Edilemedi', 'delivery_failed'],
        ['Şubede Bekliyor', 'ready_for_pickup'],
        ['İade Sürecinde', 'return_to_sender'],
        ['Iade Edildi', 'returned'],
      ],
    },
    unknown: { scans: [{ durum: 'Gümrükte' }], rawCodes: ['Gümrükte'] },
  },
  malformed: [
    { call: 'book', names: 'not a valid XML SOAP envelope' },
    { call: 'track', variant: 'wrong-shape', names: 'KargoTakipHareketDetayliV2Result' },
  ],
};

const surat = carrierContract(kit);
const { admin } = surat;

/** The double's summary of one booking (GET /_admin/surat/shipments/:key), or undefined. */
async function held(key: string): Promise<Record<string, unknown> | undefined> {
  const res = await admin.get(`/shipments/${key}`);
  return res.status === 200 ? (res.body as Record<string, unknown>) : undefined;
}

describe('OzelKargoTakipNo and the status words', () => {
  test('books under an OzelKargoTakipNo derived from the idempotency key; the label is a barcode reference', async () => {
    const key = surat.newKey();
    const booking = await surat.carrier.book(surat.parcel(), key);
    const ours = suratKeyFor(key);
    expect(ours).toMatch(/^[0-9A-F]{20}$/);
    expect(booking).toEqual({ carrier: 'surat', bookingId: ours, trackingNumber: ours, labelRef: `barcode:${ours}`, idempotencyKey: key });
    expect(await held(ours)).toMatchObject({ kind: 'shipment', durum: 'Gönderi Oluşturuldu', codAmount: null });
  });

  test('a number the carrier does not know has no events, and no failure', async () => {
    expect(await surat.carrier.track([suratKeyFor(surat.newKey())])).toEqual([]);
  });

  test('the same words without Turkish letters map alike ("Dagitima Verildi"), and stay raw in the event', async () => {
    const booking = await surat.carrier.book(surat.parcel(), surat.newKey());
    await surat.advance(booking.trackingNumber, { durum: 'Dagitima Verildi' });
    const [event] = await surat.carrier.track([booking.trackingNumber]);
    expect(event).toMatchObject({ rawCode: 'Dagitima Verildi', status: 'out_for_delivery' });
  });

  test('a province Sürat does not know (the district typed as the city) is an address to correct: 464, nothing booked', async () => {
    const key = surat.newKey();
    const failure = await failureOf(surat.carrier.book(surat.parcel({ to: { city: 'Kadıköy' } }), key));
    expect(failure.type).toBe('AddressRejected');
    expect(failure.message).toContain('464');
    expect(await surat.bookingsUnder(key)).toHaveLength(0);
  });

  test('a withdrawn key cannot book again: the repeat is refused, not taken for the booking', async () => {
    const key = surat.newKey();
    await surat.carrier.book(surat.parcel(), key);
    await surat.carrier.cancel(key);
    const failure = await failureOf(surat.carrier.book(surat.parcel(), key));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('withdrawn');
  });

  test('tracking several numbers returns the events of each', async () => {
    const [a, b] = [await surat.carrier.book(surat.parcel(), surat.newKey()), await surat.carrier.book(surat.parcel(), surat.newKey())];
    await surat.advance(a.trackingNumber);
    await surat.advance(b.trackingNumber);
    const events = await surat.carrier.track([b.trackingNumber, a.trackingNumber]);
    expect(events.map((e) => e.trackingNumber).sort()).toEqual([a.trackingNumber, b.trackingNumber].sort());
  });
});

describe('cash on delivery and returns', () => {
  test('cash on delivery is collected in cash (KapidanOdemeTahsilatTipi 1) with the amount', async () => {
    const booking = await surat.carrier.book(surat.parcel({ cashOnDelivery: { amount: 250.5, currency: 'TRY' } }), surat.newKey());
    expect(await held(booking.trackingNumber)).toMatchObject({ codAmount: 250.5, codCollection: 'cash' });
  });

  test('an order that says card is collected by card at the door (KapidanOdemeTahsilatTipi 2); nothing to collect, nothing said', async () => {
    const card = await surat.carrier.book(
      surat.parcel({ cashOnDelivery: { amount: 99.9, currency: 'TRY', collectionType: 'card' } }),
      surat.newKey(),
    );
    expect(await held(card.trackingNumber)).toMatchObject({ codAmount: 99.9, codCollection: 'card' });
    const prepaid = await surat.carrier.book(surat.parcel(), surat.newKey());
    expect(await held(prepaid.trackingNumber)).toMatchObject({ codAmount: null, codCollection: null });
  });

  test('a return is a shipment flagged Iademi, travelling from the customer to the warehouse', async () => {
    const key = `S-${surat.newKey()}:return`;
    const label = await surat.carrier.createReturn(surat.parcel(), key);
    await surat.advance(label.trackingNumber);
    expect(await held(label.trackingNumber)).toMatchObject({ kind: 'return' });
    const [event] = await surat.carrier.track([label.trackingNumber]);
    expect(event).toMatchObject({ status: 'picked_up', location: 'Kadıköy Şube, İstanbul' });
  });
});

describe('several boxes in one call', () => {
  test('a shipment packed in 3 boxes is one Gonderi of Adet 3, each box its share of the weight; one booking, one tracking number', async () => {
    const key = surat.newKey();
    const booking = await surat.carrier.book(
      surat.parcel({ parcel: { weightGrams: 4_500, lengthCm: 40, widthCm: 30, heightCm: 60, pieces: 3 } }),
      key,
    );
    expect(await held(booking.trackingNumber)).toMatchObject({ pieces: 3, unitKg: 1.5 });
    expect(await surat.bookingsUnder(key)).toHaveLength(1);
  });

  test('a parcel that does not say is one box', async () => {
    const booking = await surat.carrier.book(surat.parcel(), surat.newKey());
    expect(await held(booking.trackingNumber)).toMatchObject({ pieces: 1 });
  });
});

describe('lost answers on withdrawal', () => {
  test('withdrawn but the GonderiGeriCek answer lost: the retry (withdrawn before) is done, and one booking fewer is live', async () => {
    const key = surat.newKey();
    await surat.carrier.book(surat.parcel(), key);
    const liveBefore = await surat.liveCount();
    await surat.injectFault({ kind: 'lose-response', on: ['GonderiGeriCek'], times: 1 });
    expect((await failureOf(surat.carrier.cancel(key))).type).toBe('CarrierUnavailable');
    await surat.carrier.cancel(key);
    expect(await surat.liveCount()).toBe(liveBefore - 1);
  });
});

describe('conformance to the captured WSDL', () => {
  const post = (body: string, action: string) =>
    request(surat.sandbox.app)
      .post(`/surat${SURAT_SERVICE_PATH}`)
      .set('Content-Type', 'text/xml')
      .set('SOAPAction', `"${action}"`)
      .send(body);
  const envelope = (inner: string) =>
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
    `<KargoTakipHareketDetayliV2 xmlns="http://tempuri.org/">${inner}</KargoTakipHareketDetayliV2></soap:Body></soap:Envelope>`;

  test('a request with an element the operation does not have is refused with a Client fault naming it', async () => {
    const res = await post(envelope('<CariKodu>x</CariKodu><TakipNo>1</TakipNo>'), 'http://tempuri.org/KargoTakipHareketDetayliV2');
    expect(res.status).toBe(500);
    expect(res.text).toContain('<faultcode>soap:Client</faultcode>');
    expect(res.text).toContain('<HataKodu>400</HataKodu>');
    expect(res.text.replace(/&apos;/g, "'")).toContain("Element '{http://tempuri.org/}TakipNo': This element is not expected");
  });

  test('a SOAPAction that does not name the Body element is a Client fault', async () => {
    const res = await post(envelope('<CariKodu>x</CariKodu>'), 'http://tempuri.org/GonderiGeriCek');
    expect(res.status).toBe(500);
    expect(res.text).toContain('does not name KargoTakipHareketDetayliV2');
  });
});
