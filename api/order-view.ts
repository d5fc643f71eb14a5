// An order's picture for GET /v1/orders/:id: the order workflow's view, with each parcel as
// PostgreSQL has it. A parcel tells its order milestones only (workflows/patches.ts, half-the-cost):
// its booking and a scan within the same status reach the order's view at the next milestone, its
// quotes and size never (its reports leave them out), but each change is recorded before any report
// of it (recordShipment). Two things the
// order knows better: a parcel whose workflow failed (needs_attention, set by the order alone), and
// what a void beside the parcel records by activities, which may land a moment after the report.
import type { Pool } from 'pg';
import type { OrderView } from '../domain/order';
import type { ShipmentView, TrackingEvent } from '../domain/shipment';
import { mergeScans } from '../domain/tracking';

interface ShipmentRow {
  shipment_id: string;
  status: ShipmentView['status'];
  carrier: string | null;
  tracking_number: string | null;
  label_ref: string | null;
  parcel: ShipmentView['parcel'] | null;
  quotes: ShipmentView['quotes'] | null;
  events: TrackingEvent[] | null;
}

/** The order's view with its parcels' status, carrier, label, parcel, quotes and scans from their records. */
export async function withRecordedParcels(pool: Pool, view: OrderView): Promise<OrderView> {
  if (view.shipments.length === 0) return view;
  const { rows } = await pool.query<ShipmentRow>(
    `SELECT s.shipment_id, s.status, s.carrier, s.tracking_number, s.label_ref, s.parcel, s.quotes,
            (SELECT json_agg(json_build_object('eventId', e.event_id, 'trackingNumber', e.tracking_number, 'status', e.status,
                     'occurredAt', to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                     'rawCode', e.raw_code, 'location', e.location, 'reason', e.reason) ORDER BY e.occurred_at)
               FROM tracking_events e WHERE e.shipment_id = s.shipment_id AND e.tracking_number = s.tracking_number) AS events
       FROM shipments s WHERE s.order_id = $1`,
    [view.orderId],
  );
  const recorded = new Map(rows.map((row) => [row.shipment_id, row]));
  return { ...view, shipments: view.shipments.map((s) => withRecord(s, recorded.get(s.shipmentId))) };
}

function withRecord(shipment: ShipmentView, row: ShipmentRow | undefined): ShipmentView {
  if (!row) return shipment;
  const trackingNumber = row.tracking_number ?? shipment.trackingNumber;
  const scans = (row.events ?? []).map(withoutNulls);
  return {
    ...shipment,
    status: shipment.status === 'needs_attention' ? shipment.status : row.status,
    carrier: row.carrier ?? shipment.carrier,
    trackingNumber,
    labelRef: row.label_ref ?? shipment.labelRef,
    parcel: row.parcel ?? shipment.parcel,
    quotes: row.quotes ?? shipment.quotes,
    events: mergeScans(shipment.events, scans, trackingNumber) ?? shipment.events,
  };
}

/** A scan as the workflow holds it: absent fields absent, not null. */
function withoutNulls(event: TrackingEvent): TrackingEvent {
  return Object.fromEntries(Object.entries(event).filter(([, value]) => value !== null)) as TrackingEvent;
}
