// The demo's marketplace orders arrive the way a seller's do (issue 20): the buyer places each in
// the sandbox's double of its marketplace (Amazon, Trendyol, Hepsiburada) through the double's admin
// API, under the dev stack's account and its SKU map (sandbox/marketplaces/accounts.ts), the account
// pulls them (asked to run now rather than at its tick), and each parcel's news is pushed back
// (Amazon: confirmShipment; Trendyol: Picking, then the tracking number; Hepsiburada: intransit). The
// engine names them by the package (amz-…, ty-…, hb-<merchant>-…); the demo follows them under that
// id from then on. What differs between marketplaces is a door below; the rest is shared.
import type { OrderInput } from '../domain/order';
import { sandboxAccount, sellerSkuOf, type SandboxAccount } from '../sandbox/marketplaces/accounts';
import { SANDBOX_HEPSIBURADA_MERCHANT } from '../sandbox/marketplaces/hepsiburada';
import type { HttpClient } from './http';
import { MARKETPLACE_DOORS, type MarketplaceDoor } from './orders';

/** How often an account is asked to pull while placed orders wait to be pulled. */
const PULL_EVERY_MS = 5_000;
/** Placed this far back: a pull's window may end a few minutes before now (Amazon: two). */
const BACKDATE_MS = 3 * 60_000;

/** A write the engine made to a double, as its admin's /pushes lists it, in our order id. */
export interface DoublePush {
  orderId: string;
  operation: string;
  /** The double took it (its success status). */
  taken: boolean;
}

/** What one marketplace's double wants and answers: the rest of a buyer's journey is shared. */
interface Door {
  /** The double's admin path under /_admin/<marketplace>: where a buyer's order is placed. */
  placePath: string;
  /** The buyer's order as the double's admin API takes it. */
  buyerOrder(order: OrderInput, account: SandboxAccount, now: number): unknown;
  /** The engine's order id for what the double placed (its answer to placePath), if it placed one. */
  orderIdOf(placed: Record<string, unknown>): string | undefined;
  /** The double's /pushes list as our order ids. */
  pushesOf(listed: Record<string, unknown>[]): DoublePush[];
}

/** "Ayşe Nur Yılmaz" → Ayşe Nur, Yılmaz: Trendyol's first and last name. */
function splitName(name: string): { firstName: string; lastName: string } {
  const parts = name.trim().split(/\s+/);
  return parts.length > 1
    ? { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1] }
    : { firstName: name, lastName: name };
}

const DOORS: Record<MarketplaceDoor, Door> = {
  amazon: {
    placePath: '/orders',
    buyerOrder(order, account, now) {
      const a = order.shippingAddress;
      return {
        items: order.lines.map((l) => ({
          sellerSku: sellerSkuOf(account, l.sku),
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
        lastUpdateDate: new Date(now - BACKDATE_MS).toISOString(),
      };
    },
    orderIdOf: (placed) => (typeof placed.amazonOrderId === 'string' ? `amz-${placed.amazonOrderId}` : undefined),
    pushesOf: (listed) =>
      listed.map((p) => ({ orderId: `amz-${String(p.orderId)}`, operation: String(p.operation), taken: p.status === 204 })),
  },

  trendyol: {
    placePath: '/packages',
    buyerOrder(order, account, now) {
      const a = order.shippingAddress;
      return {
        ...(order.externalId && { orderNumber: order.externalId }),
        lines: order.lines.map((l) => ({ merchantSku: sellerSkuOf(account, l.sku), quantity: l.quantity, price: l.unitPrice ?? 0 })),
        address: {
          ...splitName(a.name),
          address1: a.line1,
          ...(a.line2 && { address2: a.line2 }),
          city: a.city,
          ...(a.district && { district: a.district }),
          postalCode: a.postalCode,
          countryCode: a.countryCode,
        },
        lastModifiedDate: now - BACKDATE_MS,
      };
    },
    orderIdOf: (placed) => (typeof placed.id === 'number' ? `ty-${placed.id}` : undefined),
    pushesOf: (listed) =>
      listed.map((p) => ({ orderId: `ty-${String(p.target)}`, operation: String(p.operation), taken: p.status === 200 })),
  },

  hepsiburada: {
    placePath: '/packages',
    buyerOrder(order, account, now) {
      const a = order.shippingAddress;
      const phone = a.phone ?? order.customer.phone;
      return {
        ...(order.externalId && { orderNumber: order.externalId }),
        items: order.lines.map((l) => ({ merchantSku: sellerSkuOf(account, l.sku), quantity: l.quantity, unitPrice: l.unitPrice ?? 0 })),
        address: {
          name: a.name,
          address: a.line1,
          city: a.city,
          // Hepsiburada's town is the district (ilçe) our addresses carry; its district the rest of the street.
          town: a.district ?? a.city,
          ...(a.line2 && { district: a.line2 }),
          postalCode: a.postalCode,
          countryCode: a.countryCode,
          ...(phone && { phoneNumber: phone }),
        },
        createdAt: new Date(now - BACKDATE_MS).toISOString(),
      };
    },
    orderIdOf: (placed) =>
      typeof placed.packageNumber === 'string' ? `hb-${SANDBOX_HEPSIBURADA_MERCHANT}-${placed.packageNumber}` : undefined,
    pushesOf: (listed) =>
      listed.map((p) => ({
        orderId: `hb-${SANDBOX_HEPSIBURADA_MERCHANT}-${String(p.packageNumber)}`,
        operation: String(p.operation),
        taken: p.status === 200,
      })),
  },
};

/** The buyers of one marketplace: they place orders in its double and the stack's account pulls them. */
export class MarketplaceBuyers {
  /** Our order ids (amz-…, ty-…, hb-…) of the orders placed, for the listing and the summary. */
  readonly orderIds = new Set<string>();
  readonly account: SandboxAccount;
  private readonly door: Door;
  private lastPull = 0;

  constructor(
    readonly marketplace: MarketplaceDoor,
    private readonly api: HttpClient,
    private readonly sandbox: HttpClient,
  ) {
    this.account = sandboxAccount(marketplace);
    this.door = DOORS[marketplace];
  }

  /** What the buyer sends the double for this order (its admin API's body). */
  buyerOrder(order: OrderInput, now = Date.now()): unknown {
    return this.door.buyerOrder(order, this.account, now);
  }

  /** Places the order at the marketplace; the engine's id for it, or why the double refused it. */
  async place(order: OrderInput): Promise<{ orderId: string } | { refused: string }> {
    const path = `/_admin/${this.marketplace}${this.door.placePath}`;
    const reply = await this.sandbox.request<Record<string, unknown>>('POST', path, this.buyerOrder(order));
    const orderId = reply.status === 201 ? this.door.orderIdOf(reply.body) : undefined;
    if (!orderId) return { refused: `${this.marketplace} ${reply.status} ${JSON.stringify(reply.body)}` };
    this.orderIds.add(orderId);
    return { orderId };
  }

  /** Asks the account to pull now while some placed order is not yet an order; at most every few seconds. */
  async nudge(listed: ReadonlySet<string>, now = Date.now()): Promise<void> {
    if (now - this.lastPull < PULL_EVERY_MS || [...this.orderIds].every((id) => listed.has(id))) return;
    this.lastPull = now;
    // 409 before the worker made the schedule: the next nudge.
    await this.api.request('POST', `/v1/marketplace-accounts/${encodeURIComponent(this.account.accountId)}/pull`);
  }

  /** What the marketplace took of the engine's writes for these orders, by operation. */
  async pushed(): Promise<[string, number][]> {
    const reply = await this.sandbox.request<{ pushes?: Record<string, unknown>[] }>('GET', `/_admin/${this.marketplace}/pushes`);
    return countTaken(this.door.pushesOf(reply.body.pushes ?? []), this.orderIds);
  }
}

/** The writes a double took for the given orders, counted by operation in the order first seen. */
export function countTaken(pushes: DoublePush[], orderIds: ReadonlySet<string>): [string, number][] {
  const counts = new Map<string, number>();
  for (const p of pushes) if (p.taken && orderIds.has(p.orderId)) counts.set(p.operation, (counts.get(p.operation) ?? 0) + 1);
  return [...counts];
}

/** The three marketplaces' buyers, by door. */
export function marketplaceBuyers(api: HttpClient, sandbox: HttpClient): Record<MarketplaceDoor, MarketplaceBuyers> {
  return Object.fromEntries(MARKETPLACE_DOORS.map((m) => [m, new MarketplaceBuyers(m, api, sandbox)])) as Record<
    MarketplaceDoor,
    MarketplaceBuyers
  >;
}

/** What the summary says of one marketplace's orders. */
export interface MarketplaceTally {
  marketplace: MarketplaceDoor;
  label: string;
  placed: number;
  pulled: number;
  pushed: [string, number][];
}
