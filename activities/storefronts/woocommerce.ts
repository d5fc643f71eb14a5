// Tells a WooCommerce store what happened to its order, through the WooCommerce REST API (v3):
// an order note with the carrier and tracking link, then the order status (completed when
// delivered, cancelled when we cancel).
import { carrierDisplayName } from '../../carriers/registry';
import type { OutboundEvent } from '../../domain/webhooks';
import { callStorefront } from './http';

export interface WooCommerceStore {
  url: string;
  consumerKey: string;
  consumerSecret: string;
  timeoutMs: number;
}

export function wooCommercePushback(store: WooCommerceStore) {
  const auth = `Basic ${Buffer.from(`${store.consumerKey}:${store.consumerSecret}`).toString('base64')}`;
  const api = (method: string, path: string, body: unknown) =>
    callStorefront(method, `${store.url.replace(/\/$/, '')}/wp-json/wc/v3${path}`, { authorization: auth }, body, store.timeoutMs);

  return async (event: OutboundEvent): Promise<void> => {
    const orderRef = encodeURIComponent(event.data.externalOrderId ?? event.data.orderId);
    const { carrier, trackingNumber, trackingUrl } = event.data;
    switch (event.type) {
      case 'shipment.labelled':
        await api('POST', `/orders/${orderRef}/notes`, {
          note: `Shipped with ${carrierDisplayName(carrier!)}, tracking number ${trackingNumber}: ${trackingUrl}`,
          customer_note: true,
        });
        return;
      case 'return.created':
        await api('POST', `/orders/${orderRef}/notes`, {
          note: `Return booked with ${carrierDisplayName(carrier!)}, return code ${trackingNumber}`,
          customer_note: false,
        });
        return;
      case 'shipment.delivered':
        await api('PUT', `/orders/${orderRef}`, { status: 'completed' });
        return;
      case 'order.cancelled':
        await api('PUT', `/orders/${orderRef}`, { status: 'cancelled' });
        return;
      default:
        return; // notes for every scan would drown the merchant
    }
  };
}
