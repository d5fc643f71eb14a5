// One order, from intake to close: allocate stock → one shipment child per warehouse
// (pack, book, label, notify, track) → delivered → return window → closed.
// Cancelling before any parcel is with a carrier undoes what was done: labels voided,
// stock released, the customer told; through the API (POST /cancel) or through Temporal (ops).
// A run whose history fills while its parcels travel continues as new at its phase.
// The steps live in order/, over one Order state object.
import { CancellationScope, condition, isCancellation } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import type { OrderStart, OrderView } from '../domain/order';
import { whyNotCancellable } from '../domain/order-rules';
import { returnLabels, returnLabelsSettled, returnParcels } from '../domain/returns';
import type { Allocation, ShipmentView } from '../domain/shipment';
import { handedToCarrier, LOST, shipmentFinished } from '../domain/statuses';
import { cancelShipmentSignal } from './definitions';
import { ORDER_PATCHES, PATCHES, takePatchesAtStart } from './patches';
import { allocateStock, releaseStock } from './order/activities';
import { defaultOrderOptions, type OrderWorkflowOptions } from './order/options';
import { followParcelInside, parcelSearch, resumeParcelInside, shipsInside, startParcelInside } from './order/parcel';
import { recordOrRejectOrder } from './order/record';
import { followShipments, startShipments } from './order/shipments';
import { Order, type OrderPhase, type OrderResume } from './order/state';

export { defaultOrderOptions, type OrderWorkflowOptions } from './order/options';
export type { OrderResume } from './order/state';

export async function orderWorkflow(
  input: OrderStart,
  options: Partial<OrderWorkflowOptions> = {},
  resume?: OrderResume,
): Promise<OrderView> {
  const order = new Order(input, { ...defaultOrderOptions, ...options }, takePatchesAtStart(ORDER_PATCHES), resume);
  if (resume?.parcel) resumeParcelInside(order, resume.parcel);
  try {
    return await fulfil(order, resume?.phase);
  } catch (err) {
    // Orders whose parcels were started before the patch cannot call them back: they end cancelled by Temporal, as before.
    if (!isCancellation(err) || order.childrenOutliveRun === false || !order.patches.taken(PATCHES.temporalCancelUndone)) throw err;
    return CancellationScope.nonCancellable(() => onTemporalCancel(order));
  }
}

/** The order's way from `phase` (from intake when undefined) to its end. */
async function fulfil(order: Order, phase: OrderPhase | undefined): Promise<OrderView> {
  const { view } = order;
  if (!phase) {
    if (!(await recordOrRejectOrder(order))) return view;
    // The start's search attributes say received already; what follows in this task upserts its own.
    await order.moveTo('received', undefined, { searchable: !order.lean });
    const allocations = await allocate(order);
    if (!allocations || order.cancelReason) return order.cancel(order.cancelReason ?? 'no stock before the backorder timeout');
    view.allocations = allocations;
    const inside = shipsInside(order, allocations);
    if (inside) parcelSearch(order, allocations[0]);
    if (order.lean) {
      // The parcels report milestones only, packing not among them: the order says fulfilling as it starts them.
      await order.moveTo('allocated', undefined, { searchable: false });
      await order.moveTo('fulfilling');
    } else await order.moveTo('allocated');
    if (inside) startParcelInside(order, allocations[0]);
    else
      await startShipments(
        order,
        allocations.map((allocation) => ({ allocation })),
      );
  }
  if (!phase || phase === 'outbound') {
    const ended = await followOutbound(order);
    if (ended) return ended;
  }
  if (phase !== 'return') {
    const returning = await returnWindow(order);
    if (!returning) return view;
  }
  return followReturns(order);
}

/** The outbound parcels to their ends: the order's end unless they were delivered (then undefined, the return window opens). */
async function followOutbound(order: Order): Promise<OrderView | undefined> {
  const { input, view, settings } = order;
  if (order.parcelRun) await followParcelInside(order, order.parcelRun);
  else await followShipments(order, 'outbound');
  // What a cancelled parcel held goes back to the shelf (parcels that shipped hold nothing any more:
  // with every one delivered, a lean run asks nothing).
  const allDelivered = view.shipments.every((s) => s.kind !== 'outbound' || s.status === 'delivered');
  if (!(order.lean && allDelivered)) await releaseStock({ orderId: input.orderId });
  const moving = view.shipments.filter((s) => s.status !== 'cancelled');
  if (moving.length === 0) return order.cancel(order.cancelReason ?? view.shipments.find((s) => s.outcome)?.outcome ?? 'cancelled');
  if (moving.every((s) => s.status === LOST)) {
    await order.moveTo('closed', 'lost by the carrier: ops claim it from the carrier, the customer was told');
    return view;
  }
  if (moving.every((s) => s.status === 'returned')) {
    await order.moveTo('returned', 'undeliverable: the carrier returned it to the warehouse, stock is back');
    return view;
  }
  await order.moveTo('delivered');
  order.returnWindowEndsAt = Date.now() + msToNumber(settings.returnWindow);
  order.phase = 'delivered';
  return undefined;
}

/** Waits out the return window: true when a return was asked for and its parcels are started, false once closed. */
async function returnWindow(order: Order): Promise<boolean> {
  const { view } = order;
  const windowLeft = Math.max(order.returnWindowEndsAt! - Date.now(), 1);
  if (!(await condition(() => order.returnRequest !== undefined, windowLeft))) {
    await order.moveTo('closed', 'return window over');
    return false;
  }
  await order.moveTo('return_requested', order.returnRequest!.reason);
  await startShipments(order, returnParcels(view.shipments, order.returnRequest!), 'return');
  return true;
}

async function followReturns(order: Order): Promise<OrderView> {
  const { view } = order;
  await condition(() => returnLabelsSettled(view.shipments));
  order.returnLabels = returnLabels(view.shipments);
  await followShipments(order, 'return');
  if (order.returnLabels.length === 0) {
    await order.moveTo('closed', 'no return label could be had: the carriers refused');
    return view;
  }
  if (!view.shipments.some((s) => s.kind === 'return' && s.status === 'returned')) {
    await order.moveTo('closed', 'the return labels expired unused');
    return view;
  }
  await order.moveTo('returned', 'return received, stock is back');
  return view;
}

/** Reserves stock; while there is none, waits for replenishment until the backorder timeout. Undefined when cancelled. */
async function allocate(order: Order): Promise<Allocation[] | undefined> {
  const { input, settings } = order;
  for (;;) {
    if (order.cancelReason) return undefined;
    order.replenished = false; // before looking: a wake-up from now on means look again
    const result = await allocateStock({ orderId: input.orderId, lines: input.lines });
    if (result.status === 'allocated') return result.allocations;
    await order.moveTo('backordered', `short: ${result.missing.map((m) => `${m.sku} × ${m.short}`).join(', ')}`);
    const woken = await condition(() => order.replenished || order.cancelReason !== undefined, settings.backorderTimeout);
    if (!woken) return undefined;
  }
}

/**
 * Ops cancelled the workflow (Temporal UI or CLI; this runs outside cancellation). Undone as POST
 * /cancel undoes it: the parcels are called back (labels voided), the stock released, the customer
 * told. Once a parcel is with the carrier nothing can be called back, as the API would answer: the
 * order goes on to its end, deaf to further cancels.
 */
async function onTemporalCancel(order: Order): Promise<OrderView> {
  const { view } = order;
  order.children = []; // their results went with the cancelled scope: the parcels are followed by their signals
  if (!whyNotCancellable(view)) {
    order.cancelReason ??= 'cancelled by ops through Temporal';
    await order.signalShipments(cancelShipmentSignal);
    const settled = (s: ShipmentView) => shipmentFinished(s.status) || handedToCarrier(s.status) || order.failedShipments.has(s.shipmentId);
    await condition(() => view.shipments.every(settled));
    if (!whyNotCancellable(view)) return order.cancel(order.cancelReason);
  }
  // Lost to the pick-up: nothing later (a return parcel) may still act on it, as for POST /cancel's.
  if (order.lean) order.cancelReason = undefined;
  if (!order.phase) return view; // refused before any parcel started: the order had already ended cancelled
  return fulfil(order, order.phase);
}
