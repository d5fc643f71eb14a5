// What the public tracking page shows of a parcel, in one language: the same picture as HTML
// and as JSON. It holds no personal data: of the order, only the destination city and country.
import { MESSAGES, type Language } from './locales';
import { carrierDisplayName } from '../../carriers/registry';
import { FINAL_STATUSES, publicStatus, type PublicStatus } from './status';

/** A parcel as read from the records (tracking-page.ts). */
export interface ParcelRecord {
  trackingNumber: string;
  carrier: string;
  status: string;
  city: string | null;
  countryCode: string | null;
  promisedDeliveryDate: string | null;
  /** Newest first. */
  events: { status: string; location: string | null; occurredAt: Date }[];
}

interface StatusLabel {
  code: PublicStatus;
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

export function trackingView(parcel: ParcelRecord, language: Language): TrackingView {
  const label = (status: string): StatusLabel => {
    const code = publicStatus(status);
    return { code, label: MESSAGES[language].statuses[code] };
  };
  const status = label(parcel.status);
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
      status: label(e.status),
      ...(e.location && { location: e.location }),
    })),
  };
}
