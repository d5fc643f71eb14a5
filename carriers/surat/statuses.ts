// Sürat's status words → the engine's statuses. Sürat reports a status in Turkish words on the
// shipment and on each movement (`Durum`), written with or without Turkish letters ("Dağıtıma
// Verildi", "Dagitima Verildi"): the table is keyed by the words folded to ASCII lower case. A
// wording the table lacks becomes 'unknown' and is logged once, never guessed by keyword.
import type { TrackingStatus } from '../../domain/shipment';

const FOLD: Record<string, string> = { ç: 'c', ğ: 'g', ı: 'i', İ: 'i', ö: 'o', ş: 's', ü: 'u', Ç: 'c', Ğ: 'g', Ö: 'o', Ş: 's', Ü: 'u' };

/** The table's key for a status text: Turkish letters folded to ASCII, lower case, single spaces. */
export const statusKey = (text: string): string =>
  text
    .replace(/[çğıİöşüÇĞÖŞÜ]/g, (c) => FOLD[c])
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

export const SURAT_STATUSES: ReadonlyMap<string, TrackingStatus> = new Map<string, TrackingStatus>([
  ['kargo kabul', 'picked_up'], // taken in at the sender's branch
  ['aktarma merkezinde', 'in_transit'],
  ['transfer', 'in_transit'],
  ['yolda', 'in_transit'],
  ['dagitim subesinde', 'in_transit'], // at the delivery branch, not yet out
  ['dagitima verildi', 'out_for_delivery'],
  ['teslim edildi', 'delivered'],
  ['teslim edilemedi', 'delivery_failed'],
  ['subede bekliyor', 'ready_for_pickup'], // the receiver collects it at the branch
  ['iade surecinde', 'return_to_sender'],
  ['iade', 'return_to_sender'], // the notes' bare word: on its way back
  ['iade edildi', 'returned'],
  ['iptal', 'cancelled'],
]);

/** The table read by folded key, so a status text is looked up (and an unknown one logged) as the carrier wrote it. */
class FoldedStatuses extends Map<string, TrackingStatus> {
  override get(text: string): TrackingStatus | undefined {
    return super.get(statusKey(text));
  }
}

/** What createStatusMapper looks raw status texts up in. */
export const SURAT_STATUS_TABLE: ReadonlyMap<string, TrackingStatus> = new FoldedStatuses(SURAT_STATUSES);
