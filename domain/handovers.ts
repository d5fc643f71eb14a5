// The end-of-day handover (issue 21, item 3): the list of parcels a carrier's driver takes from a
// warehouse on a day, signed by both. Shapes and the totals printed under the list.
import type { Pickup } from './pickups';

/** A list is named by what makes it unique: one per carrier, warehouse and day. */
export const handoverId = (carrier: string, warehouseId: string, day: string) => `${carrier}.${warehouseId}.${day}`;

/** Carrier codes and warehouse ids as the API accepts them (neither holds a dot, so an id splits back). */
export const CARRIER_PATTERN = /^[a-z0-9_-]{1,32}$/;
export const WAREHOUSE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const HANDOVER_ID_PATTERN = /^[a-z0-9_-]{1,32}\.[A-Za-z0-9_-]{1,32}\.20\d{2}-\d{2}-\d{2}$/;

export interface Money {
  amount: number;
  currency: string;
}

export interface HandoverParcel {
  orderId: string;
  shipmentId: string;
  trackingNumber: string;
  pieces: number;
  weightGrams: number;
  /** What the driver collects at the door, as the label says. */
  cashOnDelivery: Money | null;
  labelledAt: string;
  /** When the list was found unscanned by the carrier at its acceptBy; null while scanned or not yet checked. */
  notAcceptedAt: string | null;
}

export interface HandoverTotals {
  parcels: number;
  pieces: number;
  weightGrams: number;
  /** Amounts in different currencies do not add up: one total each, by currency. */
  cashOnDelivery: Money[];
}

export interface Handover {
  handoverId: string;
  carrier: string;
  warehouse: { warehouseId: string; name: string; city: string; timeZone: string };
  day: string;
  /** The day's cut-off: parcels labelled before it are on this list, later ones on the next day's. */
  cutoffAt: string;
  closedAt: string;
  /** The next day's cut-off: a parcel the carrier has not scanned by then was not accepted. */
  acceptBy: string;
  acceptanceCheckedAt: string | null;
  /** The carrier's courier pickup for the same warehouse and day (its id is the list's), whatever became of it; null when none was asked for. */
  pickup: HandoverPickup | null;
  parcels: HandoverParcel[];
  totals: HandoverTotals;
}

/** What the list names of the day's pickup: the carrier's number for it (UPS's PRN), when and whether it stands. */
export type HandoverPickup = Pick<Pickup, 'pickupId' | 'status' | 'carrierPickupId' | 'date' | 'readyTime' | 'closeTime' | 'failure'>;

/** The pickup as the paper list prints it: `PRN 2AB0000001, 2026-12-03 17:00-19:00 (scheduled)`, or why there is none. */
export function pickupLine(pickup: HandoverPickup | null): string {
  if (!pickup) return 'none booked';
  const when = `${pickup.date} ${pickup.readyTime}-${pickup.closeTime}`;
  const number = pickup.carrierPickupId ? `PRN ${pickup.carrierPickupId}, ` : '';
  return `${number}${when} (${pickup.status}${pickup.failure ? `: ${pickup.failure}` : ''})`;
}

/** Sums in whole cents, so a hundred parcels of 19.99 add up to 1999.00 exactly. */
export function handoverTotals(parcels: Pick<HandoverParcel, 'pieces' | 'weightGrams' | 'cashOnDelivery'>[]): HandoverTotals {
  const cents = new Map<string, number>();
  for (const { cashOnDelivery: cod } of parcels) {
    if (cod) cents.set(cod.currency, (cents.get(cod.currency) ?? 0) + Math.round(cod.amount * 100));
  }
  return {
    parcels: parcels.length,
    pieces: parcels.reduce((sum, p) => sum + p.pieces, 0),
    weightGrams: parcels.reduce((sum, p) => sum + p.weightGrams, 0),
    cashOnDelivery: [...cents.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, c]) => ({ currency, amount: c / 100 })),
  };
}
