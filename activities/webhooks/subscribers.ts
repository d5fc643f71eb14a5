// Who gets our outbound webhooks, from configuration (WEBHOOK_SUBSCRIBERS, JSON): a signed JSON
// webhook to any URL, or a storefront's own API (Shopify, WooCommerce) updated directly.
// Secrets and tokens come from the environment with the rest of this list.
import type { Pool } from 'pg';
import { z } from 'zod';
import { OUTBOUND_EVENT_TYPES } from './events';

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
  Base.extend({ kind: z.literal('shopify'), url: z.url(), accessToken: z.string().min(1), apiVersion: z.string().regex(/^\d{4}-\d{2}$/).default('2025-01') }),
  Base.extend({ kind: z.literal('woocommerce'), url: z.url(), consumerKey: z.string().min(1), consumerSecret: z.string().min(1) }),
]);

export const SubscribersSchema = z
  .array(SubscriberSchema)
  .refine((list) => new Set(list.map((s) => s.id)).size === list.length, 'subscriber ids must be unique');

export type Subscriber = z.infer<typeof SubscriberSchema>;

/**
 * Makes the database's list match the configuration's, so the triggers fan events out to exactly
 * these subscribers. A pause stays until ops resume; a subscriber dropped from the configuration
 * keeps its undelivered events (nothing is lost) but gets no new ones.
 */
export async function syncSubscribers(pool: Pool, subscribers: Subscriber[]): Promise<void> {
  for (const s of subscribers) {
    await pool.query(
      `INSERT INTO webhook_subscribers (subscriber_id, channels, events) VALUES ($1, $2, $3)
       ON CONFLICT (subscriber_id) DO UPDATE SET channels = $2, events = $3, active = true, updated_at = now()`,
      [s.id, s.channels, s.events],
    );
  }
  await pool.query(
    `UPDATE webhook_subscribers SET active = false, updated_at = now() WHERE NOT (subscriber_id = ANY ($1)) AND active`,
    [subscribers.map((s) => s.id)],
  );
}
