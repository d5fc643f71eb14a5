// One order, from intake to close: allocate stock → one shipment child per warehouse
// (pack, book, label, notify, track) → delivered → return window → closed.
// Cancelling before any parcel is with a carrier undoes what was done: labels voided,
// stock released.
import {
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
  type SignalDefinition,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { Activities } from '../activities';
import type { OrderInput, OrderStatus, OrderView, ReturnLabel, ReturnRequest } from '../domain/order';
import type { Allocation, ShipmentStatus, ShipmentView } from '../domain/shipment';
import { handedToCarrier } from '../domain/shipment';
import {
  addressCorrectedSignal,
  cancelShipmentSignal,
  cancelUpdate,
  correctAddressUpdate,
  requestReturnUpdate,
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
// A notification never holds an order up.
const { notifyCustomer } = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 5 } });

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
    addressTimeout: '3 days',
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
  ['delivered', ['delivered']],
  ['returned', ['returned']],
];

/**
 * A parcel needing ops, then a lost or late one, speaks for the order; otherwise the least
 * advanced parcel does. Undefined while none is moving (all cancelled): cancellation sets
 * the order's status itself.
 */
export function orderStatusOf(shipments: ShipmentView[]): OrderStatus | undefined {
  const moving = shipments.filter((s) => s.status !== 'cancelled');
  if (moving.some((s) => s.status === 'needs_attention')) return 'needs_attention';
  if (moving.some((s) => s.status === 'address_invalid')) return 'address_invalid';
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
  let shippingAddress = order.shippingAddress;
  let children: ChildWorkflowHandle<typeof shipmentWorkflow>[] = [];
  let cancelReason: string | undefined;
  let returnRequest: ReturnRequest | undefined;
  let returnLabels: ReturnLabel[] | undefined;
  let replenished = false;
  let shipmentsChanged = false;
  let searchedTrackingNumber: string | undefined;

  // Signals go by workflow id alone: a shipment may have continued as a new run.
  const signalShipments = <T extends unknown[]>(signal: SignalDefinition<T>, ...args: T) =>
    Promise.all(view.shipments.map((s) => getExternalWorkflowHandle(s.shipmentId).signal(signal, ...args)));

  setHandler(statusQuery, () => view);
  setHandler(stockReplenishedSignal, () => void (replenished = true));
  setHandler(shipmentProgressSignal, (shipment) => {
    const i = view.shipments.findIndex((s) => s.shipmentId === shipment.shipmentId);
    if (i >= 0) view.shipments[i] = shipment;
    view.pendingActions = view.shipments.filter((s) => s.attention).map((s) => `${s.shipmentId}: ${s.attention}`);
    shipmentsChanged = true;
    showCarrierInSearch();
  });
  setHandler(
    cancelUpdate,
    async ({ reason }) => {
      cancelReason = reason;
      await signalShipments(cancelShipmentSignal);
      await condition(() => view.status === 'cancelled' || view.shipments.some((s) => handedToCarrier(s.status)));
      return view.status;
    },
    { validator: (_request) => assertBeforeHandOver('not_cancellable') },
  );
  setHandler(
    correctAddressUpdate,
    async ({ address }) => {
      shippingAddress = address;
      await signalShipments(addressCorrectedSignal, address);
      return view.status;
    },
    { validator: (_request) => assertBeforeHandOver('address_not_changeable') },
  );
  setHandler(
    requestReturnUpdate,
    async (request) => {
      returnRequest = request;
      await condition(() => returnLabels !== undefined);
      return returnLabels!;
    },
    { validator: (_request) => assertReturnable() },
  );

  /** Ops filter orders by carrier and tracking number too: the first labelled parcel's. */
  function showCarrierInSearch(): void {
    const labelled = view.shipments.find((s) => s.kind === 'outbound' && s.trackingNumber);
    if (!labelled || labelled.trackingNumber === searchedTrackingNumber) return;
    searchedTrackingNumber = labelled.trackingNumber;
    upsertSearchAttributes([
      { key: searchAttributes.Carrier, value: labelled.carrier! },
      { key: searchAttributes.TrackingNumber, value: labelled.trackingNumber! },
    ]);
  }

  /** Cancelling or re-addressing is possible until a parcel is with the carrier. */
  function assertBeforeHandOver(code: string): void {
    const withCarrier = view.shipments.find((s) => handedToCarrier(s.status));
    if (withCarrier) throw new Error(`${code}: parcel ${withCarrier.shipmentId} is already ${withCarrier.status}`);
    if (['cancelled', 'closed', 'delivered'].includes(view.status)) throw new Error(`${code}: the order is already ${view.status}`);
  }

  function assertReturnable(): void {
    if (returnRequest) throw new Error('return_already_requested');
    if (view.status !== 'delivered') throw new Error(`not_returnable: the order is ${view.status}`);
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
    await notifyCustomer({ orderId: order.orderId, event: 'cancelled' }).catch(() => undefined);
    return view;
  }

  await recordOrder({ order, workflowId: workflowInfo().workflowId, receivedAt: workflowInfo().startTime.toISOString() });
  await moveTo('received');

  const allocations = await allocate();
  if (!allocations) return cancel(cancelReason ?? 'no stock before the backorder timeout');
  view.allocations = allocations;
  await moveTo('allocated');

  await startShipments(allocations.map((allocation) => ({ allocation })));
  await followShipments(true);
  const moving = view.shipments.filter((s) => s.status !== 'cancelled');
  if (moving.length === 0) return cancel(cancelReason ?? view.shipments.find((s) => s.outcome)?.outcome ?? 'cancelled');
  if (moving.every((s) => s.status === 'returned')) {
    await moveTo('returned', 'undeliverable: the carrier returned it to the warehouse, stock is back');
    return view;
  }

  await moveTo('delivered');
  if (!(await condition(() => returnRequest !== undefined, settings.returnWindow))) {
    await moveTo('closed', 'return window over');
    return view;
  }
  await moveTo('return_requested', returnRequest!.reason);
  await startShipments(returnAllocations(returnRequest!), 'return');
  await condition(() => view.shipments.filter((s) => s.kind === 'return').every((s) => s.trackingNumber || s.status === 'cancelled'));
  returnLabels = view.shipments
    .filter((s) => s.kind === 'return' && s.trackingNumber)
    .map((s) => ({ shipmentId: s.shipmentId, carrier: s.carrier!, trackingNumber: s.trackingNumber!, labelRef: s.labelRef! }));
  await followShipments(false);
  await moveTo('returned', 'return received, stock is back');
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

  /** Each delivered parcel holding requested SKUs goes back with its own carrier. */
  function returnAllocations(request: ReturnRequest): { allocation: Allocation; carrier: string }[] {
    const wanted = (sku: string) => !request.lines || request.lines.some((l) => l.sku === sku);
    return view.shipments
      .filter((s) => s.kind === 'outbound' && s.status === 'delivered')
      .map((s) => ({ allocation: { warehouseId: s.warehouseId, lines: s.lines.filter((l) => wanted(l.sku)) }, carrier: s.carrier! }))
      .filter(({ allocation }) => allocation.lines.length > 0);
  }

  async function startShipments(parcels: { allocation: Allocation; carrier?: string }[], kind: 'outbound' | 'return' = 'outbound'): Promise<void> {
    children = [];
    for (const { allocation, carrier } of parcels) {
      const n = view.shipments.length + 1;
      const shipmentId = shipmentWorkflowId(order.orderId, n);
      view.shipments.push({ shipmentId, kind, warehouseId: allocation.warehouseId, lines: allocation.lines, status: 'packing', events: [] });
      children.push(
        await startChild(shipmentWorkflow, {
          workflowId: shipmentId,
          args: [{
            kind, returnCarrier: carrier, orderId: order.orderId, shipmentId, allocation, to: shippingAddress, service: order.service,
            cashOnDelivery: order.cashOnDelivery, preferredCarriers: order.preferredCarriers,
            promisedDeliveryDate: kind === 'return' ? undefined : order.promisedDeliveryDate, timers: settings.shipment,
          }],
          typedSearchAttributes: [{ key: searchAttributes.SalesChannel, value: order.channel }],
          staticSummary: `${kind === 'return' ? 'Return parcel' : 'Parcel'} ${n} of order ${order.orderId}, warehouse ${allocation.warehouseId}`,
        }),
      );
    }
  }

  /** Until every child of this phase ends; outbound parcels set the order's status as they move. */
  async function followShipments(deriveStatus: boolean): Promise<void> {
    let allFinished = false;
    const finished = Promise.all(children.map((child) => child.result())).finally(() => (allFinished = true));
    while (!allFinished) {
      await condition(() => shipmentsChanged || allFinished);
      shipmentsChanged = false;
      const status = deriveStatus ? orderStatusOf(view.shipments) : undefined;
      if (status) await moveTo(status);
    }
    for (const result of await finished) view.shipments[view.shipments.findIndex((s) => s.shipmentId === result.shipmentId)] = result;
  }
}
