// Removing what earlier runs of a test file left in the shared test database, by the period its
// orders were created in (the KPI tests seed fixed dates and must find only their own parcels).
import type { Pool } from 'pg';

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
