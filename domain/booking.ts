// What a booking round decides, apart from the calls it makes: the idempotency keys that keep a
// parcel to one live booking, and what to do when no carrier booked. Pure: workflow code imports it.
import { ADDRESS_REJECTED } from './carrier-failures';
import type { Quote } from './carrier-policy';

/** One key per carrier and round: a retried call returns the first booking; a lost one is voided by it. */
export function bookingKey(shipmentId: string, carrier: string, round: number): string {
  return `${shipmentId}:${carrier}:${round}`;
}

/** A return parcel is booked once, with one carrier. */
export function returnBookingKey(shipmentId: string): string {
  return `${shipmentId}:return`;
}

/** Every carrier that was tried rejected the address: only a corrected address can help, not another carrier. */
export function onlyAddressRejected(refusals: string[]): boolean {
  return refusals.length > 0 && refusals.every((type) => type === ADDRESS_REJECTED);
}

/** Why a round booked nothing, for ops. */
export function whyNotBooked(quotes: Quote[]): string {
  return quotes.length === 0 ? 'no carrier can take this parcel' : `every carrier refused (${quotes.map((q) => q.carrier).join(', ')})`;
}

/** The pause before asking carriers again after a round of transient failures: 1 minute, doubling, at most 8. */
export function transientBackoffMs(waitsSoFar: number): number {
  return Math.min(60_000 * 2 ** waitsSoFar, 8 * 60_000);
}
