// MNG's shipmentStatusCode (REST) → the engine's statuses, from the one REST source with the
// carrier's texts (tcgunel/omniship-mng README.md, REST version; spec/README.md "Code tables").
// Explicit on purpose: a code or text the table lacks becomes 'unknown' and is logged once, never
// guessed. 0 and "7 = back with the sender" are the legacy SOAP service's, not REST's: left out.
import type { TrackingStatus } from '../../domain/shipment';

export const MNG_STATUSES: ReadonlyMap<string, TrackingStatus> = new Map<string, TrackingStatus>([
  // "Prepared": the label is made, the carrier does not have the parcel yet (not picked_up).
  ['1', 'pending'],
  ['2', 'in_transit'], // in transfer
  ['3', 'in_transit'], // at the delivery unit
  ['4', 'out_for_delivery'], // directed to the recipient's address
  ['5', 'delivered'],
  ['6', 'delivery_failed'],
  ['7', 'return_to_sender'], // coming back; no REST code says it has arrived
  ['8', 'on_hold'], // needs support: a hold-up, not an end
]);

/** MNG's own text for each code, as a movement's eventStatus is assumed to carry it (README.md). */
export const MNG_STATUS_TEXTS: Readonly<Record<number, string>> = {
  1: 'Gönderi Hazırlandı',
  2: 'Transfer Aşamasında',
  3: 'Teslimat Birimine Ulaştı',
  4: 'Alıcı Adresine Yönlendirildi',
  5: 'Teslim Edildi',
  6: 'Teslim Edilemedi',
  7: 'Geri Geliyor',
  8: 'Destek Gerekiyor',
};

/** Texts compared as MNG's services may write them: case, Turkish letters and spacing aside. */
export function foldText(text: string): string {
  return text
    .toLocaleLowerCase('tr-TR')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .replace(/[^a-z0-9]/g, '');
}

const CODE_BY_TEXT = new Map(Object.entries(MNG_STATUS_TEXTS).map(([code, text]) => [foldText(text), code]));

/** A movement's raw code: the published code its text names, else the text itself (unknown, logged once). */
export const rawCodeOf = (eventStatus: string): string => CODE_BY_TEXT.get(foldText(eventStatus)) ?? eventStatus.trim();
