// Courier pickups in PostgreSQL (db/migrations/1763900024000_pickups.sql) and at the carrier: one per
// carrier, warehouse and day. The row is claimed first (its unique key makes a concurrent claimer
// find it), then the carrier is asked, then the answer is written. Used by the carrier activities
// (the day's first label), the scheduled close's pass (asking again) and the API (by hand).
import type { Pool } from 'pg';
import {
  defaultWindow,
  pickupId,
  type Pickup,
  type PickupCarrier,
  type PickupConfirmation,
  type PickupRequest,
  type PickupStatus,
} from '../../domain/pickups';

/** Why a pickup request is refused before (or instead of) asking the carrier. */
export class PickupRefused extends Error {
  constructor(
    readonly reason:
      | 'warehouse_not_found'
      | 'pickup_not_found'
      | 'pickups_not_offered'
      | 'date_past'
      | 'window_not_open'
      | 'pickup_booking'
      | 'pickup_exists',
    message: string,
  ) {
    super(message);
  }
}

/** The carrier did not book or cancel: `retryable` when it was down, slow or busy, not when it refused. */
export class PickupCarrierFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly failureType: string,
    readonly pickup?: Pickup,
  ) {
    super(message);
  }
}

interface PickupRow {
  pickup_id: string;
  carrier: string;
  warehouse_id: string;
  date: string;
  status: PickupStatus;
  carrier_pickup_id: string | null;
  ready_time: string;
  close_time: string;
  parcels: number;
  origin: 'label' | 'api';
  failure: string | null;
  attempt: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `pickup_id, carrier, warehouse_id, to_char(date, 'YYYY-MM-DD') AS date, status, carrier_pickup_id,
  to_char(ready_time, 'HH24:MI') AS ready_time, to_char(close_time, 'HH24:MI') AS close_time, parcels, origin, failure, attempt,
  created_at, updated_at`;

/** A row taken to be booked, with which booking of the row it is (the carrier's key is made from it). */
export type ClaimedPickup = Pickup & { attempt: number };

const claimedOf = (r: PickupRow): ClaimedPickup => ({ ...pickupOf(r), attempt: r.attempt });

const pickupOf = (r: PickupRow): Pickup => ({
  pickupId: r.pickup_id,
  carrier: r.carrier,
  warehouseId: r.warehouse_id,
  date: r.date,
  status: r.status,
  carrierPickupId: r.carrier_pickup_id,
  readyTime: r.ready_time,
  closeTime: r.close_time,
  parcels: r.parcels,
  failure: r.failure,
  origin: r.origin,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** The warehouse's today, its cut-off, and the day a label made now goes out on (today before the cut-off, tomorrow after). */
const WAREHOUSE_CLOCK = `
  SELECT to_char(local::date, 'YYYY-MM-DD') AS today, to_char(cutoff_time, 'HH24:MI') AS cutoff,
         to_char(CASE WHEN local::time < cutoff_time THEN local::date ELSE local::date + 1 END, 'YYYY-MM-DD') AS label_day
    FROM (SELECT cutoff_time, now() AT TIME ZONE time_zone AS local FROM warehouses WHERE warehouse_id = $1) w`;

interface WarehouseClock {
  today: string;
  cutoff: string;
  label_day: string;
}

async function warehouseClock(pool: Pool, warehouseId: string): Promise<WarehouseClock | undefined> {
  return (await pool.query<WarehouseClock>(WAREHOUSE_CLOCK, [warehouseId])).rows[0];
}

export async function getPickup(pool: Pool, id: string): Promise<Pickup | undefined> {
  const { rows } = await pool.query<PickupRow>(`SELECT ${COLUMNS} FROM pickups WHERE pickup_id = $1`, [id]);
  return rows[0] && pickupOf(rows[0]);
}

/** Several by id (a page of handover lists names theirs). */
export async function getPickups(pool: Pool, ids: string[]): Promise<Pickup[]> {
  const { rows } = await pool.query<PickupRow>(`SELECT ${COLUMNS} FROM pickups WHERE pickup_id = ANY($1)`, [ids]);
  return rows.map(pickupOf);
}

export interface PickupFilter {
  carrier?: string;
  warehouseId?: string;
  date?: string;
}

/** Pickups matching the filter, newest day first. */
export async function listPickups(pool: Pool, filter: PickupFilter, limit = 200): Promise<Pickup[]> {
  const { rows } = await pool.query<PickupRow>(
    `SELECT ${COLUMNS} FROM pickups
      WHERE ($1::text IS NULL OR carrier = $1) AND ($2::text IS NULL OR warehouse_id = $2) AND ($3::date IS NULL OR date = $3)
      ORDER BY date DESC, carrier, warehouse_id LIMIT ${limit}`,
    [filter.carrier ?? null, filter.warehouseId ?? null, filter.date ?? null],
  );
  return rows.map(pickupOf);
}

interface Claim {
  carrier: string;
  warehouseId: string;
  date: string;
  readyTime: string;
  closeTime: string;
  parcels: number;
  origin: Pickup['origin'];
}

/** Inserts the day's row as being booked; undefined when the day has one already (another label, or a person, got there first). */
async function claimNew(pool: Pool, c: Claim): Promise<ClaimedPickup | undefined> {
  const { rows } = await pool.query<PickupRow>(
    `INSERT INTO pickups (pickup_id, carrier, warehouse_id, date, status, ready_time, close_time, parcels, origin)
     VALUES ($1, $2, $3, $4, 'booking', $5, $6, $7, $8)
     ON CONFLICT (carrier, warehouse_id, date) DO NOTHING RETURNING ${COLUMNS}`,
    [pickupId(c.carrier, c.warehouseId, c.date), c.carrier, c.warehouseId, c.date, c.readyTime, c.closeTime, c.parcels, c.origin],
  );
  return rows[0] && claimedOf(rows[0]);
}

/**
 * Takes a cancelled or failed row back to booking, once (a concurrent taker finds it taken). After a
 * cancel the carrier gets a new key (a new pickup); after a failure the same one (the failed call may have booked).
 */
async function claimAgain(
  pool: Pool,
  id: string,
  window: Pick<Claim, 'readyTime' | 'closeTime' | 'parcels'>,
): Promise<ClaimedPickup | undefined> {
  const { rows } = await pool.query<PickupRow>(
    `UPDATE pickups SET status = 'booking', ready_time = $2, close_time = $3, parcels = $4, failure = NULL, retryable = false,
            attempt = attempt + (CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END), updated_at = now()
      WHERE pickup_id = $1 AND status IN ('cancelled', 'failed') RETURNING ${COLUMNS}`,
    [id, window.readyTime, window.closeTime, window.parcels],
  );
  return rows[0] && claimedOf(rows[0]);
}

/** What an adapter's ApplicationFailure says (carriers/failures.ts); a plain error counts as the carrier's trouble. */
function carrierFailure(err: unknown, pickup: Pickup): PickupCarrierFailed {
  const { message, type, nonRetryable } = err as { message?: string; type?: string; nonRetryable?: boolean };
  return new PickupCarrierFailed(message ?? String(err), nonRetryable !== true, type ?? 'Error', pickup);
}

/** Asks the carrier for the claimed pickup and writes its answer; a failure is written, then thrown. */
async function book(pool: Pool, carrier: PickupCarrier, claimed: ClaimedPickup): Promise<Pickup> {
  const request: PickupRequest = {
    warehouseId: claimed.warehouseId,
    date: claimed.date,
    readyTime: claimed.readyTime,
    closeTime: claimed.closeTime,
    parcels: claimed.parcels,
    // A retry of the same booking repeats its key; a booking after a cancel is a new one.
    idempotencyKey: `pickup:${claimed.pickupId}:${claimed.attempt}`,
  };
  let confirmed: PickupConfirmation;
  try {
    confirmed = await carrier.schedulePickup!(request);
  } catch (err) {
    const { message, retryable, failureType } = carrierFailure(err, claimed);
    const failed = await settle(pool, claimed.pickupId, 'failed', { failure: message, retryable });
    throw new PickupCarrierFailed(message, retryable, failureType, failed);
  }
  await resolvePickupAlert(pool, claimed.pickupId);
  return settle(pool, claimed.pickupId, 'scheduled', { carrierPickupId: confirmed.pickupId });
}

async function settle(
  pool: Pool,
  id: string,
  status: PickupStatus,
  {
    carrierPickupId = null,
    failure = null,
    retryable = false,
  }: { carrierPickupId?: string | null; failure?: string | null; retryable?: boolean },
): Promise<Pickup> {
  const { rows } = await pool.query<PickupRow>(
    `UPDATE pickups SET status = $2, carrier_pickup_id = coalesce($3, carrier_pickup_id), failure = $4, retryable = $5, updated_at = now()
      WHERE pickup_id = $1 RETURNING ${COLUMNS}`,
    [id, status, carrierPickupId, failure, retryable],
  );
  return pickupOf(rows[0]);
}

function offering(carrier: PickupCarrier): PickupCarrier {
  if (!carrier.capabilities.pickups || !carrier.schedulePickup || !carrier.cancelPickup) {
    throw new PickupRefused('pickups_not_offered', `${carrier.name} offers no courier pickups (no published pickup call)`);
  }
  return carrier;
}

/**
 * At a label: claims the carrier's pickup for the warehouse's day the parcel goes out on, when the
 * carrier offers pickups and the day has none yet. Returns the claimed row (to book), or undefined.
 */
export async function claimAtLabel(pool: Pool, carrier: PickupCarrier, warehouseId: string): Promise<ClaimedPickup | undefined> {
  if (!carrier.capabilities.pickups || !carrier.schedulePickup) return undefined;
  const clock = await warehouseClock(pool, warehouseId);
  if (!clock) return undefined; // a warehouse the engine does not know has no cut-off, hence no day
  return claimNew(pool, {
    carrier: carrier.name,
    warehouseId,
    date: clock.label_day,
    ...defaultWindow(clock.cutoff),
    parcels: 1,
    origin: 'label',
  });
}

/** Books a claimed pickup (claimAtLabel's, or one taken again by retryUnfinished). Throws PickupCarrierFailed. */
export const bookClaimed = (pool: Pool, carrier: PickupCarrier, claimed: ClaimedPickup) => book(pool, offering(carrier), claimed);

export interface PickupAsk {
  warehouseId: string;
  date: string;
  readyTime?: string;
  closeTime?: string;
  parcels?: number;
}

/** The window and count asked for, the warehouse's defaults otherwise; a day already past or a window that ends before it starts is refused. */
async function claimFor(pool: Pool, ask: PickupAsk) {
  const clock = await warehouseClock(pool, ask.warehouseId);
  if (!clock) throw new PickupRefused('warehouse_not_found', `no warehouse ${ask.warehouseId}`);
  if (ask.date < clock.today) throw new PickupRefused('date_past', `${ask.date} has passed at warehouse ${ask.warehouseId}`);
  const window = defaultWindow(clock.cutoff, ask);
  if (window.closeTime <= window.readyTime) {
    throw new PickupRefused('window_not_open', `closeTime ${window.closeTime} is not after readyTime ${window.readyTime}`);
  }
  return { ...window, parcels: ask.parcels ?? 1 };
}

/**
 * By hand: the day's pickup, booked now (created), or the one the day has (scheduled, or being
 * booked). A cancelled or failed one is booked again. Throws PickupRefused or PickupCarrierFailed.
 */
export async function requestPickup(pool: Pool, carrier: PickupCarrier, ask: PickupAsk): Promise<{ pickup: Pickup; created: boolean }> {
  offering(carrier);
  const window = await claimFor(pool, ask);
  const id = pickupId(carrier.name, ask.warehouseId, ask.date);
  const claimed =
    (await claimNew(pool, { carrier: carrier.name, warehouseId: ask.warehouseId, date: ask.date, origin: 'api', ...window })) ??
    (await claimAgain(pool, id, window));
  if (!claimed) return { pickup: (await getPickup(pool, id))!, created: false };
  return { pickup: await book(pool, carrier, claimed), created: true };
}

/** Cancels at the carrier; a cancelled one stays so, a failed one is only marked (the carrier has none). Throws PickupRefused or PickupCarrierFailed. */
export async function cancelPickup(pool: Pool, carrier: PickupCarrier, id: string): Promise<Pickup> {
  const pickup = await getPickup(pool, id);
  if (!pickup) throw new PickupRefused('pickup_not_found', `no pickup ${id}`);
  if (pickup.status === 'cancelled') return pickup;
  if (pickup.status === 'booking')
    throw new PickupRefused('pickup_booking', `pickup ${id} is being booked with ${pickup.carrier}; ask again shortly`);
  if (pickup.status === 'scheduled') {
    try {
      await offering(carrier).cancelPickup!(pickup.carrierPickupId!);
    } catch (err) {
      throw carrierFailure(err, pickup);
    }
  }
  return settle(pool, id, 'cancelled', {});
}

/**
 * Moves a pickup to another day or window: cancelled at the carrier, then booked for the new day
 * (the same row when the day is the same). A day that has a pickup of its own already is refused.
 */
export async function reschedulePickup(
  pool: Pool,
  carrier: PickupCarrier,
  id: string,
  to: Omit<PickupAsk, 'warehouseId'>,
): Promise<Pickup> {
  const current = await getPickup(pool, id);
  if (!current) throw new PickupRefused('pickup_not_found', `no pickup ${id}`);
  const ask = { ...to, warehouseId: current.warehouseId, parcels: to.parcels ?? current.parcels };
  await claimFor(pool, ask); // refused before anything is cancelled
  const target = await getPickup(pool, pickupId(current.carrier, current.warehouseId, to.date));
  if (target && target.pickupId !== id && ['scheduled', 'booking'].includes(target.status)) {
    throw new PickupRefused('pickup_exists', `${target.pickupId} is already ${target.status}; cancel it or reschedule that one`);
  }
  await cancelPickup(pool, carrier, id);
  return (await requestPickup(pool, carrier, ask)).pickup;
}

/** How long a row may stay `booking` before it counts as left by a crash. */
const STALE_BOOKING = "interval '2 minutes'";

/**
 * Pickups to ask again for (the schedule's pass): failed for a reason that may pass (the carrier was
 * down), or left half-booked, for a day not yet past at their warehouse. Each is taken once.
 */
export async function claimUnfinished(pool: Pool, carriers: string[], warehouseIds?: string[]): Promise<ClaimedPickup[]> {
  const { rows } = await pool.query<PickupRow>(
    `UPDATE pickups SET status = 'booking', failure = NULL, retryable = false, updated_at = now()
      WHERE pickup_id IN (
        SELECT p.pickup_id FROM pickups p JOIN warehouses w ON w.warehouse_id = p.warehouse_id
         WHERE p.carrier = ANY($1) AND ($2::text[] IS NULL OR p.warehouse_id = ANY($2))
           AND p.date >= (now() AT TIME ZONE w.time_zone)::date
           AND ((p.status = 'failed' AND p.retryable) OR (p.status = 'booking' AND p.updated_at < now() - ${STALE_BOOKING}))
         FOR UPDATE OF p SKIP LOCKED)
      RETURNING ${COLUMNS}`,
    [carriers, warehouseIds ?? null],
  );
  return rows.map(claimedOf);
}

/** The ops alert of a pickup the carrier did not book (ops_alerts, keyed by the pickup): raised again if resolved. */
export async function raisePickupAlert(pool: Pool, pickup: Pickup, reason: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO ops_alerts (shipment_id, kind, order_id, message) VALUES ($1, 'pickup_failed', '', $2)
     ON CONFLICT (shipment_id, kind) DO UPDATE SET message = $2, resolved_at = NULL WHERE ops_alerts.resolved_at IS NOT NULL`,
    [
      `pickup:${pickup.pickupId}`,
      `${pickup.carrier} did not book the courier pickup at warehouse ${pickup.warehouseId} on ${pickup.date}: ${reason}`,
    ],
  );
  return rowCount === 1;
}

/** A pickup booked after all settles its alert. */
export async function resolvePickupAlert(pool: Pool, id: string): Promise<void> {
  await pool.query(`UPDATE ops_alerts SET resolved_at = now() WHERE shipment_id = $1 AND kind = 'pickup_failed' AND resolved_at IS NULL`, [
    `pickup:${id}`,
  ]);
}
