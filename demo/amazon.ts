// The demo's Amazon orders arrive the way a seller's do (issue 20): the buyer places each in the
// sandbox's Amazon double, the dev stack's Amazon account pulls them (asked to run now rather than
// at its 5-minute tick), and each parcel's first scan is confirmed back to Amazon. The engine names
// them amz-<AmazonOrderId>; the demo follows them under that id from then on.
import type { OrderInput } from '../domain/order';
import { SANDBOX_AMAZON_ACCOUNT } from '../sandbox/marketplaces/amazon';
import type { HttpClient } from './http';

/** How often the account is asked to pull while placed orders wait to be pulled. */
const PULL_EVERY_MS = 5_000;

/** The buyer's order as the double's admin API takes it. Backdated three minutes: a pull reads up to two minutes ago. */
function buyerOrder(order: OrderInput, now: number) {
  const a = order.shippingAddress;
  return {
    items: order.lines.map((l) => ({
      sellerSku: l.sku,
      quantity: l.quantity,
      itemPrice: Math.round((l.unitPrice ?? 0) * l.quantity * 100) / 100,
    })),
    serviceLevelCategory: order.service === 'express' ? 'Expedited' : 'Standard',
    address: {
      Name: a.name,
      AddressLine1: a.line1,
      ...(a.line2 && { AddressLine2: a.line2 }),
      City: a.city,
      ...(a.district && { District: a.district }),
      ...(a.stateCode && { StateOrRegion: a.stateCode }),
      PostalCode: a.postalCode,
      CountryCode: a.countryCode,
      // Amazon's address carries the buyer's phone (UPS needs one across a border).
      ...((a.phone ?? order.customer.phone) && { Phone: a.phone ?? order.customer.phone }),
    },
    lastUpdateDate: new Date(now - 3 * 60_000).toISOString(),
  };
}

export class AmazonBuyers {
  /** Our order ids (amz-…) of the orders placed, for the listing and the summary. */
  readonly orderIds = new Set<string>();
  private lastPull = 0;

  constructor(
    private readonly api: HttpClient,
    private readonly sandbox: HttpClient,
  ) {}

  /** Places the order at Amazon; the engine's id for it, or why the double refused it. */
  async place(order: OrderInput): Promise<{ orderId: string } | { refused: string }> {
    const reply = await this.sandbox.request<{ amazonOrderId?: string }>('POST', '/_admin/amazon/orders', buyerOrder(order, Date.now()));
    if (reply.status !== 201 || !reply.body.amazonOrderId) return { refused: `amazon ${reply.status} ${JSON.stringify(reply.body)}` };
    const orderId = `amz-${reply.body.amazonOrderId}`;
    this.orderIds.add(orderId);
    return { orderId };
  }

  /** Asks the account to pull now while some placed order is not yet an order; at most every few seconds. */
  async nudge(listed: ReadonlySet<string>, now = Date.now()): Promise<void> {
    if (now - this.lastPull < PULL_EVERY_MS || [...this.orderIds].every((id) => listed.has(id))) return;
    this.lastPull = now;
    await this.api.request('POST', `/v1/marketplace-accounts/${SANDBOX_AMAZON_ACCOUNT}/pull`); // 409 before the worker made the schedule: the next nudge
  }

  /** What Amazon was told of these orders: shipment confirmations it took. */
  async confirmations(): Promise<number> {
    const reply = await this.sandbox.request<{ pushes?: { orderId: string; status: number }[] }>('GET', '/_admin/amazon/pushes');
    return (reply.body.pushes ?? []).filter((p) => p.status === 204 && this.orderIds.has(`amz-${p.orderId}`)).length;
  }
}
