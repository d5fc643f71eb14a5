// Courier pickups (issue 21, item 4): a carrier's driver collects a warehouse's parcels on a day,
// booked with the carrier once per carrier, warehouse and day, at the first label of that day or by
// hand. Shapes shared by the carrier adapters, the store, the API and the handover list.

/** A pickup is named by what makes it unique, as a handover list is: one per carrier, warehouse and day. */
export const pickupId = (carrier: string, warehouseId: string, date: string) => `${carrier}.${warehouseId}.${date}`;

export const PICKUP_ID_PATTERN = /^[a-z0-9_-]{1,32}\.[A-Za-z0-9_-]{1,32}\.20\d{2}-\d{2}-\d{2}$/;
/** A local time of day as the warehouse's clock shows it, HH:MM (24 hours). */
export const LOCAL_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * booking: claimed, the carrier is being asked (a row left here by a crash is asked again by the
 * schedule); scheduled: the carrier confirmed it; cancelled: cancelled at the carrier; failed: the
 * carrier refused or could not be reached (`failure` says why; retried when `retryable`).
 */
export const PICKUP_STATUSES = ['booking', 'scheduled', 'cancelled', 'failed'] as const;
export type PickupStatus = (typeof PICKUP_STATUSES)[number];

/** What an adapter is asked for: the warehouse's parcels on a day, within a local time window. */
export interface PickupRequest {
  warehouseId: string;
  /** ISO date (YYYY-MM-DD) the courier should come. */
  date: string;
  /** HH:MM local: from when the parcels are ready, and the latest the courier may come. */
  readyTime: string;
  closeTime: string;
  parcels: number;
  idempotencyKey: string;
}

export interface PickupConfirmation {
  carrier: string;
  /** The carrier's number for the pickup (UPS: the PRN), what the driver and the call centre know it by. */
  pickupId: string;
  date: string;
}

/** What the pickup store needs of a carrier: its name and, where it offers them, the two pickup calls. */
export interface PickupCarrier {
  readonly name: string;
  readonly capabilities: { pickups: boolean };
  schedulePickup?(request: PickupRequest): Promise<PickupConfirmation>;
  cancelPickup?(carrierPickupId: string): Promise<void>;
}

export interface Pickup {
  pickupId: string;
  carrier: string;
  warehouseId: string;
  date: string;
  status: PickupStatus;
  /** The carrier's number for it (UPS's PRN) once scheduled; kept after a cancel, for the call centre. */
  carrierPickupId: string | null;
  readyTime: string;
  closeTime: string;
  parcels: number;
  /** Why the carrier did not book or cancel it (its own words), while failed. */
  failure: string | null;
  /** How it came about: at the day's first label, or asked for through the API. */
  origin: 'label' | 'api';
  createdAt: string;
  updatedAt: string;
}

/** How long a pickup window lasts when none is asked for: the driver comes within two hours of the day's cut-off. */
const DEFAULT_WINDOW_MINUTES = 120;

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const hhmm = (total: number) => `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;

/** The latest a default window may start and still last its two hours before midnight. */
const LATEST_DEFAULT_READY = 24 * 60 - 1 - DEFAULT_WINDOW_MINUTES;

/**
 * The window when none is asked for: from the warehouse's cut-off (the day's list is closed, the
 * parcels are ready; 21:59 at the latest) for two hours, ending by 23:59.
 */
export function defaultWindow(cutoff: string, asked: { readyTime?: string; closeTime?: string } = {}) {
  const readyTime = asked.readyTime ?? hhmm(Math.min(minutes(cutoff), LATEST_DEFAULT_READY));
  const closeTime = asked.closeTime ?? hhmm(Math.min(minutes(readyTime) + DEFAULT_WINDOW_MINUTES, 23 * 60 + 59));
  return { readyTime, closeTime };
}
