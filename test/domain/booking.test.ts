// What a booking round decides, without a server.
import { bookingKey, onlyAddressRejected, returnBookingKey, transientBackoffMs, whyNotBooked } from '../../domain/booking';
import { ADDRESS_REJECTED, CARRIER_FAILURE_TYPES, onlyTransientFailures, UNCLASSIFIED_FAILURE } from '../../domain/carrier-failures';
import { effectivePolicy } from '../../domain/carrier-policy';

test('idempotency keys: one per carrier and round, one for a return (running parcels replay with these exact keys)', () => {
  expect(bookingKey('shipment-SO-1-1', 'ups', 2)).toBe('shipment-SO-1-1:ups:2');
  expect(returnBookingKey('shipment-SO-1-2')).toBe('shipment-SO-1-2:return');
});

test('a corrected address is waited for only when every carrier tried rejected the address', () => {
  expect(onlyAddressRejected([ADDRESS_REJECTED, ADDRESS_REJECTED])).toBe(true);
  expect(onlyAddressRejected([ADDRESS_REJECTED, 'CarrierUnavailable'])).toBe(false);
  expect(onlyAddressRejected([])).toBe(false); // no carrier was tried: ops must look
});

test('why nothing was booked, for ops', () => {
  expect(whyNotBooked([])).toBe('no carrier can take this parcel');
  const quote = (carrier: string) => ({ carrier, service: 'standard', amount: 10, currency: 'TRY', transitDays: 1 });
  expect(whyNotBooked([quote('ups'), quote('mng')])).toBe('every carrier refused (ups, mng)');
});

test("the order's policy wins; without one, preferred carriers imply the preferred policy", () => {
  expect(effectivePolicy('fastest', ['ups'])).toBe('fastest');
  expect(effectivePolicy(undefined, ['ups'])).toBe('preferred');
  expect(effectivePolicy(undefined, [])).toBe('cheapest');
});

test('a round whose every failure was transient is asked again; one real refusal goes to ops (issue 16, defect 10)', () => {
  const { timeout, unavailable, rateLimited, refused, malformed } = CARRIER_FAILURE_TYPES;
  expect(onlyTransientFailures([timeout, unavailable, rateLimited, UNCLASSIFIED_FAILURE])).toBe(true);
  expect(onlyTransientFailures([unavailable, refused])).toBe(false);
  expect(onlyTransientFailures([ADDRESS_REJECTED])).toBe(false);
  expect(onlyTransientFailures([malformed])).toBe(false); // a reply we cannot read needs a person
  expect(onlyTransientFailures([])).toBe(false); // nothing failed: no carrier could take it
});

test('transient rounds back off from 1 minute, doubling, to at most 8', () => {
  expect([0, 1, 2, 3, 4, 10].map((n) => transientBackoffMs(n) / 60_000)).toEqual([1, 2, 4, 8, 8, 8]);
});
