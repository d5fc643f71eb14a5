// Trendyol's package statuses (spec/: ShipmentPackage.status, and getShipmentPackages' status filter,
// which adds Awaiting, AtCollectionPoint and UnSupplied) as intake decisions.
import type { INTAKE_DECISIONS } from '../adapter';

type Intake = (typeof INTAKE_DECISIONS)[number];

const INTAKE: Record<string, Intake> = {
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
};

/** A status Trendyol adds later waits (README): taking it could ship what should not be shipped, skipping it could lose an order. */
export const intakeOf = (status: string): Intake => INTAKE[status] ?? 'wait';

/** Cancelled: by the buyer or by Trendyol; an order we started must stop. */
export const cancelledAt = (status: string): boolean => status === 'Cancelled';
