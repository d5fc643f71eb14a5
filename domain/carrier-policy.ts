// How a shipment picks its carrier from the quotes: the ranking the shipment workflow books
// down, best first. Pure and dependency-free: workflow code imports it.

/** A sum of money in one currency. */
export interface Money {
  amount: number;
  currency: string;
}

/** One carrier's offer for a parcel. */
export interface Quote {
  carrier: string;
  service: string;
  amount: number;
  currency: string;
  transitDays: number;
  /**
   * Duties, taxes and fees the merchant pays to import the parcel (DDP), where the carrier quotes
   * them (UPS Landed Cost, issue 25); absent for DAP, at home, and where none was quoted.
   */
  duties?: Money;
}

/** Duties that add to the shipping: quoted, and in its currency (amounts in two currencies do not add up). */
function addedDuties(q: Quote): number {
  return q.duties?.currency === q.currency ? q.duties.amount : 0;
}

/** What the merchant pays for the parcel to arrive: the shipping, plus the duties where they are paid by the merchant (DDP). */
export function landedAmount(q: Quote): number {
  return q.amount + addedDuties(q);
}

/**
 * `cheapest` (the default): the cheapest quote that arrives by the promised date.
 * `fastest`: the shortest transit, then the price.
 * `preferred`: the merchant's preferred carriers in their order, then as `cheapest`.
 * Under every policy, quotes that miss the promised date come after those that meet it: they
 * stay in the list as fallbacks, since a late parcel beats none. A price is what the merchant pays
 * for the parcel to arrive: the shipping, plus the duties of a DDP parcel where quoted (landedAmount).
 */
export const CARRIER_POLICIES = ['cheapest', 'fastest', 'preferred'] as const;
export type CarrierPolicy = (typeof CARRIER_POLICIES)[number];

export interface RankingInput {
  quotes: Quote[];
  policy: CarrierPolicy;
  /** Carriers the merchant prefers, best first (order, channel and warehouse rules). */
  preferred?: string[];
  /** ISO date the customer was promised. */
  promisedBy?: string;
  /** ISO date the parcel leaves (the workflow's today). */
  today: string;
}

export interface CarrierDecision {
  policy: CarrierPolicy;
  /** Carriers in the order they will be tried. */
  ranking: string[];
  /** One line for ops: what was chosen and why. */
  reason: string;
  /** Carriers left out before quoting, each with why. */
  excluded?: string[];
}

/** The order's own policy; without one, the preferred carriers first when there are any, else the cheapest. */
export function effectivePolicy(asked: CarrierPolicy | undefined, preferred: string[]): CarrierPolicy {
  return asked ?? (preferred.length > 0 ? 'preferred' : 'cheapest');
}

const DAY_MS = 86_400_000;

export function arrivalDate(today: string, transitDays: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + transitDays * DAY_MS).toISOString().slice(0, 10);
}

export function rankQuotes({ quotes, policy, preferred = [], promisedBy, today }: RankingInput): {
  ranked: Quote[];
  decision: CarrierDecision;
} {
  const late = (q: Quote) => (promisedBy !== undefined && arrivalDate(today, q.transitDays) > promisedBy ? 1 : 0);
  const preference = (q: Quote) => {
    const i = preferred.indexOf(q.carrier);
    return policy !== 'preferred' || i === -1 ? preferred.length : i;
  };
  // Without duties landedAmount is the amount itself: histories quoted before duties rank as they did.
  const byPrice = (a: Quote, b: Quote) => landedAmount(a) - landedAmount(b) || a.transitDays - b.transitDays;
  const bySpeed = (a: Quote, b: Quote) => a.transitDays - b.transitDays || landedAmount(a) - landedAmount(b);
  const ranked = [...quotes].sort(
    (a, b) =>
      late(a) - late(b) ||
      preference(a) - preference(b) ||
      (policy === 'fastest' ? bySpeed(a, b) : byPrice(a, b)) ||
      a.carrier.localeCompare(b.carrier),
  );
  return { ranked, decision: { policy, ranking: ranked.map((q) => q.carrier), reason: reasonFor(ranked, policy, promisedBy, late) } };
}

function reasonFor(ranked: Quote[], policy: CarrierPolicy, promisedBy: string | undefined, late: (q: Quote) => number): string {
  const [first] = ranked;
  if (!first) return 'no carrier quoted';
  const offer = `${first.carrier} ${first.amount} ${first.currency}${dutiesNote(first)}, ${first.transitDays} day(s)`;
  const promise = promisedBy === undefined ? '' : late(first) ? `; no carrier reaches ${promisedBy} in time` : `; arrives by ${promisedBy}`;
  return `${policy} of ${ranked.length} quote(s): ${offer}${promise}`;
}

/** The duties in the reason, when quoted; nothing otherwise, so reasons of quotes without duties read as before. */
function dutiesNote({ duties, currency }: Quote): string {
  if (!duties) return '';
  const note = `${duties.amount} ${duties.currency} duties`;
  return duties.currency === currency ? ` + ${note}` : ` + ${note} (not added: another currency)`;
}
