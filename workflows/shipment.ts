// One parcel, from packing to delivery: pack → book a carrier (falling back down the ranked
// quotes, never leaving two live bookings; or take the marketplace's carrier and label) → label →
// notify → follow tracking to the end, flagging a parcel that is late or has gone silent. Started
// by the order workflow, one per warehouse the order ships from. The phases live in shipment/, over
// one Shipment state object.
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { Booking, ShipmentRequest, ShipmentView } from '../domain/shipment';
import { searchAttributes } from './definitions';
import { SHIPMENT_PATCHES, takePatchesAtStart } from './patches';
import { bookWithFallback } from './shipment/book';
import { takeMarketplaceLabel } from './shipment/marketplace';
import { planAndPack } from './shipment/pack';
import { bookReturn } from './shipment/returns';
import { Shipment, type ShipmentInput } from './shipment/state';
import { followTracking, startTracking } from './shipment/tracking';

export type { ShipmentInput, ShipmentTimers } from './shipment/state';

export function shipmentWorkflow(input: ShipmentInput): Promise<ShipmentView> {
  return shipParcelToItsEnd(new Shipment(input, takePatchesAtStart(SHIPMENT_PATCHES)));
}

/** The parcel's way to its end, in its own workflow or inside its order's (order/parcel.ts). */
export async function shipParcelToItsEnd(shipment: Shipment): Promise<ShipmentView> {
  try {
    return await shipParcel(shipment);
  } finally {
    await shipment.voidsSettled(); // no booking left behind unvoided or unrecorded
    await shipment.noticesSettled(); // the customer hears of the last step before the parcel's workflow ends (or continues as new)
  }
}

async function shipParcel(shipment: Shipment): Promise<ShipmentView> {
  const { input, view } = shipment;
  if (input.resume) return followTracking(shipment, input.resume);

  if (!shipment.startedSearchable) upsertSearchAttributes([{ key: searchAttributes.WarehouseId, value: input.allocation.warehouseId }]);
  await shipment.moveTo('packing');
  const parcel = await planAndPack(shipment);
  if (!parcel) return shipment.cancel('cancelled while packing');
  view.parcel = parcel;

  const request = shipment.request(parcel);
  const booking = await book(shipment, request);
  if (!booking) return view; // cancelled: the booking said why
  await label(shipment, booking);

  return followTracking(shipment, await startTracking(shipment, booking));
}

/**
 * A return with its return carrier; a parcel on the marketplace's own contract takes the
 * marketplace's carrier and label (behind its patch: Shipment.contract); any other with the best
 * carrier that accepts.
 */
function book(shipment: Shipment, request: ShipmentRequest): Promise<Booking | undefined> {
  if (shipment.kind === 'return') return bookReturn(shipment, request);
  if (shipment.contract) return takeMarketplaceLabel(shipment, request);
  return bookWithFallback(shipment, request);
}

/** The booking onto the shipment, its carrier and tracking number into search, and the customer told. */
async function label(shipment: Shipment, booking: Booking): Promise<void> {
  Object.assign(shipment.view, { carrier: booking.carrier, trackingNumber: booking.trackingNumber, labelRef: booking.labelRef });
  // An owner (the order the parcel runs inside) upserts them with its labelled status.
  if (!shipment.owner)
    upsertSearchAttributes([
      { key: searchAttributes.Carrier, value: booking.carrier },
      { key: searchAttributes.TrackingNumber, value: booking.trackingNumber },
    ]);
  await shipment.moveTo('labelled', undefined, { tell: [shipment.kind === 'return' ? 'return_label' : 'shipped'] });
}
