// The order's parcels: one shipment child per parcel, followed until every one of a phase ends.
import {
  CancellationScope,
  ChildWorkflowCancellationType,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  startChild,
} from '@temporalio/workflow';
import { orderStatusOf } from '../../domain/order-progress';
import type { OrderStatus } from '../../domain/order';
import type { Allocation, ShipmentView } from '../../domain/shipment';
import { shipmentFinished } from '../../domain/statuses';
import { cancelShipmentSignal, searchAttributes, shipmentWorkflowId } from '../definitions';
import { PATCHES } from '../patches';
import { shipmentWorkflow } from '../shipment';
import type { ShipmentInput } from '../shipment/state';
import type { Order } from './state';

/**
 * A parcel outlives the order's run (ABANDON). The order continues as new while its parcels travel,
 * and the default policy would terminate them at every such close; an order terminated or reset by
 * ops must not kill a parcel whose label is live or which the carrier holds either. Cancellation is
 * not passed on (ABANDON): a shipment has no cancellation handler and would end without voiding its
 * label; a cancelled order tells its parcels through cancelShipment, as POST /cancel does.
 */
const OUTLIVE_THE_RUN = { parentClosePolicy: ParentClosePolicy.ABANDON, cancellationType: ChildWorkflowCancellationType.ABANDON };

/**
 * Starts a child per parcel (numbered on from the order's earlier parcels); they become the order's
 * current phase. Started in full even when ops cancel the order meanwhile: the cancel then finds
 * every parcel it must call back running.
 */
export function startShipments(
  order: Order,
  parcels: { allocation: Allocation; carrier?: string }[],
  kind: 'outbound' | 'return' = 'outbound',
) {
  return CancellationScope.nonCancellable(async () => {
    await startEach(order, parcels, kind);
    order.phase = kind;
  });
}

async function startEach(
  order: Order,
  parcels: { allocation: Allocation; carrier?: string }[],
  kind: 'outbound' | 'return',
): Promise<void> {
  const { input, view } = order;
  const outlive = (order.childrenOutliveRun ??= order.patches.taken(PATCHES.childrenOutliveRun));
  const { orderId } = input;
  order.children = [];
  for (const { allocation, carrier } of parcels) {
    const n = view.shipments.length + 1;
    const shipmentId = shipmentWorkflowId(orderId, n);
    view.shipments.push({ shipmentId, kind, warehouseId: allocation.warehouseId, lines: allocation.lines, status: 'packing', events: [] });
    order.children.push(
      await startChild(shipmentWorkflow, {
        workflowId: shipmentId,
        args: [parcelInput(order, { allocation, carrier }, kind, n)],
        typedSearchAttributes: [
          { key: searchAttributes.SalesChannel, value: input.channel },
          // A lean parcel starts with what it would otherwise upsert in its first task: two events fewer.
          ...(order.lean
            ? [
                { key: searchAttributes.WarehouseId, value: allocation.warehouseId },
                { key: searchAttributes.NeedsAttention, value: false },
              ]
            : []),
        ],
        staticSummary: `${kind === 'return' ? 'Return parcel' : 'Parcel'} ${n} of order ${orderId}, warehouse ${allocation.warehouseId}`,
        ...(outlive ? OUTLIVE_THE_RUN : {}),
      }),
    );
    // A cancel accepted while this child was starting did not reach it.
    if (order.cancelReason) await getExternalWorkflowHandle(shipmentId).signal(cancelShipmentSignal);
  }
}

/** What the order's `n`-th parcel is started with. */
export function parcelInput(
  order: Order,
  { allocation, carrier }: { allocation: Allocation; carrier?: string },
  kind: 'outbound' | 'return',
  n: number,
): ShipmentInput {
  const { input, settings } = order;
  return {
    kind,
    returnCarrier: carrier,
    orderId: input.orderId,
    shipmentId: shipmentWorkflowId(input.orderId, n),
    allocation,
    to: order.deliveryAddress(),
    service: input.service,
    cashOnDelivery: input.cashOnDelivery,
    preferredCarriers: input.preferredCarriers,
    carrierPolicy: input.carrierPolicy,
    channel: input.channel,
    promisedDeliveryDate: kind === 'return' ? undefined : input.promisedDeliveryDate,
    // The marketplace's contract covers one parcel, its first: any other ships with our carriers.
    marketplaceShipping: kind === 'outbound' && n === 1 ? input.marketplaceShipping : undefined,
    timers: settings.shipment,
    ...(order.lean && { reports: 'milestones' as const }),
  };
}

/**
 * Until every parcel of this phase ends; outbound parcels set the order's status as they move.
 * Past the history limit the run continues as new, and the next run follows the parcels by their
 * signals. A child that failed (a bug, not a carrier: those are handled inside it) is left for ops.
 */
export async function followShipments(order: Order, kind: 'outbound' | 'return'): Promise<void> {
  const { view, children } = order;
  const started = children.length > 0; // this run started them, so it can await their results
  let allFinished = false;
  const finished = Promise.allSettled(children.map((child) => child.result())).finally(() => (allFinished = true));
  const ended = () => (started ? allFinished : view.shipments.filter((s) => s.kind === kind).every(reportedItsEnd));
  // The history's length alone must not end the wait: an update the validator refuses comes in a
  // workflow task of its own that the history keeps only for the commands it brought (the update
  // leaves no event), so a replay never wakes there and finds a continue-as-new it cannot explain.
  // Nor may it be read once a local activity (the status record) is done: a query that comes during
  // the record makes the worker hand its result on in a new task, live but never in a replay. So the
  // run decides where an event woke it, before the record, and leaves that record to the next run.
  const lengthWakes = !order.patches.taken(PATCHES.continueAsNewOnEvents);
  if (!lengthWakes && !started) order.shipmentsChanged = true; // a resumed run records first
  while (!ended()) {
    await condition(() => order.shipmentsChanged || ended() || (lengthWakes && order.mayContinueAsNew()));
    if (lengthWakes && order.mayContinueAsNew()) await order.continueAsNew(kind);
    if (!lengthWakes && order.historyFull() && order.updatesRunning === 0) await order.continueAsNew(kind, statusOf(order, kind));
    order.shipmentsChanged = false;
    // Decided here, where the event woke the run, never after a record: what a report left for search
    // goes with the status it brings (moveTo), or alone when it brings none.
    const next = statusOf(order, kind);
    if (!order.unrecordedStatus && (next === undefined || next === order.view.status)) order.flushSearch();
    await recordStatusOf(order, kind);
  }
  if (order.unrecordedStatus) await recordStatusOf(order, kind); // the parcels had ended when this run began
  if (started) takeResults(order, await finished);
  await awaitOpsForFailedParcel(order);
}

/** A parcel whose steps failed (a bug, not a carrier: those are handled inside it) holds the order in needs_attention for ops. */
export async function awaitOpsForFailedParcel(order: Order): Promise<void> {
  const { view } = order;
  const failed = view.shipments.find((s) => s.status === 'needs_attention');
  if (!failed) return;
  view.pendingActions = [`${failed.shipmentId}: ${failed.attention}`];
  await order.moveTo('needs_attention', failed.attention);
  await condition(() => false); // ops reset or terminate the order from the Temporal UI
}

/** The order's status as its outbound parcels now stand (a return phase leaves it to the return). */
function statusOf(order: Order, kind: 'outbound' | 'return'): OrderStatus | undefined {
  return kind === 'outbound' ? orderStatusOf(order.view.shipments) : undefined;
}

/** Records the status the last run left unrecorded, then the status as the parcels now stand. */
async function recordStatusOf(order: Order, kind: 'outbound' | 'return'): Promise<void> {
  if (order.unrecordedStatus) await order.moveTo(order.unrecordedStatus);
  order.unrecordedStatus = undefined;
  const status = statusOf(order, kind);
  if (status) await order.moveTo(status);
}

/** The parcel's last status reached its order (a return parcel delivered to the warehouse is restocked, then returned). */
function reportedItsEnd({ kind, status }: ShipmentView): boolean {
  return shipmentFinished(status) && !(kind === 'return' && status === 'delivered');
}

/** Each child's last picture onto the view; a child that failed becomes needs_attention. */
function takeResults(order: Order, results: PromiseSettledResult<Awaited<ReturnType<typeof shipmentWorkflow>>>[]): void {
  const { view, children } = order;
  for (const [i, result] of results.entries()) {
    const at = view.shipments.findIndex((s) => s.shipmentId === children[i].workflowId);
    if (result.status === 'fulfilled') view.shipments[at] = result.value;
    else if (isCancellation(result.reason))
      throw result.reason; // ops cancelled the order: the parcel goes on, and hears of it
    else {
      order.failedShipments.add(view.shipments[at].shipmentId);
      view.shipments[at] = { ...view.shipments[at], status: 'needs_attention', attention: `shipment workflow failed: ${result.reason}` };
    }
  }
}
