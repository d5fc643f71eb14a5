// What storefronts and OMSs hear from us. The database triggers of
// db/migrations/1763900011000_notifications-and-webhooks.sql write these events; this is their shape.
export const OUTBOUND_EVENT_TYPES = [
  'order.status_changed',
  'order.cancelled',
  'shipment.labelled',
  'shipment.tracking_updated',
  'shipment.delivered',
  'return.created',
] as const;

export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

/** The body of every webhook: one event. */
export interface OutboundEvent {
  id: string;
  type: OutboundEventType;
  occurredAt: string;
  data: {
    orderId: string;
    /** The storefront's own order id, when the order came with one. */
    externalOrderId?: string;
    shipmentId?: string;
    carrier?: string;
    trackingNumber?: string;
    trackingUrl?: string;
    status?: string;
    from?: string;
    to?: string;
    [field: string]: unknown;
  };
}
