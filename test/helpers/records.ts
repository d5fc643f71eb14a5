// Business records written straight into the shared test database: a labelled parcel as the
// workflow's activities leave it, and removing what earlier runs of a test file left, by the period
// its orders were created in (the KPI tests seed fixed dates and must find only their own parcels).
import { randomInt } from 'node:crypto';
import type { Pool } from 'pg';
import type { OrderInput } from '../../domain/order';

/** An order and its one parcel with Yurtiçi, both at `status`, as the records hold them. */
export async function recordedYurticiParcel(pool: Pool, order: OrderInput, status: string) {
  const { orderId } = order;
  const shipmentId = `shipment-${orderId}-1`;
  const trackingNumber = `YK${randomInt(1e9, 1e10)}`;
  await pool.query(
    `INSERT INTO orders (order_id, workflow_id, channel, status, service, request, request_hash) VALUES ($1, $2, 'shopify', $3, 'standard', $4, 'test')`,
    [orderId, `order-${orderId}`, status, order],
  );
  await pool.query(
    `INSERT INTO shipments (shipment_id, order_id, warehouse_id, status, carrier, tracking_number, label_ref) VALUES ($1, $2, 'IST-1', $3, 'yurtici', $4, 'label')`,
    [shipmentId, orderId, status, trackingNumber],
  );
  return { orderId, shipmentId, trackingNumber };
}

export async function clearOrdersCreatedBetween(pool: Pool, from: string, to: string): Promise<void> {
  const { rows } = await pool.query('SELECT order_id FROM orders WHERE created_at >= $1 AND created_at < $2', [from, to]);
  const ids = rows.map((r) => r.order_id);
  await pool.query('DELETE FROM shipment_milestones WHERE shipment_id IN (SELECT shipment_id FROM shipments WHERE order_id = ANY($1))', [
    ids,
  ]);
  await pool.query('DELETE FROM tracking_events WHERE shipment_id IN (SELECT shipment_id FROM shipments WHERE order_id = ANY($1))', [ids]);
  await pool.query('DELETE FROM ops_alerts WHERE order_id = ANY($1)', [ids]);
  await pool.query('DELETE FROM delivery_ratings WHERE order_id = ANY($1)', [ids]);
  await pool.query('DELETE FROM shipments WHERE order_id = ANY($1)', [ids]);
  await pool.query('DELETE FROM orders WHERE order_id = ANY($1)', [ids]);
}

/** Waits until the workers' notice pump has sent, or given up on, every customer notice the order's parcels queued. */
export async function noticesSettled(pool: Pool, orderId: string, seconds = 15): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const { rowCount } = await pool.query("SELECT 1 FROM notice_queue WHERE order_id = $1 AND status = 'pending'", [orderId]);
    if (!rowCount) return;
    if (Date.now() > deadline) throw new Error(`customer notices of order ${orderId} still pending after ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
