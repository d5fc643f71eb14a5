// MNG shipmentStatusCode / eventStatusCode values → the engine's statuses. Explicit on purpose: a
// code the table lacks becomes 'unknown' and is logged once, never guessed. MNG publishes no code
// list; 0–8 are as third-party integrations quote the carrier's descriptions, 9 and 10 the
// sandbox's (README.md).
import type { TrackingStatus } from '../../domain/shipment';

export const MNG_STATUSES: ReadonlyMap<string, TrackingStatus> = new Map<string, TrackingStatus>([
  ['0', 'pending'], // registered, label printed: the carrier does not have the parcel yet
  ['1', 'picked_up'], // handed to the carrier (kargoya verildi)
  ['2', 'in_transit'], // between branches (transfer)
  ['3', 'in_transit'], // at the delivery branch
  ['4', 'out_for_delivery'], // on its way to the recipient's address
  ['5', 'delivered'],
  ['6', 'delivery_failed'], // not delivered this time; it goes out again or comes back
  ['7', 'return_to_sender'], // on its way back (geri geliyor)
  // "Needs support": the carrier is stuck on something (address, damage); a hold-up, not an end.
  ['8', 'on_hold'],
  ['9', 'cancelled'],
  ['10', 'returned'], // back with the sender
]);
