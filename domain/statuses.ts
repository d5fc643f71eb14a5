// Status vocabularies, in a module with no runtime dependencies: workflow code imports it,
// and the workflow bundle must not carry zod or anything else it does not need.

/** The engine's tracking vocabulary; every carrier's raw codes map onto it. */
export const TRACKING_STATUSES = [
  'pending',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'ready_for_pickup',
  'delivery_failed',
  'delivered',
  'return_to_sender',
  'returned',
  'cancelled',
  'on_hold',
  'unknown',
] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

/**
 * Why a parcel is on hold, where its carrier says: `customs` is held by customs until cleared.
 * A reason, not a status of its own: it is still a hold-up, and every consumer of `on_hold` stays right.
 */
export const HOLD_REASONS = ['customs'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** Before the carrier has the parcel, the shipment is ours to change or cancel. */
export const PRE_CARRIER_STATUSES = [
  'packing',
  'awaiting_pack',
  'booking',
  'needs_attention',
  'address_invalid',
  'labelled',
  'pending',
] as const;
/** The carrier lost the parcel: silent past the final deadline after the lost alert (no carrier reports it as a scan). */
export const LOST = 'lost';
export type ShipmentStatus = (typeof PRE_CARRIER_STATUSES)[number] | TrackingStatus | typeof LOST;

export function handedToCarrier(status: ShipmentStatus): boolean {
  return !(PRE_CARRIER_STATUSES as readonly string[]).includes(status) && status !== 'cancelled';
}

/** A shipment in one of these has ended: nothing more happens to it. */
const FINISHED_STATUSES = ['delivered', 'returned', 'cancelled', LOST] as const satisfies readonly ShipmentStatus[];

export function shipmentFinished(status: ShipmentStatus): boolean {
  return (FINISHED_STATUSES as readonly string[]).includes(status);
}
