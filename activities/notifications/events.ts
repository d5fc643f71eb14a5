// What a customer hears about, and what each message may say. The placeholder lists are the
// contract between the templates a merchant edits and the data the worker fills them with.
export const NOTIFICATION_EVENTS = [
  'shipped',
  'in_customs',
  'out_for_delivery',
  'delivered',
  'delivery_failed',
  'ready_for_pickup',
  'delayed',
  'lost',
  'address_invalid',
  'return_label',
  'return_received',
  'cancelled',
] as const;

export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export { LOCALES, type Locale } from '../../domain/order';

const EVERYWHERE = ['customerName', 'orderId', 'shopName'] as const;
const PARCEL = [...EVERYWHERE, 'carrierName', 'trackingNumber', 'trackingUrl'] as const;

/** The placeholders each event's templates may use. */
export const PLACEHOLDERS: Record<NotificationEvent, readonly string[]> = {
  shipped: PARCEL,
  in_customs: PARCEL,
  out_for_delivery: PARCEL,
  delivered: [...PARCEL, 'ratingUrl'],
  delivery_failed: PARCEL,
  ready_for_pickup: PARCEL,
  delayed: PARCEL,
  lost: PARCEL,
  address_invalid: EVERYWHERE,
  return_label: PARCEL,
  return_received: PARCEL,
  cancelled: EVERYWHERE,
};

export type TemplateData = Record<string, string>;
