// End-of-day handover lists in PostgreSQL (db/migrations/1763900022000_handovers.sql): closing a
// carrier's day at a warehouse, reading the lists back, and finding the parcels the carrier never
// scanned. Used by the API (a close by hand) and the scheduled close (activities/handovers.ts).
import type { Pool, PoolClient } from 'pg';
import { handoverId, handoverTotals, type Handover, type HandoverParcel, type HandoverPickup } from '../../domain/handovers';
import type { Pickup } from '../../domain/pickups';
import { inTransaction } from '../transaction';
import { getPickups } from '../pickups/store';

/** Statuses in which a shipment holds no live label (never booked, booking again, cancelled): nothing to hand over. */
const NOT_LABELLED = ['packing', 'awaiting_pack', 'booking', 'needs_attention', 'address_invalid', 'cancelled'];
/** Scans that are not the carrier handling the parcel: data sent ahead of pick-up, a voided label (as the KPIs read them). */
const NOT_A_HANDLING_SCAN = ['pending', 'cancelled'];
/**
 * A parcel labelled longer than this before the cut-off and on no list is not swept into today's:
 * it is a matter for ops, and the first close after this release does not list the whole history.
 */
export const LOOKBACK_DAYS = 7;

/**
 * The parcels one list takes (s: the shipment, o: its order, m: its labelled milestone): outbound, booked,
 * labelled before `$cutoff` (a timestamptz parameter) within the look-back, on no list yet.
 */
const pendingParcels = (cutoff: string) => `
    FROM shipments s
    JOIN orders o ON o.order_id = s.order_id
    JOIN shipment_milestones m ON m.shipment_id = s.shipment_id AND m.status = 'labelled'
   WHERE s.kind = 'outbound' AND s.tracking_number IS NOT NULL AND s.status <> ALL('{${NOT_LABELLED.join(',')}}'::text[])
     AND m.at < ${cutoff} AND m.at >= ${cutoff} - interval '${LOOKBACK_DAYS} days'
     AND NOT EXISTS (SELECT 1 FROM handover_parcels p WHERE p.shipment_id = s.shipment_id)`;

/** The day asked for (or the warehouse's today) with its cut-off and the next day's, in the warehouse's time zone. */
const WAREHOUSE_DAY = `
  WITH w AS (SELECT warehouse_id, cutoff_time, time_zone, (now() AT TIME ZONE time_zone)::date AS today FROM warehouses WHERE warehouse_id = $1),
       d AS (SELECT w.*, coalesce($2::date, today) AS day FROM w)
  SELECT to_char(day, 'YYYY-MM-DD') AS day, day > today AS ahead,
         (day + cutoff_time) AT TIME ZONE time_zone AS cutoff_at,
         (day + 1 + cutoff_time) AT TIME ZONE time_zone AS accept_by
    FROM d`;

/** Why a close is refused: the caller named something that is not there, or a day not begun. */
export class HandoverRefused extends Error {
  constructor(
    readonly reason: 'warehouse_not_found' | 'day_not_started',
    message: string,
  ) {
    super(message);
  }
}

export interface CloseRequest {
  carrier: string;
  warehouseId: string;
  /** YYYY-MM-DD in the warehouse's time zone; its today when absent. */
  day?: string;
}

/**
 * Closes a carrier's day at a warehouse: in one transaction, the list is created (its unique key
 * makes a concurrent closer wait, then find it) and takes every pending parcel labelled before the
 * cut-off, or before now when closed early. Closing again answers the same list, unchanged.
 */
export async function closeHandover(
  pool: Pool,
  { carrier, warehouseId, day }: CloseRequest,
): Promise<{ handover: Handover; created: boolean }> {
  const closed = await inTransaction(pool, async (db) => {
    const { rows } = await db.query<{ day: string; ahead: boolean; cutoff_at: Date; accept_by: Date }>(WAREHOUSE_DAY, [
      warehouseId,
      day ?? null,
    ]);
    if (rows.length === 0) throw new HandoverRefused('warehouse_not_found', `no warehouse ${warehouseId}`);
    const [wanted] = rows;
    if (wanted.ahead) throw new HandoverRefused('day_not_started', `${wanted.day} has not begun at warehouse ${warehouseId}`);
    const listId = handoverId(carrier, warehouseId, wanted.day);
    const inserted = await db.query(
      `INSERT INTO handovers (handover_id, carrier, warehouse_id, day, cutoff_at, accept_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (carrier, warehouse_id, day) DO NOTHING`,
      [listId, carrier, warehouseId, wanted.day, wanted.cutoff_at, wanted.accept_by],
    );
    if (inserted.rowCount === 1) await takeParcels(db, listId, carrier, warehouseId, wanted.cutoff_at);
    return { listId, created: inserted.rowCount === 1 };
  });
  return { handover: (await getHandover(pool, closed.listId))!, created: closed.created };
}

/** The list's parcels as they are now; a parcel another list took meanwhile is left to it. */
async function takeParcels(db: PoolClient, listId: string, carrier: string, warehouseId: string, cutoffAt: Date): Promise<void> {
  await db.query(
    `INSERT INTO handover_parcels (shipment_id, handover_id, order_id, tracking_number, pieces, weight_grams, cod_amount, cod_currency, labelled_at)
     SELECT s.shipment_id, $1, s.order_id, s.tracking_number,
            coalesce((s.parcel->>'pieces')::int, 1), coalesce((s.parcel->>'weightGrams')::int, 0),
            (o.request->'cashOnDelivery'->>'amount')::numeric, o.request->'cashOnDelivery'->>'currency', m.at
       ${pendingParcels('least($4::timestamptz, now())')}
       AND s.carrier = $2 AND s.warehouse_id = $3
     ON CONFLICT (shipment_id) DO NOTHING`,
    [listId, carrier, warehouseId, cutoffAt],
  );
}

/** The carriers whose day has reached its cut-off at each warehouse (all, or those named) and who have parcels waiting for a list. */
export async function dueCloses(pool: Pool, warehouseIds?: string[]): Promise<CloseRequest[]> {
  const { rows } = await pool.query<{ carrier: string; warehouse_id: string; day: string }>(
    `WITH w AS (
       SELECT warehouse_id, (now() AT TIME ZONE time_zone)::date AS day,
              ((now() AT TIME ZONE time_zone)::date + cutoff_time) AT TIME ZONE time_zone AS cutoff_at
         FROM warehouses WHERE $1::text[] IS NULL OR warehouse_id = ANY($1)
     )
     SELECT DISTINCT pending.carrier, w.warehouse_id, to_char(w.day, 'YYYY-MM-DD') AS day
       FROM w CROSS JOIN LATERAL (SELECT s.carrier ${pendingParcels('w.cutoff_at')} AND s.warehouse_id = w.warehouse_id) pending
      WHERE w.cutoff_at <= now()
        AND NOT EXISTS (SELECT 1 FROM handovers h WHERE h.carrier = pending.carrier AND h.warehouse_id = w.warehouse_id AND h.day = w.day)
      ORDER BY 2, 1`,
    [warehouseIds ?? null],
  );
  return rows.map((r) => ({ carrier: r.carrier, warehouseId: r.warehouse_id, day: r.day }));
}

/** A parcel of a list the carrier had not scanned by the list's acceptBy. */
export interface NotAccepted {
  handoverId: string;
  carrier: string;
  warehouseId: string;
  day: string;
  orderId: string;
  shipmentId: string;
  trackingNumber: string;
  acceptBy: string;
  notAcceptedAt: string;
  /** The carrier's first handling scan, when one came after all. */
  firstScanAt: string | null;
}

const firstScanAt = `(SELECT min(e.occurred_at) FROM tracking_events e
   WHERE e.shipment_id = p.shipment_id AND e.tracking_number = p.tracking_number AND e.status <> ALL('{${NOT_A_HANDLING_SCAN.join(',')}}'::text[]))`;

/**
 * Checks the lists whose acceptBy has passed, once each: every parcel (not cancelled since) without a
 * handling scan before acceptBy is marked not accepted and gets an ops alert, in the same transaction.
 */
export async function checkAcceptance(pool: Pool, warehouseIds?: string[]): Promise<NotAccepted[]> {
  return inTransaction(pool, async (db) => {
    const due = await db.query<{ handover_id: string }>(
      `SELECT handover_id FROM handovers
        WHERE acceptance_checked_at IS NULL AND accept_by <= now() AND ($1::text[] IS NULL OR warehouse_id = ANY($1))
        ORDER BY accept_by LIMIT 500 FOR UPDATE SKIP LOCKED`,
      [warehouseIds ?? null],
    );
    const ids = due.rows.map((r) => r.handover_id);
    if (ids.length === 0) return [];
    const { rows } = await db.query<NotAcceptedRow>(
      `UPDATE handover_parcels p SET not_accepted_at = now()
         FROM handovers h, shipments s
        WHERE p.handover_id = ANY($1) AND h.handover_id = p.handover_id AND s.shipment_id = p.shipment_id AND s.status <> 'cancelled'
          AND NOT EXISTS (SELECT 1 FROM tracking_events e WHERE e.shipment_id = p.shipment_id AND e.tracking_number = p.tracking_number
                            AND e.status <> ALL($2::text[]) AND e.occurred_at < h.accept_by)
        RETURNING ${NOT_ACCEPTED_COLUMNS}`,
      [ids, NOT_A_HANDLING_SCAN],
    );
    const notAccepted = rows.map(notAcceptedOf);
    for (const n of notAccepted) await raiseAlert(db, n);
    await db.query('UPDATE handovers SET acceptance_checked_at = now() WHERE handover_id = ANY($1)', [ids]);
    return notAccepted;
  });
}

/** The ops alert of a parcel not accepted (ops_alerts, as the workflows' alerts): once per parcel. */
async function raiseAlert(db: PoolClient, n: NotAccepted): Promise<void> {
  await db.query(
    `INSERT INTO ops_alerts (shipment_id, kind, order_id, message) VALUES ($1, 'not_accepted', $2, $3)
     ON CONFLICT (shipment_id, kind) DO NOTHING`,
    [n.shipmentId, n.orderId, notAcceptedMessage(n)],
  );
}

/** What ops read of a parcel not accepted, in the alert and on the parcel (NeedsAttention). */
export const notAcceptedMessage = (n: NotAccepted) =>
  `${n.carrier} has not scanned ${n.trackingNumber} from warehouse ${n.warehouseId} (handover ${n.handoverId}) by ${n.acceptBy}: not accepted by the carrier`;

interface NotAcceptedRow {
  handover_id: string;
  carrier: string;
  warehouse_id: string;
  day: string;
  order_id: string;
  shipment_id: string;
  tracking_number: string;
  accept_by: Date;
  not_accepted_at: Date;
  first_scan_at: Date | null;
}

const NOT_ACCEPTED_COLUMNS = `h.handover_id, h.carrier, h.warehouse_id, to_char(h.day, 'YYYY-MM-DD') AS day, p.order_id, p.shipment_id,
  p.tracking_number, h.accept_by, p.not_accepted_at, ${firstScanAt} AS first_scan_at`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const notAcceptedOf = (r: NotAcceptedRow): NotAccepted => ({
  handoverId: r.handover_id,
  carrier: r.carrier,
  warehouseId: r.warehouse_id,
  day: r.day,
  orderId: r.order_id,
  shipmentId: r.shipment_id,
  trackingNumber: r.tracking_number,
  acceptBy: r.accept_by.toISOString(),
  notAcceptedAt: r.not_accepted_at.toISOString(),
  firstScanAt: iso(r.first_scan_at),
});

export interface HandoverFilter {
  carrier?: string;
  warehouseId?: string;
  day?: string;
}

const FILTER = `($1::text IS NULL OR h.carrier = $1) AND ($2::text IS NULL OR h.warehouse_id = $2) AND ($3::date IS NULL OR h.day = $3)`;
const filterParams = (f: HandoverFilter) => [f.carrier ?? null, f.warehouseId ?? null, f.day ?? null];

/** Parcels marked not accepted, newest lists first. */
export async function listNotAccepted(pool: Pool, filter: HandoverFilter, limit = 500): Promise<NotAccepted[]> {
  const { rows } = await pool.query<NotAcceptedRow>(
    `SELECT ${NOT_ACCEPTED_COLUMNS} FROM handover_parcels p JOIN handovers h ON h.handover_id = p.handover_id
      WHERE p.not_accepted_at IS NOT NULL AND ${FILTER}
      ORDER BY h.day DESC, h.carrier, h.warehouse_id, p.tracking_number LIMIT ${limit}`,
    filterParams(filter),
  );
  return rows.map(notAcceptedOf);
}

interface HandoverRow {
  handover_id: string;
  carrier: string;
  warehouse_id: string;
  name: string;
  city: string;
  time_zone: string;
  day: string;
  cutoff_at: Date;
  closed_at: Date;
  accept_by: Date;
  acceptance_checked_at: Date | null;
}

interface ParcelRow {
  handover_id: string;
  order_id: string;
  shipment_id: string;
  tracking_number: string;
  pieces: number;
  weight_grams: number;
  cod_amount: string | null;
  cod_currency: string | null;
  labelled_at: Date;
  not_accepted_at: Date | null;
}

const HANDOVER_COLUMNS = `h.handover_id, h.carrier, h.warehouse_id, w.name, w.city, w.time_zone, to_char(h.day, 'YYYY-MM-DD') AS day,
  h.cutoff_at, h.closed_at, h.accept_by, h.acceptance_checked_at`;

/** Lists matching the filter, newest day first, with their parcels. */
export async function listHandovers(pool: Pool, filter: HandoverFilter, limit = 100): Promise<Handover[]> {
  const { rows } = await pool.query<HandoverRow>(
    `SELECT ${HANDOVER_COLUMNS} FROM handovers h JOIN warehouses w ON w.warehouse_id = h.warehouse_id
      WHERE ${FILTER} ORDER BY h.day DESC, h.carrier, h.warehouse_id LIMIT ${limit}`,
    filterParams(filter),
  );
  return withParcels(pool, rows);
}

export async function getHandover(pool: Pool, id: string): Promise<Handover | undefined> {
  const { rows } = await pool.query<HandoverRow>(
    `SELECT ${HANDOVER_COLUMNS} FROM handovers h JOIN warehouses w ON w.warehouse_id = h.warehouse_id WHERE h.handover_id = $1`,
    [id],
  );
  return (await withParcels(pool, rows))[0];
}

/** The parcels of each list, by order, its totals, and the day's pickup (its id is the list's). */
async function withParcels(pool: Pool, lists: HandoverRow[]): Promise<Handover[]> {
  const pickups = await getPickups(
    pool,
    lists.map((l) => l.handover_id),
  );
  const { rows } = await pool.query<ParcelRow>(
    `SELECT handover_id, order_id, shipment_id, tracking_number, pieces, weight_grams, cod_amount, cod_currency, labelled_at, not_accepted_at
       FROM handover_parcels WHERE handover_id = ANY($1) ORDER BY order_id, shipment_id`,
    [lists.map((l) => l.handover_id)],
  );
  return lists.map((l) => {
    const parcels = rows.filter((p) => p.handover_id === l.handover_id).map(parcelOf);
    return {
      handoverId: l.handover_id,
      carrier: l.carrier,
      warehouse: { warehouseId: l.warehouse_id, name: l.name, city: l.city, timeZone: l.time_zone },
      day: l.day,
      cutoffAt: l.cutoff_at.toISOString(),
      closedAt: l.closed_at.toISOString(),
      acceptBy: l.accept_by.toISOString(),
      acceptanceCheckedAt: iso(l.acceptance_checked_at),
      pickup: pickupNamed(pickups.find((p) => p.pickupId === l.handover_id)),
      parcels,
      totals: handoverTotals(parcels),
    };
  });
}

const pickupNamed = (p: Pickup | undefined): HandoverPickup | null =>
  p
    ? {
        pickupId: p.pickupId,
        status: p.status,
        carrierPickupId: p.carrierPickupId,
        date: p.date,
        readyTime: p.readyTime,
        closeTime: p.closeTime,
        failure: p.failure,
      }
    : null;

const parcelOf = (p: ParcelRow): HandoverParcel => ({
  orderId: p.order_id,
  shipmentId: p.shipment_id,
  trackingNumber: p.tracking_number,
  pieces: p.pieces,
  weightGrams: p.weight_grams,
  cashOnDelivery: p.cod_amount !== null && p.cod_currency ? { amount: Number(p.cod_amount), currency: p.cod_currency } : null,
  labelledAt: p.labelled_at.toISOString(),
  notAcceptedAt: iso(p.not_accepted_at),
});
