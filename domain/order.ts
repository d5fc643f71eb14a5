// The shapes of an order, written once. The API validates with these schemas; workflows,
// activities and tests use the types inferred from them.
import { z } from 'zod';
import { CARRIER_POLICIES } from './carrier-policy';
import { LineCustomsSchema, OrderCustomsSchema } from './customs';
import { AddressSchema, COLLECTION_TYPES, MAX_QUANTITY, OrderLineSchema, amount, email, text, type OrderLine } from './shared-shapes';
import type { Allocation, MarketplaceShipping, ShipmentView } from './shipment';

export {
  AddressSchema,
  COLLECTION_TYPES,
  OrderLineSchema,
  email,
  text,
  type Address,
  type CollectionType,
  type OrderLine,
} from './shared-shapes';

export const ORDER_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export const MoneySchema = z.object({
  amount: amount().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as TRY'),
});

/**
 * Cash on delivery: the amount the courier collects and how. No default is filled in: a resent order
 * must hash as it did before the field existed (its fingerprint is of the parsed body); absent is cash.
 */
export const CashOnDeliverySchema = MoneySchema.extend({
  collectionType: z.enum(COLLECTION_TYPES).optional().meta({ default: 'cash', description: 'cash (the default) or card at the door' }),
});

export const SERVICES = ['standard', 'express', 'same_day'] as const;

/** The languages customers hear from us in: notifications and the tracking page. */
export const LOCALES = ['en', 'tr'] as const;
export type Locale = (typeof LOCALES)[number];

/** The earliest promised delivery date taken: yesterday in UTC, since "today" differs across time zones. */
export function earliestPromisedDate(now = Date.now()): string {
  return new Date(now - 86_400_000).toISOString().slice(0, 10);
}

const twoDigits = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(2, '0'));
const DAY = '(?:0[1-9]|[12]\\d|3[01])';
const MONTH_DAY = `(?:0[1-9]|1[0-2])-${DAY}`;

/**
 * A regular expression for the YYYY-MM-DD dates on or after `day`: JSON Schema cannot compare
 * dates, but it can match them. A later year, the same year and a later month, or the same month
 * and a day from `day` on (format: date rules out the days a month has not).
 */
export function datesFromPattern(day: string): string {
  const [year, month, dayOfMonth] = day.split('-');
  const laterYears = [...year].flatMap((digit, i) =>
    digit === '9' ? [] : [`${year.slice(0, i)}[${Number(digit) + 1}-9]${'\\d'.repeat(3 - i)}-${MONTH_DAY}`],
  );
  const laterMonths = Number(month) < 12 ? [`${year}-(?:${twoDigits(Number(month) + 1, 12).join('|')})-${DAY}`] : [];
  const sameMonth = `${year}-${month}-(?:${twoDigits(Number(dayOfMonth), 31).join('|')})`;
  return `^(?:${[...laterYears, ...laterMonths, sameMonth].join('|')})$`;
}

/** An order's line as the OMS sends it: with customs fields overriding the product's, for parcels across a border. */
export const OrderInputLineSchema = OrderLineSchema.extend({ customs: LineCustomsSchema.optional() });

export const OrderInputSchema = z.object({
  orderId: z.string().regex(ORDER_ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 . _ -'),
  channel: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a lower-case channel name such as shopify'),
  customer: z.object({
    name: text(200),
    email: email(),
    phone: text(32, { min: 3 }).optional(),
    /** The language of the customer's messages; Turkish for Turkish addresses, English otherwise, when absent. */
    locale: z.enum(LOCALES).optional(),
  }),
  /** The storefront's own order id (Shopify's numeric id, WooCommerce's), for updates sent back to it. */
  externalId: text(64).optional(),
  shippingAddress: AddressSchema,
  lines: z.array(OrderInputLineSchema).min(1).max(500),
  service: z.enum(SERVICES),
  promisedDeliveryDate: z.iso
    .date()
    .refine((d) => d >= earliestPromisedDate(), 'must not be in the past')
    // Published as a pattern of the days from earliestPromisedDate on, computed whenever the OpenAPI document is.
    .meta({
      get pattern() {
        return datesFromPattern(earliestPromisedDate());
      },
    })
    .optional(),
  cashOnDelivery: CashOnDeliverySchema.optional(),
  preferredCarriers: z.array(text(32)).max(10).optional(),
  /**
   * How the carrier is chosen from the quotes (domain/carrier-policy.ts): `preferred` when
   * preferredCarriers are given, else `cheapest`.
   */
  carrierPolicy: z.enum(CARRIER_POLICIES).optional(),
  /** Why the goods leave and who pays duties, for parcels across a customs border; a sale, duties paid by the customer (DAP), when absent. */
  customs: OrderCustomsSchema.optional(),
});

export type OrderInput = z.infer<typeof OrderInputSchema>;

/**
 * What starts an order's workflow: the input every door validates, and for a marketplace package
 * shipped on the marketplace's contract, that contract (set by the intake only: no API body carries it).
 */
export type OrderStart = OrderInput & { marketplaceShipping?: MarketplaceShipping };

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
  /** The database refused the order's own record (a value it cannot hold): ended, named, for ops (issue 18). */
  'rejected',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ReturnRequestSchema = z.object({
  reason: text(500),
  /** SKUs to send back; all delivered lines when absent. */
  lines: z
    .array(z.object({ sku: text(64), quantity: z.number().int().min(1).max(MAX_QUANTITY) }))
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
