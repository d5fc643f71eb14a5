// What only a return parcel does: its label comes from the carrier that delivered the parcel, an
// unused label expires, and what arrives back goes on the shelf.
import { ActivityFailure } from '@temporalio/workflow';
import { returnBookingKey } from '../../domain/booking';
import type { Booking, ShipmentRequest, ShipmentView } from '../../domain/shipment';
import { PATCHES } from '../patches';
import { records } from './activities';
import type { Shipment } from './state';

/** A return label from the parcel's carrier; a refusal ends the return as cancelled, with the carrier's reason. */
export async function bookReturn(shipment: Shipment, request: ShipmentRequest): Promise<Booking | undefined> {
  const { returnCarrier: name, shipmentId } = shipment.input;
  const idempotencyKey = returnBookingKey(shipmentId);
  try {
    return await shipment.carrier(name!).createReturn({ carrier: name!, request, idempotencyKey });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    // The carrier may have issued the label though its answer was lost: voided by our key, as a failed booking is.
    if (shipment.patches.taken(PATCHES.failedReturnVoided)) shipment.voidBeside({ carrier: name!, idempotencyKey });
    await shipment.cancel(`return label refused: ${err.cause?.message ?? err.message}`);
    return undefined;
  }
}

export async function expireReturnLabel(shipment: Shipment, booking: Booking): Promise<ShipmentView> {
  await shipment.voidLabel(booking);
  return shipment.cancel('the return label expired unused: voided');
}

/** A return parcel holds what the customer sent back: exactly those lines go on the shelf. */
export async function receiveReturn(shipment: Shipment): Promise<void> {
  const { orderId, shipmentId, allocation } = shipment.input;
  await records.restockReturn({ orderId, warehouseId: allocation.warehouseId, shipmentId, lines: allocation.lines });
  await shipment.moveTo('returned', undefined, { tell: ['return_received'] });
}
