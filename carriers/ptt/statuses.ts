// PTT's event codes (IKODU, "gonderi_durum_id") → the engine's statuses. Each barkodSorgu event carries its own
// numeric code, so every event is mapped on its own (no shipment-level status). Codes and their meaning as public
// integrations list them (README.md, "Sources": [D]); one the table lacks becomes 'unknown' and is logged once.
import type { TrackingStatus } from '../../domain/shipment';

const statuses = (status: TrackingStatus, codes: number[]): Array<[string, TrackingStatus]> => codes.map((code) => [String(code), status]);

/** The data was registered (701, "Kayıt Edildi"): PTT holds it, no office has the parcel yet. */
export const REGISTERED = '701';
/** Our deletion before acceptance (the sandbox's event for a deleted record; PTT's own word is unpublished). */
export const DELETED = '2';

export const PTT_STATUSES: ReadonlyMap<string, TrackingStatus> = new Map<string, TrackingStatus>([
  [REGISTERED, 'pending'],
  ...statuses('picked_up', [1]), // "Kabul Edildi": an office accepted the parcel
  // SEVK: dispatched, bagged, unbagged, handed between units, arrived at a unit
  ...statuses('in_transit', [3, 4, 5, 6, 8, 9, 11, 13, 14, 77, 78, 91, 92, 148, 149, 159, 999]),
  ...statuses('out_for_delivery', [7]), // "Dağıtıcıya Verildi": with the postman
  ...statuses('ready_for_pickup', [112]), // "PTT İşyerine Teslim": waits at the PTT office
  // TESLİM: delivered, to the addressee, a relative, at work, from a parcel locker (202)
  ...statuses('delivered', [100, 157, 202, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 252, 807, 812, 818, 824]),
  // TESLİM EDİLEMEDİ: an attempt that failed (not at the address, unknown there, refused, building closed, notice left)
  ...statuses('delivery_failed', [101, 107, 111, 113, 118, 124, 125, 126, 131, 140, 146, 380]),
  // İADE: going back to the sender, for a reason given in the code
  ...statuses('return_to_sender', [99, 150, 151, 152, 153, 154, 155, 156, 158, 160, 161, 162, 163]),
  ...statuses('returned', [120, 141]), // "Göndericisine Teslim Edildi"
  [DELETED, 'cancelled'],
  ...statuses('on_hold', [303]), // held at customs
]);
