// The Amazon SP-API double's memory: the seller's orders (placed through the admin API), the LWA
// access tokens and Restricted Data Tokens it issued, one token bucket per operation at Amazon's
// published rate and burst, what the engine pushed back (confirmShipment, updateShipmentStatus)
// and the faults to inject.
import { randomBytes } from 'node:crypto';
import type { AdminState } from '../../admin';
import { TokenStore } from '../../auth';
import { FaultPlan } from '../../faults';

export const AMAZON_OPERATIONS = [
  'token',
  'getOrders',
  'getOrder',
  'getOrderItems',
  'getOrderAddress',
  'confirmShipment',
  'updateShipmentStatus',
  'createRestrictedDataToken',
] as const;
export type AmazonOperation = (typeof AMAZON_OPERATIONS)[number];

/**
 * Calls per second and burst, from each operation's description in orders-v0.json (the RDT's from
 * tokens-2021-03-01.json). The LWA token call is outside SP-API and has no published limit.
 */
export const PUBLISHED_RATE_LIMITS: Record<Exclude<AmazonOperation, 'token'>, { rate: number; burst: number }> = {
  getOrders: { rate: 0.0167, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  getOrderItems: { rate: 0.5, burst: 30 },
  getOrderAddress: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  updateShipmentStatus: { rate: 5, burst: 15 },
  createRestrictedDataToken: { rate: 1, burst: 10 },
};
export type RateLimits = typeof PUBLISHED_RATE_LIMITS;

export interface AmazonCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** The seller the refresh token was issued for (the double has one). */
  sellerId: string;
}

export interface SandboxAddress {
  Name: string;
  AddressLine1: string;
  AddressLine2?: string;
  City: string;
  District?: string;
  County?: string;
  StateOrRegion?: string;
  PostalCode?: string;
  CountryCode: string;
  Phone?: string;
}

export interface SandboxOrderItem {
  orderItemId: string;
  sellerSku: string;
  asin: string;
  quantity: number;
  quantityShipped: number;
  /** For the whole line, as Amazon's ItemPrice is. */
  itemPrice: number;
}

export interface SandboxOrder {
  amazonOrderId: string;
  marketplaceId: string;
  status: 'Pending' | 'Unshipped' | 'PartiallyShipped' | 'Shipped' | 'Canceled';
  fulfillmentChannel: 'MFN' | 'AFN';
  paymentMethod: 'COD' | 'CVS' | 'Other';
  serviceLevelCategory: string;
  currency: string;
  purchaseDate: Date;
  lastUpdateDate: Date;
  latestShipDate: Date;
  /** The end of the delivery window promised to the buyer (seller-fulfilled orders). */
  latestDeliveryDate?: Date;
  items: SandboxOrderItem[];
  address: SandboxAddress;
}

/** A write the engine made, in order, with what the double answered. */
export interface Push {
  operation: 'confirmShipment' | 'updateShipmentStatus';
  orderId: string;
  body: unknown;
  status: number;
  at: string;
}

/** Amazon's token bucket: `burst` calls at once, refilled at `rate` per second. */
class Bucket {
  private tokens: number;
  private at = Date.now();

  constructor(private readonly limit: { rate: number; burst: number }) {
    this.tokens = limit.burst;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.at) / 1000) * this.limit.rate);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

export class AmazonState implements AdminState {
  readonly faults = new FaultPlan();
  readonly tokens = new TokenStore();
  readonly restrictedTokens = new TokenStore();
  readonly orders = new Map<string, SandboxOrder>();
  pushes: Push[] = [];
  private buckets = new Map<string, Bucket>();

  constructor(
    readonly credentials: AmazonCredentials,
    readonly rateLimits: RateLimits,
    readonly tokenTtlSeconds: number,
  ) {}

  /** Whether the call fits the operation's bucket; false is a 429. */
  admit(operation: keyof RateLimits): boolean {
    let bucket = this.buckets.get(operation);
    if (!bucket) this.buckets.set(operation, (bucket = new Bucket(this.rateLimits[operation])));
    return bucket.take();
  }

  issueToken(store: TokenStore, prefix: string): string {
    const token = `${prefix}|${randomBytes(24).toString('base64url')}`;
    store.add(token, Date.now() + this.tokenTtlSeconds * 1000);
    return token;
  }

  /** A new order in Amazon's 3-7-7 id format, its items numbered as Amazon numbers them (14 digits). */
  place(order: Omit<SandboxOrder, 'amazonOrderId' | 'items'> & { items: Omit<SandboxOrderItem, 'orderItemId' | 'quantityShipped'>[] }) {
    const amazonOrderId = `${digits(3)}-${digits(7)}-${digits(7)}`;
    const items = order.items.map((item) => ({ ...item, orderItemId: digits(14), quantityShipped: 0 }));
    const placed = { ...order, amazonOrderId, items };
    this.orders.set(amazonOrderId, placed);
    return placed;
  }

  reset(): void {
    this.orders.clear();
    this.pushes = [];
    this.buckets.clear();
    this.faults.clear();
    this.tokens.revoke();
    this.restrictedTokens.revoke();
  }
}
