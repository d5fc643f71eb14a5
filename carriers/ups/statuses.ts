// UPS activity status types (trackResponse…activity[].status.type) → the engine's statuses.
// Explicit on purpose: an unmapped code becomes 'unknown' and is logged once, never guessed.
import { TrackingEventSchema, type TrackingStatus } from '../../domain/shipment';
import type { UpsActivity } from './client';

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

/**
 * A UPS activity as the engine's tracking event, whether polled or pushed. UPS scans carry no id
 * of their own: number, code and time identify one, so both paths give the same event id.
 */
export function upsTrackingEvent(trackingNumber: string, activity: UpsActivity, toStatus: (rawCode: string) => TrackingStatus) {
  const d = activity.gmtDate;
  const occurredAt = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${activity.gmtTime}Z`;
  const rawCode = activity.status.type;
  const { city, countryCode } = activity.location?.address ?? {};
  const location = [city, countryCode].filter(Boolean).join(', ') || undefined;
  return TrackingEventSchema.safeParse({
    eventId: `${trackingNumber}:${rawCode}:${occurredAt}`,
    trackingNumber,
    status: toStatus(rawCode),
    occurredAt,
    rawCode,
    location,
  });
}
