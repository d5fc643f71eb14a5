// The one interface every marketplace adapter implements (one folder per marketplace under
// marketplaces/), and the marketplace-neutral reading of one unit of intake: a package (Amazon: an
// order). Activities reach marketplaces only through it. Later slices add assignment, label and push.
import { z } from 'zod';

/** What the engine does with a package as the marketplace's status stands (each statuses.ts decides). */
export const INTAKE_DECISIONS = ['take', 'wait', 'skip'] as const;

/** An address as the marketplace gave it: checked only when mapped into an order (mapping.ts). */
const ShipToSchema = z.object({
  name: z.string().optional(),
  line1: z.string().optional(),
  line2: z.string().optional(),
  city: z.string().optional(),
  district: z.string().optional(),
  stateCode: z.string().optional(),
  postalCode: z.string().optional(),
  countryCode: z.string().optional(),
  phone: z.string().optional(),
});

export const MarketplacePackageSchema = z.object({
  /** The marketplace's id of the unit pulled (Amazon: AmazonOrderId): the dedupe key. */
  packageId: z.string().min(1),
  /** The marketplace's order number customers and ops know (Amazon: AmazonOrderId again). */
  orderNumber: z.string().min(1),
  /** The marketplace's own status, as it wrote it. */
  status: z.string().min(1),
  intake: z.enum(INTAKE_DECISIONS),
  /** Read by `details`, for packages the engine takes only: empty and absent in a listing. */
  lines: z.array(
    z.object({
      lineId: z.string().min(1),
      // Empty when the marketplace sent none: mapping names the line as unmappable.
      marketplaceSku: z.string(),
      quantity: z.number().int().positive(),
      /** Per unit, in `currency`. */
      unitPrice: z.number().nonnegative().optional(),
      currency: z.string().optional(),
    }),
  ),
  shipTo: ShipToSchema.optional(),
  buyer: z.object({ name: z.string().optional(), email: z.string().optional() }).optional(),
  service: z.enum(['standard', 'express']),
  /** ISO datetime the marketplace wants the parcel shipped by. */
  shipBy: z.string().optional(),
  cashOnDelivery: z.object({ amount: z.number().positive(), currency: z.string() }).optional(),
  /** ISO datetime of the marketplace's last change. */
  lastModified: z.string(),
});
export type MarketplacePackage = z.infer<typeof MarketplacePackageSchema>;

/** A connector's own pull position (Amazon: {until, windowEnd?, nextToken?}), stored as it is. */
export type Cursor = Record<string, unknown>;

export interface MarketplacePage {
  packages: MarketplacePackage[];
  /** Where the next page starts: written in the same transaction as the packages. */
  next: Cursor;
  /** More pages wait in the current window. */
  more: boolean;
}

/**
 * Adapters fail with Temporal ApplicationFailures (marketplaces/failures.ts): retryable for
 * timeouts, 5xx, 429 and refused credentials; non-retryable for a refused request.
 */
/** What a listing leaves out and the engine needs of a package it takes. */
export type PackageDetails = Pick<MarketplacePackage, 'lines' | 'shipTo'>;

export interface MarketplaceAdapter {
  readonly marketplace: string;
  /** One page of packages changed since the cursor (none yet: the connector's first window), without their details. */
  list(cursor: Cursor | undefined, now: Date): Promise<MarketplacePage>;
  /**
   * The lines and address of one package, asked once per package the engine takes: apart from the
   * listing because marketplaces limit these calls per order (Amazon: 0.5 a second), so each is its
   * own activity, paced by the marketplace queue's limit and retried alone.
   */
  details(packageId: string): Promise<PackageDetails>;
}
