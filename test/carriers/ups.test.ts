// Contract tests: the UPS adapter against the real carrier sandbox over HTTP. The common suite
// (test/helpers/carrier-contract.ts) runs with the kit below; this file keeps what is UPS's own.
import request from 'supertest';
import { carrierContract, type CarrierKit } from '../helpers/carrier-contract';
import { hashedKey } from '../../carriers/keys';
import { createUpsAdapter, upsConnector, type UpsAdapterConfig } from '../../carriers/ups';
import { SANDBOX_UPS_CREDENTIALS, upsDouble } from '../../sandbox/ups';

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
  operations: { quote: 'rate', book: 'ship', track: 'track', cancel: 'void' },
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
  refusedWithoutCall: [{ parcel: { cashOnDelivery: { amount: 100, currency: 'TRY' } }, quote: false }],
  tracking: {
    booked: [['M/MP', 'pending']],
    cancelled: ['pending', 'cancelled'],
    happyPath: {
      scans: [{}, {}, {}, { code: 'X' }, {}, {}], // an exception scan, then the parcel goes out again
      events: [
        ['M/MP', 'pending'],
        ['P/PU', 'picked_up'],
        ['I/OR', 'in_transit'],
        ['I/OT', 'out_for_delivery'],
        ['X', 'on_hold'],
        ['I/OT', 'out_for_delivery'],
        ['D/FS', 'delivered'],
      ],
      lastLocation: 'Berlin, DE',
    },
    table: {
      scans: [{ code: 'I/AR' }, { code: 'U' }, { code: 'RS' }],
      events: [
        ['I/AR', 'in_transit'],
        ['U', 'in_transit'],
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

describe('the OAuth gateway', () => {
  test('calls without a valid bearer token get 401 with the carrier code', async () => {
    const res = await request(ups.sandbox.app).post('/ups/api/rating/v2409/Shop').set('Authorization', 'Bearer not-a-token').send({});
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ response: { errors: [{ code: '250002', message: expect.any(String) }] } });
  });
});
