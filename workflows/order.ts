// One order, from intake to close: allocate stock → one shipment child per warehouse
// (pack, book, label, notify, track) → delivered → return window → closed.
// Cancelling before any parcel is with a carrier undoes what was done: labels voided,
// stock released.
import {
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { Activities } from '../activities';
import type { OrderInput, OrderStatus, OrderView } from '../domain/order';
import type { Allocation, ShipmentStatus, ShipmentView } from '../domain/shipment';
import { handedToCarrier } from '../domain/shipment';
import {
  cancelShipmentSignal,
  cancelUpdate,
  searchAttributes,
  shipmentProgressSignal,
  shipmentWorkflowId,
  statusQuery,
  stockReplenishedSignal,
} from './definitions';
import { shipmentWorkflow, type ShipmentTimers } from './shipment';

const { recordOrder, recordStatus, allocateStock, releaseStock } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface OrderWorkflowOptions {
  /** How long a delivered order stays open for returns. */
  returnWindow: Duration;
  /** How long a backordered order waits for stock before it is cancelled. */
  backorderTimeout: Duration;
  shipment: ShipmentTimers;
}

export const defaultOrderOptions: OrderWorkflowOptions = {
  returnWindow: '14 days',
  backorderTimeout: '7 days',
  shipment: {
    pollInterval: '1 hour',
    maxPollInterval: '12 hours',
    lateGrace: '1 day',
    lostAfter: '5 days',
    packEscalation: '4 hours',
    maxHistoryEvents: 2_000,
  },
};

/** How far a shipment has come, for the order's own status: the least advanced shipment decides. */
const PROGRESS: [OrderStatus, ShipmentStatus[]][] = [
  ['fulfilling', ['packing', 'awaiting_pack', 'booking']],
  ['labelled', ['labelled', 'pending']],
  ['picked_up', ['picked_up']],
  ['on_hold', ['on_hold', 'unknown', 'return_to_sender']],
  ['in_transit', ['in_transit']],
  ['delivery_failed', ['delivery_failed']],
  ['ready_for_pickup', ['ready_for_pickup']],
  ['out_for_delivery', ['out_for_delivery']],
  ['delivered', ['delivered', 'returned']],
];

/**
 * A parcel needing ops, then a lost or late one, speaks for the order; otherwise the least
 * advanced parcel does. Undefined while none is moving (all cancelled): cancellation sets
 * the order's status itself.
 */
export function orderStatusOf(shipments: ShipmentView[]): OrderStatus | undefined {
  const moving = shipments.filter((s) => s.status !== 'cancelled');
  if (moving.some((s) => s.status === 'needs_attention')) return 'needs_attention';
  if (moving.some((s) => s.alert === 'lost')) return 'lost';
  if (moving.some((s) => s.alert === 'delayed' && s.status !== 'delivered')) return 'delayed';
  const ranks = moving.map((s) => PROGRESS.findIndex(([, members]) => members.includes(s.status)));
  return ranks.length > 0 ? PROGRESS[Math.min(...ranks)][0] : undefined;
}

export async function orderWorkflow(order: OrderInput, options: Partial<OrderWorkflowOptions> = {}): Promise<OrderView> {
  const settings = { ...defaultOrderOptions, ...options };
  const view: OrderView = {
    orderId: order.orderId, channel: order.channel, status: 'received', lines: order.lines,
    allocations: [], shipments: [], history: [], pendingActions: [],
  };
  const children: ChildWorkflowHandle<typeof shipmentWorkflow>[] = [];
  // Signals go by workflow id alone: a shipment may have continued as a new run.
  const signalShipments = () => Promise.all(view.shipments.map((s) => getExternalWorkflowHandle(s.shipmentId).signal(cancelShipmentSignal)));
  let cancelReason: string | undefined;
  let replenished = false;
  let shipmentsChanged = false;

  setHandler(statusQuery, () => view);
  setHandler(stockReplenishedSignal, () => void (replenished = true));
  setHandler(shipmentProgressSignal, (shipment) => {
    const i = view.shipments.findIndex((s) => s.shipmentId === shipment.shipmentId);
    if (i >= 0) view.shipments[i] = shipment;
    view.pendingActions = view.shipments.filter((s) => s.attention).map((s) => `${s.shipmentId}: ${s.attention}`);
    shipmentsChanged = true;
  });
  setHandler(
    cancelUpdate,
    async ({ reason }) => {
      cancelReason = reason;
      await signalShipments();
      await condition(() => view.status === 'cancelled' || view.shipments.some((s) => handedToCarrier(s.status)));
      return view.status;
    },
    { validator: (_request) => assertCancellable() },
  );

  function assertCancellable(): void {
    const withCarrier = view.shipments.find((s) => handedToCarrier(s.status));
    if (withCarrier) throw new Error(`not_cancellable: parcel ${withCarrier.shipmentId} is already ${withCarrier.status}`);
    if (view.status === 'cancelled' || view.status === 'closed') throw new Error(`not_cancellable: the order is already ${view.status}`);
  }

  async function moveTo(status: OrderStatus, reason?: string): Promise<void> {
    if (status === view.status && view.history.length > 0) return;
    const change = { status, at: new Date().toISOString(), reason };
    view.status = status;
    view.history.push(change);
    upsertSearchAttributes([{ key: searchAttributes.OrderStatus, value: status }]);
    await recordStatus({ orderId: order.orderId, seq: view.history.length, ...change });
  }

  async function cancel(reason: string): Promise<OrderView> {
    await releaseStock({ orderId: order.orderId });
    await moveTo('cancelled', reason);
    return view;
  }

  await recordOrder({ order, workflowId: workflowInfo().workflowId });
  await moveTo('received');

  const allocations = await allocate();
  if (!allocations) return cancel(cancelReason ?? 'no stock before the backorder timeout');
  view.allocations = allocations;
  await moveTo('allocated');

  await startShipments(allocations);
  const finished = Promise.all(children.map((child) => child.result()));
  let allFinished = false;
  void finished.then(() => (allFinished = true));
  while (!allFinished) {
    await condition(() => shipmentsChanged || allFinished);
    shipmentsChanged = false;
    const status = orderStatusOf(view.shipments);
    if (status) await moveTo(status);
  }
  view.shipments = await finished;
  if (view.shipments.every((s) => s.status === 'cancelled')) return cancel(cancelReason ?? 'cancelled');

  await moveTo('delivered');
  await sleep(settings.returnWindow);
  await moveTo('closed', 'return window over');
  return view;

  /** Reserves stock; while there is none, waits for replenishment until the backorder timeout. Undefined when cancelled. */
  async function allocate(): Promise<Allocation[] | undefined> {
    for (;;) {
      if (cancelReason) return undefined;
      const result = await allocateStock({ orderId: order.orderId, lines: order.lines });
      if (result.status === 'allocated') return result.allocations;
      await moveTo('backordered', `short: ${result.missing.map((m) => `${m.sku} × ${m.short}`).join(', ')}`);
      replenished = false;
      const woken = await condition(() => replenished || cancelReason !== undefined, settings.backorderTimeout);
      if (!woken) return undefined;
    }
  }

  async function startShipments(allocations: Allocation[]): Promise<void> {
    for (const [i, allocation] of allocations.entries()) {
      const shipmentId = shipmentWorkflowId(order.orderId, i + 1);
      view.shipments.push({ shipmentId, warehouseId: allocation.warehouseId, lines: allocation.lines, status: 'packing', events: [] });
      children.push(
        await startChild(shipmentWorkflow, {
          workflowId: shipmentId,
          args: [{
            orderId: order.orderId, shipmentId, allocation, to: order.shippingAddress, service: order.service,
            cashOnDelivery: order.cashOnDelivery, preferredCarriers: order.preferredCarriers,
            promisedDeliveryDate: order.promisedDeliveryDate, timers: settings.shipment,
          }],
          typedSearchAttributes: [{ key: searchAttributes.SalesChannel, value: order.channel }],
          staticSummary: `Parcel ${i + 1} of order ${order.orderId} from ${allocation.warehouseId}`,
        }),
      );
    }
  }
}
