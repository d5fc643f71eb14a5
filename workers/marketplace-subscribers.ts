// Each connected marketplace account as an outbox subscriber (docs/design/marketplaces.md section
// 6): mkt-<accountId>, hearing only its connector's channel and the events its marketplace acts on.
// Read at worker start, like the accounts' schedules: an account connected later pushes once the
// workers restart, which also make its schedule: its orders come no earlier than its pushes can go. A paused account is still told: the pause stops its intake, not its parcels' news.
import type { Pool } from 'pg';
import { MARKETPLACE_SUBSCRIBER_PREFIX } from '../activities/webhooks/subscribers';
import type { MarketplaceSubscriber } from '../domain/webhooks';
import type { MarketplaceConnector } from '../marketplaces/connector';
import { MARKETPLACES } from '../marketplaces/registry';

/** Tries of one push (backoff from 1 s, capped at 5 minutes: about an hour and a half) before the account's pushes pause for ops. */
const MAX_ATTEMPTS = 25;

export const marketplaceSubscriberId = (accountId: string) => `${MARKETPLACE_SUBSCRIBER_PREFIX}${accountId}`;

export async function marketplaceSubscribers(
  pool: Pool,
  connectors: readonly MarketplaceConnector[] = MARKETPLACES,
): Promise<MarketplaceSubscriber[]> {
  const { rows } = await pool.query<{ account_id: string; marketplace: string }>(
    `SELECT account_id, marketplace FROM marketplace_accounts WHERE status <> 'disabled' AND marketplace = ANY ($1) ORDER BY account_id`,
    [connectors.map((c) => c.name)],
  );
  return rows.map(({ account_id: accountId, marketplace }) => {
    const connector = connectors.find((c) => c.name === marketplace)!;
    return {
      kind: 'marketplace',
      id: marketplaceSubscriberId(accountId),
      accountId,
      marketplace,
      channels: [connector.channel],
      events: connector.push.events,
      maxAttempts: MAX_ATTEMPTS,
    };
  });
}
