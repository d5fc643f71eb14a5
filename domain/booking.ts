// What a booking round decides, apart from the calls it makes: the idempotency keys that keep a
// parcel to one live booking, and what to do when no carrier booked. Pure: workflow code imports it.
import { ADDRESS_REJECTED } from './carrier-failures';
import type { Quote } from './carrier-policy';
import type { MarketplaceShipping } from './shipment';

/** One key per carrier and round: a retried call returns the first booking; a lost one is voided by it. */
export function bookingKey(shipmentId: string, carrier: string, round: number): string {
  return `${shipmentId}:${carrier}:${round}`;
}

/** A return parcel is booked once, with one carrier. */
export function returnBookingKey(shipmentId: string): string {
  return `${shipmentId}:return`;
}

/** The key of a parcel on the marketplace's own contract: no carrier of ours holds its booking, so nothing of ours voids it. */
export function marketplaceBookingKey({ accountId, packageId }: Pick<MarketplaceShipping, 'accountId' | 'packageId'>): string {
  return `marketplace:${accountId}:${packageId}`;
}

export function isMarketplaceBooking({ idempotencyKey }: { idempotencyKey: string }): boolean {
  return idempotencyKey.startsWith('marketplace:');
}

/** Every carrier that was tried rejected the address: only a corrected address can help, not another carrier. */
export function onlyAddressRejected(refusals: string[]): boolean {
  return refusals.length > 0 && refusals.every((type) => type === ADDRESS_REJECTED);
}

/** Why a round booked nothing, for ops; with the carriers' own words where they refused for want of customs data (they name the missing fields). */
export function whyNotBooked(quotes: Quote[], customsRefusals: string[] = []): string {
  if (quotes.length === 0) return 'no carrier can take this parcel';
  const refused = `every carrier refused (${quotes.map((q) => q.carrier).join(', ')})`;
  return [refused, ...customsRefusals].join('; ');
}

/** What ops are asked to do when a round booked nothing: supply the customs data first where that was wanting. */
export function needsAttentionBecause(quotes: Quote[], customsRefusals: string[]): string {
  const todo =
    customsRefusals.length > 0
      ? 'supply the customs data: PUT /v1/orders/:orderId/customs (this order; it books again), or PUT /v1/products/:sku (the catalogue) then send retryBooking'
      : 'send retryBooking, optionally naming a carrier';
  return `${whyNotBooked(quotes, customsRefusals)}: ${todo}`;
}

/** The pause before asking carriers again after a round of transient failures: 1 minute, doubling, at most 8. */
export function transientBackoffMs(waitsSoFar: number): number {
  return Math.min(60_000 * 2 ** waitsSoFar, 8 * 60_000);
}
