// Pushback to a marketplace account (docs/design/marketplaces.md section 6), as its outbox
// subscriber, once per parcel and command, in the marketplace's line ids: a parcel of one of its
// packages labelled (picking begins: Trendyol's Picking), and handed to the carrier at its first
// scan (Amazon: confirmShipment; Hepsiburada: intransit; Trendyol: updateTrackingNumber), as far
// as its adapter tells each. What the marketplace refuses is thrown as PushRefused: the dispatcher
// holds it for ops and goes on with the account's other packages.
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { carrierDisplayName } from '../../carriers/registry';
import type { MarketplaceSubscriber, OutboundEvent } from '../../domain/webhooks';
import type { MarketplaceAdapter, ParcelEnd, ShippedParcel } from '../../marketplaces/adapter';
import type { MarketplaceAccount } from '../../marketplaces/connector';
import { MARKETPLACE_FAILURE_TYPES } from '../../marketplaces/failures';
import { commandsOf, parcelItems, parcelNumber, type Command, type PackageLine, type ParcelLine } from '../../marketplaces/pushback';
import { marketplaceConnector } from '../../marketplaces/registry';
import { accountOf } from '../marketplaces';

/** The marketplace said no to the request itself (a 4xx that is not auth or 429): asking again will not help. */
export class PushRefused extends Error {}

export interface MarketplacePushDeps {
  pool: Pool;
  /** An account's adapter (marketplaces/registry.ts with MARKETPLACE_CREDENTIALS, or a test's). */
  adapterOf: (account: MarketplaceAccount) => MarketplaceAdapter;
}

interface ParcelRow {
  packageId: string;
  orderId: string;
  warehouseId: string;
  kind: string;
  carrier: string | null;
  trackingNumber: string | null;
  onItsContract: boolean;
  pushed: boolean;
}

/** The adapter's call for a command, or none where the marketplace is not told such a thing. */
function tellerOf(adapter: MarketplaceAdapter, command: Command): ((parcel: ShippedParcel) => Promise<void>) | undefined {
  const ended = (parcel: ShippedParcel): ParcelEnd => ({ at: parcel.shippedAt });
  switch (command) {
    case 'picking':
      return adapter.pushPicking && ((parcel) => adapter.pushPicking!(parcel));
    case 'shipped':
      return adapter.pushShipped && ((parcel) => adapter.pushShipped!(parcel));
    case 'delivered':
      return adapter.pushDelivered && ((parcel) => adapter.pushDelivered!(parcel, ended(parcel)));
    case 'undelivered':
      return (
        adapter.pushUndelivered &&
        ((parcel) =>
          adapter.pushUndelivered!(parcel, { ...ended(parcel), reason: `${parcel.carrierName} is returning the parcel to the seller` }))
      );
  }
}

/** The parcel of the event if it is an outbound parcel of this account's packages not told this command yet. */
async function parcelToTell(pool: Pool, accountId: string, event: OutboundEvent, command: Command): Promise<ShippedParcel | undefined> {
  const { shipmentId, scannedAt, trackingUrl } = event.data;
  const number = shipmentId ? parcelNumber(shipmentId) : undefined;
  if (!number) return undefined;
  const { rows } = await pool.query<ParcelRow>(
    `SELECT p.package_id AS "packageId", p.order_id AS "orderId", s.warehouse_id AS "warehouseId", s.kind, s.carrier,
            s.tracking_number AS "trackingNumber",
            p.order_input ? 'marketplaceShipping' AS "onItsContract",
            EXISTS (SELECT 1 FROM marketplace_pushes x
                     WHERE x.account_id = p.account_id AND x.shipment_id = s.shipment_id AND x.command = $3) AS pushed
       FROM marketplace_packages p JOIN shipments s ON s.order_id = p.order_id
      WHERE p.account_id = $1 AND s.shipment_id = $2`,
    [accountId, shipmentId, command],
  );
  const row = rows[0];
  if (!row || row.pushed || row.kind !== 'outbound' || !row.carrier || !row.trackingNumber) return undefined;
  // On the marketplace's own contract, every parcel of it: the label step told Picking, the tracking
  // number is the marketplace's (another would overwrite it), and the marketplace follows the parcel.
  if (row.onItsContract) return undefined;
  const parcel = await pool.query<ParcelLine>(
    `SELECT sku, quantity FROM reservations WHERE order_id = $1 AND warehouse_id = $2 AND state <> 'released' ORDER BY sku`,
    [row.orderId, row.warehouseId],
  );
  const packageLines = await pool.query<PackageLine>(
    `SELECT l.line_id AS "lineId", coalesce(m.sku, l.marketplace_sku) AS sku, l.quantity
       FROM marketplace_package_lines l
       LEFT JOIN marketplace_sku_map m ON m.account_id = l.account_id AND m.marketplace_sku = l.marketplace_sku
      WHERE l.account_id = $1 AND l.package_id = $2 ORDER BY l.line_id`,
    [accountId, row.packageId],
  );
  return {
    packageId: row.packageId,
    parcelNumber: number,
    carrier: row.carrier,
    carrierName: carrierDisplayName(row.carrier),
    trackingNumber: row.trackingNumber,
    ...(trackingUrl && { trackingUrl }),
    shippedAt: new Date(typeof scannedAt === 'string' ? scannedAt : event.occurredAt).toISOString(),
    lines: parcelItems(parcel.rows, packageLines.rows),
  };
}

/**
 * Calls spaced at the connector's rate. One dispatcher per account pushes, one activity at a time,
 * so within an attempt the calls are spaced; an attempt starting on another worker starts with no
 * spacing, which the marketplace's burst absorbs (Amazon: 10), and a 429 is retried anyway.
 */
function pacer(perSecond: number) {
  let next = 0;
  return async () => {
    const wait = next - Date.now();
    if (wait > 0) await sleep(wait);
    next = Math.max(Date.now(), next) + 1000 / perSecond;
  };
}

export function marketplacePushback({ pool, adapterOf }: MarketplacePushDeps, subscriber: MarketplaceSubscriber) {
  let adapter: Promise<MarketplaceAdapter> | undefined;
  const adapterOfAccount = () =>
    (adapter ??= accountOf(pool, subscriber.accountId)
      .then(adapterOf)
      .catch((err: unknown) => {
        adapter = undefined; // asked again by the retry
        throw err;
      }));
  const pace = pacer(marketplaceConnector(subscriber.marketplace).push.perSecond);

  /** One command of the event, once: the parcel not told it yet, the marketplace told, the ledger written. */
  async function tellOnce(event: OutboundEvent, command: Command): Promise<void> {
    const parcel = await parcelToTell(pool, subscriber.accountId, event, command);
    if (!parcel) return;
    const adapter = await adapterOfAccount();
    const tell = tellerOf(adapter, command);
    if (!tell) return; // nothing of the kind this marketplace is told
    await pace();
    try {
      await tell(parcel);
    } catch (err) {
      if (err instanceof ApplicationFailure && err.type === MARKETPLACE_FAILURE_TYPES.refused)
        throw new PushRefused(err.message, { cause: err });
      throw err;
    }
    await pool.query(
      `INSERT INTO marketplace_pushes (account_id, package_id, shipment_id, command, event_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [subscriber.accountId, parcel.packageId, event.data.shipmentId, command, event.id],
    );
  }

  return async (event: OutboundEvent): Promise<void> => {
    for (const command of commandsOf(event)) await tellOnce(event, command);
  };
}
