// Marketplace intake's side effects (docs/design/marketplaces.md section 4), run by
// workflows/marketplace-pull.ts on the marketplace's own queue:
// - pullMarketplacePage: one page of the listing from the account's cursor; its packages and the
//   next cursor written in one transaction, so a crash before the commit repeats the page and one
//   after never reads it again. A package the engine takes waits there for its details (fetching).
// - fetchPackageDetails: one such package's lines and address (Amazon allows these calls per order
//   at 0.5 a second: the queue's limit paces them, a 429 retries this package alone), then its
//   mapping into our order input, stored once; what cannot be mapped is held, its field named.
// - startMarketplaceOrders: maps again what was unmappable (ops may have added the SKU since), then
//   starts each mapped package's order exactly as POST /v1/orders does, under its deterministic id
//   (amz-<AmazonOrderId>), so overlaps, retries and crashes start one order per package.
import { Context } from '@temporalio/activity';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool, PoolClient } from 'pg';
import type { OrderStart } from '../domain/order';
import type { MarketplaceShipping, TrackingEvent } from '../domain/shipment';
import { parcelWorkflowId } from '../lib/parcels';
import type { Logger } from '../lib/logger';
import { inTransaction } from '../lib/transaction';
import {
  MarketplacePackageSchema,
  type Cursor,
  type MarketplaceAdapter,
  type MarketplacePackage,
  type PackageDetails,
} from '../marketplaces/adapter';
import type { MarketplaceAccount } from '../marketplaces/connector';
import { toOrderInput } from '../marketplaces/mapping';
import { marketplaceConnector } from '../marketplaces/registry';
import {
  cancelUpdate,
  marketplaceReassignedSignal,
  orderWorkflowId,
  shipmentWorkflowId,
  trackingEventSignal,
} from '../workflows/definitions';

export interface MarketplaceActivityDeps {
  pool: Pool;
  logger: Logger;
  /** An account's adapter (marketplaces/registry.ts with MARKETPLACE_CREDENTIALS, or a test's). */
  adapterOf: (account: MarketplaceAccount) => MarketplaceAdapter;
  /** Starts an order as POST /v1/orders does (api/order-start.ts, wired in by workers/): created, or the same body already there. */
  startOrder: (client: Client, order: OrderStart) => Promise<{ created: boolean }>;
  /** How long asking an order to cancel waits for its answer (a minute unless given). */
  cancelWaitMs?: number;
}

export interface PullPageResult {
  packages: number;
  more: boolean;
  /** Started orders the marketplace has cancelled, waiting to be cancelled here (cancelMarketplaceOrders). */
  cancels?: number;
}

export interface CancelOrdersResult {
  /** The order cancelled, the parcel was already with its carrier, the order had ended. */
  cancelled: number;
  tooLate: number;
  ended: number;
  /** Orders still cancelling when the wait ended: asked again by the next run. */
  stillCancelling: number;
}

export interface StartOrdersResult {
  started: number;
  /** Orders that were already there (a retry, an overlapping run): nothing started twice. */
  duplicates: number;
  unmappable: number;
}

type Queryable = Pick<PoolClient, 'query'>;

/** Which count of CancelOrdersResult each outcome adds to. */
const COUNTED = { cancelled: 'cancelled', too_late: 'tooLate', ended: 'ended', still_cancelling: 'stillCancelling' } as const;

/** How long one ask waits for the order's answer by default. */
const CANCEL_WAIT_MS = 60_000;

type CancelOutcome = { outcome: 'cancelled' | 'ended' | 'still_cancelling' } | { outcome: 'too_late'; why: string };

/**
 * Asks the order to cancel and waits for its answer: cancelled; refused, or lost to the pick-up
 * scan meanwhile (its parcel is with the carrier); the order had already ended (or ended
 * cancelled by this very ask, answered before a retry); or still cancelling when the wait ends
 * (its carrier cannot void yet): the next pull asks again under the same update id, and reads
 * the answer.
 */
async function cancelOrder(
  client: Client,
  pool: Pool,
  waitMs: number,
  { package_id: packageId, order_id: orderId, marketplace }: { package_id: string; order_id: string; marketplace: string },
): Promise<CancelOutcome> {
  try {
    const status = await client.withDeadline(Date.now() + waitMs, () =>
      client.workflow.getHandle(orderWorkflowId(orderId)).executeUpdate(cancelUpdate, {
        args: [{ reason: `cancelled on ${marketplace}` }],
        updateId: `marketplace-cancel-${packageId}`, // asked once, whatever the retries and runs
      }),
    );
    return status === 'cancelled'
      ? { outcome: 'cancelled' }
      : { outcome: 'too_late', why: `its parcel was picked up meanwhile (${status})` };
  } catch (err) {
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return { outcome: 'still_cancelling' };
    if (err instanceof WorkflowUpdateFailedError) return { outcome: 'too_late', why: err.cause?.message ?? err.message };
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    const { rows } = await pool.query<{ status: string }>('SELECT status FROM orders WHERE order_id = $1', [orderId]);
    return { outcome: rows[0]?.status === 'cancelled' ? 'cancelled' : 'ended' };
  }
}

/**
 * Failed attempts at a package's details before ops are alerted: three runs' every attempt (five
 * each, workflows/marketplace-pull.ts), so a burst of 429s or a short outage alerts no one.
 */
export const DETAILS_FAILURES_ALERTED = 15;
/** Failed runs in a row before ops are alerted: one or two are an outage the schedule rides out. */
export const PULL_FAILURES_ALERTED = 3;
/** ops_alerts is keyed by parcel; an account's alert takes the account's key. */
const accountAlertKey = (accountId: string) => `account:${accountId}`;
type Assigned = MarketplacePackage['assigned'];
type Account = MarketplaceAccount & { orderId: (packageId: string) => string; channel: string; status: AccountStatus };
type AccountStatus = 'active' | 'paused' | 'disabled';
interface PackageRow {
  state: string;
  package: unknown;
  order_input: OrderStart | null;
}

export async function accountOf(db: Queryable, accountId: string): Promise<Account> {
  const { rows } = await db.query<MarketplaceAccount & { status: AccountStatus }>(
    `SELECT account_id AS "accountId", marketplace, seller_ref AS "sellerRef", settings, status FROM marketplace_accounts WHERE account_id = $1`,
    [accountId],
  );
  if (!rows[0]) throw ApplicationFailure.nonRetryable(`no marketplace account ${accountId}`, 'MarketplaceAccountUnknown');
  const connector = marketplaceConnector(rows[0].marketplace);
  return { ...rows[0], orderId: (packageId) => connector.orderId(rows[0], packageId), channel: connector.channel };
}

async function packageRow(db: Queryable, accountId: string, packageId: string): Promise<PackageRow | undefined> {
  const { rows } = await db.query<PackageRow>(
    'SELECT state, package, order_input FROM marketplace_packages WHERE account_id = $1 AND package_id = $2 FOR UPDATE',
    [accountId, packageId],
  );
  return rows[0];
}

/** Our SKU for each marketplace SKU: the account's SKU map first, else the marketplace SKU when it is a product. */
async function skuResolver(db: Queryable, accountId: string, pkg: MarketplacePackage): Promise<(sku: string) => string | undefined> {
  const skus = pkg.lines.map((l) => l.marketplaceSku);
  const mapped = await db.query<{ marketplace_sku: string; sku: string }>(
    'SELECT marketplace_sku, sku FROM marketplace_sku_map WHERE account_id = $1 AND marketplace_sku = ANY($2)',
    [accountId, skus],
  );
  const products = await db.query<{ sku: string }>('SELECT sku FROM products WHERE sku = ANY($1)', [skus]);
  const map = new Map(mapped.rows.map((r) => [r.marketplace_sku, r.sku]));
  const known = new Set(products.rows.map((r) => r.sku));
  return (sku) => map.get(sku) ?? (known.has(sku) ? sku : undefined);
}

/**
 * A line of the package that another package of ours already holds, its order started and not cancelled: the
 * marketplace re-packed or split what we are shipping (Hepsiburada's unpack, Trendyol's split).
 * Starting it too would ship the goods twice; ops decide which goes.
 */
async function lineShippedElsewhere(db: Queryable, accountId: string, pkg: MarketplacePackage) {
  const { rows } = await db.query<{ line_id: string; package_id: string; order_id: string }>(
    `SELECT l.line_id, p.package_id, p.order_id FROM marketplace_package_lines l
       JOIN marketplace_packages p ON p.account_id = l.account_id AND p.package_id = l.package_id
       LEFT JOIN orders o ON o.order_id = p.order_id
      WHERE l.account_id = $1 AND l.line_id = ANY ($2) AND l.package_id <> $3
        AND p.state = 'started' AND o.status IS DISTINCT FROM 'cancelled'
      ORDER BY l.line_id LIMIT 1`,
    [accountId, pkg.lines.map((l) => l.lineId), pkg.packageId],
  );
  if (!rows[0]) return undefined;
  const index = pkg.lines.findIndex((l) => l.lineId === rows[0].line_id);
  return {
    field: `lines.${index}.lineId`,
    reason: `line ${rows[0].line_id} is already being shipped in package ${rows[0].package_id} (order ${rows[0].order_id}): re-packed or split at the marketplace; cancel one of the two orders, then start this one again`,
  };
}

/** A package with its details, mapped: `seen` with its order body, or `unmappable` with the field named; its lines recorded for pushbacks. */
async function mapPackage(db: Queryable, account: Account, pkg: MarketplacePackage): Promise<void> {
  const skuOf = await skuResolver(db, account.accountId, pkg);
  const mapped = toOrderInput(pkg, { orderId: account.orderId(pkg.packageId), account, channel: account.channel, skuOf });
  const attention = (await lineShippedElsewhere(db, account.accountId, pkg)) ?? ('unmappable' in mapped ? mapped.unmappable : undefined);
  await db.query(
    `UPDATE marketplace_packages SET state = $3, order_input = $4, attention_field = $5, attention_reason = $6, package = $7
      WHERE account_id = $1 AND package_id = $2`,
    [
      account.accountId,
      pkg.packageId,
      attention ? 'unmappable' : 'seen',
      'order' in mapped && !attention ? JSON.stringify(mapped.order) : null,
      attention?.field ?? null,
      attention?.reason ?? null,
      JSON.stringify(pkg),
    ],
  );
  for (const line of pkg.lines) {
    await db.query(
      `INSERT INTO marketplace_package_lines (account_id, package_id, line_id, marketplace_sku, quantity)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [account.accountId, pkg.packageId, line.lineId, line.marketplaceSku, line.quantity],
    );
  }
}

/** States that hold a package's details (its lines and address, and its order body once mapped). */
const DETAILED = ['seen', 'unmappable', 'started'];
const pickDetails = ({ lines, shipTo }: MarketplacePackage) => ({ lines, shipTo });

/** A package's state after a sighting: started stays started; one the marketplace still has us take keeps what its details made of it. */
function stateAfter(current: string | undefined, intake: MarketplacePackage['intake']): string {
  if (current === 'started') return 'started';
  if (intake === 'wait') return 'waiting';
  if (intake === 'skip') return 'skipped';
  return current && DETAILED.includes(current) ? current : 'fetching';
}

/**
 * A package from a listing. Its details and order body, once read, are kept: a later sighting
 * changes only its status (cancels of started packages are a later slice's). A package the engine
 * takes and has no details of waits for them (fetching).
 */
async function savePackage(db: Queryable, account: Account, pkg: MarketplacePackage): Promise<void> {
  const row = await packageRow(db, account.accountId, pkg.packageId);
  const detailed = row !== undefined && DETAILED.includes(row.state);
  const kept = detailed ? { ...pkg, ...pickDetails(MarketplacePackageSchema.parse(row.package)) } : pkg;
  const next = stateAfter(row?.state, pkg.intake);
  if (row) {
    // An UPDATE, not an upsert: PostgreSQL checks an upsert's proposed row (no order body, no
    // attention field) before it finds the conflict, so a started package listed again broke the pull.
    await db.query(
      `UPDATE marketplace_packages SET status = $3, state = $4, ship_by = $5, package = $6, last_modified = $7, last_seen_at = now(),
         attention_field = CASE WHEN $4 = 'unmappable' THEN attention_field END,
         attention_reason = CASE WHEN $4 = 'unmappable' THEN attention_reason END
       WHERE account_id = $1 AND package_id = $2`,
      [account.accountId, pkg.packageId, pkg.status, next, pkg.shipBy ?? null, JSON.stringify(kept), pkg.lastModified],
    );
    return;
  }
  // New: a run racing this one on the same page may have inserted it first, with the same reading.
  await db.query(
    `INSERT INTO marketplace_packages (account_id, package_id, order_id, marketplace_order_id, status, state, ship_by, package, last_modified)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (account_id, package_id) DO NOTHING`,
    [
      account.accountId,
      pkg.packageId,
      account.orderId(pkg.packageId),
      pkg.orderNumber,
      pkg.status,
      next,
      pkg.shipBy ?? null,
      JSON.stringify(kept),
      pkg.lastModified,
    ],
  );
}

/** The next cursor, written only over the one this page started from: a racing run that moved it first wins. */
async function saveCursor(db: Queryable, accountId: string, read: { version: number } | undefined, next: Cursor): Promise<boolean> {
  const { rowCount } = read
    ? await db.query(
        'UPDATE marketplace_cursors SET cursor = $2, version = version + 1, updated_at = now() WHERE account_id = $1 AND version = $3',
        [accountId, JSON.stringify(next), read.version],
      )
    : await db.query('INSERT INTO marketplace_cursors (account_id, cursor) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        accountId,
        JSON.stringify(next),
      ]);
  return rowCount === 1;
}

export function createMarketplaceActivities({
  pool,
  logger,
  adapterOf,
  startOrder,
  cancelWaitMs = CANCEL_WAIT_MS,
}: MarketplaceActivityDeps) {
  /** Starts one mapped package's order; an id already used by another body holds the package for ops. */
  async function startOne(accountId: string, packageId: string, order: OrderStart): Promise<'started' | 'duplicate' | 'conflict'> {
    let outcome: 'started' | 'duplicate' | 'conflict';
    try {
      outcome = (await startOrder(Context.current().client, order)).created ? 'started' : 'duplicate';
    } catch (err) {
      if ((err as { status?: number }).status !== 409) throw err;
      outcome = 'conflict';
    }
    await pool.query(
      outcome === 'conflict'
        ? `UPDATE marketplace_packages SET state = 'unmappable', attention_field = 'orderId',
             attention_reason = 'an order with this id exists with a different body' WHERE account_id = $1 AND package_id = $2`
        : `UPDATE marketplace_packages SET state = 'started' WHERE account_id = $1 AND package_id = $2`,
      [accountId, packageId],
    );
    return outcome;
  }

  async function cancelsWaiting(accountId: string): Promise<number> {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM marketplace_packages
        WHERE account_id = $1 AND state = 'started' AND cancel_outcome IS NULL AND (package ->> 'cancelled')::boolean`,
      [accountId],
    );
    return rows[0].n;
  }

  /** The parcel is with the carrier: somebody must intercept it or take the return. */
  async function cancelTooLate(row: { order_id: string; marketplace: string }, why: string): Promise<void> {
    const message = `${row.marketplace} cancelled order ${row.order_id}, but ${why}: intercept the parcel with the carrier if it is on its way, or take it back as a return`;
    await pool.query(
      `INSERT INTO ops_alerts (shipment_id, kind, order_id, message) VALUES ($1, 'marketplace_cancel_too_late', $2, $3)
       ON CONFLICT (shipment_id, kind) DO NOTHING`,
      [`order:${row.order_id}`, row.order_id, message],
    );
    logger.warn(
      { kind: 'marketplace_cancel_too_late', orderId: row.order_id, marketplace: row.marketplace },
      'ops alert: a marketplace cancel came too late',
    );
  }

  /** What the ask gave; an order still cancelling is only stamped, to be asked after the others next run. */
  async function recordCancel(
    accountId: string,
    row: { package_id: string; order_id: string; marketplace: string },
    outcome: CancelOutcome,
  ) {
    await pool.query(
      `UPDATE marketplace_packages
          SET cancel_asked_at = now(),
              cancel_outcome = CASE WHEN $3 = 'still_cancelling' THEN NULL ELSE $3 END,
              cancel_outcome_at = CASE WHEN $3 = 'still_cancelling' THEN NULL ELSE now() END
        WHERE account_id = $1 AND package_id = $2`,
      [accountId, row.package_id, outcome.outcome],
    );
    if (outcome.outcome === 'too_late') await cancelTooLate(row, outcome.why);
  }

  /**
   * A package's details failed (each attempt counts): the next runs ask the others first, so a few
   * such packages never hold up every newer one; from DETAILS_FAILURES_ALERTED on, ops are told.
   */
  async function detailsFailed(account: Account, packageId: string, err: Error): Promise<void> {
    const reason = err.message.slice(0, 500);
    const { rows } = await pool.query<{ details_failures: number; order_id: string }>(
      `UPDATE marketplace_packages SET details_failures = details_failures + 1, last_details_error = $3
        WHERE account_id = $1 AND package_id = $2 RETURNING details_failures, order_id`,
      [account.accountId, packageId, reason],
    );
    if ((rows[0]?.details_failures ?? 0) < DETAILS_FAILURES_ALERTED) return;
    const message = `${account.marketplace} package ${packageId} of ${account.accountId}: its details failed ${rows[0].details_failures} times; the last: ${reason}`;
    await pool.query(
      `INSERT INTO ops_alerts (shipment_id, kind, order_id, message) VALUES ($1, 'marketplace_details_failing', $2, $3)
       ON CONFLICT (shipment_id, kind) DO UPDATE SET message = $3, resolved_at = NULL`,
      [`package:${account.accountId}:${packageId}`, rows[0].order_id, message],
    );
    logger.warn(
      { kind: 'marketplace_details_failing', accountId: account.accountId, packageId },
      "ops alert: a package's details keep failing",
    );
  }

  /** A disconnected account's run (its schedule outlived the DELETE, or was already running) reads and starts nothing. */
  function disconnected(account: Account): boolean {
    if (account.status !== 'disabled') return false;
    logger.info({ accountId: account.accountId }, 'marketplace account disconnected: nothing pulled');
    return true;
  }

  /** A page read: the failure count starts again, and an alert about it is resolved. */
  async function pullsRecovered(accountId: string): Promise<void> {
    const { rowCount } = await pool.query(
      'UPDATE marketplace_accounts SET failed_pulls = 0, last_pull_error = NULL WHERE account_id = $1 AND failed_pulls > 0',
      [accountId],
    );
    if (!rowCount) return;
    await pool.query(
      `UPDATE ops_alerts SET resolved_at = now() WHERE shipment_id = $1 AND kind = 'marketplace_pull_failing' AND resolved_at IS NULL`,
      [accountAlertKey(accountId)],
    );
  }

  /**
   * What the marketplace shows of parcels on its own contract, which it follows: a started package
   * listed in a tracking status goes to its parcel as a scan, and one listed with another carrier or
   * tracking number than stored moves its parcel there. Both before the page is stored: a crash
   * between the two sends them again, and the parcel drops what it already has (a scan by its id, a
   * move to where it is).
   */
  async function passContractNewsOn(account: Account, packages: MarketplacePackage[]): Promise<void> {
    const listed = packages.filter((pkg) => pkg.assigned);
    if (listed.length === 0) return;
    type Row = { package_id: string; order_id: string; status: string; assigned: Assigned; started: MarketplaceShipping };
    const { rows } = await pool.query<Row>(
      `SELECT package_id, order_id, status, package -> 'assigned' AS assigned, order_input -> 'marketplaceShipping' AS started
         FROM marketplace_packages
        WHERE account_id = $1 AND package_id = ANY ($2) AND state = 'started' AND order_input ? 'marketplaceShipping'`,
      [account.accountId, listed.map((pkg) => pkg.packageId)],
    );
    for (const row of rows) {
      const pkg = listed.find((p) => p.packageId === row.package_id)!;
      const { carrierCode, trackingNumber } = pkg.assigned!;
      const parcel = Context.current().client.workflow.getHandle(await parcelWorkflowId(pool, shipmentWorkflowId(row.order_id, 1)));
      // Against what the order started with too: a move between the mapping and the start is stored only in the package.
      const moved = [row.assigned, { carrierCode: row.started.carrier, trackingNumber: row.started.trackingNumber }].some(
        (known) => carrierCode !== known?.carrierCode || trackingNumber !== known?.trackingNumber,
      );
      if (moved)
        await reassign(account, row.order_id, pkg, () =>
          parcel.signal(marketplaceReassignedSignal, { carrier: carrierCode, trackingNumber }),
        );
      if (!pkg.tracking || (pkg.status === row.status && !moved)) continue; // told when first listed so
      const scan: TrackingEvent = {
        eventId: `${account.marketplace}:${pkg.packageId}:${pkg.status}`,
        trackingNumber,
        status: pkg.tracking,
        occurredAt: pkg.lastModified,
        rawCode: pkg.status,
      };
      await toParcel(() => parcel.signal(trackingEventSignal, scan));
    }
  }

  /**
   * A move goes to the parcel, which takes the new carrier and number (and the new label where it
   * can). To a carrier not ours, ops are told besides: no label, handover list or tracking of ours
   * can follow it.
   */
  async function reassign(account: Account, orderId: string, pkg: MarketplacePackage, signal: () => Promise<void>): Promise<void> {
    await toParcel(signal);
    const { carrierCode, carrierName, trackingNumber } = pkg.assigned!;
    if (!carrierCode.startsWith('marketplace:')) return;
    const message = `${account.marketplace} moved package ${pkg.packageId} to ${carrierName ?? carrierCode} ${trackingNumber}, not a carrier of ours: ship it from the seller panel`;
    await pool.query(
      `INSERT INTO ops_alerts (shipment_id, kind, order_id, message) VALUES ($1, 'marketplace_relabel', $2, $3)
       ON CONFLICT (shipment_id, kind) DO UPDATE SET message = $3, resolved_at = NULL`,
      [shipmentWorkflowId(orderId, 1), orderId, message],
    );
  }

  /** A parcel that has ended hears nothing more; that is no failure of the pull. */
  async function toParcel(signal: () => Promise<void>): Promise<void> {
    try {
      await signal();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  return {
    async pullMarketplacePage({ accountId }: { accountId: string }): Promise<PullPageResult> {
      const account = await accountOf(pool, accountId);
      if (disconnected(account)) return { packages: 0, more: false, cancels: 0 };
      const { rows } = await pool.query<{ cursor: Cursor; version: number }>(
        'SELECT cursor, version FROM marketplace_cursors WHERE account_id = $1',
        [accountId],
      );
      const page = await adapterOf(account).list(rows[0]?.cursor, new Date());
      await passContractNewsOn(account, page.packages);
      const moved = await inTransaction(pool, async (db) => {
        for (const pkg of page.packages) await savePackage(db, account, pkg);
        return saveCursor(db, accountId, rows[0], page.next);
      });
      // Ids and counts only: packages hold names and addresses.
      logger.info({ accountId, packages: page.packages.length, more: page.more, cursorMoved: moved }, 'marketplace page pulled');
      await pullsRecovered(accountId);
      return { packages: page.packages.length, more: moved && page.more, cancels: await cancelsWaiting(accountId) };
    },

    /**
     * Stops the orders whose package the marketplace cancelled after we started them, as POST
     * /v1/orders/:id/cancel would (the order voids, releases and tells the customer itself). Once per
     * package (the update id); a parcel already with its carrier is too late: ops get an alert.
     * Twenty a run, the longest-waiting first: the rest, and the orders still cancelling, wait for
     * the next. One order's failure holds up no other: the others' outcomes are kept, then the
     * activity fails and its retry asks again.
     */
    async cancelMarketplaceOrders({ accountId }: { accountId: string }): Promise<CancelOrdersResult> {
      const { rows } = await pool.query<{ package_id: string; order_id: string; marketplace: string }>(
        `SELECT p.package_id, p.order_id, a.marketplace FROM marketplace_packages p JOIN marketplace_accounts a USING (account_id)
          WHERE p.account_id = $1 AND p.state = 'started' AND p.cancel_outcome IS NULL AND (p.package ->> 'cancelled')::boolean
          ORDER BY p.cancel_asked_at NULLS FIRST, p.package_id LIMIT 20`,
        [accountId],
      );
      const result: CancelOrdersResult = { cancelled: 0, tooLate: 0, ended: 0, stillCancelling: 0 };
      // Side by side: each may wait up to a minute for its order, and the activity has two.
      const asked = await Promise.allSettled(
        rows.map(async (row) => {
          const outcome = await cancelOrder(Context.current().client, pool, cancelWaitMs, row);
          await recordCancel(accountId, row, outcome);
          result[COUNTED[outcome.outcome]]++;
          logger.info({ accountId, orderId: row.order_id, outcome: outcome.outcome }, 'marketplace cancel followed');
        }),
      );
      const failed = asked.find((a): a is PromiseRejectedResult => a.status === 'rejected');
      if (failed) throw failed.reason;
      return result;
    },

    /** A run whose page could not be read (after its retries): counted, and from the third in a row on, an ops alert. */
    async recordPullFailure({ accountId, reason }: { accountId: string; reason: string }): Promise<{ failedPulls: number }> {
      const { rows } = await pool.query<{ failed_pulls: number }>(
        `UPDATE marketplace_accounts SET failed_pulls = failed_pulls + 1, last_pull_error = $2 WHERE account_id = $1 RETURNING failed_pulls`,
        [accountId, reason.slice(0, 500)],
      );
      const failedPulls = rows[0]?.failed_pulls ?? 0;
      if (failedPulls < PULL_FAILURES_ALERTED) return { failedPulls };
      const message = `${failedPulls} pulls of ${accountId} failed in a row; the last: ${reason.slice(0, 500)}`;
      await pool.query(
        `INSERT INTO ops_alerts (shipment_id, kind, order_id, message) VALUES ($1, 'marketplace_pull_failing', '', $2)
         ON CONFLICT (shipment_id, kind) DO UPDATE SET message = $2, resolved_at = NULL`,
        [accountAlertKey(accountId), message],
      );
      logger.warn({ kind: 'marketplace_pull_failing', accountId, failedPulls, reason }, 'ops alert: marketplace pulls keep failing');
      return { failedPulls };
    },

    /** The packages waiting for their details, oldest first; those whose details keep failing after the others. */
    async packagesToFetch({ accountId, limit }: { accountId: string; limit: number }): Promise<string[]> {
      const { rows } = await pool.query<{ package_id: string }>(
        `SELECT p.package_id FROM marketplace_packages p JOIN marketplace_accounts a USING (account_id)
          WHERE p.account_id = $1 AND p.state = 'fetching' AND a.status <> 'disabled' ORDER BY p.details_failures, p.first_seen_at, p.package_id LIMIT $2`,
        [accountId, limit],
      );
      return rows.map((r) => r.package_id);
    },

    async fetchPackageDetails({ accountId, packageId }: { accountId: string; packageId: string }): Promise<void> {
      const account = await accountOf(pool, accountId);
      const listed = await packageRow(pool, accountId, packageId);
      if (listed?.state !== 'fetching') return; // a racing run read it first
      let details: PackageDetails;
      try {
        details = await adapterOf(account).details(MarketplacePackageSchema.parse(listed.package));
      } catch (err) {
        await detailsFailed(account, packageId, err as Error);
        throw err;
      }
      await inTransaction(pool, async (db) => {
        const row = await packageRow(db, accountId, packageId);
        if (row?.state !== 'fetching') return; // a racing run read it first
        await mapPackage(db, account, { ...MarketplacePackageSchema.parse(row.package), ...details });
      });
    },

    async startMarketplaceOrders({ accountId }: { accountId: string }): Promise<StartOrdersResult> {
      const account = await accountOf(pool, accountId);
      if (disconnected(account)) return { started: 0, duplicates: 0, unmappable: 0 };
      await inTransaction(pool, async (db) => {
        const held = await db.query<{ package: unknown }>(
          `SELECT package FROM marketplace_packages WHERE account_id = $1 AND state = 'unmappable' FOR UPDATE`,
          [accountId],
        );
        for (const row of held.rows) await mapPackage(db, account, MarketplacePackageSchema.parse(row.package));
      });
      const { rows } = await pool.query<{ package_id: string; order_input: OrderStart }>(
        `SELECT package_id, order_input FROM marketplace_packages WHERE account_id = $1 AND state = 'seen' ORDER BY first_seen_at`,
        [accountId],
      );
      const result = { started: 0, duplicates: 0, unmappable: 0 };
      for (const row of rows) {
        const outcome = await startOne(accountId, row.package_id, row.order_input);
        if (outcome === 'started') result.started += 1;
        else if (outcome === 'duplicate') result.duplicates += 1;
      }
      const held = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM marketplace_packages WHERE account_id = $1 AND state = 'unmappable'`,
        [accountId],
      );
      result.unmappable = held.rows[0].n;
      logger.info({ accountId, ...result }, 'marketplace orders started');
      return result;
    },
  };
}

export type MarketplaceActivities = ReturnType<typeof createMarketplaceActivities>;
