// Book with fallback: down the ranked quotes until a carrier books, never leaving two live
// bookings; when none does, wait for a corrected address or for ops, then try again.
import { ActivityFailure, ApplicationFailure, condition } from '@temporalio/workflow';
import { bookingKey, onlyAddressRejected, whyNotBooked } from '../../domain/booking';
import { effectivePolicy, rankQuotes } from '../../domain/carrier-policy';
import type { Booking, Quote, ShipmentRequest } from '../../domain/shipment';
import { records } from './activities';
import type { Shipment } from './state';

/**
 * Books with the best carrier that accepts. When every carrier rejects the address, waits for
 * a corrected one (and cancels after the timeout); when they refuse for other reasons, waits
 * for ops. Undefined when the shipment was cancelled instead (it says why).
 */
export async function bookWithFallback(shipment: Shipment, request: ShipmentRequest): Promise<Booking | undefined> {
  for (let round = 1; ; round++) {
    if (shipment.cancelRequested) return shipment.cancel('cancelled before booking').then(() => undefined);
    await shipment.moveTo('booking');
    if (shipment.correctedAddress) request.to = shipment.correctedAddress;
    const only = shipment.retryRequest?.carrier ? [shipment.retryRequest.carrier] : undefined;
    shipment.retryRequest = undefined; // a retry that arrives during this round asks for another
    const quotes = await quoteAndRank(shipment, request, only);
    const refusals: string[] = [];
    for (const quote of quotes) {
      if (shipment.cancelRequested) break;
      const attempt = await tryBooking(shipment, request, quote.carrier, bookingKey(shipment.input.shipmentId, quote.carrier, round));
      if (typeof attempt !== 'string') return attempt;
      refusals.push(attempt);
    }
    if (shipment.cancelRequested) continue;
    if (onlyAddressRejected(refusals)) {
      if (!(await awaitCorrectedAddress(shipment))) return shipment.cancel('address never corrected').then(() => undefined);
      continue;
    }
    if (shipment.retryRequest) continue; // ops asked again while this round ran
    await shipment.moveTo('needs_attention', `${whyNotBooked(quotes)}: send retryBooking, optionally naming a carrier`);
    await condition(() => shipment.retryRequest !== undefined || shipment.cancelRequested);
  }
}

/** Quotes from every eligible carrier, in parallel, ranked by the order's policy; the decision is kept on the shipment. */
async function quoteAndRank(shipment: Shipment, request: ShipmentRequest, only?: string[]): Promise<Quote[]> {
  const { input, view } = shipment;
  const eligible = await records.eligibleCarriers({ request, channel: input.channel, only });
  const settled = await Promise.allSettled(eligible.carriers.map((name) => shipment.carrier(name).quote({ carrier: name, request })));
  const quotes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const preferred = [...(input.preferredCarriers ?? []), ...eligible.preferred];
  const policy = effectivePolicy(input.carrierPolicy, preferred);
  const today = new Date().toISOString().slice(0, 10); // workflow time: deterministic on replay
  const { ranked, decision } = rankQuotes({ quotes, policy, preferred, promisedBy: input.promisedDeliveryDate, today });
  view.quotes = ranked;
  view.decision = { ...decision, excluded: eligible.excluded };
  return ranked;
}

/** One carrier's booking, or the failure's type; a failed attempt's possible booking is cancelled first. */
async function tryBooking(shipment: Shipment, request: ShipmentRequest, name: string, idempotencyKey: string): Promise<Booking | string> {
  let failure = 'Cancelled';
  try {
    const booking = await shipment.carrier(name).book({ carrier: name, request, idempotencyKey });
    if (!shipment.cancelRequested) return booking;
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    failure = err.cause instanceof ApplicationFailure ? (err.cause.type ?? 'Error') : 'Error';
  }
  // The carrier may have booked even though we saw a failure (response lost): void by key.
  await shipment.carrier(name).void({ carrier: name, idempotencyKey });
  return failure;
}

/** The customer (through the OMS) corrects the address; false when the timeout passes first or the parcel is cancelled. */
async function awaitCorrectedAddress(shipment: Shipment): Promise<boolean> {
  const seen = shipment.corrections;
  const attention = 'every carrier rejected the shipping address: correct it with PUT /v1/orders/:orderId/shipping-address';
  await shipment.moveTo('address_invalid', attention);
  shipment.notify('address_invalid');
  await condition(() => shipment.corrections > seen || shipment.cancelRequested, shipment.input.timers.addressTimeout);
  return shipment.corrections > seen && !shipment.cancelRequested;
}
