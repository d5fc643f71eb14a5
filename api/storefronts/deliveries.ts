// The durable record of the storefront orders we took (db/migrations/*_storefront-deliveries.sql):
// neither storefront signs a time, so a delivery can be replayed at any age, long after Temporal
// forgot the order's workflow. The business record answers whether it was taken, not Temporal.
import type { Pool } from 'pg';

export interface StorefrontDelivery {
  storefront: string;
  /** X-Shopify-Webhook-Id, X-WC-Webhook-Delivery-ID: absent only from hand-made requests. */
  deliveryId?: string;
  orderId: string;
}

/** Whether this delivery, or any delivery of this order, was taken before. */
export async function takenBefore(pool: Pool, { storefront, deliveryId, orderId }: StorefrontDelivery): Promise<boolean> {
  const { rowCount } = await pool.query(
    `SELECT 1 FROM orders WHERE order_id = $3
     UNION ALL
     SELECT 1 FROM storefront_deliveries WHERE (storefront = $1 AND delivery_id = $2) OR order_id = $3
     LIMIT 1`,
    [storefront, deliveryId ?? null, orderId],
  );
  return (rowCount ?? 0) > 0;
}

/** Kept once the order has started, so a failed start leaves the storefront's retry free to start it. */
export async function recordDelivery(pool: Pool, { storefront, deliveryId, orderId }: StorefrontDelivery): Promise<void> {
  if (!deliveryId) return; // the order's own record (orders) still answers for it
  await pool.query('INSERT INTO storefront_deliveries (storefront, delivery_id, order_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    storefront,
    deliveryId,
    orderId,
  ]);
}
