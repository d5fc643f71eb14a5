// Shapes of parcels, carriers and tracking, shared by the workflows, the carrier activities and the API.
import { z } from 'zod';
import type { CarrierDecision, Quote } from './carrier-policy';
import type { ShipmentCustoms } from './customs';
import type { Address, CollectionType, OrderLine } from './shared-shapes';
import { HOLD_REASONS, TRACKING_STATUSES, type ShipmentStatus } from './statuses';

export type { Quote } from './carrier-policy';
export {
  handedToCarrier,
  HOLD_REASONS,
  PRE_CARRIER_STATUSES,
  TRACKING_STATUSES,
  type HoldReason,
  type ShipmentStatus,
  type TrackingStatus,
} from './statuses';

/** The public tracking page of a parcel, as customers and storefronts are sent it. */
export const trackingUrl = (publicBaseUrl: string, trackingNumber: string) =>
  `${publicBaseUrl.replace(/\/$/, '')}/track/${encodeURIComponent(trackingNumber)}`;

/** The rating page a delivered notice links to; the token (lib/rating-token.ts) names the parcel and expires. */
export const ratingUrl = (publicBaseUrl: string, trackingNumber: string, token: string) =>
  `${trackingUrl(publicBaseUrl, trackingNumber)}/rating?token=${encodeURIComponent(token)}`;

/** Where the API serves a shipment's label (the workflow holds this, never the bytes). */
export const labelUrl = (shipmentId: string) => `/v1/shipments/${encodeURIComponent(shipmentId)}/label`;

export const TrackingEventSchema = z.object({
  eventId: z.string().min(1).max(200), // the carrier's id for the scan: duplicates are dropped by it
  trackingNumber: z.string().min(1).max(64),
  status: z.enum(TRACKING_STATUSES),
  occurredAt: z.iso.datetime({ offset: true }),
  rawCode: z.string().max(64).optional(),
  location: z.string().max(200).optional(),
  /** Why an on_hold scan holds the parcel, where the carrier says (customs); absent for other scans. */
  reason: z.enum(HOLD_REASONS).optional(),
});
export type TrackingEvent = z.infer<typeof TrackingEventSchema>;

/** What one shipment books: its weight and size in all, packed in `pieces` boxes (1 when absent), each labelled. */
export interface Parcel {
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
  /** Boxes the warehouse packed the shipment in (the WMS's packed report); one carrier booking carries them all. */
  pieces?: number;
}

/** Stock reserved in one warehouse: one shipment. */
export interface Allocation {
  warehouseId: string;
  lines: Pick<OrderLine, 'sku' | 'quantity'>[];
}

/**
 * A parcel the marketplace ships on its own carrier contract (docs/design/marketplaces.md section 7):
 * the marketplace named the carrier (one of ours) and the tracking number, makes the label and follows
 * the parcel; we print its label and hand the parcel over. Never booked with our carriers.
 */
export interface MarketplaceShipping {
  marketplace: string;
  accountId: string;
  /** The marketplace's package id: its label and its status are asked by it. */
  packageId: string;
  carrier: string;
  trackingNumber: string;
}

export interface Booking {
  carrier: string;
  bookingId: string;
  trackingNumber: string;
  labelRef: string;
  idempotencyKey: string;
  /** The booking also subscribed the parcel to the carrier's pushed scans (UPS Track Alert): the shipment need not ask again. */
  trackingSubscribed?: boolean;
}

/** What a carrier is asked to carry. */
export interface ShipmentRequest {
  shipmentId: string;
  orderId: string;
  warehouseId: string;
  to: Address;
  parcel: Parcel;
  service: string;
  /** Collected at the door; in cash when collectionType is absent. */
  cashOnDelivery?: { amount: number; currency: string; collectionType?: CollectionType };
  /** For a parcel leaving its warehouse's country: its goods and terms, added by the carrier activities (never in workflow history). */
  customs?: ShipmentCustoms;
}

export interface ShipmentView {
  shipmentId: string;
  /** A return parcel travels from the customer back to the warehouse. */
  kind: 'outbound' | 'return';
  warehouseId: string;
  lines: Allocation['lines'];
  status: ShipmentStatus;
  parcel?: Parcel;
  quotes?: Quote[];
  /** How the carrier was chosen from the quotes. */
  decision?: CarrierDecision;
  carrier?: string;
  trackingNumber?: string;
  labelRef?: string;
  /** Why ops are needed (needs_attention, overdue packing). */
  attention?: string;
  /** Why the shipment is asking the carriers again by itself (every failure transient): ops are not needed yet. */
  retrying?: string;
  /** Why a finished shipment ended as it did (e.g. why it was cancelled). */
  outcome?: string;
  /** Raised by the shipment's timers: past the promised date, or silent for too long. */
  alert?: 'delayed' | 'lost';
  events: TrackingEvent[];
}
