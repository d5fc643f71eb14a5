// Customer and storefront notifications. Each is entered in a ledger keyed by order,
// shipment, event and channel before it goes out, so it goes out once. Delivery by
// email, SMS and storefront webhooks plugs in behind the ledger.
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger';

export type NotificationEvent = 'shipped' | 'out_for_delivery' | 'delivered' | 'delivery_failed' | 'ready_for_pickup' | 'cancelled';

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
  };
}
