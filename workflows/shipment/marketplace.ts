// A parcel on the marketplace's own carrier contract (docs/design/marketplaces.md section 7): the
// marketplace named its carrier and tracking number and makes its label, and follows the parcel
// itself; the parcel takes all three instead of booking with our carriers (paid twice, shipped
// twice). Its scans come from the marketplace's pull (activities/marketplaces.ts), not from polls.
import { ActivityFailure, condition, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { MarketplaceShippingActivities } from '../../activities/marketplace-shipping';
import type { Booking, MarketplaceShipping, ShipmentRequest } from '../../domain/shipment';
import { marketplaceTaskQueue } from '../definitions';
import type { Shipment } from './state';

/**
 * The label is asked on the marketplace's queue (its credentials and rate limit). Trendyol makes it
 * asynchronously after Picking: a label not made yet, the marketplace down or busy, are retried for
 * half an hour before ops are called; a refusal calls them at once.
 */
const marketplaceCalls = (marketplace: string) =>
  proxyActivities<MarketplaceShippingActivities>({
    taskQueue: marketplaceTaskQueue(workflowInfo().taskQueue, marketplace),
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: '30 minutes',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes' },
  });

/**
 * The marketplace's booking: its carrier, its tracking number, its label stored as a carrier's is.
 * Until the label can be had, NeedsAttention with why; ops send `retryBooking` when it can. Undefined
 * when the shipment was cancelled instead (it says why).
 */
export async function takeMarketplaceLabel(shipment: Shipment, request: ShipmentRequest): Promise<Booking | undefined> {
  const shipping = shipment.input.marketplaceShipping!;
  for (;;) {
    if (shipment.cancelRequested) return shipment.cancel('cancelled before the label').then(() => undefined);
    shipment.retryRequest = undefined;
    await shipment.moveTo('booking');
    try {
      return await marketplaceCalls(shipping.marketplace).marketplaceLabel({ shipping, request });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await shipment.moveTo('needs_attention', labelMissing(shipping, err));
      await condition(() => shipment.retryRequest !== undefined || shipment.cancelRequested);
    }
  }
}

function labelMissing({ marketplace, packageId, carrier }: MarketplaceShipping, err: ActivityFailure): string {
  const why = err.cause?.message ?? err.message;
  return `${marketplace} ships package ${packageId} with ${carrier} on its own contract, and its label could not be had (${why}): send retryBooking once it can`;
}
