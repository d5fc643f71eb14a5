// A lean order's one parcel, run inside the order's own workflow (issue 24): no child to start, no
// report signalled between two workflows, no second history. Its steps are the shipment's own
// (workflows/shipment.ts) over the same Shipment state; the order hears its milestones by a call
// (Order.parcelMoved) and records its own status in the same workflow task. An order split across
// warehouses, and every return parcel, keeps a child workflow per parcel (order/shipments.ts).
// Ops find such a parcel on the order's workflow: its query `shipment`, its signals (retryBooking,
// packed, pollTracking, trackingEvent) and search attributes; its record's workflow_id says so.
import { CancellationScope, isCancellation, TemporalFailure } from '@temporalio/workflow';
import { whyNotCancellable } from '../../domain/order-rules';
import type { Allocation } from '../../domain/shipment';
import { cancelShipmentSignal, searchAttributes } from '../definitions';
import { PATCHES } from '../patches';
import { shipParcelToItsEnd } from '../shipment';
import { Shipment, type ShipmentInput, type TrackingState } from '../shipment/state';
import { awaitOpsForFailedParcel, parcelInput } from './shipments';
import type { Order } from './state';

/** Where a fresh run of the order picks its parcel up: what it was started with, and its tracking. */
export interface ParcelResume {
  input: ShipmentInput;
  tracking: TrackingState;
}

/** A lean order that ships from one warehouse runs its parcel inside its own workflow. */
export function shipsInside(order: Order, allocations: Allocation[]): boolean {
  return order.lean && allocations.length === 1;
}

/** What ops filter the parcel by, upserted with the order's next status (fulfilling) rather than apart. */
export function parcelSearch(order: Order, { warehouseId }: Allocation): void {
  order.searchAlso({ key: searchAttributes.WarehouseId, value: warehouseId }, { key: searchAttributes.NeedsAttention, value: false });
}

/** The order's parcel on its way, inside this workflow; it is the order's current phase. */
export function startParcelInside(order: Order, allocation: Allocation): void {
  order.childrenOutliveRun ??= order.patches.taken(PATCHES.childrenOutliveRun);
  const input = parcelInput(order, { allocation }, 'outbound', 1);
  // The parcel's tracking continues the order as new: the order's history limit is the one it keeps.
  const maxHistoryEvents = Math.min(input.timers.maxHistoryEvents, order.settings.maxHistoryEvents ?? Infinity);
  const shipment = new Shipment({ ...input, timers: { ...input.timers, maxHistoryEvents } }, order.patches, order);
  order.view.shipments.push(shipment.view);
  run(order, shipment);
  order.phase = 'outbound';
  // A cancel accepted while the order recorded its way here found no parcel to tell (as a child's start: shipments.ts).
  if (order.cancelReason) shipment.receive(cancelShipmentSignal);
}

/** The parcel a previous run of the order carried, followed on from its tracking. */
export function resumeParcelInside(order: Order, { input, tracking }: ParcelResume): void {
  const shipment = new Shipment({ ...input, resume: tracking }, order.patches, order);
  const at = order.view.shipments.findIndex((s) => s.shipmentId === input.shipmentId);
  order.view.shipments[at] = shipment.view;
  run(order, shipment);
}

/**
 * Until the parcel inside ends. One that failed (a bug, or a record the database refused) is left
 * for ops as a child that failed is (shipments.ts, awaitOpsForFailedParcel): the order does not fail with it.
 */
export async function followParcelInside(order: Order, parcelRun: Promise<unknown>): Promise<void> {
  try {
    await parcelRun;
  } catch (err) {
    // A failure the workflow would end on; a continue-as-new (thrown to end the run) and a bug's
    // plain error (its workflow task retried until a fix is deployed) go on up as they are.
    if (!(err instanceof TemporalFailure) || isCancellation(err)) throw err;
    const { view } = order.parcel!;
    order.failedShipments.add(view.shipmentId);
    Object.assign(view, { status: 'needs_attention', attention: `the parcel's steps failed: ${(err as Error).message}` });
  }
  await awaitOpsForFailedParcel(order);
}

/**
 * The parcel runs outside the order's cancellation: ops cancelling the order's workflow must not
 * cut a booking or a void short. The cancel reaches it as POST /cancel's does, while the carrier
 * does not have it yet; later, the order goes on to its end (workflows/order.ts, onTemporalCancel).
 */
function run(order: Order, shipment: Shipment): void {
  order.parcel = shipment;
  order.parcelRun = CancellationScope.nonCancellable(() => shipParcelToItsEnd(shipment));
  CancellationScope.current().cancelRequested.catch(() => {
    if (whyNotCancellable(order.view)) return;
    order.cancelReason ??= 'cancelled by ops through Temporal';
    shipment.receive(cancelShipmentSignal);
  });
}
