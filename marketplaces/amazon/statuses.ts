// Amazon's order statuses (spec/orders-v0.json, Order.OrderStatus) as intake decisions, and its
// service level categories as our services (docs/design/marketplaces.md section 5).
import type { INTAKE_DECISIONS } from '../adapter';

type Intake = (typeof INTAKE_DECISIONS)[number];

const INTAKE: Record<string, Intake> = {
  // Paid and waiting for the seller: ours to ship.
  Unshipped: 'take',
  PartiallyShipped: 'take',
  // Not yet payable or not yet released: Amazon gives no address or final items; a later pull takes it.
  Pending: 'wait',
  PendingAvailability: 'wait',
  InvoiceUnconfirmed: 'wait',
  // Nothing left for us to ship.
  Shipped: 'skip',
  Canceled: 'skip',
  Unfulfillable: 'skip',
};

/** An unknown status (one Amazon adds later) waits: taking it could ship what should not be shipped. */
export const intakeOf = (status: string): Intake => INTAKE[status] ?? 'wait';

/** Canceled: by the buyer (before Amazon's cut-off) or by Amazon; an order we started must stop. */
export const cancelledAt = (status: string): boolean => status === 'Canceled';

/** Expedited and NextDay are our express (the design's table); every other category is standard. */
export const serviceOf = (category: string | undefined): 'standard' | 'express' =>
  category === 'Expedited' || category === 'NextDay' ? 'express' : 'standard';
