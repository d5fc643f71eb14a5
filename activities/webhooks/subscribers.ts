// Keeps the database's list of outbound webhook subscribers (domain/webhooks.ts) in step with the
// configuration and the connected marketplace accounts.
import type { Pool } from 'pg';
import {
  MARKETPLACE_PUSH_ATTEMPTS,
  MARKETPLACE_SUBSCRIBER_PREFIX,
  marketplaceSubscriberId,
  type MarketplaceSubscriber,
  type Subscriber,
} from '../../domain/webhooks';
import type { MarketplaceConnector } from '../../marketplaces/connector';
import { MARKETPLACES, marketplaceConnector } from '../../marketplaces/registry';

/**
 * Makes the database's list match the configuration's, so the triggers fan events out to exactly
 * these subscribers. A pause stays until ops resume; a subscriber dropped from the configuration
 * keeps its undelivered events (nothing is lost) but gets no new ones.
 */
export async function syncSubscribers(pool: Pool, subscribers: Subscriber[]): Promise<void> {
  for (const s of subscribers) {
    // An account disconnected since this worker started stays off: the worker's list is its start's.
    await pool.query(
      `INSERT INTO webhook_subscribers (subscriber_id, channels, events)
       SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM marketplace_accounts WHERE account_id = $4 AND status = 'disabled')
       ON CONFLICT (subscriber_id) DO UPDATE SET channels = $2, events = $3, active = true, updated_at = now()`,
      [s.id, s.channels, s.events, s.kind === 'marketplace' ? s.accountId : null],
    );
  }
  // Marketplace accounts are not configuration: a worker started before an account was connected
  // must not switch its subscriber off (its parcels' news would never be written). A disabled
  // account's is switched off instead.
  await pool.query(
    `UPDATE webhook_subscribers SET active = false, updated_at = now()
      WHERE active
        AND CASE WHEN left(subscriber_id, $2) = $3
                 THEN substr(subscriber_id, $2 + 1) IN (SELECT account_id FROM marketplace_accounts WHERE status = 'disabled')
                 ELSE NOT (subscriber_id = ANY ($1)) END`,
    [subscribers.map((s) => s.id), MARKETPLACE_SUBSCRIBER_PREFIX.length, MARKETPLACE_SUBSCRIBER_PREFIX],
  );
}

/**
 * A pending delivery `d` of event `e` is not held: the subscriber refused no earlier event of the
 * same order (a marketplace's refusal waits for ops, and that order's later news waits behind it).
 */
export const NOT_HELD = `NOT EXISTS (
  SELECT 1 FROM webhook_deliveries r JOIN outbound_events re ON re.event_id = r.event_id
   WHERE r.subscriber_id = d.subscriber_id AND r.status = 'refused' AND re.order_id = e.order_id)`;

/**
 * A connected marketplace account as an outbox subscriber (docs/design/marketplaces.md section 6):
 * hearing only its connector's channel and the events its marketplace acts on. A paused account is
 * still told: the pause stops its intake, not its parcels' news.
 */
export function marketplaceSubscriber(accountId: string, marketplace: string, connectors = MARKETPLACES): MarketplaceSubscriber {
  const connector = marketplaceConnector(marketplace, connectors);
  return {
    kind: 'marketplace',
    id: marketplaceSubscriberId(accountId),
    accountId,
    marketplace,
    channels: [connector.channel],
    events: connector.push.events,
    maxAttempts: MARKETPLACE_PUSH_ATTEMPTS,
  };
}

/** Every account that is not disabled, as workers start; one connected later is found by its id (the API makes its row). */
export async function marketplaceSubscribers(
  pool: Pool,
  connectors: readonly MarketplaceConnector[] = MARKETPLACES,
): Promise<MarketplaceSubscriber[]> {
  const { rows } = await pool.query<{ account_id: string; marketplace: string }>(
    `SELECT account_id, marketplace FROM marketplace_accounts WHERE status <> 'disabled' AND marketplace = ANY ($1) ORDER BY account_id`,
    [connectors.map((c) => c.name)],
  );
  return rows.map((r) => marketplaceSubscriber(r.account_id, r.marketplace, connectors));
}
