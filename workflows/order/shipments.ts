// The order's parcels: one shipment child per parcel, followed until every one of a phase ends.
import { condition, getExternalWorkflowHandle, startChild } from '@temporalio/workflow';
import { orderStatusOf } from '../../domain/order-progress';
import type { Allocation } from '../../domain/shipment';
import { cancelShipmentSignal, searchAttributes, shipmentWorkflowId } from '../definitions';
import { shipmentWorkflow } from '../shipment';
import type { Order } from './state';

/** Starts a child per parcel (numbered on from the order's earlier parcels); they become the order's current phase. */
export async function startShipments(
  order: Order,
  parcels: { allocation: Allocation; carrier?: string }[],
  kind: 'outbound' | 'return' = 'outbound',
): Promise<void> {
  const { input, view, settings } = order;
  const { orderId } = input;
  order.children = [];
  for (const { allocation, carrier } of parcels) {
    const n = view.shipments.length + 1;
    const shipmentId = shipmentWorkflowId(orderId, n);
    view.shipments.push({ shipmentId, kind, warehouseId: allocation.warehouseId, lines: allocation.lines, status: 'packing', events: [] });
    order.children.push(
      await startChild(shipmentWorkflow, {
        workflowId: shipmentId,
        args: [
          {
            kind,
            returnCarrier: carrier,
            orderId,
            shipmentId,
            allocation,
            to: order.deliveryAddress(),
            service: input.service,
            cashOnDelivery: input.cashOnDelivery,
            preferredCarriers: input.preferredCarriers,
            carrierPolicy: input.carrierPolicy,
            channel: input.channel,
            promisedDeliveryDate: kind === 'return' ? undefined : input.promisedDeliveryDate,
            timers: settings.shipment,
          },
        ],
        typedSearchAttributes: [{ key: searchAttributes.SalesChannel, value: input.channel }],
        staticSummary: `${kind === 'return' ? 'Return parcel' : 'Parcel'} ${n} of order ${orderId}, warehouse ${allocation.warehouseId}`,
      }),
    );
    // A cancel accepted while this child was starting did not reach it.
    if (order.cancelReason) await getExternalWorkflowHandle(shipmentId).signal(cancelShipmentSignal);
  }
}

/**
 * Until every child of this phase ends; outbound parcels set the order's status as they move.
 * A child that failed (a bug, not a carrier: those are handled inside it) is left for ops.
 */
export async function followShipments(order: Order, deriveStatus: boolean): Promise<void> {
  const { view, children } = order;
  let allFinished = false;
  const finished = Promise.allSettled(children.map((child) => child.result())).finally(() => (allFinished = true));
  while (!allFinished) {
    await condition(() => order.shipmentsChanged || allFinished);
    order.shipmentsChanged = false;
    const status = deriveStatus ? orderStatusOf(view.shipments) : undefined;
    if (status) await order.moveTo(status);
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
    await order.moveTo('needs_attention', failed.attention);
    await condition(() => false); // ops reset or terminate the order from the Temporal UI
  }
}
