// The Temporal Schedule of each connected marketplace account (docs/design/marketplaces.md section
// 3): `marketplace-pull-<accountId>`, every connector's interval, starting marketplacePullWorkflow
// under the schedule's own id. Overlap SKIP: each run reads from the durable cursor to now, so a
// skipped tick loses nothing (BUFFER_ONE would spend the next tick's rate budget early, ALLOW_ALL
// race two runs on one cursor). Catch-up 15 minutes: one run after a short server gap; after a
// longer one the first regular tick catches up the same.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger';
import type { MarketplaceConnector } from '../marketplaces/connector';
import { MARKETPLACES, marketplaceConnector } from '../marketplaces/registry';
import { marketplacePullScheduleId, type MarketplacePullInput } from '../workflows/definitions';

export const MARKETPLACE_CATCHUP_WINDOW = '15 minutes';

interface AccountRow {
  account_id: string;
  marketplace: string;
  status: 'active' | 'paused' | 'disabled';
  paused_reason: string | null;
}

/** Creates one account's schedule unless it exists (paused when the account is: a restart never unpauses it). */
export async function ensureMarketplaceSchedule(
  client: Client,
  account: Omit<AccountRow, 'status'> & { paused: boolean },
  { taskQueue, connectors = MARKETPLACES }: { taskQueue: string; connectors?: readonly MarketplaceConnector[] },
): Promise<boolean> {
  const { pull } = marketplaceConnector(account.marketplace, connectors);
  const scheduleId = marketplacePullScheduleId(account.account_id);
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: pull.every }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'marketplacePullWorkflow', // by name: the API does not load workflow code
        args: [
          {
            accountId: account.account_id,
            marketplace: account.marketplace,
            pagesPerRun: pull.pagesPerRun,
            pagesAtOnce: pull.pagesAtOnce,
            pageSpacing: pull.pageSpacing,
            detailsPerRun: pull.detailsPerRun,
          } satisfies MarketplacePullInput,
        ],
        taskQueue,
        workflowId: scheduleId,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: MARKETPLACE_CATCHUP_WINDOW },
      state: account.paused ? { paused: true, note: account.paused_reason ?? 'paused' } : {},
    });
    return true;
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    return false;
  }
}

/** Every worker process calls this at start-up: a schedule for each active or paused account, none for a disabled one. */
export async function ensureMarketplaceSchedules(
  client: Client,
  pool: Pool,
  { taskQueue, logger, connectors = MARKETPLACES }: { taskQueue: string; logger: Logger; connectors?: readonly MarketplaceConnector[] },
): Promise<void> {
  const { rows } = await pool.query<AccountRow>('SELECT account_id, marketplace, status, paused_reason FROM marketplace_accounts');
  for (const account of rows) {
    if (account.status === 'disabled') {
      await client.schedule
        .getHandle(marketplacePullScheduleId(account.account_id))
        .delete()
        .catch((err: unknown) => {
          if (!(err instanceof ScheduleNotFoundError)) throw err;
        });
      continue;
    }
    const created = await ensureMarketplaceSchedule(client, { ...account, paused: account.status === 'paused' }, { taskQueue, connectors });
    if (created) logger.info({ accountId: account.account_id }, 'marketplace pull schedule created');
  }
}
