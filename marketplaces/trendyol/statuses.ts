// Trendyol's package statuses (spec/: ShipmentPackage.status, and getShipmentPackages' status filter,
// which adds Awaiting, AtCollectionPoint and UnSupplied) as intake decisions.
import type { TrackingStatus } from '../../domain/statuses';
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

/**
 * A Trendyol-contracted package's status as a scan (Trendyol follows its own contract's parcels; the
 * seller reads where they are from the package): from Shipped on; before that the parcel is ours.
 */
const SCANS: Record<string, TrackingStatus> = {
  Shipped: 'in_transit',
  AtCollectionPoint: 'ready_for_pickup',
  Delivered: 'delivered',
  UnDelivered: 'delivery_failed',
  Returned: 'returned',
};
export const trackingOf = (status: string): TrackingStatus | undefined => SCANS[status];
