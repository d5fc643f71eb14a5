// Yurtiçi's published codes → the engine's statuses. The carrier reports a status for the shipment,
// not per movement: the operationStatus/operationCode pair (spec README, "operationStatus /
// operationCode"), and once the receiver refused the parcel, rejectStatus and returnStatus. Keyed by
// the raw code as reported; one the table lacks becomes 'unknown' and is logged once, never guessed.
import type { TrackingStatus } from '../../domain/shipment';

/** The published code of each status (one each): fills a pair whose code a reply leaves out, as a shortened public sample does. */
const STATUS_CODES: Record<string, number> = { NOP: 0, IND: 1, ISR: 2, CNL: 3, ISC: 4, DLV: 5, BI: 6 };

/** The pair as reported and logged: `${operationStatus}/${operationCode}`, e.g. `IND/1`. */
export const pairCode = (operationStatus: string, operationCode: number | undefined): string =>
  `${operationStatus}/${operationCode ?? STATUS_CODES[operationStatus] ?? ''}`;

/** rejectStatus values that mean the parcel is going back to the sender (4, 7, 8, 11: the return was stopped, delivery resumed). */
const GOING_BACK = new Set([0, 1, 2, 3, 9, 10]);
/** returnStatus 3: back with the sender (0–2 say only whether a return invoice exists). */
const RETURNED = 3;

/** The code that says where the parcel is: back with the sender, going back, else the pair. */
export function rawCode(pair: string, item: { rejectStatus?: number; returnStatus?: number } | undefined): string {
  if (item?.returnStatus === RETURNED) return `returnStatus/${RETURNED}`;
  if (item?.rejectStatus !== undefined && GOING_BACK.has(item.rejectStatus)) return `rejectStatus/${item.rejectStatus}`;
  return pair;
}

export const YURTICI_STATUSES: ReadonlyMap<string, TrackingStatus> = new Map<string, TrackingStatus>([
  ['NOP/0', 'pending'], // registered; no branch has processed the parcel
  ['IND/1', 'in_transit'], // "in delivery": the whole way to the receiver, not only the last mile
  ['ISR/2', 'picked_up'], // a branch has the parcel, its paperwork is incomplete
  ['CNL/3', 'cancelled'], // dispatch blocked: cancelled now
  ['ISC/4', 'cancelled'], // cancelled before
  ['DLV/5', 'delivered'],
  // The branch cancelled the carrier's document: whether the parcel is void or re-issued is not
  // published, so ops look at it rather than the engine guessing (spec README, item 44).
  ['BI/6', 'on_hold'],
  ...[...GOING_BACK].map((n): [string, TrackingStatus] => [`rejectStatus/${n}`, 'return_to_sender']),
  [`returnStatus/${RETURNED}`, 'returned'],
]);
