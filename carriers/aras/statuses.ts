// Aras state codes → the engine's statuses (the query document, §2.2.1 and §2.3). The state
// (DURUM KODU) is read together with the type (TİP KODU), because the same state means another
// thing on a returned parcel ("at the delivery branch" of a return is on its way back to us); a
// parcel back at its delivery branch with a non-delivery reason (DEVİR KODU) is read by that
// reason. Every published code is listed; a code the table lacks becomes 'unknown' and is logged
// once, never guessed.
import type { TrackingStatus } from '../../domain/shipment';

/** DURUM KODU 3: at the delivery branch, where a failed delivery attempt leaves a parcel with its reason. */
const AT_DELIVERY_BRANCH = '3';
/** TİP KODU 3: returned; a return's reasons are not ours to act on. */
const RETURNED = '3';

/**
 * The raw code as reported and logged: `${durum}/${tip}`, e.g. `4/1` out for delivery, normal; or
 * `devir ${code}` for a parcel kept at its delivery branch for a reason, e.g. `devir 15`.
 */
export function rawCode(durumKodu: string, tipKodu: string, devirKodu?: string): string {
  if (devirKodu && durumKodu === AT_DELIVERY_BRANCH && tipKodu !== RETURNED) return `devir ${devirKodu}`;
  return `${durumKodu}/${tipKodu}`;
}

const STATES: Array<[string, TrackingStatus]> = [
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
];

/** DEVİR KODU (§2.3): why the parcel is still at its delivery branch. */
const REASONS: Array<[string, TrackingStatus]> = [
  ['10', 'delivery_failed'], // AY address wrong or insufficient
  ['11', 'delivery_failed'], // NT notice left
  ['12', 'delivery_failed'], // MD the area's mobile delivery day
  ['14', 'delivery_failed'], // TL holiday
  ['15', 'ready_for_pickup'], // ŞA the customer collects at the branch
  ['17', 'delivery_failed'], // AD outside the delivery area
  ['18', 'delivery_failed'], // TG not delivered within the day
  ['20', 'delivery_failed'], // AA receiver unknown at the address
  ['22', 'on_hold'], // HT damaged or problem parcel: ops
  ['26', 'on_hold'], // KG at customs
  ['32', 'ready_for_pickup'], // PR Pratik 7/24, the carrier's pick-up point
  ['33', 'delivery_failed'], // ÜR receiver refused to pay the carriage
  ['34', 'delivery_failed'], // KE receiver refuses the parcel (a return follows)
  ['45', 'on_hold'], // TT delivery on a day the customer chose
  ['47', 'on_hold'], // PS a piece missing or damaged: ops
  ['51', 'delivery_failed'], // TO civil unrest
];

export const ARAS_STATUSES: ReadonlyMap<string, TrackingStatus> = new Map<string, TrackingStatus>([
  ...STATES,
  ...REASONS.map(([code, status]): [string, TrackingStatus] => [`devir ${code}`, status]),
]);
