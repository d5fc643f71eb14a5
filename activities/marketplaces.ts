// Marketplace intake's side effects (docs/design/marketplaces.md section 4), run by
// workflows/marketplace-pull.ts:
// - pullMarketplacePage: one page from the account's cursor; its packages and the next cursor
//   written in one transaction, so a crash before the commit repeats the page and one after never
//   reads it again. A package the engine takes is mapped into our order input when first seen and
//   that body stored once; one that cannot be mapped is held as unmappable, its field named.
// - startMarketplaceOrders: maps again what was unmappable (ops may have added the SKU since), then
//   starts each mapped package's order exactly as POST /v1/orders does, under its deterministic id
//   (amz-<AmazonOrderId>), so overlaps, retries and crashes start one order per package.
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool, PoolClient } from 'pg';
import type { OrderInput } from '../domain/order';
import type { Logger } from '../lib/logger';
import { inTransaction } from '../lib/transaction';
import { MarketplacePackageSchema, type Cursor, type MarketplaceAdapter, type MarketplacePackage } from '../marketplaces/adapter';
import type { MarketplaceAccount } from '../marketplaces/connector';
import { toOrderInput, type Mapping } from '../marketplaces/mapping';
import { marketplaceConnector } from '../marketplaces/registry';

export interface MarketplaceActivityDeps {
  pool: Pool;
  logger: Logger;
  /** An account's adapter (marketplaces/registry.ts with MARKETPLACE_CREDENTIALS, or a test's). */
  adapterOf: (account: MarketplaceAccount) => MarketplaceAdapter;
  /** Starts an order as POST /v1/orders does (api/order-start.ts, wired in by workers/): created, or the same body already there. */
  startOrder: (client: Client, order: OrderInput) => Promise<{ created: boolean }>;
}

export interface PullPageResult {
  packages: number;
  more: boolean;
}

export interface StartOrdersResult {
  started: number;
  /** Orders that were already there (a retry, an overlapping run): nothing started twice. */
  duplicates: number;
  unmappable: number;
}

type Queryable = Pick<PoolClient, 'query'>;

async function accountOf(db: Queryable, accountId: string): Promise<MarketplaceAccount> {
  const { rows } = await db.query<MarketplaceAccount>(
    `SELECT account_id AS "accountId", marketplace, seller_ref AS "sellerRef", settings FROM marketplace_accounts WHERE account_id = $1`,
    [accountId],
  );
  if (!rows[0]) throw ApplicationFailure.nonRetryable(`no marketplace account ${accountId}`, 'MarketplaceAccountUnknown');
  return rows[0];
}

/** Our SKU for each marketplace SKU: the account's SKU map first, else the marketplace SKU when it is a product. */
async function skuResolver(db: Queryable, accountId: string, packages: MarketplacePackage[]): Promise<(sku: string) => string | undefined> {
  const skus = [...new Set(packages.flatMap((p) => p.lines.map((l) => l.marketplaceSku)))];
  const mapped = await db.query<{ marketplace_sku: string; sku: string }>(
    'SELECT marketplace_sku, sku FROM marketplace_sku_map WHERE account_id = $1 AND marketplace_sku = ANY($2)',
    [accountId, skus],
  );
  const products = await db.query<{ sku: string }>('SELECT sku FROM products WHERE sku = ANY($1)', [skus]);
  const map = new Map(mapped.rows.map((r) => [r.marketplace_sku, r.sku]));
  const known = new Set(products.rows.map((r) => r.sku));
  return (sku) => map.get(sku) ?? (known.has(sku) ? sku : undefined);
}

/** The row's state for a package not yet started: mapped now unless its order body was stored before. */
function intakeState(pkg: MarketplacePackage, mapping: () => Mapping, stored: OrderInput | null) {
  if (pkg.intake !== 'take') return { state: pkg.intake === 'wait' ? 'waiting' : 'skipped', orderInput: stored };
  if (stored) return { state: 'seen', orderInput: stored };
  const mapped = mapping();
  if ('order' in mapped) return { state: 'seen', orderInput: mapped.order };
  return { state: 'unmappable', orderInput: null, attention: mapped.unmappable };
}

async function savePackage(
  db: Queryable,
  account: MarketplaceAccount,
  pkg: MarketplacePackage,
  skuOf: (sku: string) => string | undefined,
) {
  const connector = marketplaceConnector(account.marketplace);
  const orderId = connector.orderId(account, pkg.packageId);
  const { rows } = await db.query<{ state: string; order_input: OrderInput | null }>(
    'SELECT state, order_input FROM marketplace_packages WHERE account_id = $1 AND package_id = $2 FOR UPDATE',
    [account.accountId, pkg.packageId],
  );
  const seen = [account.accountId, pkg.packageId, pkg.status, pkg.lastModified];
  if (rows[0]?.state === 'started') {
    // A later sighting of a started package is a change, not an order (cancels and the like: a later slice).
    await db.query(
      'UPDATE marketplace_packages SET status = $3, last_modified = $4, last_seen_at = now() WHERE account_id = $1 AND package_id = $2',
      seen,
    );
    return;
  }
  const next = intakeState(pkg, () => toOrderInput(pkg, { orderId, channel: connector.channel, skuOf }), rows[0]?.order_input ?? null);
  await db.query(
    `INSERT INTO marketplace_packages (account_id, package_id, status, last_modified, order_id, marketplace_order_id, state,
                                       attention_field, attention_reason, ship_by, package, order_input)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (account_id, package_id) DO UPDATE SET
       status = $3, last_modified = $4, state = $7, attention_field = $8, attention_reason = $9, ship_by = $10,
       package = $11, order_input = $12, last_seen_at = now()`,
    [
      ...seen,
      orderId,
      pkg.orderNumber,
      next.state,
      next.attention?.field ?? null,
      next.attention?.reason ?? null,
      pkg.shipBy ?? null,
      JSON.stringify(pkg),
      next.orderInput && JSON.stringify(next.orderInput),
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

export function createMarketplaceActivities({ pool, logger, adapterOf, startOrder }: MarketplaceActivityDeps) {
  /** Maps unmappable packages again with today's SKU map; those that map now are ready to start. */
  async function remapUnmappable(accountId: string): Promise<void> {
    await inTransaction(pool, async (db) => {
      const account = await accountOf(db, accountId);
      const { rows } = await db.query<{ package: unknown }>(
        `SELECT package FROM marketplace_packages WHERE account_id = $1 AND state = 'unmappable' FOR UPDATE`,
        [accountId],
      );
      const packages = rows.map((r) => MarketplacePackageSchema.parse(r.package));
      const skuOf = await skuResolver(db, accountId, packages);
      for (const pkg of packages) await savePackage(db, account, pkg, skuOf);
    });
  }

  /** Starts one mapped package's order; an id already used by another body holds the package for ops. */
  async function startOne(accountId: string, packageId: string, order: OrderInput): Promise<'started' | 'duplicate' | 'conflict'> {
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

  return {
    async pullMarketplacePage({ accountId }: { accountId: string }): Promise<PullPageResult> {
      const account = await accountOf(pool, accountId);
      const { rows } = await pool.query<{ cursor: Cursor; version: number }>(
        'SELECT cursor, version FROM marketplace_cursors WHERE account_id = $1',
        [accountId],
      );
      const page = await adapterOf(account).list(rows[0]?.cursor, new Date());
      const moved = await inTransaction(pool, async (db) => {
        const skuOf = await skuResolver(db, accountId, page.packages);
        for (const pkg of page.packages) await savePackage(db, account, pkg, skuOf);
        return saveCursor(db, accountId, rows[0], page.next);
      });
      // Ids and counts only: packages hold names and addresses.
      logger.info({ accountId, packages: page.packages.length, more: page.more, cursorMoved: moved }, 'marketplace page pulled');
      return { packages: page.packages.length, more: moved && page.more };
    },

    async startMarketplaceOrders({ accountId }: { accountId: string }): Promise<StartOrdersResult> {
      await remapUnmappable(accountId);
      const { rows } = await pool.query<{ package_id: string; order_input: OrderInput }>(
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
