// Amazon's order statuses (spec/orders-v0.json, Order.OrderStatus) as intake decisions, and its
// service level categories as our services (docs/design/marketplaces.md section 5).
import { intakeBy } from '../adapter';

/** An unknown status (one Amazon adds later) waits (intakeBy). */
export const intakeOf = intakeBy({
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
});

/** Canceled: by the buyer (before Amazon's cut-off) or by Amazon; an order we started must stop. */
export const cancelledAt = (status: string): boolean => status === 'Canceled';

/** Expedited and NextDay are our express (the design's table); every other category is standard. */
export const serviceOf = (category: string | undefined): 'standard' | 'express' =>
  category === 'Expedited' || category === 'NextDay' ? 'express' : 'standard';
