// Contract tests: the UPS adapter against the real carrier sandbox over HTTP. The common suite
// (test/helpers/carrier-contract.ts) runs with the kit below; this file keeps what is UPS's own.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import express from 'express';
import request from 'supertest';
import YAML from 'yaml';
import { carrierContract, daysAhead, type CarrierKit } from '../helpers/carrier-contract';
import type { PickupRequest } from '../../carriers/adapter';
import { hashedKey } from '../../carriers/keys';
import { createUpsAdapter, upsConnector, type UpsAdapterConfig } from '../../carriers/ups';
import { scanTime, type UpsScan } from '../../carriers/ups/statuses';
import { createUpsWebhook } from '../../carriers/ups/webhook';
import { listen } from '../helpers/carrier-sandbox';
import { failureOf } from '../helpers/failures';
import { ADDRESS_REJECTED, CUSTOMS_DATA_MISSING } from '../../domain/carrier-failures';
import { httpFailure } from '../../carriers/ups/errors';
import type { HttpReply } from '../../carriers/transport/http';
import type { CustomsLine, ShipmentCustoms } from '../../domain/customs';
import { SANDBOX_UPS_CREDENTIALS, upsDouble, type UpsState } from '../../sandbox/ups';
import { LONDON } from '../helpers/orders';

/** UPS: REST/JSON with OAuth tokens, our key hashed into a shipment reference, ZPL labels, no cash on delivery. */
const kit: CarrierKit<UpsAdapterConfig> = {
  connector: upsConnector,
  double: upsDouble,
  adapter: (base, overrides) => createUpsAdapter({ ...SANDBOX_UPS_CREDENTIALS, ...base, ...overrides }),
  // Across a border UPS needs the receiver's phone.
  customer: {
    name: 'Hans Muster',
    line1: 'Friedrichstr. 1',
    city: 'Berlin',
    postalCode: '10117',
    countryCode: 'DE',
    phone: '+49 30 1234567',
  },
  keyFor: hashedKey,
  // A scanned shipment stays `active`: booked is active with its label scan (M) only. Its first reference is our key.
  booking: ({ references, id, status, scans }) => ({
    key: (references as string[])[0],
    bookingId: id as string,
    trackingNumber: id as string,
    state: status === 'voided' ? 'cancelled' : status === 'active' && (scans as unknown[]).length === 1 ? 'booked' : String(status),
  }),
  operations: { quote: 'rate', book: 'ship', track: 'track', cancel: 'void', pickup: 'pickup' },
  bookingOperations: ['ship'],
  codes: {
    serverError: '10500',
    rateLimited: '10429',
    unavailable: '10503',
    addressRejected: '120802',
    badCredentials: '250002',
    notCancellable: '190118', // scanned: no longer voidable
  },
  wrongCredentials: { clientSecret: 'wrong' },
  badAddress: { postalCode: '00000' },
  refusedWithoutCall: [
    { parcel: { cashOnDelivery: { amount: 100, currency: 'TRY' } }, quote: false },
    { parcel: { to: { phone: undefined } }, quote: false }, // across a border UPS needs the receiver's phone
    { parcel: { to: { line1: 'Lange Strasse '.repeat(10) } } }, // more than three lines of 35 characters
  ],
  tracking: {
    booked: [['M/MP', 'pending']],
    cancelled: ['pending', 'cancelled'],
    happyPath: {
      scans: [{}, {}, {}, { code: 'X' }, {}, {}], // an exception scan, then the parcel goes out again
      events: [
        ['M/MP', 'pending'],
        ['I/PU', 'picked_up'],
        ['I/OR', 'in_transit'],
        ['I/OT', 'out_for_delivery'],
        ['X', 'on_hold'],
        ['I/OT', 'out_for_delivery'],
        ['D/FS', 'delivered'],
      ],
      lastLocation: 'Berlin, DE',
    },
    table: {
      scans: [{ code: 'I/AR' }, { code: 'U' }, { code: 'P' }, { code: 'RS' }],
      events: [
        ['I/AR', 'in_transit'],
        ['U', 'in_transit'],
        ['P', 'picked_up'],
        ['RS', 'return_to_sender'],
      ],
    },
    unknown: { scans: [{ code: 'ZQ' }, { code: 'ZQ/ZZ' }], rawCodes: ['ZQ', 'ZQ/ZZ'] },
  },
  malformed: [
    { call: 'quote', names: 'not valid JSON' },
    { call: 'book', variant: 'wrong-shape', names: 'ShipmentResponse' },
  ],
  tokens: { path: '/security/v1/oauth/token', ttl: (seconds) => ({ tokenTtlSeconds: seconds }) },
};

const ups = carrierContract(kit);
const SPEC = path.join(__dirname, '..', '..', 'carriers', 'ups', 'spec');
const EXAMPLES = path.join(SPEC, 'examples');

/** The body of the TrackingEvent webhook as UPS's definition gives it (UPS pushes it to us, so no double checks it on the way). */
function trackingEventSchema() {
  const doc = YAML.parse(fs.readFileSync(path.join(SPEC, 'ups-openapi.yaml'), 'utf8'), { maxAliasCount: -1 });
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'ups');
  return ajv.compile({ $ref: 'ups#/webhooks/TrackingEvent/post/requestBody/content/application~1json/schema' });
}

describe('the OAuth gateway', () => {
  test('calls without a valid bearer token get 401 with the carrier code', async () => {
    const res = await request(ups.sandbox.app).post('/ups/api/rating/v2409/Shop').set('Authorization', 'Bearer not-a-token').send({});
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ response: { errors: [{ code: '250002', message: expect.any(String) }] } });
  });
});

/** A Ship request sent by hand, as the adapter never would. */
async function shipByHand(body: object) {
  return request(ups.sandbox.app)
    .post('/ups/api/shipments/v2409/ship')
    .set('Authorization', await bearer())
    .send(body);
}

/** A Ship request from our Istanbul shop by UPS Standard, as the double's own checks see it: `shipment` adds ShipTo and the rest. */
function shipRequest(shipment: object) {
  return {
    ShipmentRequest: {
      Request: { RequestOption: 'nonvalidate' },
      Shipment: {
        Description: 'Mugs',
        Shipper: {
          Name: 'Shop',
          ShipperNumber: SANDBOX_UPS_CREDENTIALS.accountNumber,
          Address: { AddressLine: ['A 1'], City: 'Istanbul', CountryCode: 'TR' },
        },
        Service: { Code: '11' },
        PaymentInformation: { ShipmentCharge: [{ Type: '01', BillShipper: { AccountNumber: SANDBOX_UPS_CREDENTIALS.accountNumber } }] },
        Package: [{ Packaging: { Code: '02' } }],
        ...shipment,
      },
    },
  };
}

/** A bearer token from the double, for calls made by hand. */
async function bearer(): Promise<string> {
  const res = await request(ups.sandbox.app)
    .post('/ups/security/v1/oauth/token')
    .auth(SANDBOX_UPS_CREDENTIALS.clientId, SANDBOX_UPS_CREDENTIALS.clientSecret)
    .type('form')
    .send('grant_type=client_credentials')
    .expect(200);
  return `Bearer ${res.body.access_token}`;
}

describe('the double holds to the published definition (carriers/ups/spec)', () => {
  test("a request with a misspelt field is refused with UPS's error body naming the field, and books nothing", async () => {
    const liveBefore = await ups.liveCount();
    const body = {
      ShipmentRequest: {
        Request: { RequestOption: 'nonvalidate' },
        Shipment: {
          Shipper: {
            Name: 'Shop',
            ShipperNumber: SANDBOX_UPS_CREDENTIALS.accountNumber,
            Address: { AddressLine: ['A 1'], City: 'Istanbul', CountryCode: 'TR' },
          },
          ShipTo: { Name: 'Hans', Address: { AddressLine: ['Friedrichstr. 1'], City: 'Berlin', CountryCode: 'DE' } },
          Service: { Code: '11' },
          Descripton: 'Books', // sic
          Package: [{ Packaging: { Code: '02' } }],
        },
      },
    };
    const res = await shipByHand(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      response: { errors: [{ code: '10001', message: 'ShipmentRequest.Shipment.Descripton: is not a field the spec defines' }] },
    });
    expect(await ups.liveCount()).toBe(liveBefore);
  });

  test('a path UPS does not define is a 404 in its error shape (the old /api/shipments is gone)', async () => {
    const res = await request(ups.sandbox.app)
      .post('/ups/api/shipments')
      .set('Authorization', await bearer())
      .send({});
    expect(res.status).toBe(404);
    expect(res.body.response.errors[0].message).toContain('no operation POST /api/shipments');
  });

  test('a reply that drifts from the definition is a 500, never sent as it was', async () => {
    // A booking whose 1Z number lost a character: Void's PackageLevelResults.TrackingNumber must have 18.
    const booking = await ups.carrier.book(ups.parcel(), ups.newKey());
    const drifting = (ups.sandbox.state as UpsState).get(booking.trackingNumber)!;
    drifting.id = drifting.id.slice(0, 17);
    const res = await request(ups.sandbox.app)
      .delete(`/ups/api/shipments/v2409/void/cancel/${booking.trackingNumber}`)
      .set('Authorization', await bearer());
    expect(res.status).toBe(500);
    expect(res.body.response.errors[0].message).toContain("the double's reply breaks the spec");
    expect(res.body.response.errors[0].message).toContain('TrackingNumber');
  });
});

/** A consignee in the United States, where UPS needs the state (issue 25). */
const NEW_YORK = {
  name: 'John Doe',
  line1: '350 Fifth Avenue',
  city: 'New York',
  stateCode: 'NY',
  postalCode: '10118',
  countryCode: 'US',
  phone: '+1 212 555 0100',
};

describe('international parcels: customs forms (issue 25)', () => {
  const MUG = { description: 'Ceramic mug', hsCode: '691200', originCountry: 'TR', unitValue: 12.5, currency: 'EUR' } as const;
  const SHIRT = { description: 'Cotton T-shirt', hsCode: '61091000', originCountry: 'TR', unitValue: 20, currency: 'EUR' } as const;

  /** Customs data as the booking activity resolves it (activities/carriers/customs.ts). */
  function customs(lines: CustomsLine[], terms: Partial<ShipmentCustoms> = {}): ShipmentCustoms {
    return { reasonForExport: 'sale', dutiesTerms: 'DAP', invoiceNumber: 'ORDER-1001', invoiceDate: '2026-12-03', lines, ...terms };
  }

  const shipCalls = () => ups.sandbox.calls.filter((c) => c.path === '/ups/api/shipments/v2409/ship').length;
  const received = async (trackingNumber: string) => (await ups.admin.get(`/shipments/${trackingNumber}`).expect(200)).body.customs;

  test('a GB parcel with customs data is rated and booked, and UPS receives the commercial invoice with a product per SKU', async () => {
    const parcel = ups.parcel({
      to: LONDON,
      customs: customs([
        { sku: 'MUG-1', quantity: 2, ...MUG },
        { sku: 'SHIRT-M', quantity: 1, ...SHIRT },
      ]),
    });
    expect(await ups.carrier.quote(parcel)).toMatchObject({ carrier: 'ups', currency: 'TRY' });
    const booking = await ups.carrier.book(parcel, ups.newKey());
    ups.expectLabel(booking);
    expect(await received(booking.trackingNumber)).toEqual({
      formType: ['01'],
      invoiceNumber: 'ORDER-1001',
      reasonForExport: 'SALE',
      termsOfShipment: 'DAP',
      currency: 'EUR',
      products: [
        { description: ['Ceramic mug'], commodityCode: '691200', originCountryCode: 'TR', number: '2', value: '12.50' },
        { description: ['Cotton T-shirt'], commodityCode: '61091000', originCountryCode: 'TR', number: '1', value: '20.00' },
      ],
    });
  });

  test('a US parcel, duties paid by the merchant, carries DDP and the ETGB reference', async () => {
    const parcel = ups.parcel({
      to: NEW_YORK,
      customs: customs([{ sku: 'MUG-1', quantity: 1, ...MUG }], {
        reasonForExport: 'gift',
        dutiesTerms: 'DDP',
        etgbReference: '23341400EX000123',
      }),
    });
    const booking = await ups.carrier.book(parcel, ups.newKey());
    expect(await received(booking.trackingNumber)).toMatchObject({
      reasonForExport: 'GIFT',
      termsOfShipment: 'DDP',
      comments: 'ETGB 23341400EX000123',
      products: [expect.objectContaining({ commodityCode: '691200', originCountryCode: 'TR', value: '12.50' })],
    });
  });

  test('a GB parcel without customs data is refused by UPS, read as missing customs data, not retried, naming the forms', async () => {
    const key = ups.newKey();
    const failure = await failureOf(ups.carrier.book(ups.parcel({ to: LONDON }), key));
    expect(failure.type).toBe(CUSTOMS_DATA_MISSING);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('carrier code CU0001');
    expect(failure.message).toContain('ShipmentServiceOptions.InternationalForms');
    expect(await ups.bookingsUnder(key)).toEqual([]);
  });

  test('a parcel whose lines lack HS code or origin is refused before any call, naming each SKU and field', async () => {
    const before = shipCalls();
    const parcel = ups.parcel({
      to: NEW_YORK,
      customs: customs([
        { sku: 'MUG-1', quantity: 1, description: 'Ceramic mug', unitValue: 12.5, currency: 'EUR' },
        { sku: 'SHIRT-M', quantity: 1, ...SHIRT },
      ]),
    });
    const failure = await failureOf(ups.carrier.book(parcel, ups.newKey()));
    expect(failure.type).toBe(CUSTOMS_DATA_MISSING);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('ups ship: customs data missing: MUG-1.hsCode, MUG-1.originCountry');
    expect(shipCalls()).toBe(before);
  });

  test('the double refuses an invoice whose product lacks a commodity code, an origin or a value, naming each', async () => {
    const liveBefore = await ups.liveCount();
    const soldTo = {
      Name: 'Jane Smith',
      AttentionName: 'Jane Smith',
      Address: { AddressLine: ['10 Downing St'], City: 'London', CountryCode: 'GB' },
    };
    const body = shipRequest({
      ShipTo: { ...soldTo, Phone: { Number: '442079460000' } },
      ShipmentServiceOptions: {
        InternationalForms: {
          FormType: ['01'],
          InvoiceNumber: 'ORDER-1',
          InvoiceDate: '20261203',
          ReasonForExport: 'SALE',
          CurrencyCode: 'EUR',
          Contacts: { SoldTo: soldTo },
          Product: [{ Description: ['Ceramic mug'] }], // no Unit: the definition allows it, an invoice cannot go without a value
        },
      },
    });
    const res = await shipByHand(body);
    expect(res.status).toBe(400);
    expect(res.body.response.errors).toEqual([
      {
        code: 'CU0001',
        message:
          'International shipment without complete invoice data: missing InternationalForms.Product[0].CommodityCode, InternationalForms.Product[0].OriginCountryCode, InternationalForms.Product[0].Unit.Value',
      },
    ]);
    expect(await ups.liveCount()).toBe(liveBefore);
  });

  test.each([
    [
      'TR',
      { name: 'Ayşe Yılmaz', line1: 'Bağdat Cad. 12', city: 'İstanbul', postalCode: '34710', countryCode: 'TR', phone: '+905551112233' },
    ],
    ['DE', {}],
  ])('a %s parcel is booked as before: no forms are sent, whatever customs data it has', async (_country, to) => {
    const booking = await ups.carrier.book(ups.parcel({ to, customs: customs([{ sku: 'MUG-1', quantity: 1, ...MUG }]) }), ups.newKey());
    ups.expectLabel(booking);
    const { body } = await ups.admin.get(`/shipments/${booking.trackingNumber}`).expect(200);
    expect(body).not.toHaveProperty('customs');
    expect(body).not.toHaveProperty('iossNumber');
  });

  test("a DE parcel carries the merchant's IOSS number (ShipFrom.VendorInfo 0356), still without forms", async () => {
    const parcel = ups.parcel({ customs: customs([{ sku: 'MUG-1', quantity: 1, ...MUG }], { iossNumber: 'IM2760000001' }) });
    const booking = await ups.carrier.book(parcel, ups.newKey());
    const { body } = await ups.admin.get(`/shipments/${booking.trackingNumber}`).expect(200);
    expect(body).toMatchObject({ iossNumber: 'IM2760000001' });
    expect(body).not.toHaveProperty('customs');
  });

  test('a GB parcel is held by customs on its happy path, then released: on_hold with the customs reason, then in transit to delivery', async () => {
    const booking = await ups.carrier.book(
      ups.parcel({ to: LONDON, customs: customs([{ sku: 'MUG-1', quantity: 1, ...MUG }]) }),
      ups.newKey(),
    );
    for (let i = 0; i < 6; i++) await ups.advance(booking.trackingNumber);
    await ups.admin.post(`/shipments/${booking.trackingNumber}/advance`).expect(409); // delivered: the end of the path
    const events = await ups.carrier.track([booking.trackingNumber]);
    expect(events.map((e) => [e.rawCode, e.status, e.reason])).toEqual([
      ['M/MP', 'pending', undefined],
      ['I/PU', 'picked_up', undefined],
      ['I/OR', 'in_transit', undefined],
      ['X/CH', 'on_hold', 'customs'],
      ['X/SR', 'in_transit', undefined],
      ['I/OT', 'out_for_delivery', undefined],
      ['D/FS', 'delivered', undefined],
    ]);
    expect(events[3].location).toBe('London, GB'); // import customs, at the far end
    // A plain exception is a hold-up without a reason.
    const domestic = await ups.carrier.book(ups.parcel(), ups.newKey());
    await ups.advance(domestic.trackingNumber, { code: 'X' });
    expect((await ups.carrier.track([domestic.trackingNumber])).at(-1)).not.toHaveProperty('reason');
  });

  test('UPS takes parcels to the world but the destinations it does not serve', () => {
    const { countries } = ups.carrier.capabilities;
    expect(countries).toEqual(expect.arrayContaining(['TR', 'DE', 'GB', 'US', 'JP', 'BR', 'AU']));
    expect(countries).not.toEqual(expect.arrayContaining(['KP']));
    expect(countries).toHaveLength(245);
  });
});

describe('landed cost: the duties of a DDP parcel (Landed Cost Quote, issue 25)', () => {
  const MUG = { description: 'Ceramic mug', hsCode: '691200', originCountry: 'TR', unitValue: 12.5, currency: 'EUR' } as const;
  const SHIRT = { description: 'Cotton T-shirt', hsCode: '61091000', originCountry: 'TR', unitValue: 20, currency: 'EUR' } as const;
  const lines = [
    { sku: 'MUG-1', quantity: 2, ...MUG },
    { sku: 'SHIRT-M', quantity: 1, ...SHIRT },
  ];
  const customs = (dutiesTerms: 'DAP' | 'DDP'): ShipmentCustoms => ({
    reasonForExport: 'sale',
    dutiesTerms,
    invoiceNumber: 'ORDER-1001',
    invoiceDate: '2026-12-03',
    lines,
  });
  const landedCostCalls = () => ups.sandbox.calls.filter((c) => c.path === '/ups/api/landedcost/v1/quotes').length;

  /** A Landed Cost request sent by hand, as the adapter never would. */
  async function landedCostByHand(body: object, headers: Record<string, string> = { transId: 'a'.repeat(32), transactionSrc: 'test' }) {
    return request(ups.sandbox.app)
      .post('/ups/api/landedcost/v1/quotes')
      .set('Authorization', await bearer())
      .set(headers)
      .send(body);
  }
  const goods = (exportCountryCode: string, importCountryCode: string) => ({
    currencyCode: 'EUR',
    transID: 'T-1',
    alversion: 1,
    shipment: {
      id: 'S-1',
      exportCountryCode,
      importCountryCode,
      shipmentItems: [
        {
          commodityId: 'MUG-1',
          priceEach: 12.5,
          quantity: 2,
          UOM: 'Each',
          hsCode: '691200',
          originCountryCode: 'TR',
          commodityCurrencyCode: 'EUR',
        },
      ],
    },
  });

  test("a DDP GB parcel's quote carries the duties and VAT the merchant will pay, from the double's tables, beside the shipping", async () => {
    const before = landedCostCalls();
    const quote = await ups.carrier.quote(ups.parcel({ to: LONDON, customs: customs('DDP') }));
    // Mugs (chapter 69, 6%): 25 → 1.50 duty, 20% VAT on 26.50 → 5.30; shirt (chapter 61, 12%): 20 → 2.40, VAT 4.48.
    expect(quote).toMatchObject({ carrier: 'ups', currency: 'TRY', duties: { amount: 13.68, currency: 'EUR' } });
    expect(landedCostCalls()).toBe(before + 1);
  });

  test.each([
    ['a DAP GB parcel (the customer pays)', { to: LONDON, customs: customs('DAP') }],
    ['a DDP DE parcel (no customs border)', { customs: customs('DDP') }],
    ['a GB parcel without customs data', { to: LONDON }],
  ])('%s is quoted without duties and without asking Landed Cost', async (_what, overrides) => {
    const before = landedCostCalls();
    expect(await ups.carrier.quote(ups.parcel(overrides))).not.toHaveProperty('duties');
    expect(landedCostCalls()).toBe(before);
  });

  test('a failed Landed Cost call loses no quote: it comes without duties, and the log names the shipment', async () => {
    await ups.injectFault({ kind: 'error', status: 500, on: ['landed-cost'], times: 1 });
    const parcel = ups.parcel({ to: LONDON, customs: customs('DDP') });
    const quote = await ups.carrier.quote(parcel);
    expect(quote).toMatchObject({ carrier: 'ups', currency: 'TRY' });
    expect(quote).not.toHaveProperty('duties');
    expect(ups.warnings).toContainEqual(
      expect.objectContaining({ carrier: 'ups', shipmentId: parcel.shipmentId, err: expect.stringContaining('landed-cost: HTTP 500') }),
    );
  });

  test('the double holds Landed Cost to its definition: transId is required, a misspelt field is refused, no duties within TR + EU', async () => {
    const noHeader = await landedCostByHand(goods('TR', 'GB'), { transactionSrc: 'test' });
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.response.errors[0]).toEqual({ code: '10001', message: 'transId (header): is required' });
    const misspelt = await landedCostByHand({ ...goods('TR', 'GB'), currencyCod: 'EUR' });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.response.errors[0].message).toBe('currencyCod: is not a field the spec defines');
    const union = await landedCostByHand(goods('TR', 'DE'));
    expect(union.status).toBe(400);
    expect(union.body.response.errors[0]).toEqual({ code: 'LC0001', message: 'no customs border from TR to DE: no duties to quote' });
    const ok = await landedCostByHand(goods('TR', 'US'));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ transID: 'T-1', shipment: { currencyCode: 'EUR', totalDuties: 1.5, totalVAT: 0, grandTotal: 1.5 } });
  });
});

describe('US and Canadian states: StateProvinceCode (issue 25)', () => {
  const TORONTO = { ...NEW_YORK, city: 'Toronto', stateCode: 'ON', postalCode: 'M5V 3L9', countryCode: 'CA' };
  const GIFT: ShipmentCustoms = {
    reasonForExport: 'gift',
    dutiesTerms: 'DAP',
    invoiceNumber: 'ORDER-1002',
    invoiceDate: '2026-12-03',
    lines: [
      { sku: 'MUG-1', quantity: 1, description: 'Ceramic mug', hsCode: '691200', originCountry: 'TR', unitValue: 12.5, currency: 'EUR' },
    ],
  };
  const shipCalls = () => ups.sandbox.calls.filter((c) => c.path === '/ups/api/shipments/v2409/ship').length;
  /** What the double printed of the customer's end: it labels a parcel with what it received. */
  const labelPlace = (labelRef: string) =>
    /\^FD((?:SHIP TO|RETURN FROM) [^^]*)\^FS/.exec(Buffer.from(labelRef.split(',')[1], 'base64').toString())?.[1];

  test.each([
    ['US', NEW_YORK, 'SHIP TO 10118 NY US'],
    ['CA', TORONTO, 'SHIP TO M5V 3L9 ON CA'],
  ])('a %s parcel is rated and booked with its state, which UPS receives', async (_country, to, place) => {
    const parcel = ups.parcel({ to, customs: GIFT });
    expect(await ups.carrier.quote(parcel)).toMatchObject({ carrier: 'ups' }); // Rating takes a state of exactly 2 characters
    const booking = await ups.carrier.book(parcel, ups.newKey());
    expect(labelPlace(booking.labelRef)).toBe(place);
  });

  test('a return from a US customer goes with the state in ShipFrom', async () => {
    const label = await ups.carrier.createReturn(ups.parcel({ to: NEW_YORK }), `S-${randomUUID()}:return`);
    expect(labelPlace(label.labelRef)).toBe('RETURN FROM 10118 NY US');
  });

  test.each([
    ['without a state', { stateCode: undefined }, 'shippingAddress.stateCode is missing'],
    ['with a state the US does not have', { stateCode: 'ZZ' }, 'shippingAddress.stateCode must be a US state or territory code'],
    ['with a Canadian province', { stateCode: 'ON' }, 'shippingAddress.stateCode must be a US state or territory code'],
  ])('a US parcel %s is refused as an address problem before any call, naming the field', async (_case, to, names) => {
    const before = shipCalls();
    const parcel = ups.parcel({ to: { ...NEW_YORK, ...to }, customs: GIFT });
    const failure = await failureOf(ups.carrier.book(parcel, ups.newKey()));
    expect(failure.type).toBe(ADDRESS_REJECTED);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(names);
    expect(shipCalls()).toBe(before);
  });

  test('a quote for a US parcel without a state is still given: the booking asks for the address, not the next carrier', async () => {
    expect(await ups.carrier.quote(ups.parcel({ to: { ...NEW_YORK, stateCode: undefined } }))).toMatchObject({ carrier: 'ups' });
  });

  test('a DE parcel, where UPS asks for no state, books without one', async () => {
    ups.expectLabel(await ups.carrier.book(ups.parcel(), ups.newKey()));
  });

  test("the double refuses a US ShipTo without a valid StateProvinceCode as UPS does (120206), which the adapter reads as the address's fault", async () => {
    const liveBefore = await ups.liveCount();
    const shipTo = (address: object) =>
      shipRequest({
        ShipTo: {
          Name: 'John Doe',
          AttentionName: 'John Doe',
          Phone: { Number: '12125550100' },
          Address: { AddressLine: ['350 Fifth Avenue'], City: 'New York', PostalCode: '10118', CountryCode: 'US', ...address },
        },
      });
    for (const address of [{}, { StateProvinceCode: 'ZZ' }, { StateProvinceCode: 'ON' }]) {
      const res = await shipByHand(shipTo(address));
      expect([res.status, res.body]).toEqual([
        400,
        { response: { errors: [{ code: '120206', message: 'Missing or invalid ship to StateProvinceCode' }] } },
      ]);
    }
    expect(await ups.liveCount()).toBe(liveBefore);

    const reply: HttpReply = {
      status: 400,
      retryAfter: null,
      text: JSON.stringify({ response: { errors: [{ code: '120206', message: 'x' }] } }),
    };
    expect(httpFailure('ship', reply)).toMatchObject({ type: ADDRESS_REJECTED, nonRetryable: true });
  });
});

describe('lost answers: one live booking per key without an idempotency header', () => {
  test('a return created but its answer lost: the retry recovers it by our reference, one return is live', async () => {
    const key = `S-${randomUUID()}:return`;
    const liveBefore = await ups.liveCount();
    await ups.injectFault({ kind: 'lose-response', on: ['return'], times: 1 });
    const failure = await failureOf(ups.carrier.createReturn(ups.parcel(), key));
    expect(failure.type).toBe('CarrierUnavailable');
    const label = await ups.carrier.createReturn(ups.parcel(), key);
    ups.expectLabel(label);
    expect(await ups.bookingsUnder(key)).toEqual([
      expect.objectContaining({ bookingId: label.bookingId, kind: 'return', state: 'booked' }),
    ]);
    expect(await ups.liveCount()).toBe(liveBefore + 1);
  });

  test('a void done but its answer lost: cancelling again finds it voided and succeeds', async () => {
    const key = ups.newKey();
    const booking = await ups.carrier.book(ups.parcel(), key);
    const liveBefore = await ups.liveCount();
    await ups.injectFault({ kind: 'lose-response', on: ['void'], times: 1 });
    expect((await failureOf(ups.carrier.cancel(key))).type).toBe('CarrierUnavailable');
    expect(await ups.bookingsUnder(key)).toEqual([expect.objectContaining({ bookingId: booking.bookingId, state: 'cancelled' })]);
    await ups.carrier.cancel(key);
    expect(await ups.liveCount()).toBe(liveBefore - 1);
  });
});

describe('Track Alert', () => {
  test('book() subscribes the parcel; a failed subscription is logged with its tracking number and the booking stands', async () => {
    const booking = await ups.carrier.book(ups.parcel(), ups.newKey());
    expect((await ups.admin.get(`/shipments/${booking.trackingNumber}`).expect(200)).body).toMatchObject({ subscribed: true });
    expect(booking.trackingSubscribed).toBe(true); // the shipment asks no more (issue 24)

    await ups.injectFault({ kind: 'error', status: 500, on: ['subscribe'], times: 1 });
    const unsubscribed = await ups.carrier.book(ups.parcel(), ups.newKey());
    expect((await ups.admin.get(`/shipments/${unsubscribed.trackingNumber}`).expect(200)).body).toMatchObject({ subscribed: false });
    expect(unsubscribed.trackingSubscribed).toBe(false); // the shipment subscribes it by its retried activity
    // Named, so ops can find the parcel that is now tracked by polling alone (12 h apart for a carrier that pushes).
    expect(ups.warnings).toContainEqual(
      expect.objectContaining({
        carrier: 'ups',
        trackingNumbers: [unsubscribed.trackingNumber],
        err: expect.stringContaining('subscribe: HTTP 500'),
      }),
    );
  });

  test('subscribeTracking() subscribes a parcel whose subscription at booking failed, and throws on a failure, for the workflow to retry', async () => {
    await ups.injectFault({ kind: 'error', status: 500, on: ['subscribe'], times: 1 });
    const booking = await ups.carrier.book(ups.parcel(), ups.newKey());
    await ups.injectFault({ kind: 'error', status: 500, on: ['subscribe'], times: 1 });
    await expect(ups.carrier.subscribeTracking!(booking.trackingNumber)).rejects.toThrow(/subscribe: HTTP 500/);
    await ups.carrier.subscribeTracking!(booking.trackingNumber);
    expect((await ups.admin.get(`/shipments/${booking.trackingNumber}`).expect(200)).body).toMatchObject({ subscribed: true });
  });

  test('the double pushes subscribed scans as Track Alert does: a token from our endpoint, then events the definition allows and webhook.ts reads', async () => {
    const credentials = { clientId: 'ups-push-test', clientSecret: 'ups-push-test-secret-0123456789' };
    const webhook = createUpsWebhook({ ...credentials, log: { warn: () => undefined } });
    const received: Array<{ body: unknown; events: unknown[] }> = [];
    const receiver = express();
    receiver.post('/token', express.urlencoded({ extended: false }), (req, res) => {
      const { status, body } = webhook.token!({ authorization: req.header('authorization'), grantType: req.body.grant_type });
      res.status(status).json(body);
    });
    receiver.post('/events', express.raw({ type: 'application/json' }), (req, res) => {
      const { events } = webhook.receive({ headers: req.headers, rawBody: req.body as Buffer, receivedAt: Date.now() });
      received.push({ body: JSON.parse((req.body as Buffer).toString('utf8')), events });
      res.json({ status: 'accepted' });
    });
    const server = await listen(receiver);
    try {
      await request(ups.sandbox.app)
        .put('/_admin/ups/webhook')
        .send({ url: `${server.url}/events`, tokenUrl: `${server.url}/token`, ...credentials })
        .expect(200);
      const booking = await ups.carrier.book(ups.parcel(), ups.newKey());
      for (const code of ['I/PU', 'I/OT']) await ups.advance(booking.trackingNumber, { code });
      const deliveries = (await ups.admin.get('/webhook/deliveries?wait=true').expect(200)).body.deliveries as Array<{
        trackingNumber: string;
        state: string;
      }>;
      expect(deliveries.filter((d) => d.trackingNumber === booking.trackingNumber).map((d) => d.state)).toEqual(['delivered', 'delivered']);
      const validate = trackingEventSchema();
      for (const { body } of received) expect([validate(body), validate.errors]).toEqual([true, null]);
      expect(received.flatMap((r) => r.events)).toEqual([
        expect.objectContaining({ trackingNumber: booking.trackingNumber, rawCode: 'I/PU', status: 'picked_up' }),
        expect.objectContaining({ trackingNumber: booking.trackingNumber, rawCode: 'I/OT', status: 'out_for_delivery' }),
      ]);
      // Polling sees the same scans under the same ids: counted once.
      const polled = await ups.carrier.track([booking.trackingNumber]);
      expect(polled.map((e) => e.eventId)).toEqual(
        expect.arrayContaining(received.flatMap((r) => r.events.map((e) => (e as { eventId: string }).eventId))),
      );
    } finally {
      await request(ups.sandbox.app).delete('/_admin/ups/webhook').expect(204);
      await server.close();
    }
  });

  test('polling renews a subscription a day before its 14 days run out, and stops once the parcel is delivered', async () => {
    const booking = await ups.carrier.book(ups.parcel(), ups.newKey());
    const subscribes = () => ups.sandbox.calls.filter((c) => c.path.includes('/subscription/')).length;
    const trackOn = async (daysLater: number) => {
      const now = Date.now() + daysLater * 86_400_000;
      const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
      try {
        await ups.carrier.track([booking.trackingNumber]);
      } finally {
        clock.mockRestore();
      }
    };
    const before = subscribes();
    await trackOn(12);
    expect(subscribes()).toBe(before);
    await trackOn(13.5);
    expect(subscribes()).toBe(before + 1);
    for (const code of ['I/PU', 'I/OR', 'I/OT', 'D/FS']) await ups.advance(booking.trackingNumber, { code });
    await trackOn(13.5);
    expect(subscribes()).toBe(before + 1);
  });

  test("UPS's own pushed events (spec examples) read as out for delivery and delivered, with content ids", () => {
    const webhook = createUpsWebhook({ clientId: 'ups-test', clientSecret: 'ups-test-secret-0123456789' });
    const token = webhook.token!({
      authorization: `Basic ${Buffer.from('ups-test:ups-test-secret-0123456789').toString('base64')}`,
      grantType: 'client_credentials',
    });
    const headers = { authorization: `Bearer ${(token.body as { access_token: string }).access_token}`, 'x-api-key': 'ups-test' };
    const read = (name: string) =>
      webhook.receive({ headers, rawBody: fs.readFileSync(path.join(EXAMPLES, name)), receivedAt: Date.now() });
    const out = read('trackingEvent.request.01.json');
    expect(out.events).toEqual([
      expect.objectContaining({
        status: 'out_for_delivery',
        rawCode: 'I/OT',
        occurredAt: '2024-04-23T13:15:19Z',
        location: 'Charlotte, US',
      }),
    ]);
    expect(out.deliveryId).toBe(out.events[0].eventId);
    expect(read('trackingEvent.request.02.json').events).toEqual([expect.objectContaining({ status: 'delivered', rawCode: 'D/FS' })]);
    // A customs hold pushed in the same shape (UPS's example with our assumed code X/CH) carries the customs reason.
    const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'trackingEvent.request.01.json'), 'utf8'));
    const hold = {
      ...example,
      activityStatus: { type: 'X', code: 'CH', description: 'Your package is being held by the customs agency.' },
    };
    const held = webhook.receive({ headers, rawBody: Buffer.from(JSON.stringify(hold)), receivedAt: Date.now() });
    expect(held.events).toEqual([expect.objectContaining({ status: 'on_hold', reason: 'customs', rawCode: 'X/CH' })]);
  });
});

test("scan times in every form UPS writes them: HHMMSS, its schema's example 74700, HH:MM:SS, local time with an offset", () => {
  const at = (fields: Partial<UpsScan>) => scanTime({ trackingNumber: '1Z', type: 'I', ...fields });
  expect(at({ gmtDate: '20240423', gmtTime: '131519' })).toBe('2024-04-23T13:15:19Z');
  expect(at({ gmtDate: '20240423', gmtTime: '74700' })).toBe('2024-04-23T07:47:00Z');
  expect(at({ gmtDate: '20240423', gmtTime: '13:15:19' })).toBe('2024-04-23T13:15:19Z');
  expect(at({ localDate: '20240423', localTime: '091519', gmtOffset: '-04.00' })).toBe('2024-04-23T09:15:19-04:00');
  expect(at({ localDate: '20240423', localTime: '091519', gmtOffset: '-05:00' })).toBe('2024-04-23T09:15:19-05:00');
});

describe('courier pickups (Pickup Creation, Pickup Cancel)', () => {
  const ask = (overrides: Partial<PickupRequest> = {}): PickupRequest => ({
    warehouseId: 'IST-1',
    date: daysAhead(5),
    readyTime: '17:00',
    closeTime: '19:00',
    parcels: 3,
    idempotencyKey: `pickup:ups.IST-1.${randomUUID()}:1`,
    ...overrides,
  });

  test("the pickup is at the shipper's address, paid by the account, for the day and window asked, our key's hash as its reference", async () => {
    const request = ask();
    const { pickupId } = await ups.carrier.schedulePickup!(request);
    expect(pickupId).toMatch(/^[0-9A-Z]{11}$/); // a PRN: 11 characters (Pickup.yaml)
    const { body } = await ups.admin.get(`/pickups/${pickupId}`).expect(200);
    expect(body).toMatchObject({
      date: request.date.replaceAll('-', ''),
      readyTime: '1700',
      closeTime: '1900',
      postalCode: '34953',
      countryCode: 'TR',
      pieces: 3,
      reference: hashedKey(request.idempotencyKey),
      status: 'scheduled',
    });
    await ups.carrier.cancelPickup!(pickupId);
  });

  test('a window UPS finds too short is its refusal, not retried, naming its code; nothing is booked', async () => {
    const before = (await ups.admin.get('/pickups').expect(200)).body.scheduled;
    const failure = await failureOf(ups.carrier.schedulePickup!(ask({ readyTime: '17:00', closeTime: '17:30' })));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('ups pickup: HTTP 400, carrier code PU0001');
    expect((await ups.admin.get('/pickups').expect(200)).body.scheduled).toBe(before);
  });

  test('cancelling a PRN UPS does not know is its refusal, naming its code; a cancel that fails for UPS is retryable', async () => {
    const unknown = await failureOf(ups.carrier.cancelPickup!('29990000000'));
    expect(unknown.nonRetryable).toBe(true);
    expect(unknown.message).toContain('carrier code PU0003');

    const { pickupId } = await ups.carrier.schedulePickup!(ask({ date: daysAhead(6) }));
    await ups.injectFault({ kind: 'error', status: 503, on: ['cancel-pickup'], times: 1 });
    const down = await failureOf(ups.carrier.cancelPickup!(pickupId));
    expect(down.nonRetryable).toBe(false);
    expect(down.type).toBe('CarrierUnavailable');
    await ups.carrier.cancelPickup!(pickupId);
    expect((await ups.admin.get(`/pickups/${pickupId}`).expect(200)).body.status).toBe('cancelled');
  });

  test('a pickup request the definition refuses is a 400 naming the field, in UPS error shape', async () => {
    const res = await request(ups.sandbox.app)
      .post('/ups/api/pickupcreation/v2409/pickup')
      .set('Authorization', await bearer())
      .send({ PickupCreationRequest: { Request: {}, RatePickupIndicator: 'N', PickupDateInfo: { PickupDate: '20991231' } } });
    expect(res.status).toBe(400);
    expect(res.body.response.errors[0]).toMatchObject({ code: '10001' });
  });
});
