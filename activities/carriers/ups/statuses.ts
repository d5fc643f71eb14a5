// UPS activity status types (trackResponse…activity[].status.type) → the engine's statuses.
// Explicit on purpose: an unmapped code becomes 'unknown' and is logged once, never guessed.
import type { TrackingStatus } from '../../../domain/shipment';

export const UPS_STATUSES: ReadonlyMap<string, TrackingStatus> = new Map<string, TrackingStatus>([
  ['M', 'pending'], // manifest: label created, the carrier does not have the parcel yet
  ['MV', 'cancelled'], // manifest voided
  ['P', 'picked_up'],
  ['I', 'in_transit'],
  ['O', 'out_for_delivery'],
  ['D', 'delivered'],
  // An exception is a hold-up (failed attempt, customs, damage), not an end: the parcel may still move.
  ['X', 'on_hold'],
  ['RS', 'return_to_sender'],
]);
