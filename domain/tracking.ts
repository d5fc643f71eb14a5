// What following a parcel decides from its scans and the clock: the timeline, when to wake next,
// which alert is due, when stock moves. Pure (times are epoch milliseconds): workflow code imports it.
import type { ShipmentView, TrackingEvent } from './shipment';
import { handedToCarrier, type ShipmentStatus } from './statuses';

type Kind = ShipmentView['kind'];

/**
 * The timeline with the new scans of this parcel merged in, oldest first, so the newest scan
 * decides the status whatever order scans arrive in; duplicates are dropped by event id.
 * Undefined when no scan was new.
 */
export function mergeScans(
  timeline: TrackingEvent[],
  incoming: TrackingEvent[],
  trackingNumber: string | undefined,
): TrackingEvent[] | undefined {
  const known = new Set(timeline.map((e) => e.eventId));
  const fresh = incoming.filter((e) => e.trackingNumber === trackingNumber && !known.has(e.eventId) && known.add(e.eventId));
  if (fresh.length === 0) return undefined;
  return [...timeline, ...fresh].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
}

const TOLD_TO_CUSTOMER = ['out_for_delivery', 'delivered', 'delivery_failed', 'ready_for_pickup'] as const;

/** The scans a customer is told of; the others only show on the tracking page. */
export function customerHearsOf(status: ShipmentStatus): status is (typeof TOLD_TO_CUSTOMER)[number] {
  return (TOLD_TO_CUSTOMER as readonly string[]).includes(status);
}

/**
 * A scan saying customs hold the parcel: the customer is told (they may be asked for papers or
 * duties), once, though the status is only on_hold, which other hold-ups share and go untold.
 */
export const heldInCustoms = (scan: Pick<TrackingEvent, 'status' | 'reason'>): boolean =>
  scan.status === 'on_hold' && scan.reason === 'customs';

/** A return label the customer has not used yet is not a lost parcel: it expires instead. */
export function unusedReturnLabel(kind: Kind, status: ShipmentStatus): boolean {
  return kind === 'return' && !handedToCarrier(status);
}

/** The end of the promised day plus the grace; never without a promise. */
export function lateAfter(promisedDeliveryDate: string | undefined, lateGraceMs: number): number {
  return promisedDeliveryDate ? Date.parse(`${promisedDeliveryDate}T23:59:59Z`) + lateGraceMs : Infinity;
}

export interface TrackingClock {
  lastScanAt: number;
  /** Null for a carrier that pushes its scans. */
  nextPollAt: number | null;
}

export interface TrackingLimits {
  /** From lateAfter. */
  lateAt: number;
  lostAfterMs: number;
  /** After the lost alert, silence for this long ends the parcel as lost. */
  lostFinalMs: number;
  returnLabelValidityMs: number;
}

export interface Deadlines {
  /** The parcel is flagged lost (Infinity: already flagged, or an unused return label). */
  lostAt: number;
  /** A parcel flagged lost ends lost (Infinity: not flagged lost). */
  finalAt: number;
  /** The parcel is flagged delayed (Infinity: already flagged, or delivered). */
  lateDue: number;
  /** An unused return label is voided. */
  expiresAt: number;
  /** The earliest of the above and the next poll. */
  wakeAt: number;
}

export function deadlines(
  parcel: Pick<ShipmentView, 'kind' | 'status' | 'alert'>,
  clock: TrackingClock,
  limits: TrackingLimits,
): Deadlines {
  const unused = unusedReturnLabel(parcel.kind, parcel.status);
  const lostAt = parcel.alert === 'lost' || unused ? Infinity : clock.lastScanAt + limits.lostAfterMs;
  const finalAt = parcel.alert === 'lost' ? clock.lastScanAt + limits.lostAfterMs + limits.lostFinalMs : Infinity;
  const expiresAt = unused ? clock.lastScanAt + limits.returnLabelValidityMs : Infinity;
  const lateDue = parcel.alert || parcel.status === 'delivered' ? Infinity : limits.lateAt;
  return { lostAt, finalAt, lateDue, expiresAt, wakeAt: Math.min(clock.nextPollAt ?? Infinity, lostAt, finalAt, lateDue, expiresAt) };
}

/** Lost before delayed: a silent parcel is the bigger worry. */
export function alertDue(now: number, { lostAt, lateDue }: Pick<Deadlines, 'lostAt' | 'lateDue'>): 'lost' | 'delayed' | undefined {
  if (now >= lostAt) return 'lost';
  if (now >= lateDue) return 'delayed';
  return undefined;
}

/** Polls back off: the interval doubles up to the maximum. */
export function nextPollInterval(currentMs: number, maxMs: number): number {
  return Math.min(currentMs * 2, maxMs);
}

/** Stock leaves the shelf once, when the carrier takes an outbound parcel. */
export function stockLeavesNow(kind: Kind, status: ShipmentStatus, alreadyShipped: boolean): boolean {
  return kind === 'outbound' && !alreadyShipped && handedToCarrier(status);
}

/** The goods are back at the warehouse: a return parcel delivered there, or an outbound one returned to sender. */
export function arrivedBack(kind: Kind, status: ShipmentStatus): boolean {
  return (kind === 'return' && status === 'delivered') || (kind === 'outbound' && status === 'returned');
}
