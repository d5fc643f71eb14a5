// What storefronts and OMSs hear from us, and who hears it. The database triggers of
// db/migrations/1763900011000_notifications-and-webhooks.sql write these events; this is their shape.
import { z } from 'zod';

export const OUTBOUND_EVENT_TYPES = [
  'order.status_changed',
  'order.cancelled',
  'shipment.labelled',
  'shipment.tracking_updated',
  'shipment.delivered',
  'shipment.rated',
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

// Who gets our outbound webhooks, from configuration (WEBHOOK_SUBSCRIBERS, JSON): a signed JSON
// webhook to any URL, or a storefront's own API (Shopify, WooCommerce) updated directly.
// Secrets and tokens come from the environment with the rest of this list.
const Base = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'must be 1-64 characters of a-z 0-9 _ -'),
  /** Sales channels whose orders this subscriber hears about; every channel when empty. */
  channels: z.array(z.string().min(1)).default([]),
  /** Event types it wants; every type when empty. */
  events: z.array(z.enum(OUTBOUND_EVENT_TYPES)).default([]),
  /** Tries of one delivery (with exponential backoff from 1 s, capped at 5 min) before the subscriber is paused for ops. */
  maxAttempts: z.number().int().min(1).max(50).default(10),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});

export const SubscriberSchema = z.discriminatedUnion('kind', [
  Base.extend({ kind: z.literal('webhook'), url: z.url(), secret: z.string().min(16, 'must be at least 16 characters') }),
  Base.extend({
    kind: z.literal('shopify'),
    url: z.url(),
    accessToken: z.string().min(1),
    apiVersion: z
      .string()
      .regex(/^\d{4}-\d{2}$/)
      .default('2025-01'),
  }),
  Base.extend({ kind: z.literal('woocommerce'), url: z.url(), consumerKey: z.string().min(1), consumerSecret: z.string().min(1) }),
]);

export const SubscribersSchema = z
  .array(SubscriberSchema)
  .refine((list) => new Set(list.map((s) => s.id)).size === list.length, 'subscriber ids must be unique');

/** A subscriber from WEBHOOK_SUBSCRIBERS. */
export type ConfiguredSubscriber = z.infer<typeof SubscriberSchema>;

/**
 * A connected marketplace account, told about its own orders through its seller API (issue 20,
 * docs/design/marketplaces.md section 6): made from marketplace_accounts (at worker start, or found by its id
 * once connected since: activities/webhooks/subscribers.ts), never configured. What its marketplace refuses is held
 * for ops (`refused`) instead of stopping the account's other packages.
 */
export interface MarketplaceSubscriber {
  kind: 'marketplace';
  /** mkt-<accountId>. */
  id: string;
  accountId: string;
  /** Its connector's name (marketplaces/registry.ts). */
  marketplace: string;
  channels: string[];
  events: OutboundEventType[];
  maxAttempts: number;
}

export type Subscriber = ConfiguredSubscriber | MarketplaceSubscriber;

/** A marketplace account's subscriber id: mkt-<accountId>. */
export const MARKETPLACE_SUBSCRIBER_PREFIX = 'mkt-';
export const marketplaceSubscriberId = (accountId: string) => `${MARKETPLACE_SUBSCRIBER_PREFIX}${accountId}`;
/** Tries of one marketplace push (backoff from 1 s, capped at 5 minutes: about an hour and a half) before the account's pushes pause for ops. */
export const MARKETPLACE_PUSH_ATTEMPTS = 25;
