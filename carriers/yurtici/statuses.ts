// Yurtiçi operationStatus/operationCode pairs → the engine's statuses. Keyed by the pair on
// purpose: the status alone is too coarse (IND covers in transit and out for delivery, and a
// returned parcel's process is "done" too), and a pair the table lacks becomes 'unknown' and is
// logged once, never guessed.
import type { TrackingStatus } from '../../domain/shipment';

/** The raw code as reported and logged: `${operationStatus}/${operationCode}`, e.g. `IND/2`. */
export const rawCode = (operationStatus: string, operationCode: number): string => `${operationStatus}/${operationCode}`;

export const YURTICI_STATUSES: ReadonlyMap<string, TrackingStatus> = new Map<string, TrackingStatus>([
  ['NOP/0', 'pending'], // registered, the parcel has not reached a branch
  ['ISR/1', 'picked_up'], // accepted by a branch: the carrier has the parcel
  ['IND/2', 'in_transit'],
  ['CNL/3', 'cancelled'],
  ['IND/4', 'out_for_delivery'],
  ['DLV/5', 'delivered'],
  // The carrier closes a returned parcel as done (DLV); it reached the sender, not the customer.
  ['DLV/6', 'returned'],
]);
