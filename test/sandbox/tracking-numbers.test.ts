// A carrier double's tracking numbers outlive it: the engine keeps them in its database, where
// (carrier, tracking number) is unique, and every sandbox of a test run (or of earlier runs on the
// same database) books into that one table. Numbers from many sandboxes must not collide, or a
// booking fails on the database's unique key (stop 38's CI: carrier-webhooks, SQLSTATE 23505).
import { MngState, SANDBOX_MNG_CREDENTIALS } from '../../sandbox/mng';
import { SANDBOX_UPS_CREDENTIALS, UpsState } from '../../sandbox/ups';

// More sandboxes than a full CI run starts, and more than the old per-instance tag had values.
const SANDBOXES = 5_000;

test("UPS's 1Z numbers from thousands of sandboxes are distinct and keep UPS's shape", () => {
  const numbers = Array.from({ length: SANDBOXES }, () => {
    const ups = new UpsState(SANDBOX_UPS_CREDENTIALS, 3600);
    const book = () =>
      ups.create({
        kind: 'shipment',
        references: ['o-1'],
        service: '11',
        customer: { city: 'Berlin', postalCode: '10115', countryCode: 'DE' },
        crossesCustoms: false,
      }).id;
    return [book(), book()];
  }).flat();

  expect(new Set(numbers).size).toBe(numbers.length);
  // UPS's Track Alert definition: 1Z and 16 capitals or digits, the account and service among them.
  for (const n of numbers) expect(n).toMatch(new RegExp(`^1Z${SANDBOX_UPS_CREDENTIALS.accountNumber}11[0-9A-Z]{8}$`));
});

test("MNG's shipment ids from thousands of sandboxes are distinct 12-digit numbers", () => {
  const ids = Array.from({ length: SANDBOXES }, () => {
    const mng = new MngState(SANDBOX_MNG_CREDENTIALS, 3600);
    const order = mng.createOrder({
      referenceId: 'o-1',
      kind: 'shipment',
      service: 'standard',
      customer: { fullName: 'A', address: 'B', cityName: 'İstanbul' },
    });
    return mng.addShipment(order, () => ({ invoiceId: 'i', labels: [] })).shipmentId;
  });

  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/^\d{12}$/);
});
