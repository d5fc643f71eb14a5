// Parcels and shipment records in PostgreSQL.
import type { Pool } from 'pg';
import type { Allocation, Parcel, ShipmentView } from '../domain/shipment';
import { CHANNELS } from './notifications';
import type { NotificationEvent } from './notifications/events';
import { recordOrderStatus, type RecordStatusInput } from './orders';

/** Customer notices a parcel queues with its record, for the notice pump of its task queue (workers/notice-pump.ts). */
export interface QueuedNotices {
  taskQueue: string;
  events: NotificationEvent[];
}

/** A row of `skus`: grams and centimetres, all integers. */
interface SkuSize {
  weight_grams: number;
  length_cm: number;
  width_cm: number;
  height_cm: number;
}

/** Used when a SKU has no master data: the parcel still ships, and the log says which SKU lacks it. */
const UNKNOWN_SKU: SkuSize = { weight_grams: 500, length_cm: 30, width_cm: 20, height_cm: 10 };

export function createShipmentActivities(pool: Pool) {
  async function recordEvents({ shipmentId, events }: ShipmentView): Promise<void> {
    if (events.length === 0) return;
    await pool.query(
      `INSERT INTO tracking_events (shipment_id, event_id, tracking_number, status, raw_code, location, occurred_at, reason)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
       ON CONFLICT (shipment_id, event_id) DO NOTHING`,
      [
        shipmentId,
        events.map((e) => e.eventId),
        events.map((e) => e.trackingNumber),
        events.map((e) => e.status),
        events.map((e) => e.rawCode ?? null),
        events.map((e) => e.location ?? null),
        events.map((e) => e.occurredAt),
        events.map((e) => e.reason ?? null),
      ],
    );
  }

  /** One parcel for a warehouse's lines: summed weight, stacked heights, largest footprint. */
  async function planParcel({ lines }: Pick<Allocation, 'lines'>): Promise<Parcel> {
    const { rows } = await pool.query<SkuSize & { sku: string }>(
      'SELECT sku, weight_grams, length_cm, width_cm, height_cm FROM skus WHERE sku = ANY($1)',
      [lines.map((l) => l.sku)],
    );
    const master = new Map<string, SkuSize>(rows.map((r) => [r.sku, r]));
    const parcel: Parcel = { weightGrams: 0, lengthCm: 1, widthCm: 1, heightCm: 0 };
    for (const { sku, quantity } of lines) {
      const item = master.get(sku) ?? UNKNOWN_SKU;
      parcel.weightGrams += item.weight_grams * quantity;
      parcel.lengthCm = Math.max(parcel.lengthCm, item.length_cm);
      parcel.widthCm = Math.max(parcel.widthCm, item.width_cm);
      parcel.heightCm += item.height_cm * quantity;
    }
    return parcel;
  }

  async function warehouseSettings({ warehouseId }: { warehouseId: string }): Promise<{ manualPacking: boolean }> {
    const { rows } = await pool.query<{ manual_packing: boolean }>('SELECT manual_packing FROM warehouses WHERE warehouse_id = $1', [
      warehouseId,
    ]);
    return { manualPacking: rows[0]?.manual_packing ?? false };
  }

  return {
    planParcel,
    warehouseSettings,
    /** Both in one local activity, for a parcel that packs: one marker, not two. */
    async packingPlan({
      warehouseId,
      lines,
    }: Pick<Allocation, 'warehouseId' | 'lines'>): Promise<{ parcel: Parcel; manualPacking: boolean }> {
      const [parcel, { manualPacking }] = await Promise.all([planParcel({ lines }), warehouseSettings({ warehouseId })]);
      return { parcel, manualPacking };
    },

    /** Upsert of the shipment's current picture and of the scans it has seen. */
    /** `workflowId` names the workflow the parcel runs in when it is not its own (its order's): callers signal it there. */
    async recordShipment({
      orderId,
      view,
      notices,
      workflowId,
      orderStatus,
    }: {
      orderId: string;
      view: ShipmentView;
      notices?: QueuedNotices;
      workflowId?: string;
      /** The order's status the parcel moved it to, when the parcel runs inside the order: one local activity for both. */
      orderStatus?: RecordStatusInput;
    }): Promise<void> {
      await recordEvents(view);
      await pool.query(
        `INSERT INTO shipments (shipment_id, order_id, warehouse_id, status, carrier, tracking_number, label_ref, parcel, quotes, kind, workflow_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (shipment_id) DO UPDATE SET status = $4, carrier = $5, tracking_number = $6, label_ref = $7,
           parcel = $8, quotes = $9, workflow_id = $11, updated_at = now()`,
        [
          view.shipmentId,
          orderId,
          view.warehouseId,
          view.status,
          view.carrier ?? null,
          view.trackingNumber ?? null,
          view.labelRef ?? null,
          view.parcel ? JSON.stringify(view.parcel) : null,
          view.quotes ? JSON.stringify(view.quotes) : null,
          view.kind ?? 'outbound',
          workflowId ?? null,
        ],
      );
      if (orderStatus) await recordOrderStatus(pool, orderStatus);
      if (notices?.events.length) await queueNotices(orderId, view, notices);
    },
  };

  /** A row per channel, queued once whatever retries (the ledger would drop a repeat anyway), in the order given; the pump is woken. */
  async function queueNotices(
    orderId: string,
    { shipmentId, trackingNumber, carrier }: ShipmentView,
    { taskQueue, events }: QueuedNotices,
  ) {
    await pool.query(
      `WITH queued AS (
         INSERT INTO notice_queue (task_queue, order_id, shipment_id, event, channel, tracking_number, carrier)
         SELECT $1, $2, $3, event, channel, $5, $6
           FROM unnest($4::text[]) WITH ORDINALITY AS e(event, n), unnest($7::text[]) WITH ORDINALITY AS c(channel, m)
          ORDER BY n, m
         ON CONFLICT (order_id, shipment_id, event, channel) DO NOTHING
         RETURNING 1
       )
       SELECT pg_notify('notice_queue', $1) FROM queued LIMIT 1`,
      [taskQueue, orderId, shipmentId, events, trackingNumber ?? null, carrier ?? null, CHANNELS],
    );
  }
}
