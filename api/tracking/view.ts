// What the public tracking page shows of a parcel, in one language: the same picture as HTML
// and as JSON. It holds no personal data: of the order, only the destination city and country.
import { MESSAGES, type Language } from './locales';
import { carrierDisplayName } from '../../carriers/registry';
import { FINAL_STATUSES, publicStatus, type PublicStatus } from './status';
import { HOLD_REASONS, type HoldReason } from '../../domain/statuses';

/** A parcel as read from the records (tracking-page.ts). */
export interface ParcelRecord {
  trackingNumber: string;
  carrier: string;
  status: string;
  city: string | null;
  countryCode: string | null;
  promisedDeliveryDate: string | null;
  /** Newest first; `reason` says why an on_hold scan holds the parcel (customs). */
  events: { status: string; reason: string | null; location: string | null; occurredAt: Date }[];
}

interface StatusLabel {
  code: PublicStatus;
  /** Why the parcel is on hold, where the carrier says: the label names it ("In customs"). */
  reason?: HoldReason;
  label: string;
}

export interface TrackingView {
  trackingNumber: string;
  language: Language;
  carrier: { code: string; name: string };
  status: StatusLabel;
  destination: { city: string; countryCode: string } | null;
  /** ISO date; null once the journey is over or when no date was promised. */
  estimatedDelivery: string | null;
  deliveredAt: string | null;
  events: { at: string; status: StatusLabel; location?: string }[];
}

/** A hold's reason when the scan is on hold for one we name; others (and unknown values) are a plain hold. */
function holdReason(status: string, reason: string | null | undefined): HoldReason | undefined {
  return status === 'on_hold' && (HOLD_REASONS as readonly string[]).includes(reason ?? '') ? (reason as HoldReason) : undefined;
}

export function trackingView(parcel: ParcelRecord, language: Language): TrackingView {
  const messages = MESSAGES[language];
  const label = (status: string, reasonOf?: string | null): StatusLabel => {
    const code = publicStatus(status);
    const reason = holdReason(code, reasonOf);
    return reason ? { code, reason, label: messages.holdReasons[reason] } : { code, label: messages.statuses[code] };
  };
  // The parcel's status is its newest scan's: that scan says why it is held.
  const newest = parcel.events[0];
  const status = label(parcel.status, newest?.status === parcel.status ? newest.reason : undefined);
  const delivered = status.code === 'delivered' ? parcel.events.find((e) => e.status === 'delivered') : undefined;
  return {
    trackingNumber: parcel.trackingNumber,
    language,
    carrier: { code: parcel.carrier, name: carrierDisplayName(parcel.carrier) },
    status,
    destination: parcel.city && parcel.countryCode ? { city: parcel.city, countryCode: parcel.countryCode } : null,
    estimatedDelivery: FINAL_STATUSES.includes(status.code) ? null : parcel.promisedDeliveryDate,
    deliveredAt: delivered?.occurredAt.toISOString() ?? null,
    events: parcel.events.map((e) => ({
      at: e.occurredAt.toISOString(),
      status: label(e.status, e.reason),
      ...(e.location && { location: e.location }),
    })),
  };
}
