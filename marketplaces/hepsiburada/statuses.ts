// Hepsiburada's package statuses as intake decisions. The definition leaves `status` a bare string
// and enumerates no values (spec/README.md): the few named here are the conservative reading
// (README.md), to be confirmed in SIT; a status not named waits, because taking it could ship
// what should not be shipped, and a waiting package shows in the account's view for ops.
import { intakeBy } from '../adapter';

const decide = intakeBy({
  // Packed and waiting for the merchant's carrier: ours to ship.
  packaged: 'take',
  // Already with a carrier or at its end: nothing left for us to ship.
  intransit: 'skip',
  delivered: 'skip',
  undelivered: 'skip',
});

/** Read without regard to case: the definition gives no spelling to hold a reply to. */
export const intakeOf = (status: string) => decide(status.toLowerCase());
