// The shapes of an order, written once. The API validates with these schemas; workflows,
// activities and tests use the types inferred from them.
import { z } from 'zod';
import { CARRIER_POLICIES } from './carrier-policy';
import { AddressSchema, OrderLineSchema, type OrderLine } from './shared-shapes';
import type { Allocation, ShipmentView } from './shipment';

export { AddressSchema, OrderLineSchema, type Address, type OrderLine } from './shared-shapes';

export const ORDER_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export const MoneySchema = z.object({
  amount: z.number().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as TRY'),
});

export const SERVICES = ['standard', 'express', 'same_day'] as const;

/** The languages customers hear from us in: notifications and the tracking page. */
export const LOCALES = ['en', 'tr'] as const;
export type Locale = (typeof LOCALES)[number];

export const OrderInputSchema = z.object({
  orderId: z.string().regex(ORDER_ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 . _ -'),
  channel: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a lower-case channel name such as shopify'),
  customer: z.object({
    name: z.string().trim().min(1).max(200),
    email: z.email(),
    phone: z.string().trim().min(3).max(32).optional(),
    /** The language of the customer's messages; Turkish for Turkish addresses, English otherwise, when absent. */
    locale: z.enum(LOCALES).optional(),
  }),
  /** The storefront's own order id (Shopify's numeric id, WooCommerce's), for updates sent back to it. */
  externalId: z.string().trim().min(1).max(64).optional(),
  shippingAddress: AddressSchema,
  lines: z.array(OrderLineSchema).min(1).max(500),
  service: z.enum(SERVICES),
  // A day of slack: "today" differs across time zones.
  promisedDeliveryDate: z.iso
    .date()
    .refine((d) => Date.parse(d) >= Date.now() - 2 * 86_400_000, 'must not be in the past')
    .optional(),
  cashOnDelivery: MoneySchema.optional(),
  preferredCarriers: z.array(z.string().min(1).max(32)).max(10).optional(),
  /**
   * How the carrier is chosen from the quotes (domain/carrier-policy.ts): `preferred` when
   * preferredCarriers are given, else `cheapest`.
   */
  carrierPolicy: z.enum(CARRIER_POLICIES).optional(),
});

export type OrderInput = z.infer<typeof OrderInputSchema>;

/** Where an order stands. While it ships, it takes the status of its least advanced shipment. */
export const ORDER_STATUSES = [
  'received',
  'backordered',
  'allocated',
  'fulfilling',
  'needs_attention',
  'address_invalid',
  'labelled',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'ready_for_pickup',
  'delivery_failed',
  'on_hold',
  'delayed',
  'lost',
  'delivered',
  'return_requested',
  'returned',
  'cancelled',
  'closed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ReturnRequestSchema = z.object({
  reason: z.string().trim().min(1).max(500),
  /** SKUs to send back; all delivered lines when absent. */
  lines: z
    .array(z.object({ sku: z.string().min(1).max(64), quantity: z.number().int().min(1) }))
    .min(1)
    .max(500)
    .optional(),
});
export type ReturnRequest = z.infer<typeof ReturnRequestSchema>;

export interface ReturnLabel {
  shipmentId: string;
  carrier: string;
  trackingNumber: string;
  labelRef: string;
}

export interface StatusChange {
  status: OrderStatus;
  at: string; // ISO timestamp, from workflow time
  reason?: string;
}

/** What the status query answers: the whole picture of one order. */
export interface OrderView {
  orderId: string;
  channel: string;
  status: OrderStatus;
  lines: OrderLine[];
  allocations: Allocation[];
  shipments: ShipmentView[];
  history: StatusChange[];
  /** What a person must do for the order to move on (empty when nothing). */
  pendingActions: string[];
}
