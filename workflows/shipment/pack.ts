// Plan and pack: the parcel's size and weight, before any carrier is asked.
import { condition } from '@temporalio/workflow';
import type { Parcel } from '../../domain/shipment';
import { records } from './activities';
import type { Shipment } from './state';

/** The parcel to book; undefined when the shipment was cancelled first. A return is packed by the customer: it is planned only. */
export async function planAndPack(shipment: Shipment): Promise<Parcel | undefined> {
  return shipment.kind === 'return' ? await records.planParcel(shipment.input.allocation) : await pack(shipment);
}

/** The planned parcel and how its warehouse packs: one local activity in a lean run, two (in this order) in an older one. */
async function plan({ lean, input: { allocation } }: Shipment): Promise<{ planned: Parcel; manualPacking: boolean }> {
  if (lean) {
    const { parcel, manualPacking } = await records.packingPlan(allocation);
    return { planned: parcel, manualPacking };
  }
  const planned = await records.planParcel(allocation);
  const { manualPacking } = await records.warehouseSettings({ warehouseId: allocation.warehouseId });
  return { planned, manualPacking };
}

/**
 * The parcel from SKU master data, or, for a warehouse that packs by hand, the WMS's
 * `packed` signal with the real weight; ops are alerted when packing takes too long.
 */
async function pack(shipment: Shipment): Promise<Parcel | undefined> {
  const { orderId, shipmentId, timers } = shipment.input;
  const { planned, manualPacking } = await plan(shipment);
  if (!manualPacking) return planned;
  await shipment.moveTo('awaiting_pack');
  const done = () => shipment.packed !== undefined || shipment.cancelRequested;
  if (!(await condition(done, timers.packEscalation))) {
    const message = `not packed within ${timers.packEscalation}: the WMS must send packed`;
    await records.alertOps({ orderId, shipmentId, kind: 'packing_overdue', message });
    await shipment.moveTo('awaiting_pack', message);
    await condition(done);
  }
  return shipment.cancelRequested ? undefined : { ...planned, ...shipment.packed };
}
