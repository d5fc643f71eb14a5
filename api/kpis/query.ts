// The carrier KPIs in one pass over PostgreSQL: one row of facts per outbound parcel (when it was
// ordered, labelled, first scanned, first offered to the customer, delivered; what went wrong; what
// it cost), then the figures per carrier and day, per carrier, and for the whole period at once
// (GROUPING SETS). Definitions: docs/operations.md, "KPIs".
import type { Pool } from 'pg';
import { RATING_REASONS, SATISFIED_STARS, type RatingReason } from '../../domain/ratings';

export interface KpiFilter {
  /** First and last day (UTC, inclusive) on which the parcels' orders were placed. */
  from: string;
  to: string;
  carrier?: string;
  channel?: string;
  warehouse?: string;
}

export interface Percentiles {
  p50: number | null;
  p90: number | null;
}

export interface Rate {
  rate: number | null;
  count: number;
  of: number;
}

export interface Cost {
  currency: string;
  perShipment: number;
  shipments: number;
}

/** The customers' own word (issue 26): their ratings of delivered parcels. */
export interface Satisfaction {
  ratings: number;
  averageStars: number | null;
  /** 4-5 stars, of the ratings. */
  satisfied: Rate;
  /** Ratings, of the delivered parcels. */
  responseRate: Rate;
  /** How often each reason was ticked. */
  reasons: Record<RatingReason, number>;
}

export interface Kpis {
  shipments: number;
  onTimeDelivery: Rate;
  orderToDeliveryHours: Percentiles;
  transitHours: Percentiles;
  firstScanHours: Percentiles;
  exceptionRate: Rate;
  shippingErrorRate: Rate;
  returnRate: Rate;
  /** Parcels the carrier had not scanned by the day after their handover's cut-off, of the handed-over parcels checked (issue 21). */
  notAcceptedRate: Rate;
  costPerShipment: Cost[];
  satisfaction: Satisfaction;
}

/** One group of the GROUPING SETS: a carrier on a day, a carrier over the period, or everything. */
export interface KpiGroup {
  level: 'day' | 'carrier' | 'total';
  /** Null for parcels no carrier booked (address or booking failures). */
  carrier: string | null;
  day: string | null;
  kpis: Kpis;
}

// Scans that put the parcel in front of the customer (or at a pick-up point for them).
const ATTEMPT_STATUSES = ['delivered', 'delivery_failed', 'ready_for_pickup'];
// Scans that say the delivery went wrong.
const EXCEPTION_STATUSES = ['delivery_failed', 'on_hold', 'return_to_sender', 'returned'];
// Scans that are not the carrier handling the parcel: data sent ahead of pick-up, a voided label.
const NOT_A_HANDLING_SCAN = ['pending', 'cancelled'];
const SHIPPING_ERROR_STATUSES = ['address_invalid', 'needs_attention'];
const EXCEPTION_ALERTS = ['delayed', 'lost'];

/**
 * $1..$4 the filter, $5..$9 the status lists above, $10 the warehouse. Days and the promised date are read in UTC,
 * as the shipment workflow reads the promised date when it flags a parcel delayed.
 */
const FACTS = `
  WITH facts AS (
    SELECT s.carrier,
           (o.created_at AT TIME ZONE 'UTC')::date AS day,
           o.created_at AS ordered_at,
           ((o.request->>'promisedDeliveryDate')::date + 1)::timestamp AT TIME ZONE 'UTC' AS promise_ends,
           m.labelled_at, coalesce(m.shipping_error, false) AS shipping_error,
           ev.first_scan_at, ev.first_attempt_at, ev.delivered_at,
           coalesce(ev.exception_scan, false)
             OR EXISTS (SELECT 1 FROM ops_alerts a WHERE a.shipment_id = s.shipment_id AND a.kind = ANY($9)) AS exception,
           EXISTS (SELECT 1 FROM order_status_history h WHERE h.order_id = s.order_id AND h.status = 'return_requested') AS return_requested,
           hp.not_accepted_at IS NOT NULL AS not_accepted, ho.acceptance_checked_at IS NOT NULL AS acceptance_checked,
           booked.amount, booked.currency, r.stars, r.reasons
      FROM shipments s
      JOIN orders o ON o.order_id = s.order_id
      LEFT JOIN delivery_ratings r ON r.shipment_id = s.shipment_id
      LEFT JOIN handover_parcels hp ON hp.shipment_id = s.shipment_id
      LEFT JOIN handovers ho ON ho.handover_id = hp.handover_id
      LEFT JOIN LATERAL (
        SELECT min(at) FILTER (WHERE status = 'labelled') AS labelled_at,
               bool_or(status = ANY($8)) AS shipping_error
          FROM shipment_milestones WHERE shipment_id = s.shipment_id
      ) m ON true
      LEFT JOIN LATERAL (
        SELECT min(occurred_at) FILTER (WHERE status <> ALL($7)) AS first_scan_at,
               min(occurred_at) FILTER (WHERE status = ANY($5)) AS first_attempt_at,
               min(occurred_at) FILTER (WHERE status = 'delivered') AS delivered_at,
               -- A customs hold is the road abroad, not a hold-up: every parcel across a border may have one.
               bool_or(status = ANY($6) AND reason IS DISTINCT FROM 'customs') AS exception_scan
          FROM tracking_events WHERE shipment_id = s.shipment_id AND tracking_number = s.tracking_number
      ) ev ON true
      -- What the booked carrier quoted: the quotes of the round it was booked in. Duties the merchant
      -- pays (DDP, where quoted) are part of the parcel's cost; in another currency they cannot be added.
      LEFT JOIN LATERAL (
        SELECT (q->>'amount')::numeric
                 + CASE WHEN q->'duties'->>'currency' = q->>'currency' THEN (q->'duties'->>'amount')::numeric ELSE 0 END AS amount,
               q->>'currency' AS currency
          FROM jsonb_array_elements(CASE jsonb_typeof(s.quotes) WHEN 'array' THEN s.quotes ELSE '[]'::jsonb END) q
         WHERE q->>'carrier' = s.carrier LIMIT 1
      ) booked ON true
     WHERE s.kind = 'outbound'
       AND o.created_at >= $1::date::timestamp AT TIME ZONE 'UTC'
       AND o.created_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
       AND ($3::text IS NULL OR s.carrier = $3)
       AND ($4::text IS NULL OR o.channel = $4)
       AND ($10::text IS NULL OR s.warehouse_id = $10)
  )`;

const hours = (from: string, to: string) => `extract(epoch FROM (${to} - ${from})) / 3600`;
const percentiles = (name: string, from: string, to: string) =>
  `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours(from, to)}) AS ${name}_p50,
   percentile_cont(0.9) WITHIN GROUP (ORDER BY ${hours(from, to)}) AS ${name}_p90`;

// One count per reason ticked; the names are our own constants, never input.
const REASON_COUNTS = RATING_REASONS.map((r) => `count(*) FILTER (WHERE '${r}' = ANY(reasons))::int AS reason_${r}`).join(', ');

const GROUPS = 'GROUPING SETS ((carrier, day), (carrier), ())';
const LEVEL = `CASE WHEN GROUPING(carrier) = 1 THEN 'total' WHEN GROUPING(day) = 1 THEN 'carrier' ELSE 'day' END AS level`;

const FIGURES_SQL = `${FACTS}
  SELECT ${LEVEL}, carrier, to_char(day, 'YYYY-MM-DD') AS day,
         count(*)::int AS shipments,
         count(*) FILTER (WHERE first_attempt_at < promise_ends)::int AS on_time,
         count(*) FILTER (WHERE first_attempt_at IS NOT NULL AND promise_ends IS NOT NULL)::int AS attempted,
         ${percentiles('order_to_delivery', 'ordered_at', 'delivered_at')},
         ${percentiles('transit', 'first_scan_at', 'delivered_at')},
         ${percentiles('first_scan', 'labelled_at', 'first_scan_at')},
         count(*) FILTER (WHERE first_scan_at IS NOT NULL AND exception)::int AS exceptions,
         count(first_scan_at)::int AS scanned,
         count(*) FILTER (WHERE shipping_error)::int AS shipping_errors,
         count(*) FILTER (WHERE delivered_at IS NOT NULL AND return_requested)::int AS returns,
         count(delivered_at)::int AS delivered,
         count(*) FILTER (WHERE not_accepted)::int AS not_accepted,
         count(*) FILTER (WHERE acceptance_checked)::int AS acceptance_checked,
         count(stars)::int AS ratings,
         avg(stars)::float8 AS average_stars,
         count(*) FILTER (WHERE stars >= ${SATISFIED_STARS})::int AS satisfied,
         ${REASON_COUNTS}
    FROM facts GROUP BY ${GROUPS}`;

// Costs per currency: a carrier could bill in more than one, and amounts in two currencies do not add up.
const COSTS_SQL = `${FACTS}
  SELECT ${LEVEL}, carrier, to_char(day, 'YYYY-MM-DD') AS day, currency,
         avg(amount)::float8 AS per_shipment, count(*)::int AS shipments
    FROM facts WHERE amount IS NOT NULL GROUP BY currency, ${GROUPS}`;

type Row = Record<string, unknown> & { level: KpiGroup['level']; carrier: string | null; day: string | null };

const round = (value: unknown, places: number) => (value === null || value === undefined ? null : Number(Number(value).toFixed(places)));
const rate = (count: number, of: number): Rate => ({ rate: of === 0 ? null : round(count / of, 4), count, of });
const pair = (row: Row, name: string): Percentiles => ({ p50: round(row[`${name}_p50`], 2), p90: round(row[`${name}_p90`], 2) });
const groupKey = (row: Pick<Row, 'level' | 'carrier' | 'day'>) => `${row.level}|${row.carrier ?? ''}|${row.day ?? ''}`;

function kpisOf(row: Row, costs: Cost[]): Kpis {
  const n = (name: string) => row[name] as number;
  return {
    shipments: n('shipments'),
    onTimeDelivery: rate(n('on_time'), n('attempted')),
    orderToDeliveryHours: pair(row, 'order_to_delivery'),
    transitHours: pair(row, 'transit'),
    firstScanHours: pair(row, 'first_scan'),
    exceptionRate: rate(n('exceptions'), n('scanned')),
    shippingErrorRate: rate(n('shipping_errors'), n('shipments')),
    returnRate: rate(n('returns'), n('delivered')),
    notAcceptedRate: rate(n('not_accepted'), n('acceptance_checked')),
    costPerShipment: costs,
    satisfaction: {
      ratings: n('ratings'),
      averageStars: round(row.average_stars, 2),
      satisfied: rate(n('satisfied'), n('ratings')),
      responseRate: rate(n('ratings'), n('delivered')),
      reasons: Object.fromEntries(RATING_REASONS.map((r) => [r, n(`reason_${r}`)])) as Record<RatingReason, number>,
    },
  };
}

export async function queryKpis(pool: Pool, filter: KpiFilter): Promise<KpiGroup[]> {
  const params = [
    filter.from,
    filter.to,
    filter.carrier ?? null,
    filter.channel ?? null,
    ATTEMPT_STATUSES,
    EXCEPTION_STATUSES,
    NOT_A_HANDLING_SCAN,
    SHIPPING_ERROR_STATUSES,
    EXCEPTION_ALERTS,
    filter.warehouse ?? null,
  ];
  const [figures, costs] = await Promise.all([pool.query<Row>(FIGURES_SQL, params), pool.query<Row>(COSTS_SQL, params)]);
  const costsByGroup = new Map<string, Cost[]>();
  for (const row of costs.rows) {
    const list = costsByGroup.get(groupKey(row)) ?? [];
    list.push({ currency: row.currency as string, perShipment: round(row.per_shipment, 2)!, shipments: row.shipments as number });
    costsByGroup.set(groupKey(row), list);
  }
  return figures.rows.map((row) => ({
    level: row.level,
    carrier: row.carrier,
    day: row.day,
    kpis: kpisOf(row, costsByGroup.get(groupKey(row)) ?? []),
  }));
}
