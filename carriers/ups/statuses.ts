// UPS activity statuses → the engine's statuses. UPS gives each scan a type (D, I, M, MV, U, X in
// Track Alert's definition) and a 2-character code; the type says little on its own (out for
// delivery is type I, code OT), so the table is looked up by `type/code` first, then by type.
// Explicit on purpose: an unmapped type becomes 'unknown' and is logged once, never guessed.
import { TrackingEventSchema, type HoldReason, type TrackingStatus } from '../../domain/shipment';
import { scanLocation } from '../events';

export const UPS_STATUSES: ReadonlyMap<string, TrackingStatus> = new Map<string, TrackingStatus>([
  ['M', 'pending'], // Manifest: label created, UPS does not have the parcel yet
  ['MV', 'cancelled'], // Manifest Void
  ['P', 'picked_up'], // Pickup: not in the captured definitions (UPS's older Tracking guide lists it); to verify
  ['I', 'in_transit'], // On the Way
  ['I/PU', 'picked_up'], // On the Way / Pickup Scan: Track Alert has no pickup type; the code is to verify
  ['I/OT', 'out_for_delivery'], // On the Way / Out For Delivery Today (Track Alert's own example)
  // Updated delivery date or time: the parcel is still on its way; no new place or hand-over.
  ['U', 'in_transit'],
  ['D', 'delivered'],
  // An exception is a hold-up (failed attempt, customs, damage), not an end: the parcel may still move.
  ['X', 'on_hold'],
  // Held by customs: no published definition names the code (assumption, to verify: carriers/ups/README.md).
  ['X/CH', 'on_hold'],
  // Released by customs (Tracking.yaml's Status example: type X, code SR): on its way again.
  ['X/SR', 'in_transit'],
  ['RS', 'return_to_sender'], // Returned to shipper: not in the captured definitions; to verify
]);

/** Why an on_hold scan holds the parcel, by `type/code`: the customer is told of a customs hold. */
export const UPS_HOLD_REASONS: ReadonlyMap<string, HoldReason> = new Map<string, HoldReason>([['X/CH', 'customs']]);

/** What one scan says, whether polled (Track) or pushed (Track Alert), in one shape. */
export interface UpsScan {
  trackingNumber: string;
  type: string;
  code?: string;
  /** UTC: `YYYYMMDD` and `HHMMSS` (UPS also writes `HMMSS` and `HH:MM:SS`). */
  gmtDate?: string;
  gmtTime?: string;
  /** Local date and time with the offset (`-05:00` in Track, `-05.00` in Track Alert): used when UTC is missing. */
  localDate?: string;
  localTime?: string;
  gmtOffset?: string;
  city?: string;
  country?: string;
}

/** The raw code the engine keeps: `type/code` where UPS gives a code (`I/OT`), the type alone otherwise. */
export const upsRawCode = ({ type, code }: Pick<UpsScan, 'type' | 'code'>) => (code ? `${type}/${code}` : type);

/** The table's key for a scan: `type/code` when the table knows it, else the type; an unknown type keeps its whole raw code (logged as is). */
function tableKey(scan: UpsScan): string {
  const raw = upsRawCode(scan);
  return UPS_STATUSES.has(raw) || !UPS_STATUSES.has(scan.type) ? raw : scan.type;
}

/** `HHMMSS` from `HHMMSS`, `HMMSS` (a missing leading zero, as in UPS's own example `74700`) or `HH:MM:SS`. */
const sixDigits = (time: string) => time.replaceAll(':', '').padStart(6, '0');
const isoDate = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
const isoTime = (t: string) => `${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}`;

/** When the scan happened, as ISO 8601: UTC where UPS gives it, else local time with its offset; undefined without either. */
export function scanTime(scan: UpsScan): string | undefined {
  if (scan.gmtDate && scan.gmtTime) return `${isoDate(scan.gmtDate)}T${isoTime(sixDigits(scan.gmtTime))}Z`;
  if (!scan.localDate || !scan.localTime || !scan.gmtOffset) return undefined;
  return `${isoDate(scan.localDate)}T${isoTime(sixDigits(scan.localTime))}${scan.gmtOffset.replace('.', ':')}`;
}

/**
 * A UPS scan as the engine's tracking event. UPS scans carry no id of their own: number, raw code
 * and time identify one, so a scan polled and pushed has one event id and counts once.
 */
export function upsTrackingEvent(scan: UpsScan, toStatus: (rawCode: string) => TrackingStatus) {
  const occurredAt = scanTime(scan);
  const rawCode = upsRawCode(scan);
  const reason = UPS_HOLD_REASONS.get(rawCode);
  return TrackingEventSchema.safeParse({
    eventId: `${scan.trackingNumber}:${rawCode}:${occurredAt}`,
    trackingNumber: scan.trackingNumber,
    status: toStatus(tableKey(scan)),
    occurredAt,
    rawCode,
    location: scanLocation(scan.city, scan.country),
    ...(reason && { reason }),
  });
}
