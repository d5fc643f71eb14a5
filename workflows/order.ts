// One order, from intake to close: allocate stock → one shipment child per warehouse
// (pack, book, label, notify, track) → delivered → return window → closed.
// Cancelling before any parcel is with a carrier undoes what was done: labels voided,
// stock released. The steps live in order/, over one Order state object.
import { condition } from '@temporalio/workflow';
import type { OrderInput, OrderView } from '../domain/order';
import { returnLabels, returnLabelsSettled, returnParcels } from '../domain/returns';
import type { Allocation } from '../domain/shipment';
import { LOST } from '../domain/statuses';
import { allocateStock, releaseStock } from './order/activities';
import { defaultOrderOptions, type OrderWorkflowOptions } from './order/options';
import { recordOrRejectOrder } from './order/record';
import { followShipments, startShipments } from './order/shipments';
import { Order } from './order/state';

export { defaultOrderOptions, type OrderWorkflowOptions } from './order/options';

export async function orderWorkflow(input: OrderInput, options: Partial<OrderWorkflowOptions> = {}): Promise<OrderView> {
  const order = new Order(input, { ...defaultOrderOptions, ...options });
  const { view, settings } = order;

  if (!(await recordOrRejectOrder(order))) return view;
  await order.moveTo('received');

  const allocations = await allocate(order);
  if (!allocations || order.cancelReason) return order.cancel(order.cancelReason ?? 'no stock before the backorder timeout');
  view.allocations = allocations;
  await order.moveTo('allocated');

  await startShipments(
    order,
    allocations.map((allocation) => ({ allocation })),
  );
  await followShipments(order, true);
  // What a cancelled parcel held goes back to the shelf (parcels that shipped hold nothing any more).
  await releaseStock({ orderId: input.orderId });
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
  if (!(await condition(() => order.returnRequest !== undefined, settings.returnWindow))) {
    await order.moveTo('closed', 'return window over');
    return view;
  }
  await order.moveTo('return_requested', order.returnRequest!.reason);
  await startShipments(order, returnParcels(view.shipments, order.returnRequest!), 'return');
  await condition(() => returnLabelsSettled(view.shipments));
  order.returnLabels = returnLabels(view.shipments);
  await followShipments(order, false);
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
