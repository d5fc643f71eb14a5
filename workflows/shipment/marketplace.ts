// A parcel on the marketplace's own carrier contract (docs/design/marketplaces.md section 7): the
// marketplace named its carrier and tracking number and makes its label, and follows the parcel
// itself; the parcel takes all three instead of booking with our carriers (paid twice, shipped
// twice). Its scans come from the marketplace's pull (activities/marketplaces.ts), not from polls,
// and so does a move to another carrier, which the parcel follows until its carrier has it.
import { ActivityFailure, condition, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { MarketplaceShippingActivities } from '../../activities/marketplace-shipping';
import type { Booking, MarketplaceShipping, ShipmentRequest } from '../../domain/shipment';
import { handedToCarrier } from '../../domain/statuses';
import { marketplaceTaskQueue, searchAttributes } from '../definitions';
import { records } from './activities';
import type { Shipment, TrackingState } from './state';

/** A cancelled parcel on the marketplace's contract: nothing of ours to void; ops cancel the marketplace's package (Shipment.voidLabel alerts them). */
export const MARKETPLACE_LABEL_CANCELLED =
  "cancelled after labelling: the label is the marketplace's, cancel the package in its seller panel";

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
  const contract = shipment.contract!;
  for (;;) {
    if (shipment.cancelRequested) return shipment.cancel('cancelled before the label').then(() => undefined);
    takeReassignment(shipment);
    shipment.retryRequest = undefined;
    if (notOurs(contract)) {
      const why = `${contract.marketplace} moved package ${contract.packageId} to ${contract.carrier}, not a carrier of ours: ship it from the seller panel, then cancel the order here`;
      await shipment.moveTo('needs_attention', why);
      await opsOrMarketplace(shipment);
      continue;
    }
    await shipment.moveTo('booking');
    try {
      return await marketplaceCalls(contract.marketplace).marketplaceLabel({ shipping: contract, request });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await shipment.moveTo('needs_attention', labelMissing(contract, err));
      await opsOrMarketplace(shipment);
    }
  }
}

/**
 * The marketplace moved the labelled parcel to another carrier or tracking number (Trendyol allows it
 * within limits): the parcel takes the new ones and the new label, and ops are told to relabel it,
 * since the old label may be printed already. Too late once the old carrier has the parcel: its
 * scans speak for it.
 */
export async function followReassignment(shipment: Shipment, state: TrackingState): Promise<void> {
  const { view, input } = shipment;
  const before = { carrier: view.carrier, trackingNumber: view.trackingNumber };
  if (!takeReassignment(shipment) || handedToCarrier(view.status)) return;
  const contract = shipment.contract!;
  const moved = `${contract.marketplace} moved package ${contract.packageId} from ${before.carrier} ${before.trackingNumber} to ${contract.carrier} ${contract.trackingNumber}`;
  state.booking = { ...state.booking, carrier: contract.carrier, trackingNumber: contract.trackingNumber }; // its scans carry the new number
  const todo = notOurs(contract) ? 'not a carrier of ours: ship it from the seller panel' : await relabel(shipment, state);
  Object.assign(view, { carrier: state.booking.carrier, trackingNumber: state.booking.trackingNumber, labelRef: state.booking.labelRef });
  upsertSearchAttributes([
    { key: searchAttributes.Carrier, value: contract.carrier },
    { key: searchAttributes.TrackingNumber, value: contract.trackingNumber },
  ]);
  await records.alertOps({
    orderId: input.orderId,
    shipmentId: input.shipmentId,
    kind: 'marketplace_relabel',
    message: `${moved}: ${todo}`,
  });
  await shipment.publish();
}

/** Until ops ask again, the order is cancelled, or the marketplace moves the package. */
const opsOrMarketplace = (shipment: Shipment) =>
  condition(() => shipment.retryRequest !== undefined || shipment.cancelRequested || shipment.reassigned !== undefined);

/** The new carrier's label onto the parcel; what ops are to do with it. */
async function relabel(shipment: Shipment, state: TrackingState): Promise<string> {
  const contract = shipment.contract!;
  try {
    const request = shipment.request(shipment.view.parcel!);
    state.booking = await marketplaceCalls(contract.marketplace).marketplaceLabel({ shipping: contract, request });
    return `print its new label and hand it to ${contract.carrier}`;
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return `its new label could not be had (${err.cause?.message ?? err.message}): print it from the seller panel and hand it to ${contract.carrier}`;
  }
}

/** A carrier the marketplace names that is none of ours (marketplaces/mapping.ts: `marketplace:<marketplace>:<its carrier>`). */
const notOurs = ({ carrier }: MarketplaceShipping) => carrier.startsWith('marketplace:');

/** A move the marketplace made onto the contract; false when there was none, or nothing changed. */
function takeReassignment(shipment: Shipment): boolean {
  const change = shipment.reassigned;
  shipment.reassigned = undefined;
  const contract = shipment.contract!;
  if (!change || (change.carrier === contract.carrier && change.trackingNumber === contract.trackingNumber)) return false;
  Object.assign(contract, change);
  return true;
}

function labelMissing({ marketplace, packageId, carrier }: MarketplaceShipping, err: ActivityFailure): string {
  const why = err.cause?.message ?? err.message;
  return `${marketplace} ships package ${packageId} with ${carrier} on its own contract, and its label could not be had (${why}): send retryBooking once it can`;
}
