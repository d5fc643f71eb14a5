// The Trendyol double's memory: the seller's shipment packages (placed through the admin API), a
// request counter per operation (the rate limit), what the engine pushed back (updatePackageStatus,
// updateTrackingNumber, createCommonLabel) and the faults to inject.
import type { AdminState } from '../../admin';
import { FaultPlan } from '../../faults';

export const TRENDYOL_OPERATIONS = [
  'getShipmentPackages',
  'updatePackageStatus',
  'updateTrackingNumber',
  'createCommonLabel',
  'getCommonLabel',
] as const;
export type TrendyolOperation = (typeof TRENDYOL_OPERATIONS)[number];

/**
 * Requests per window and operation. The defaults are the smallest listing tier of Trendyol's service
 * limits page (getShipmentPackages 30 a minute, package status and tracking number ("Kargo Takip Kodu Bildirme") 300,
 * common label 100: spec/README.md).
 */
export type RateLimits = Record<TrendyolOperation, { limit: number; windowMs: number }>;
export const PUBLISHED_RATE_LIMITS: RateLimits = {
  getShipmentPackages: { limit: 30, windowMs: 60_000 },
  updatePackageStatus: { limit: 300, windowMs: 60_000 },
  updateTrackingNumber: { limit: 300, windowMs: 60_000 },
  createCommonLabel: { limit: 100, windowMs: 60_000 },
  getCommonLabel: { limit: 100, windowMs: 60_000 },
};

export interface TrendyolCredentials {
  sellerId: string;
  apiKey: string;
  apiSecret: string;
}

/** ShipmentPackage.status as the definition's enum has it (Awaiting is only a filter value there: README). */
export const PACKAGE_STATUSES = ['Created', 'Picking', 'Invoiced', 'Shipped', 'Cancelled', 'Delivered', 'UnDelivered', 'Returned'] as const;
export type PackageStatus = (typeof PACKAGE_STATUSES)[number];

export interface SandboxAddress {
  firstName: string;
  lastName: string;
  address1: string;
  address2?: string;
  city: string;
  district?: string;
  postalCode?: string;
  countryCode: string;
}

export interface SandboxLine {
  id: number;
  merchantSku: string;
  barcode: string;
  productName: string;
  quantity: number;
  /** Per unit. */
  price: number;
}

export interface SandboxPackage {
  id: number;
  orderNumber: string;
  status: PackageStatus;
  currencyCode: string;
  orderDate: number;
  lastModifiedDate: number;
  agreedDeliveryDate: number;
  address: SandboxAddress;
  lines: SandboxLine[];
  /** Trendyol's contract (Trendyol pays; it names the carrier and tracking number) or the seller's own. */
  contract: 'trendyol' | 'merchant';
  cargoProviderName?: string;
  /** Trendyol's on its contract; on the seller's own, the one updateTrackingNumber gave it. */
  cargoTrackingNumber?: string;
  invoiceNumber?: string;
  history: { createdDate: number; status: string }[];
  /** The common labels made (createCommonLabel), one ZPL per box; undefined before. */
  labels?: string[];
}

/** A write the engine made, in order, with what the double answered. */
export interface Push {
  operation: 'updatePackageStatus' | 'updateTrackingNumber' | 'createCommonLabel';
  /** The package id, or for the common label its tracking number. */
  target: string;
  body: unknown;
  status: number;
  at: string;
}

export class TrendyolState implements AdminState {
  readonly faults = new FaultPlan();
  readonly packages = new Map<number, SandboxPackage>();
  pushes: Push[] = [];
  private calls = new Map<TrendyolOperation, number[]>();
  private nextId = 100_000_000 + Math.floor(Math.random() * 1_000_000) * 100;

  /** The limits the double was made with; reset() restores them. */
  private readonly initialRateLimits: RateLimits;

  constructor(
    readonly credentials: TrendyolCredentials,
    public rateLimits: RateLimits,
  ) {
    this.initialRateLimits = { ...rateLimits };
  }

  /** Whether the call fits the operation's window; false is a 429. */
  admit(operation: TrendyolOperation): boolean {
    const { limit, windowMs } = this.rateLimits[operation];
    const now = Date.now();
    const recent = (this.calls.get(operation) ?? []).filter((at) => at > now - windowMs);
    if (recent.length >= limit) {
      this.calls.set(operation, recent);
      return false;
    }
    this.calls.set(operation, [...recent, now]);
    return true;
  }

  id(): number {
    return (this.nextId += 1);
  }

  place(pkg: Omit<SandboxPackage, 'id' | 'history' | 'lines'> & { lines: Omit<SandboxLine, 'id'>[] }): SandboxPackage {
    const placed: SandboxPackage = {
      ...pkg,
      id: this.id(),
      lines: pkg.lines.map((line) => ({ ...line, id: this.id() })),
      history: [{ createdDate: pkg.orderDate, status: pkg.status }],
    };
    this.packages.set(placed.id, placed);
    return placed;
  }

  /** The package moves as Trendyol would move it: its status, its history and its last change. */
  move(pkg: SandboxPackage, status: PackageStatus, at = Date.now()): void {
    pkg.status = status;
    pkg.lastModifiedDate = at;
    pkg.history.push({ createdDate: at, status });
  }

  /** Trendyol moves its own contract's package to another carrier: a new tracking number, its labels to be made again. */
  reassign(pkg: SandboxPackage, to: { cargoProviderName: string; cargoTrackingNumber: string }, at = Date.now()): void {
    Object.assign(pkg, to, { labels: undefined, lastModifiedDate: at });
  }

  byTrackingNumber(trackingNumber: string): SandboxPackage | undefined {
    return [...this.packages.values()].find((p) => p.cargoTrackingNumber === trackingNumber);
  }

  reset(): void {
    this.packages.clear();
    this.pushes = [];
    this.calls.clear();
    this.rateLimits = { ...this.initialRateLimits };
    this.faults.clear();
  }
}
