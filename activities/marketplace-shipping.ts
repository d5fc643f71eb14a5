// Parcels on a marketplace's own carrier contract (docs/design/marketplaces.md section 7), run on
// the marketplace's queue beside its intake: the marketplace's label, stored as a carrier's is, and
// the booking the parcel takes instead of one of ours. Their scans come with the pull
// (activities/marketplaces.ts passScansOn).
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { carrierDisplayName } from '../carriers/registry';
import { marketplaceBookingKey } from '../domain/booking';
import type { Booking, MarketplaceShipping, ShipmentRequest } from '../domain/shipment';
import type { MarketplaceAdapter } from '../marketplaces/adapter';
import type { MarketplaceAccount } from '../marketplaces/connector';
import { MARKETPLACE_FAILURE_TYPES } from '../marketplaces/failures';
import { createLabelStore } from './labels/store';
import { accountOf } from './marketplaces';

export interface MarketplaceShippingDeps {
  pool: Pool;
  adapterOf: (account: MarketplaceAccount) => MarketplaceAdapter;
}

export function createMarketplaceShippingActivities({ pool, adapterOf }: MarketplaceShippingDeps) {
  const { storeLabel } = createLabelStore(pool);

  /** The package's lines, all in this parcel: the marketplace's contract covers the package whole. */
  async function packageLines({ accountId, packageId }: MarketplaceShipping): Promise<{ lineId: string; quantity: number }[]> {
    const { rows } = await pool.query<{ lineId: string; quantity: number }>(
      `SELECT line_id AS "lineId", quantity FROM marketplace_package_lines WHERE account_id = $1 AND package_id = $2 ORDER BY line_id`,
      [accountId, packageId],
    );
    return rows;
  }

  /**
   * Picking, which Trendyol's common label waits for. A refusal is passed over: the package is past
   * Created already (Invoiced by the seller's e-invoicing, or told on an earlier attempt), and the
   * label, asked next, says for itself whether it can be had.
   */
  async function pickingTold(adapter: MarketplaceAdapter, shipping: MarketplaceShipping): Promise<void> {
    const { packageId, carrier, trackingNumber } = shipping;
    try {
      await adapter.pushPicking?.({
        packageId,
        parcelNumber: 1,
        carrier,
        carrierName: carrierDisplayName(carrier),
        trackingNumber,
        shippedAt: new Date().toISOString(),
        lines: await packageLines(shipping),
      });
    } catch (err) {
      if (!(err instanceof ApplicationFailure && err.type === MARKETPLACE_FAILURE_TYPES.refused)) throw err;
    }
  }

  return {
    /**
     * The marketplace's label of the parcel, and its booking: the marketplace's carrier and tracking
     * number, keyed so that nothing of ours voids it. Trendyol makes the common label of a package
     * being picked only, so the package is told Picking first (safe to repeat; the pushback leaves such
     * parcels to this step). A label not made yet is retried; a marketplace that makes none refuses.
     * Where it makes none for this carrier, the parcel carries our label of its tracking number.
     */
    async marketplaceLabel({ shipping, request }: { shipping: MarketplaceShipping; request: ShipmentRequest }): Promise<Booking> {
      const account = await accountOf(pool, shipping.accountId);
      const adapter = adapterOf(account);
      if (!adapter.commonLabel)
        throw ApplicationFailure.nonRetryable(
          `${account.marketplace} makes no label for its own contract's parcels`,
          MARKETPLACE_FAILURE_TYPES.refused,
        );
      const { packageId, carrier, trackingNumber } = shipping;
      await pickingTold(adapter, shipping);
      const label = await adapter.commonLabel(packageId, trackingNumber, carrier);
      return storeLabel(request, {
        carrier,
        bookingId: `${account.marketplace}:${packageId}`,
        trackingNumber,
        // None for this carrier: our label, with the marketplace's tracking number as its barcode, which the carrier scans.
        labelRef: label
          ? `data:application/zpl;base64,${Buffer.from(label.labels.join('\n')).toString('base64')}`
          : `barcode:${trackingNumber}`,
        idempotencyKey: marketplaceBookingKey(shipping),
      });
    },
  };
}

export type MarketplaceShippingActivities = ReturnType<typeof createMarketplaceShippingActivities>;
