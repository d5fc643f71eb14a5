// Delivering outbound events to subscribers. Database triggers put each event and a delivery
// row per subscriber in the outbox; the subscriber's dispatcher workflow calls deliverPending,
// which works through that subscriber's rows oldest first and stops at the first failure, so
// events arrive in the order they happened. Delivery is at least once: receivers dedupe by id.
// A marketplace's refusal is the one failure that does not stop the subscriber: it is held for ops
// (`refused`, an ops alert) with the order's later events behind it, and the rest go on.
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import type { Pool } from 'pg';
import { trackingUrl } from '../../domain/shipment';
import type { Logger } from '../../lib/logger';
import { callStorefront } from '../storefronts/http';
import { shopifyPushback } from '../storefronts/shopify';
import { wooCommercePushback } from '../storefronts/woocommerce';
import { MARKETPLACE_SUBSCRIBER_PREFIX, type ConfiguredSubscriber, type OutboundEvent, type Subscriber } from '../../domain/webhooks';
import { marketplacePushback, PushRefused, type MarketplacePushDeps } from './marketplace';
import { signatureHeader } from './signature';
import { marketplaceSubscriber, NOT_HELD } from './subscribers';
import { inTransaction } from '../../lib/transaction';

type Push = (event: OutboundEvent) => Promise<void>;

/** A signed JSON POST of the event, for any OMS or integration that takes webhooks. */
function signedWebhook(subscriber: Extract<ConfiguredSubscriber, { kind: 'webhook' }>): Push {
  return async (event) => {
    const body = JSON.stringify(event);
    const headers = {
      Signature: signatureHeader(subscriber.secret, body, Math.floor(Date.now() / 1000)),
      'Webhook-Id': event.id,
      'Webhook-Event': event.type,
    };
    await callStorefront('POST', subscriber.url, headers, body, subscriber.timeoutMs);
  };
}

/** How events reach the subscriber; a marketplace account's through its adapter (`marketplace` is needed for those). */
export function pushFor(subscriber: Subscriber, marketplace?: MarketplacePushDeps): Push {
  switch (subscriber.kind) {
    case 'marketplace':
      if (!marketplace) throw new Error(`subscriber ${subscriber.id} is a marketplace account, and no marketplaces are wired in`);
      return marketplacePushback(marketplace, subscriber);
    case 'webhook':
      return signedWebhook(subscriber);
    case 'shopify':
      return shopifyPushback(subscriber);
    case 'woocommerce':
      return wooCommercePushback(subscriber);
  }
}

interface PendingRow {
  event_id: string;
  order_id: string;
  type: OutboundEvent['type'];
  occurred_at: Date;
  data: OutboundEvent['data'];
  external_id: string | null;
}

export function createWebhookActivities(
  pool: Pool,
  logger: Logger,
  subscribers: Subscriber[],
  publicBaseUrl: string,
  adapterOf?: MarketplacePushDeps['adapterOf'],
) {
  const marketplaces = adapterOf && { pool, adapterOf };
  const pushes = new Map(subscribers.map((s) => [s.id, pushFor(s, marketplaces)]));

  /** The subscriber's push; an account connected since this worker started is found by its id. */
  async function pushOf(subscriberId: string): Promise<Push | undefined> {
    const known = pushes.get(subscriberId);
    if (known || !marketplaces || !subscriberId.startsWith(MARKETPLACE_SUBSCRIBER_PREFIX)) return known;
    const accountId = subscriberId.slice(MARKETPLACE_SUBSCRIBER_PREFIX.length);
    const { rows } = await pool.query<{ marketplace: string }>(
      `SELECT marketplace FROM marketplace_accounts WHERE account_id = $1 AND status <> 'disabled'`,
      [accountId],
    );
    if (!rows[0]) return undefined;
    const push = pushFor(marketplaceSubscriber(accountId, rows[0].marketplace), marketplaces);
    pushes.set(subscriberId, push);
    return push;
  }

  /** A marketplace account disconnected (DELETE) since its dispatcher was woken: no more pushes, from any worker. */
  async function disconnectedAccount(subscriberId: string): Promise<boolean> {
    if (!subscriberId.startsWith(MARKETPLACE_SUBSCRIBER_PREFIX)) return false;
    const { rows } = await pool.query<{ active: boolean }>('SELECT active FROM webhook_subscribers WHERE subscriber_id = $1', [
      subscriberId,
    ]);
    return rows[0]?.active === false;
  }

  function envelope(row: PendingRow): OutboundEvent {
    const { trackingNumber } = row.data;
    return {
      id: row.event_id,
      type: row.type,
      occurredAt: row.occurred_at.toISOString(),
      data: {
        ...row.data,
        ...(row.external_id ? { externalOrderId: row.external_id } : {}),
        ...(trackingNumber ? { trackingUrl: trackingUrl(publicBaseUrl, trackingNumber) } : {}),
      },
    };
  }

  /** The subscriber's oldest pending events, in the order they happened. */
  async function oldestPending(subscriberId: string, limit: number): Promise<PendingRow[]> {
    const { rows } = await pool.query<PendingRow>(
      `SELECT e.event_id, e.order_id, e.type, e.occurred_at, e.data, o.request->>'externalId' AS external_id
         FROM webhook_deliveries d
         JOIN outbound_events e USING (event_id)
         LEFT JOIN orders o ON o.order_id = e.order_id
        WHERE d.subscriber_id = $1 AND d.status = 'pending' AND ${NOT_HELD}
        ORDER BY d.seq
        LIMIT $2`,
      [subscriberId, limit],
    );
    return rows;
  }

  async function mark(subscriberId: string, eventId: string, error?: string): Promise<void> {
    await pool.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $3,
              status = CASE WHEN $3::text IS NULL THEN 'delivered' ELSE status END,
              delivered_at = CASE WHEN $3::text IS NULL THEN now() END
        WHERE subscriber_id = $1 AND event_id = $2`,
      [subscriberId, eventId, error ?? null],
    );
  }

  /** Holds a refused event for ops: its delivery `refused` with the reason, and an ops alert naming the parcel or the order. */
  async function refuse(subscriberId: string, row: PendingRow, reason: string): Promise<void> {
    const message = `${subscriberId} refused ${row.type} (event ${row.event_id}): ${reason}`;
    // One transaction: ops settling it (retry, drop) see the refusal and its alert together.
    await inTransaction(pool, async (db) => {
      await db.query(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $3, status = 'refused' WHERE subscriber_id = $1 AND event_id = $2`,
        [subscriberId, row.event_id, reason],
      );
      await db.query(
        `INSERT INTO ops_alerts (shipment_id, kind, order_id, message) VALUES ($1, 'marketplace_push_refused', $2, $3)
         ON CONFLICT (shipment_id, kind) DO UPDATE SET message = $3, resolved_at = NULL, created_at = now()`,
        [row.data.shipmentId ?? `order:${row.order_id}`, row.order_id, message],
      );
    });
    logger.warn(
      { kind: 'marketplace_push_refused', subscriberId, eventId: row.event_id, orderId: row.order_id, reason },
      'ops alert: marketplace refused a pushback',
    );
  }

  return {
    /**
     * Delivers up to `max` of the subscriber's pending events, oldest first. Throws at the first
     * one the subscriber does not take (the retry starts from it); `more` says whether any wait.
     * A refused one is held with its order's later events, and the others go on.
     */
    async deliverPending({ subscriberId, max }: { subscriberId: string; max: number }): Promise<{ delivered: number; more: boolean }> {
      // Asked first: a worker that never knew the account finds no push for it, and would retry forever.
      if (await disconnectedAccount(subscriberId)) return { delivered: 0, more: false }; // its news stays, undelivered, for the record
      const push = await pushOf(subscriberId);
      if (!push) {
        // A marketplace account on a worker that takes no marketplaces: another worker may.
        if (subscriberId.startsWith(MARKETPLACE_SUBSCRIBER_PREFIX))
          throw ApplicationFailure.retryable(`${subscriberId}: this worker cannot push to that account`, 'UnknownSubscriber');
        throw ApplicationFailure.nonRetryable(`subscriber ${subscriberId} is not in WEBHOOK_SUBSCRIBERS`, 'UnknownSubscriber');
      }
      const batch = await oldestPending(subscriberId, max + 1); // one more: whether any wait beyond this batch
      const held = new Set<string>(); // orders refused in this batch: their later events wait
      for (const [delivered, row] of batch.slice(0, max).entries()) {
        if (held.has(row.order_id)) continue;
        try {
          await push(envelope(row));
        } catch (err) {
          const reason = (err as Error).message.slice(0, 500);
          if (err instanceof PushRefused) {
            await refuse(subscriberId, row, reason);
            held.add(row.order_id);
            continue;
          }
          await mark(subscriberId, row.event_id, reason);
          logger.warn({ subscriberId, eventId: row.event_id, type: row.type, reason }, 'webhook delivery failed');
          throw ApplicationFailure.retryable(
            `${subscriberId} did not take ${row.type} ${row.event_id}: ${reason}`,
            'WebhookDeliveryFailed',
          );
        }
        await mark(subscriberId, row.event_id);
        heartbeat(delivered + 1);
      }
      return { delivered: Math.min(batch.length, max), more: batch.length > max };
    },

    /** After every retry failed: the subscriber waits for ops, with its events kept. */
    async pauseSubscriber({ subscriberId, reason }: { subscriberId: string; reason: string }): Promise<void> {
      await pool.query(
        'UPDATE webhook_subscribers SET paused_at = coalesce(paused_at, now()), paused_reason = $2 WHERE subscriber_id = $1',
        [subscriberId, reason],
      );
      logger.warn({ subscriberId, reason }, 'webhook subscriber paused');
    },

    async resumeSubscriber({ subscriberId }: { subscriberId: string }): Promise<void> {
      await pool.query('UPDATE webhook_subscribers SET paused_at = NULL, paused_reason = NULL WHERE subscriber_id = $1', [subscriberId]);
      logger.info({ subscriberId }, 'webhook subscriber resumed');
    },
  };
}
