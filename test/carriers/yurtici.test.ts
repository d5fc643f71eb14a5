// Contract tests: the Yurtiçi adapter against the real SOAP carrier sandbox over HTTP. The common
// suite (test/helpers/carrier-contract.ts) runs with the kit below; this file keeps what is Yurtiçi's own.
import request from 'supertest';
import { carrierContract, domesticRefusals, ISTANBUL_CUSTOMER, type CarrierKit } from '../helpers/carrier-contract';
import { failureOf } from '../helpers/failures';
import { cargoKeyFor, createYurticiAdapter, yurticiConnector, type YurticiAdapterConfig } from '../../carriers/yurtici';
import { SANDBOX_YURTICI_CREDENTIALS, YURTICI_SERVICE_PATH, yurticiDouble } from '../../sandbox/yurtici';

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
    rateLimited: '82429',
    addressRejected: '60019', // a receiver address it cannot find
    badCredentials: '82500',
    notCancellable: '60021', // a branch has accepted the parcel
  },
  wrongCredentials: { password: 'wrong' },
  badAddress: { postalCode: '00000' },
  refusedWithoutCall: domesticRefusals('express'),
  tracking: {
    booked: [['NOP/0', 'pending']],
    cancelled: ['pending', 'cancelled'],
    happyPath: {
      scans: [{}, {}, {}, {}],
      events: [
        ['NOP/0', 'pending'],
        ['ISR/1', 'picked_up'],
        ['IND/2', 'in_transit'],
        ['IND/4', 'out_for_delivery'],
        ['DLV/5', 'delivered'],
      ],
      lastLocation: 'Kadıköy Branch, İstanbul',
      utcOffset: '+03:00',
    },
    table: { scans: [{ operationCode: 6 }], events: [['DLV/6', 'returned']] },
    unknown: { scans: [{ operationCode: 9, operationStatus: 'XYZ' }], rawCodes: ['XYZ/9'] },
  },
  malformed: [
    { call: 'book', names: 'not a valid XML SOAP envelope' },
    { call: 'track', variant: 'wrong-shape', names: 'ShippingDeliveryVO' },
  ],
};

const yurtici = carrierContract(kit);

describe('cargoKeys', () => {
  test('books a shipment keyed by a cargoKey derived from the idempotency key; the label is a barcode reference', async () => {
    const key = yurtici.newKey();
    const booking = await yurtici.carrier.book(yurtici.parcel(), key);
    expect(cargoKeyFor(key)).toMatch(/^[0-9A-F]{20}$/);
    const cargoKey = cargoKeyFor(key);
    const labelRef = `barcode:${cargoKey}`;
    expect(booking).toEqual({ carrier: 'yurtici', bookingId: cargoKey, trackingNumber: cargoKey, labelRef, idempotencyKey: key });
  });

  test('tracking an unknown number is a non-retryable refusal naming 80859', async () => {
    const failure = await failureOf(yurtici.carrier.track([cargoKeyFor(yurtici.newKey())]));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('CarrierRefused');
    expect(failure.message).toContain('80859');
  });
});

describe('SOAP', () => {
  test('the endpoint speaks SOAP: a request that is not XML gets a Client fault', async () => {
    const res = await request(yurtici.sandbox.app)
      .post(`/yurtici${YURTICI_SERVICE_PATH}`)
      .set('Content-Type', 'text/xml')
      .set('SOAPAction', '"createShipment"')
      .send('{"not": "xml"}');
    expect(res.status).toBe(500);
    expect(res.text).toContain('<faultcode>env:Client</faultcode>');
  });
});
