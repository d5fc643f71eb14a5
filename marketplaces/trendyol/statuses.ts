// Trendyol's package statuses (spec/: ShipmentPackage.status, and getShipmentPackages' status filter,
// which adds Awaiting, AtCollectionPoint and UnSupplied) as intake decisions.
import { intakeBy } from '../adapter';

/** A status Trendyol adds later waits (intakeBy, README). */
export const intakeOf = intakeBy({
  // Paid and waiting for the seller: ours to ship.
  Created: 'take',
  // Not yet released to the seller (payment being confirmed): a later pull takes it when it is Created.
  Awaiting: 'wait',
  // Already being handled elsewhere (Picking, Invoiced: the seller's panel or another integration), or over.
  Picking: 'skip',
  Invoiced: 'skip',
  Shipped: 'skip',
  Delivered: 'skip',
  UnDelivered: 'skip',
  Returned: 'skip',
  AtCollectionPoint: 'skip',
  UnSupplied: 'skip',
  Cancelled: 'skip',
});

/** Cancelled: by the buyer or by Trendyol; an order we started must stop. */
export const cancelledAt = (status: string): boolean => status === 'Cancelled';
