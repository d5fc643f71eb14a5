// The Hepsiburada double's memory: the merchant's packages (placed through the admin API), the
// calls of the last minute (its rate limit: Hepsiburada publishes none, so the limit is an option),
// what the engine pushed back (intransit, deliver, undeliver) and the faults to inject.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AdminState } from '../../admin';
import { FaultPlan } from '../../faults';

export const HEPSIBURADA_OPERATIONS = ['listPackages', 'getPackage', 'getOrder', 'intransit', 'deliver', 'undeliver'] as const;
export type HepsiburadaOperation = (typeof HEPSIBURADA_OPERATIONS)[number];

export interface HepsiburadaCredentials {
  merchantId: string;
  /** The merchant's service key: Basic's password. */
  serviceKey: string;
  /** The integrator's username, expected in User-Agent. */
  userAgent: string;
}

/** Statuses the double moves a package through; Hepsiburada's own values are not published (README). */
export type PackageStatus = 'Packaged' | 'InTransit' | 'Delivered' | 'UnDelivered';

export interface SandboxAddress {
  name: string;
  address: string;
  city: string;
  town: string;
  district?: string;
  postalCode?: string;
  countryCode: string;
  phoneNumber?: string;
}

export interface SandboxItem {
  lineItemId: string;
  merchantSku: string;
  quantity: number;
  /** Per unit, as Hepsiburada's `price` is. */
  unitPrice: number;
}

export interface SandboxPackage {
  packageNumber: string;
  orderNumber: string;
  status: PackageStatus;
  cargoCompany: string;
  currency: string;
  /** When the package was made: what the listing's enddate (and timespan) select on. */
  createdAt: Date;
  /** When its items were added (the order; made earlier when the merchant or Hepsiburada packs later): what begindate selects on. */
  orderedAt?: Date;
  dueDate: Date;
  items: SandboxItem[];
  address: SandboxAddress;
  /** As told by intransit. */
  trackingNumber?: string;
  trackingUrl?: string;
}

/** A write the engine made, in order, with what the double answered. */
export interface Push {
  operation: 'intransit' | 'deliver' | 'undeliver';
  packageNumber: string;
  body: unknown;
  status: number;
  at: string;
}

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

export class HepsiburadaState implements AdminState {
  readonly faults = new FaultPlan();
  readonly packages = new Map<string, SandboxPackage>();
  pushes: Push[] = [];
  private calls: number[] = [];

  constructor(
    readonly credentials: HepsiburadaCredentials,
    /** Calls a minute the merchant may make, across operations. */
    public requestsPerMinute: number,
  ) {}

  /** Whether the call fits the last minute's allowance; false is a 429. */
  admit(now = Date.now()): boolean {
    this.calls = this.calls.filter((at) => at > now - 60_000);
    if (this.calls.length >= this.requestsPerMinute) return false;
    this.calls.push(now);
    return true;
  }

  /** A new package with a ten-digit number, its items with line ids (UUIDs, as Hepsiburada's ids look). */
  place(pkg: Omit<SandboxPackage, 'packageNumber' | 'items'> & { items: Omit<SandboxItem, 'lineItemId'>[] }): SandboxPackage {
    const placed = { ...pkg, packageNumber: digits(10), items: pkg.items.map((item) => ({ ...item, lineItemId: randomUUID() })) };
    this.packages.set(placed.packageNumber, placed);
    return placed;
  }

  reset(): void {
    this.packages.clear();
    this.pushes = [];
    this.calls = [];
    this.faults.clear();
  }
}
