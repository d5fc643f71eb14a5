// Contract tests: the UPS adapter against the real carrier sandbox over HTTP. The common suite
// (test/helpers/carrier-contract.ts) runs with the kit below; this file keeps what is UPS's own.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { carrierContract, type CarrierKit } from '../helpers/carrier-contract';
import { createUpsAdapter, upsConnector, type UpsAdapterConfig } from '../../carriers/ups';
import { SANDBOX_UPS_CREDENTIALS, upsDouble } from '../../sandbox/ups';

/** UPS: REST/JSON with OAuth tokens, takes our idempotency key as is, sends PDF labels, no cash on delivery. */
const kit: CarrierKit<UpsAdapterConfig> = {
  connector: upsConnector,
  double: upsDouble,
  adapter: (base, overrides) => createUpsAdapter({ ...SANDBOX_UPS_CREDENTIALS, ...base, ...overrides }),
  customer: { name: 'Hans Muster', line1: 'Friedrichstr. 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' },
  newKey: () => `book-${randomUUID()}`,
  keyFor: (idempotencyKey) => idempotencyKey,
  // A scanned shipment stays `active`: booked is active with its label scan (M) only.
  booking: ({ idempotencyKey, id, trackingNumber, status, scans }) => ({
    key: idempotencyKey as string,
    bookingId: id as string,
    trackingNumber: trackingNumber as string,
    state: status === 'voided' ? 'cancelled' : status === 'active' && (scans as unknown[]).length === 1 ? 'booked' : String(status),
  }),
  operations: { quote: 'rate', book: 'ship', track: 'track', cancel: 'lookup' },
  bookingOperations: ['ship'],
  codes: {
    serverError: '10500',
    rateLimited: '10429',
    unavailable: '10503',
    addressRejected: '120802',
    badCredentials: '250003',
    notCancellable: '190118', // scanned: no longer voidable
  },
  wrongCredentials: { clientSecret: 'wrong' },
  badAddress: { postalCode: '00000' },
  refusedWithoutCall: [{ parcel: { cashOnDelivery: { amount: 100, currency: 'TRY' } }, quote: false }],
  tracking: {
    booked: [['M', 'pending']],
    cancelled: ['pending', 'cancelled'],
    happyPath: {
      scans: [{}, {}, {}, { code: 'X' }, {}, {}], // an exception scan, then the parcel goes out again
      events: [
        ['M', 'pending'],
        ['P', 'picked_up'],
        ['I', 'in_transit'],
        ['O', 'out_for_delivery'],
        ['X', 'on_hold'],
        ['O', 'out_for_delivery'],
        ['D', 'delivered'],
      ],
      lastLocation: 'Berlin, DE',
    },
    table: { scans: [{ code: 'RS' }], events: [['RS', 'return_to_sender']] },
    unknown: { scans: [{ code: 'ZQ' }], rawCodes: ['ZQ'] },
  },
  malformed: [
    { call: 'quote', names: 'not valid JSON' },
    { call: 'book', variant: 'wrong-shape', names: 'shipment' },
  ],
  tokens: { path: '/oauth/token', ttl: (seconds) => ({ tokenTtlSeconds: seconds }) },
};

const ups = carrierContract(kit);

describe('the OAuth gateway', () => {
  test('calls without a valid bearer token get 401 with the carrier code', async () => {
    const res = await request(ups.sandbox.app).post('/ups/api/rating').set('Authorization', 'Bearer not-a-token').send({});
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ response: { errors: [{ code: '250002', message: expect.any(String) }] } });
  });
});
