// One order, from intake to close: allocate stock → one shipment child per warehouse
// (pack, book, label, notify, track) → delivered → return window → closed.
// Cancelling before any parcel is with a carrier undoes what was done: labels voided,
// stock released.
import {
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
  type SignalDefinition,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { Activities } from '../activities';
import type { Address, OrderInput, OrderStatus, OrderView, ReturnLabel, ReturnRequest } from '../domain/order';
import type { Allocation, ShipmentStatus, ShipmentView } from '../domain/shipment';
import { handedToCarrier } from '../domain/statuses';
import {
  addressCorrectedSignal,
  cancelShipmentSignal,
  cancelUpdate,
  correctAddressUpdate,
  NOTICE_ACTIVITY_OPTIONS,
  requestReturnUpdate,
  searchAttributes,
  shipmentProgressSignal,
  shipmentWorkflowId,
  statusQuery,
  stockReplenishedSignal,
} from './definitions';
import { shipmentWorkflow, type ShipmentTimers } from './shipment';

// Short PostgreSQL writes run as local activities on this worker: one marker in the history instead
// of an activity's three events and the workflow task that follows (docs/performance.md).
const { recordOrder, recordStatus, allocateStock, releaseStock } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// The last word to the customer (cancelled) rides out a provider or database outage, then the order ends anyway.
const { notifyCustomer } = proxyActivities<Activities>(NOTICE_ACTIVITY_OPTIONS);

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
    returnLabelValidity: '30 days',
    activitySummaries: true,
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

  // Signals go by workflow id alone (a shipment may have continued as a new run), and only to
  // shipments still running: one that already ended must not fail the caller's update.
  const signalShipments = <T extends unknown[]>(signal: SignalDefinition<T>, ...args: T) =>
    Promise.all(
      view.shipments
        .filter((s) => !['cancelled', 'delivered', 'returned'].includes(s.status))
        .map((s) => getExternalWorkflowHandle(s.shipmentId).signal(signal, ...args).catch(() => undefined)),
    );

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
      await signalShipments(addressCorrectedSignal, deliveryAddress());
      return view.status;
    },
    { validator: (_request) => assertBeforeLabel('address_not_changeable') },
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

  /** A printed label carries the old address: re-addressing stops there. */
  function assertBeforeLabel(code: string): void {
    assertBeforeHandOver(code);
    const labelled = view.shipments.find((s) => s.trackingNumber && s.status !== 'cancelled');
    if (labelled) throw new Error(`${code}: parcel ${labelled.shipmentId} is already ${labelled.status} with a label; cancel and re-order instead`);
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
  if (!allocations || cancelReason) return cancel(cancelReason ?? 'no stock before the backorder timeout');
  view.allocations = allocations;
  await moveTo('allocated');

  await startShipments(allocations.map((allocation) => ({ allocation })));
  await followShipments(true);
  // What a cancelled parcel held goes back to the shelf (parcels that shipped hold nothing any more).
  await releaseStock({ orderId: order.orderId });
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
    .filter((s) => s.kind === 'return' && s.trackingNumber && s.status !== 'cancelled')
    .map((s) => ({ shipmentId: s.shipmentId, carrier: s.carrier!, trackingNumber: s.trackingNumber!, labelRef: s.labelRef! }));
  await followShipments(false);
  if (returnLabels.length === 0) {
    await moveTo('closed', 'no return label could be had: the carriers refused');
    return view;
  }
  if (!view.shipments.some((s) => s.kind === 'return' && s.status === 'returned')) {
    await moveTo('closed', 'the return labels expired unused');
    return view;
  }
  await moveTo('returned', 'return received, stock is back');
  return view;

  /** Reserves stock; while there is none, waits for replenishment until the backorder timeout. Undefined when cancelled. */
  async function allocate(): Promise<Allocation[] | undefined> {
    for (;;) {
      if (cancelReason) return undefined;
      replenished = false; // before looking: a wake-up from now on means look again
      const result = await allocateStock({ orderId: order.orderId, lines: order.lines });
      if (result.status === 'allocated') return result.allocations;
      await moveTo('backordered', `short: ${result.missing.map((m) => `${m.sku} × ${m.short}`).join(', ')}`);
      const woken = await condition(() => replenished || cancelReason !== undefined, settings.backorderTimeout);
      if (!woken) return undefined;
    }
  }

  /** Each delivered parcel holding requested SKUs goes back with its own carrier. */
  /** What goes back in which parcel: the asked-for quantities (all delivered when none), taken parcel by parcel. */
  function returnAllocations(request: ReturnRequest): { allocation: Allocation; carrier: string }[] {
    const remaining = new Map<string, number>();
    for (const l of request.lines ?? []) remaining.set(l.sku, (remaining.get(l.sku) ?? 0) + l.quantity);
    const take = (sku: string, shipped: number) => {
      if (!request.lines) return shipped;
      const n = Math.min(shipped, remaining.get(sku) ?? 0);
      remaining.set(sku, (remaining.get(sku) ?? 0) - n);
      return n;
    };
    return view.shipments
      .filter((s) => s.kind === 'outbound' && s.status === 'delivered')
      .map((s) => ({
        allocation: { warehouseId: s.warehouseId, lines: s.lines.map((l) => ({ sku: l.sku, quantity: take(l.sku, l.quantity) })).filter((l) => l.quantity > 0) },
        carrier: s.carrier!,
      }))
      .filter(({ allocation }) => allocation.lines.length > 0);
  }

  /** Couriers call before delivering (some carriers require a phone): the customer's, when the address has none. */
  function deliveryAddress(): Address {
    return shippingAddress.phone || !order.customer.phone ? shippingAddress : { ...shippingAddress, phone: order.customer.phone };
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
            kind, returnCarrier: carrier, orderId: order.orderId, shipmentId, allocation, to: deliveryAddress(), service: order.service,
            cashOnDelivery: order.cashOnDelivery, preferredCarriers: order.preferredCarriers, carrierPolicy: order.carrierPolicy, channel: order.channel,
            promisedDeliveryDate: kind === 'return' ? undefined : order.promisedDeliveryDate, timers: settings.shipment,
          }],
          typedSearchAttributes: [{ key: searchAttributes.SalesChannel, value: order.channel }],
          staticSummary: `${kind === 'return' ? 'Return parcel' : 'Parcel'} ${n} of order ${order.orderId}, warehouse ${allocation.warehouseId}`,
        }),
      );
      // A cancel accepted while this child was starting did not reach it.
      if (cancelReason) await getExternalWorkflowHandle(shipmentId).signal(cancelShipmentSignal);
    }
  }

  /**
   * Until every child of this phase ends; outbound parcels set the order's status as they move.
   * A child that failed (a bug, not a carrier: those are handled inside it) is left for ops.
   */
  async function followShipments(deriveStatus: boolean): Promise<void> {
    let allFinished = false;
    const finished = Promise.allSettled(children.map((child) => child.result())).finally(() => (allFinished = true));
    while (!allFinished) {
      await condition(() => shipmentsChanged || allFinished);
      shipmentsChanged = false;
      const status = deriveStatus ? orderStatusOf(view.shipments) : undefined;
      if (status) await moveTo(status);
    }
    const results = await finished;
    for (const [i, result] of results.entries()) {
      const at = view.shipments.findIndex((s) => s.shipmentId === children[i].workflowId);
      if (result.status === 'fulfilled') view.shipments[at] = result.value;
      else view.shipments[at] = { ...view.shipments[at], status: 'needs_attention', attention: `shipment workflow failed: ${result.reason}` };
    }
    const failed = view.shipments.find((s) => s.status === 'needs_attention');
    if (failed) {
      view.pendingActions = [`${failed.shipmentId}: ${failed.attention}`];
      await moveTo('needs_attention', failed.attention);
      await condition(() => false); // ops reset or terminate the order from the Temporal UI
    }
  }
}
