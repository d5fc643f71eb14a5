// What a booking round decides, without a server.
import { bookingKey, onlyAddressRejected, returnBookingKey, whyNotBooked } from '../../domain/booking';
import { ADDRESS_REJECTED } from '../../domain/carrier-failures';
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
