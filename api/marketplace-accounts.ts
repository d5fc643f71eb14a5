// Ops: the connected marketplace accounts (docs/design/marketplaces.md section 3). Each with its
// pull schedule as Temporal describes it (paused and its note, the last run and how it ended, the next one), the
// cursor and when a page last moved it, and its packages by state (unmappable ones wait for ops);
// pause and resume the intake; the pushbacks its marketplace refused, held for ops to retry or drop
// (section 6: the order's later events wait behind a refusal). The pause state is read from the schedule, not only the row, so a
// pause made in the Temporal UI shows too, and a difference between the two is reported.
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowNotFoundError,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import { Router } from 'express';
import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { text, type OrderStatus } from '../domain/order';
import { marketplaceSubscriberId, type OutboundEvent } from '../domain/webhooks';
import { commandsOf } from '../marketplaces/pushback';
import type { MarketplaceConnector } from '../marketplaces/connector';
import { MARKETPLACES, marketplaceConnector, type MarketplaceCredentials } from '../marketplaces/registry';
import { marketplacePullScheduleId, ORDER_TASK_QUEUE } from '../workflows/definitions';
import { ensureMarketplaceSchedule } from './marketplace-schedules';
import { inTransaction } from '../lib/transaction';
import { HttpError } from './errors';
import { parse } from './validation';

export const MarketplaceAccountParams = z.object({
  accountId: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be 1-64 characters of a-z 0-9 -'),
});
export const PauseBody = z.object({ reason: text(500) });
export const PushParams = MarketplaceAccountParams.extend({ eventId: z.uuid('must be the event id a refused push names') });
const ConnectBase = MarketplaceAccountParams.extend({
  /** The seller's id at the marketplace (Amazon: the selling partner id). */
  sellerRef: text(100),
  displayName: text(200),
});
/** By marketplace: each connector's own account settings (Amazon: marketplaceId, pageSize), so the contract shows them. */
const connectBodyOf = (c: MarketplaceConnector) => ConnectBase.extend({ marketplace: z.literal(c.name), settings: c.accountSettings });
type ConnectBodyOption = ReturnType<typeof connectBodyOf>;
export const ConnectAccountBody = z.discriminatedUnion(
  'marketplace',
  MARKETPLACES.map(connectBodyOf) as [ConnectBodyOption, ...ConnectBodyOption[]],
);

const subscriberOf = marketplaceSubscriberId;
type Queryable = Pick<PoolClient, 'query'>;

interface AccountRow {
  accountId: string;
  marketplace: string;
  displayName: string;
  status: 'active' | 'paused' | 'disabled';
  pausedReason: string | null;
  cursor: unknown;
  lastPageAt: Date | null;
  packages: Record<string, number>;
  refusedPushes: number;
  /** Packages taken (held for ops included) past the marketplace's ship-by whose parcel is not yet with its carrier. */
  lateToShip: number;
  failedPulls: number;
  lastPullError: string | null;
}

/** Order statuses before the carrier has the parcel: such an order past its ship-by is late to ship, and the marketplace scores it. */
const BEFORE_HANDOVER = (
  ['received', 'backordered', 'allocated', 'fulfilling', 'needs_attention', 'address_invalid', 'labelled'] satisfies OrderStatus[]
)
  .map((status) => `'${status}'`)
  .join(', ');

const ACCOUNTS = `
  SELECT a.account_id AS "accountId", a.marketplace, a.display_name AS "displayName", a.status, a.paused_reason AS "pausedReason",
         a.failed_pulls AS "failedPulls", a.last_pull_error AS "lastPullError",
         c.cursor, c.updated_at AS "lastPageAt",
         coalesce((SELECT jsonb_object_agg(state, n) FROM (SELECT state, count(*)::int AS n FROM marketplace_packages p
                    WHERE p.account_id = a.account_id GROUP BY state) s), '{}') AS packages,
         (SELECT count(*)::int FROM webhook_deliveries d WHERE d.subscriber_id = 'mkt-' || a.account_id AND d.status = 'refused') AS "refusedPushes",
         (SELECT count(*)::int FROM marketplace_packages p LEFT JOIN orders o ON o.order_id = p.order_id
           WHERE p.account_id = a.account_id AND p.state IN ('fetching', 'unmappable', 'seen', 'started') AND p.ship_by < now()
             AND (o.status IS NULL OR o.status IN (${BEFORE_HANDOVER}))) AS "lateToShip"
    FROM marketplace_accounts a LEFT JOIN marketplace_cursors c ON c.account_id = a.account_id`;

/** The schedule's state as ops read it; null when the account has none (disabled, or not yet made by a worker). */
async function scheduleOf(client: Client, accountId: string) {
  let described: ScheduleDescription;
  try {
    described = await client.schedule.getHandle(marketplacePullScheduleId(accountId)).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
  const last = described.info.recentActions.at(-1);
  return {
    scheduleId: described.scheduleId,
    paused: described.state.paused,
    note: described.state.note ?? null,
    lastRunAt: last?.takenAt ?? null,
    lastRunStatus: last ? await runStatus(client, last.action.workflow) : null,
    nextRunAt: described.info.nextActionTimes[0] ?? null,
    running: described.info.runningActions.length,
  };
}

/** How the schedule's last run ended (RUNNING, COMPLETED, FAILED, …): a pull that keeps failing shows here; null once Temporal forgot it. */
async function runStatus(client: Client, run: { workflowId: string; firstExecutionRunId: string }): Promise<string | null> {
  try {
    return (await client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

async function accountView(client: Client, row: AccountRow) {
  // A disabled account's schedule is deleted by the next worker start: none to ask about.
  const schedule = row.status === 'disabled' ? null : await scheduleOf(client, row.accountId);
  const { cursor, lastPageAt, ...account } = row;
  return {
    ...account,
    schedule,
    // The Temporal UI's pause button pauses the schedule only: the row then says otherwise.
    scheduleMismatch: schedule !== null && schedule.paused !== (row.status === 'paused'),
    lastPageAt,
    cursor,
  };
}

/**
 * The account a seller already has on this marketplace (and the same marketplace site, where the
 * settings name one: an Amazon seller sells on several): the packages it pulled hold their order
 * ids, so a second account of the same seller would pull them again and fail on every page.
 */
async function sellerAccount(
  db: Queryable,
  marketplace: string,
  sellerRef: string,
  settings: unknown,
): Promise<{ accountId: string } | undefined> {
  const { rows } = await db.query<{ accountId: string }>(
    `SELECT account_id AS "accountId" FROM marketplace_accounts
      WHERE marketplace = $1 AND seller_ref = $2 AND settings->>'marketplaceId' IS NOT DISTINCT FROM $3 ORDER BY account_id LIMIT 1`,
    [marketplace, sellerRef, (settings as { marketplaceId?: string }).marketplaceId ?? null],
  );
  return rows[0];
}

/** A repeated POST: the account is connected with these very details. */
async function sameAccount(
  db: Queryable,
  body: { accountId: string; marketplace: string; sellerRef: string; displayName: string },
  settings: unknown,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM marketplace_accounts
      WHERE account_id = $1 AND marketplace = $2 AND seller_ref = $3 AND display_name = $4 AND settings = $5::jsonb AND status <> 'disabled'`,
    [body.accountId, body.marketplace, body.sellerRef, body.displayName, JSON.stringify(settings)],
  );
  return rowCount === 1;
}

export function marketplaceAccountsRouter({
  client,
  pool,
  taskQueue = ORDER_TASK_QUEUE,
  credentials,
}: {
  client: Client;
  pool: Pool;
  /** Where the pull schedules start their runs: the workers' order queue. */
  taskQueue?: string;
  /** When given (production), the credentials an account must have before it is connected. */
  credentials?: MarketplaceCredentials;
}): Router {
  const router = Router();

  async function account(accountId: string): Promise<AccountRow> {
    const { rows } = await pool.query<AccountRow>(`${ACCOUNTS} WHERE a.account_id = $1`, [accountId]);
    if (!rows[0]) throw new HttpError(404, 'account_not_found', `no marketplace account ${accountId}`);
    if (rows[0].status === 'disabled') throw new HttpError(409, 'account_disabled', `${accountId} is disabled`);
    return rows[0];
  }

  /** The row first, so a worker starting meanwhile makes the schedule in the new state; then the schedule, if there is one yet. */
  async function setPaused(accountId: string, reason: string | null): Promise<void> {
    await pool.query('UPDATE marketplace_accounts SET status = $2, paused_reason = $3 WHERE account_id = $1', [
      accountId,
      reason === null ? 'active' : 'paused',
      reason,
    ]);
    const handle = client.schedule.getHandle(marketplacePullScheduleId(accountId));
    try {
      await (reason === null ? handle.unpause('resumed through the API') : handle.pause(reason));
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }

  router.get('/', async (_req, res) => {
    const { rows } = await pool.query<AccountRow>(`${ACCOUNTS} ORDER BY a.account_id`);
    res.json({ accounts: await Promise.all(rows.map((row) => accountView(client, row))) });
  });

  /**
   * Connects a seller account: its row, its outbox subscriber (so its orders' news is kept from now
   * on) and its pull schedule, made here: the running workers take it up. Credentials stay in
   * MARKETPLACE_CREDENTIALS under the account id, read by the processes when they start: in
   * production they must be deployed first (the sandbox's defaults would apply otherwise).
   * Repeating the same request answers the same (a retry after a failure makes what was missing);
   * a disconnected account is connected again under its id: a seller has one account, whose
   * packages keep their order ids.
   */
  router.post('/', async (req, res) => {
    const { settings, ...body } = parse(ConnectAccountBody, req.body);
    const connector = marketplaceConnector(body.marketplace);
    if (credentials && !credentials[body.accountId]) {
      const message = `no credentials under ${body.accountId} in MARKETPLACE_CREDENTIALS: deploy them to the workers and the API first`;
      throw new HttpError(422, 'credentials_missing', message, { issues: [{ path: 'accountId', message }] });
    }
    const created = await inTransaction(pool, async (db) => {
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`marketplace-seller:${body.marketplace}:${body.sellerRef}`]);
      const seller = await sellerAccount(db, body.marketplace, body.sellerRef, settings);
      if (seller && seller.accountId !== body.accountId)
        throw new HttpError(
          409,
          'seller_connected',
          `${body.marketplace} seller ${body.sellerRef} is account ${seller.accountId}: connect it under that id`,
        );
      const { rows } = await db.query<{ inserted: boolean }>(
        `INSERT INTO marketplace_accounts (account_id, marketplace, seller_ref, display_name, settings) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (account_id) DO UPDATE SET display_name = $4, settings = $5, status = 'active', paused_reason = NULL
           WHERE marketplace_accounts.status = 'disabled' AND marketplace_accounts.marketplace = $2 AND marketplace_accounts.seller_ref = $3
         RETURNING (xmax = 0) AS inserted`,
        [body.accountId, body.marketplace, body.sellerRef, body.displayName, JSON.stringify(settings)],
      );
      if (!rows[0] && !(await sameAccount(db, body, settings)))
        throw new HttpError(409, 'account_exists', `${body.accountId} is already connected, with other details`);
      await db.query(
        `INSERT INTO webhook_subscribers (subscriber_id, channels, events) VALUES ($1, $2, $3)
         ON CONFLICT (subscriber_id) DO UPDATE SET channels = $2, events = $3, active = true, updated_at = now()`,
        [subscriberOf(body.accountId), [connector.channel], connector.push.events],
      );
      return rows[0]?.inserted === true;
    });
    const row = await account(body.accountId);
    await ensureMarketplaceSchedule(
      client,
      { account_id: body.accountId, marketplace: body.marketplace, paused: row.status === 'paused', paused_reason: row.pausedReason },
      { taskQueue },
    );
    res.status(created ? 201 : 200).json(await accountView(client, row));
  });

  /**
   * Disconnects: no more pulls or pushes; its packages, orders and undelivered news stay for the
   * record. Repeating it answers the same (a retry after a failure deletes what was left).
   */
  router.delete('/:accountId', async (req, res) => {
    const { accountId } = parse(MarketplaceAccountParams, req.params, 'path');
    await inTransaction(pool, async (db) => {
      const { rowCount } = await db.query(`UPDATE marketplace_accounts SET status = 'disabled' WHERE account_id = $1`, [accountId]);
      if (!rowCount) throw new HttpError(404, 'account_not_found', `no marketplace account ${accountId}`);
      await db.query('UPDATE webhook_subscribers SET active = false, updated_at = now() WHERE subscriber_id = $1', [
        subscriberOf(accountId),
      ]);
    });
    await client.schedule
      .getHandle(marketplacePullScheduleId(accountId))
      .delete()
      .catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
    res.json({ accountId, status: 'disabled' });
  });

  router.post('/:accountId/pause', async (req, res) => {
    const { accountId } = parse(MarketplaceAccountParams, req.params, 'path');
    const { reason } = parse(PauseBody, req.body, 'body');
    await account(accountId);
    await setPaused(accountId, reason);
    res.json(await accountView(client, await account(accountId)));
  });

  router.post('/:accountId/resume', async (req, res) => {
    const { accountId } = parse(MarketplaceAccountParams, req.params, 'path');
    await account(accountId);
    await setPaused(accountId, null);
    res.json(await accountView(client, await account(accountId)));
  });

  /** Ops (or a demo) do not wait for the next tick: the schedule runs a pull now, skipped if one is running. */
  router.post('/:accountId/pull', async (req, res) => {
    const { accountId } = parse(MarketplaceAccountParams, req.params, 'path');
    const row = await account(accountId);
    if (row.status === 'paused') throw new HttpError(409, 'account_paused', `${accountId} is paused: resume it first`);
    try {
      await client.schedule.getHandle(marketplacePullScheduleId(accountId)).trigger(ScheduleOverlapPolicy.SKIP);
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      throw new HttpError(409, 'no_schedule', `${accountId} has no pull schedule yet: a worker makes it when it starts`);
    }
    res.status(202).json({ accountId, scheduleId: marketplacePullScheduleId(accountId) });
  });

  router.get('/:accountId/pushes', async (req, res) => {
    const { accountId } = parse(MarketplaceAccountParams, req.params, 'path');
    await account(accountId);
    const refused = await pool.query(
      `SELECT d.event_id AS "eventId", e.order_id AS "orderId", e.data->>'shipmentId' AS "shipmentId", e.type, d.last_error AS reason,
              d.attempts, e.occurred_at AS "occurredAt"
         FROM webhook_deliveries d JOIN outbound_events e ON e.event_id = d.event_id
        WHERE d.subscriber_id = $1 AND d.status = 'refused' ORDER BY d.seq`,
      [subscriberOf(accountId)],
    );
    const pushed = await pool.query(
      `SELECT package_id AS "packageId", shipment_id AS "shipmentId", command, settled, event_id AS "eventId", pushed_at AS "pushedAt"
         FROM marketplace_pushes WHERE account_id = $1 ORDER BY pushed_at DESC LIMIT 100`,
      [accountId],
    );
    res.json({ refused: refused.rows, pushed: pushed.rows });
  });

  /**
   * Ops settle a refused push: `retry` puts it back in line (after fixing what the marketplace
   * objected to), `drop` gives it up; either way the order's events behind it go on, and its alert is resolved.
   */
  for (const [action, status] of [
    ['retry', 'pending'],
    ['drop', 'dropped'],
  ] as const) {
    router.post(`/:accountId/pushes/:eventId/${action}`, async (req, res) => {
      const { accountId, eventId } = parse(PushParams, req.params, 'path');
      await account(accountId);
      const { rows } = await pool.query<{ status: string; orderId: string; shipmentId: string | null; event: OutboundEvent }>(
        `SELECT d.status, e.order_id AS "orderId", e.data->>'shipmentId' AS "shipmentId",
                json_build_object('id', e.event_id, 'type', e.type, 'occurredAt', e.occurred_at, 'data', e.data) AS event
           FROM webhook_deliveries d JOIN outbound_events e ON e.event_id = d.event_id WHERE d.subscriber_id = $1 AND d.event_id = $2`,
        [subscriberOf(accountId), eventId],
      );
      if (!rows[0]) throw new HttpError(404, 'push_not_found', `${accountId} has no push of event ${eventId}`);
      if (rows[0].status !== 'refused')
        throw new HttpError(409, 'push_not_refused', `the push of event ${eventId} is ${rows[0].status}, not refused`);
      const { orderId, shipmentId } = rows[0];
      const settled = await inTransaction(pool, async (db) => {
        const { rowCount } = await db.query(
          `UPDATE webhook_deliveries SET status = $3 WHERE subscriber_id = $1 AND event_id = $2 AND status = 'refused'`,
          [subscriberOf(accountId), eventId, status],
        );
        if (!rowCount) return false; // settled by another call meanwhile
        // Dropped: the parcel counts as told what the event tells (by hand, or never to be), so later events do not ask again.
        if (status === 'dropped' && shipmentId)
          await db.query(
            `INSERT INTO marketplace_pushes (account_id, package_id, shipment_id, command, event_id, settled)
             SELECT account_id, package_id, $3, command, $4, 'dropped' FROM marketplace_packages, unnest($5::text[]) AS command
              WHERE account_id = $1 AND order_id = $2
             ON CONFLICT DO NOTHING`,
            [accountId, orderId, shipmentId, eventId, commandsOf(rows[0].event)],
          );
        await db.query(
          `UPDATE ops_alerts SET resolved_at = now() WHERE shipment_id = $1 AND kind = 'marketplace_push_refused' AND resolved_at IS NULL`,
          [shipmentId ?? `order:${orderId}`],
        );
        return true;
      });
      if (!settled) throw new HttpError(409, 'push_not_refused', `the push of event ${eventId} was settled meanwhile`);
      await pool.query(`SELECT pg_notify('outbound_events', $1)`, [orderId]); // the outbox pump wakes the account's dispatcher
      res.json({ eventId, orderId, status });
    });
  }

  return router;
}
