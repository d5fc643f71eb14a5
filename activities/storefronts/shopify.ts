// Tells a Shopify store what happened to its order, through the Admin REST API: a fulfillment
// with the tracking number when the parcel is labelled, fulfillment events as it travels, the
// order cancelled when we cancel it. Each call first looks at what the store already has, so a
// redelivered event changes nothing twice.
import { carrierDisplayName } from '../../carriers/registry';
import type { OutboundEvent } from '../../domain/webhooks';
import { callStorefront } from './http';

export interface ShopifyStore {
  url: string;
  accessToken: string;
  apiVersion: string;
  timeoutMs: number;
}

interface Fulfillment {
  id: number;
  tracking_number?: string | null;
  tracking_numbers?: string[];
}

/** Our statuses in Shopify's fulfillment event vocabulary; others are not shown to Shopify. */
const FULFILLMENT_EVENT: Record<string, string> = {
  picked_up: 'in_transit',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivery_failed: 'attempted_delivery',
  ready_for_pickup: 'ready_for_pickup',
  delivered: 'delivered',
  exception: 'failure',
  return_to_sender: 'failure',
};

export function shopifyPushback(store: ShopifyStore) {
  const api = <T>(method: string, path: string, body?: unknown) =>
    callStorefront<T>(
      method,
      `${store.url.replace(/\/$/, '')}/admin/api/${store.apiVersion}${path}`,
      { 'X-Shopify-Access-Token': store.accessToken },
      body,
      store.timeoutMs,
    );

  async function fulfillmentOf(orderRef: string, trackingNumber: string): Promise<Fulfillment | undefined> {
    const { fulfillments } = await api<{ fulfillments: Fulfillment[] }>('GET', `/orders/${orderRef}/fulfillments.json`);
    return fulfillments.find((f) => f.tracking_number === trackingNumber || f.tracking_numbers?.includes(trackingNumber));
  }

  async function fulfil(orderRef: string, data: OutboundEvent['data']): Promise<void> {
    if (await fulfillmentOf(orderRef, data.trackingNumber!)) return;
    const { fulfillment_orders: open } = await api<{ fulfillment_orders: { id: number; status: string }[] }>(
      'GET',
      `/orders/${orderRef}/fulfillment_orders.json`,
    );
    const fulfillable = open.filter((f) => f.status === 'open' || f.status === 'in_progress');
    if (fulfillable.length === 0) return; // fulfilled in Shopify already, by hand
    await api('POST', '/fulfillments.json', {
      fulfillment: {
        line_items_by_fulfillment_order: fulfillable.map((f) => ({ fulfillment_order_id: f.id })),
        tracking_info: { company: carrierDisplayName(data.carrier!), number: data.trackingNumber, url: data.trackingUrl },
        notify_customer: false, // we tell the customer ourselves
      },
    });
  }

  async function trackingEvent(orderRef: string, data: OutboundEvent['data']): Promise<void> {
    const status = FULFILLMENT_EVENT[String(data.status)];
    if (!status) return;
    const fulfillment = await fulfillmentOf(orderRef, data.trackingNumber!);
    if (!fulfillment) return; // labelled before this store was subscribed
    await api('POST', `/orders/${orderRef}/fulfillments/${fulfillment.id}/events.json`, {
      event: { status, happened_at: data.scannedAt, city: data.location ?? undefined },
    });
  }

  return async (event: OutboundEvent): Promise<void> => {
    const orderRef = encodeURIComponent(event.data.externalOrderId ?? event.data.orderId);
    switch (event.type) {
      case 'shipment.labelled':
        return fulfil(orderRef, event.data);
      case 'shipment.tracking_updated':
        return trackingEvent(orderRef, event.data);
      case 'order.cancelled':
        await api('POST', `/orders/${orderRef}/cancel.json`, {});
        return;
      default:
        return; // Shopify has no place for the rest
    }
  };
}
