// Book with fallback: down the ranked quotes until a carrier books, never leaving two live
// bookings; when none does, wait for a corrected address or for ops, then try again.
import { ActivityFailure, ApplicationFailure, condition, TemporalFailure } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import { bookingKey, needsAttentionBecause, onlyAddressRejected, transientBackoffMs } from '../../domain/booking';
import { CUSTOMS_DATA_MISSING, onlyTransientFailures, UNCLASSIFIED_FAILURE } from '../../domain/carrier-failures';
import { effectivePolicy, rankQuotes } from '../../domain/carrier-policy';
import type { ContractQuote } from '../../activities';
import type { Booking, Quote, ShipmentRequest } from '../../domain/shipment';
import { PATCHES } from '../patches';
import { quotesByContract, records } from './activities';
import type { Shipment } from './state';

/** How long a parcel whose every booking failure was transient keeps asking before ops are called (ShipmentTimers.transientRetryWindow). */
const DEFAULT_TRANSIENT_RETRY_WINDOW = '30 minutes';

/**
 * Books with the best carrier that accepts. When every carrier rejects the address, waits for
 * a corrected one (and cancels after the timeout); when every failure was transient (carriers
 * down, slow or busy), asks again, backing off, for the transient window; when carriers refuse
 * for other reasons, or the window passes, waits for ops. Undefined when the shipment was
 * cancelled instead (it says why).
 */
export async function bookWithFallback(shipment: Shipment, request: ShipmentRequest): Promise<Booking | undefined> {
  const transient = { since: undefined as number | undefined, waits: 0 };
  for (let round = 1; ; round++) {
    if (shipment.cancelRequested) return shipment.cancel('cancelled before booking').then(() => undefined);
    const roundStart = Date.now();
    shipment.view.retrying = undefined;
    await shipment.moveTo('booking');
    const corrections = shipment.corrections;
    if (shipment.correctedAddress) request.to = shipment.correctedAddress;
    const only = shipment.retryRequest?.carrier ? [shipment.retryRequest.carrier] : undefined;
    shipment.retryRequest = undefined; // a retry that arrives during this round asks for another
    const { quotes, failures } = await quoteAndRank(shipment, request, only);
    const refusals: string[] = [];
    const customsRefusals: string[] = [];
    for (const quote of quotes) {
      if (shipment.cancelRequested) break;
      const key = bookingKey(shipment.input.shipmentId, quote.carrier, round);
      const attempt = await tryBooking(shipment, request, quote.carrier, key, customsRefusals);
      if (typeof attempt !== 'string' && correctedDuring(shipment, corrections)) {
        shipment.voidBeside(attempt); // booked to the old address: the next round books to the new one
        break;
      }
      if (typeof attempt !== 'string') return attempt;
      refusals.push(attempt);
    }
    if (shipment.cancelRequested || correctedDuring(shipment, corrections)) continue;
    if (onlyAddressRejected(refusals)) {
      if (!(await awaitCorrectedAddress(shipment))) return shipment.cancel('address never corrected').then(() => undefined);
      continue;
    }
    if (shipment.retryRequest) continue; // ops asked again while this round ran
    if (onlyTransientFailures([...failures, ...refusals])) {
      transient.since ??= roundStart;
      if (await askAgainLater(shipment, quotes, transient)) continue;
    }
    Object.assign(transient, { since: undefined, waits: 0 }); // after ops retry, a new window
    await shipment.moveTo('needs_attention', needsAttentionBecause(quotes, customsRefusals));
    await condition(() => shipment.retryRequest !== undefined || shipment.cancelRequested);
  }
}

/**
 * The customer corrected the address while this round booked (the order accepts a correction until
 * a label exists): the booking carries the old one. Only under the patch: older runs kept the label.
 */
function correctedDuring(shipment: Shipment, correctionsBefore: number): boolean {
  return shipment.corrections > correctionsBefore && shipment.patches.taken(PATCHES.correctionRebooks);
}

/**
 * Within the transient window (counted from the first round that only met transient failures),
 * waits before the next round, backing off, with why on the view; ops are not called. False once
 * the window has passed: then the parcel needs a person.
 */
async function askAgainLater(shipment: Shipment, quotes: Quote[], transient: { since?: number; waits: number }): Promise<boolean> {
  const windowMs = msToNumber(shipment.input.timers.transientRetryWindow ?? DEFAULT_TRANSIENT_RETRY_WINDOW);
  const until = transient.since! + windowMs;
  if (Date.now() >= until || !shipment.patches.taken(PATCHES.transientFaultsRetried)) return false;
  const pause = Math.min(transientBackoffMs(transient.waits++), until - Date.now());
  const carriers = quotes.length > 0 ? quotes.map((q) => q.carrier).join(', ') : 'no carrier quoted';
  shipment.view.retrying = `carriers unavailable for now (${carriers}): asking again at ${new Date(Date.now() + pause).toISOString()}, ops are called after ${new Date(until).toISOString()}`;
  await shipment.publish();
  await condition(() => shipment.retryRequest !== undefined || shipment.cancelRequested, pause);
  return true;
}

/** Quotes from every eligible carrier, in parallel, ranked by the order's policy (the decision is kept on the shipment), and the failures' types. */
async function quoteAndRank(
  shipment: Shipment,
  request: ShipmentRequest,
  only?: string[],
): Promise<{ quotes: Quote[]; failures: string[] }> {
  const { input, view } = shipment;
  const eligible = await records.eligibleCarriers({ request, channel: input.channel, only });
  // Contract prices first, by a local activity, then the carriers' quotes as activities: the round
  // goes on where an activity's result woke it, never right after local activities (a query during
  // them moves their results to a task of their own, live only, and the signals read next with
  // them). So a round with no carrier to ask by activity asks every one by activity, as before.
  const local = shipment.quotesLocally ? (eligible.byContract ?? []) : [];
  const byContract = eligible.carriers.every((name) => local.includes(name)) ? [] : local;
  const contract = await contractQuotes(byContract, request);
  const rated = eligible.carriers.filter((name) => !byContract.includes(name));
  const asked = await Promise.allSettled(rated.map((name) => shipment.carrier(name).quote({ carrier: name, request })));
  const quotes = [
    ...contract.flatMap((c) => (c.quote ? [c.quote] : [])),
    ...asked.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])),
  ];
  const failures = [
    ...contract.flatMap((c) => (c.failure ? [c.failure] : [])),
    ...asked.flatMap((s) => (s.status === 'rejected' ? [quoteFailureType(s.reason)] : [])),
  ];
  const preferred = [...(input.preferredCarriers ?? []), ...eligible.preferred];
  const policy = effectivePolicy(input.carrierPolicy, preferred);
  const today = new Date().toISOString().slice(0, 10); // workflow time: deterministic on replay
  const { ranked, decision } = rankQuotes({ quotes, policy, preferred, promisedBy: input.promisedDeliveryDate, today });
  view.quotes = ranked;
  view.decision = { ...decision, excluded: eligible.excluded };
  return { quotes: ranked, failures };
}

/**
 * One carrier's booking, or the failure's type; a failed attempt's possible booking is voided
 * (beside what comes next). A refusal for want of customs data adds the carrier's words, which name
 * the missing fields, to `customsRefusals`.
 */
async function tryBooking(
  shipment: Shipment,
  request: ShipmentRequest,
  name: string,
  idempotencyKey: string,
  customsRefusals: string[],
): Promise<Booking | string> {
  let failure = 'Cancelled';
  try {
    const booking = await shipment.carrier(name).book({ carrier: name, request, idempotencyKey });
    if (!shipment.cancelRequested) return booking;
  } catch (err) {
    failure = failureType(err);
    if (failure === CUSTOMS_DATA_MISSING) customsRefusals.push((err as ActivityFailure).cause?.message ?? name);
  }
  // The carrier may have booked even though we saw a failure (response lost): void by key, beside
  // the next carrier's booking, so a carrier that quoted and then went down holds nothing up.
  if (shipment.patches.taken(PATCHES.voidBesideFallback)) shipment.voidBeside({ carrier: name, idempotencyKey });
  else await shipment.voidLabel({ carrier: name, idempotencyKey });
  return failure;
}

/** A failed carrier call's type (domain/carrier-failures.ts); anything but an activity's failure is a bug and is thrown on. */
function failureType(err: unknown): string {
  if (!(err instanceof ActivityFailure)) throw err;
  return err.cause instanceof ApplicationFailure ? (err.cause.type ?? UNCLASSIFIED_FAILURE) : UNCLASSIFIED_FAILURE;
}

/**
 * The round's contract quotes, by one local activity (none when no carrier prices by contract). One
 * that fails as a whole (its timeout) leaves every such carrier out of the round as unclassified,
 * that is transient: the next round asks again.
 */
async function contractQuotes(carriers: string[], request: ShipmentRequest): Promise<ContractQuote[]> {
  if (carriers.length === 0) return [];
  try {
    return await quotesByContract({ carriers, request });
  } catch (err) {
    const failure = quoteFailureType(err);
    return carriers.map(() => ({ failure }));
  }
}

/**
 * A failed quote's type. The contract quotes' local activity fails as itself (a TimeoutFailure, an
 * ApplicationFailure), not within an ActivityFailure as a carrier's quote does.
 */
function quoteFailureType(err: unknown): string {
  if (err instanceof ActivityFailure) return failureType(err);
  if (err instanceof ApplicationFailure) return err.type ?? UNCLASSIFIED_FAILURE;
  if (err instanceof TemporalFailure) return UNCLASSIFIED_FAILURE;
  throw err;
}

/** The customer (through the OMS) corrects the address; false when the timeout passes first or the parcel is cancelled. */
async function awaitCorrectedAddress(shipment: Shipment): Promise<boolean> {
  const seen = shipment.corrections;
  const attention = 'every carrier rejected the shipping address: correct it with PUT /v1/orders/:orderId/shipping-address';
  await shipment.moveTo('address_invalid', attention, { tell: ['address_invalid'] });
  await condition(() => shipment.corrections > seen || shipment.cancelRequested, shipment.input.timers.addressTimeout);
  return shipment.corrections > seen && !shipment.cancelRequested;
}
