// Customer notifications and ops alerts. Each is entered in a ledger keyed by order,
// shipment, event and channel before it goes out, so it goes out once. Delivery by
// email, SMS and storefront webhooks plugs in behind the ledger.
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger';

export type NotificationEvent =
  | 'shipped'
  | 'out_for_delivery'
  | 'delivered'
  | 'delivery_failed'
  | 'ready_for_pickup'
  | 'address_invalid'
  | 'return_label'
  | 'return_received'
  | 'cancelled';

export interface Notification {
  orderId: string;
  shipmentId?: string;
  event: NotificationEvent;
  trackingNumber?: string;
  carrier?: string;
}

export function createNotificationActivities(pool: Pool, logger: Logger) {
  return {
    /** Returns false when this notification was already sent. */
    async notifyCustomer(notification: Notification): Promise<boolean> {
      const { rowCount } = await pool.query(
        `INSERT INTO notifications (order_id, shipment_id, event, channel, payload) VALUES ($1, $2, $3, 'customer', $4)
         ON CONFLICT DO NOTHING`,
        [notification.orderId, notification.shipmentId ?? '', notification.event, notification],
      );
      const first = rowCount === 1;
      if (first) logger.info({ orderId: notification.orderId, shipmentId: notification.shipmentId, event: notification.event }, 'customer notified');
      return first;
    },

    /** An alert for ops (late, lost, overdue packing): logged once and kept for the ops views. */
    async alertOps({ orderId, shipmentId, kind, message }: { orderId: string; shipmentId: string; kind: string; message: string }): Promise<void> {
      const { rowCount } = await pool.query(
        `INSERT INTO ops_alerts (shipment_id, kind, order_id, message) VALUES ($1, $2, $3, $4)
         ON CONFLICT (shipment_id, kind) DO UPDATE SET message = $4, resolved_at = NULL WHERE ops_alerts.resolved_at IS NOT NULL`,
        [shipmentId, kind, orderId, message],
      );
      if (rowCount === 1) logger.warn({ orderId, shipmentId, kind, alert: message }, 'ops alert');
    },
  };
}
