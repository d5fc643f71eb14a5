// Aras movement codes → the engine's statuses: the delivery status (DURUM KODU) read together
// with the type (TİP KODU), because the same status means another thing on a returned parcel
// ("at the delivery branch" of a return is on its way back to us). Every pair is listed; a pair
// the table lacks becomes 'unknown' and is logged once, never guessed.
import type { TrackingStatus } from '../../domain/shipment';

/** The raw code as reported and logged: `${durumKodu}/${tipKodu}`, e.g. `4/1` out for delivery, normal. */
export const rawCode = (statusCode: number, typeCode: number): string => `${statusCode}/${typeCode}`;

export const ARAS_STATUSES: ReadonlyMap<string, TrackingStatus> = new Map<string, TrackingStatus>([
  // TİP 1, normal: towards the customer.
  ['1/1', 'picked_up'], // at the origin branch (Çıkış Şubesinde): the carrier has the parcel
  ['2/1', 'in_transit'], // on the way (Yolda)
  ['3/1', 'in_transit'], // at the delivery branch (Teslimat Şubesinde), not yet out
  ['4/1', 'out_for_delivery'], // Teslimatta
  // Partially delivered (Parçalı Teslimat): we ship one piece per parcel, so part of it missing needs ops.
  ['5/1', 'on_hold'],
  ['6/1', 'delivered'], // Teslim Edildi
  ['7/1', 'in_transit'], // redirected (Yönlendirildi) to another branch or address: still moving
  // TİP 2, redirected: still towards the customer, by another route.
  ['1/2', 'in_transit'],
  ['2/2', 'in_transit'],
  ['3/2', 'in_transit'],
  ['4/2', 'out_for_delivery'],
  ['5/2', 'on_hold'],
  ['6/2', 'delivered'],
  ['7/2', 'in_transit'],
  // TİP 3, returned (İade): on its way back to the sender; "delivered" means back with us.
  ['1/3', 'return_to_sender'],
  ['2/3', 'return_to_sender'],
  ['3/3', 'return_to_sender'],
  ['4/3', 'return_to_sender'],
  ['5/3', 'on_hold'],
  ['6/3', 'returned'],
  ['7/3', 'return_to_sender'],
]);
