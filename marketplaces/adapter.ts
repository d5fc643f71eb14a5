// The one interface every marketplace adapter implements (one folder per marketplace under
// marketplaces/), and the marketplace-neutral reading of one unit of intake: a package (Amazon: an
// order), and what the engine tells the marketplace back. Activities reach marketplaces only through
// it, and with the rules every connector's reading shares.
import { z } from 'zod';
import { TRACKING_STATUSES } from '../domain/statuses';

/** What the engine does with a package as the marketplace's status stands (each statuses.ts decides). */
export const INTAKE_DECISIONS = ['take', 'wait', 'skip'] as const;
export type IntakeDecision = (typeof INTAKE_DECISIONS)[number];

/**
 * A marketplace's statuses as intake decisions. A status it adds later waits: taking it could ship
 * what should not be shipped, skipping it could lose an order, and a waiting package shows in the
 * account's view for ops.
 */
export const intakeBy =
  (decisions: Record<string, IntakeDecision>) =>
  (status: string): IntakeDecision =>
    decisions[status] ?? 'wait';

/** Windows of last changes overlap by this much, against late writes; repeats are absorbed by the package id. */
export const WINDOW_OVERLAP_MS = 5 * 60_000;
/** A newly connected account's first window reaches back this far. */
export const FIRST_LOOKBACK_MS = 24 * 60 * 60_000;

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
  /** The marketplace cancelled it (the buyer, or the marketplace itself): an order we started must stop. */
  cancelled: z.boolean().default(false),
  /** Read by `details`, for packages the engine takes only (Amazon: empty in a listing; Hepsiburada's listing carries them). */
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
  /** ISO datetime by which the marketplace promised the buyer delivery: the order's promised date, which the late detection watches. */
  deliverBy: z.string().optional(),
  cashOnDelivery: z.object({ amount: z.number().positive(), currency: z.string() }).optional(),
  /** ISO datetime of the marketplace's last change. */
  lastModified: z.string(),
  /**
   * The carrier and tracking number the marketplace gave the package (its own shipping contract, design
   * section 7: Trendyol's cargoProviderName and cargoTrackingNumber); absent when the seller ships it.
   */
  assigned: z
    .object({
      /** Our carrier's code where the marketplace's carrier is one of ours, else `marketplace:<name>:<its carrier>`. */
      carrierCode: z.string().min(1),
      carrierName: z.string().optional(),
      trackingNumber: z.string().min(1),
    })
    .optional(),
  /** An assigned package's status as a scan of ours: the marketplace follows its own contract's parcels, so the pull brings their scans. */
  tracking: z.enum(TRACKING_STATUSES).optional(),
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

/** One parcel of a package, labelled or handed to its carrier: what the marketplace is told (design section 6). */
export interface ShippedParcel {
  /** The package's id at the marketplace (Amazon: AmazonOrderId). */
  packageId: string;
  /** The parcel's number within our order (1, 2, …): a positive number, as Amazon's packageReferenceId must be. */
  parcelNumber: number;
  /** Our carrier code and its name as customers know it. */
  carrier: string;
  carrierName: string;
  trackingNumber: string;
  /** The parcel's public tracking page, when the engine has one (Hepsiburada takes it; Amazon does not). */
  trackingUrl?: string;
  /** ISO datetime of the carrier's first scan (of the label, for picking). */
  shippedAt: string;
  /** The marketplace's lines in this parcel, with the quantities it carries. */
  lines: { lineId: string; quantity: number }[];
}

/** How a merchant-shipped parcel's journey to the buyer ended, as its carrier scanned it. */
export interface ParcelEnd {
  /** ISO datetime of the carrier's scan. */
  at: string;
  /** Why it was not delivered, in words the marketplace shows the seller. */
  reason?: string;
}

export interface MarketplaceAdapter {
  readonly marketplace: string;
  /** One page of packages changed since the cursor (none yet: the connector's first window), without their details. */
  list(cursor: Cursor | undefined, now: Date): Promise<MarketplacePage>;
  /**
   * The lines and address of one package, asked once per package the engine takes: apart from the
   * listing because marketplaces limit these calls per order (Amazon: 0.5 a second), so each is its
   * own activity, paced by the marketplace queue's limit and retried alone. Given the package as
   * its listing read it: some listings name what the details call needs (Hepsiburada: the order
   * number) or carry part of the details already (Hepsiburada: the lines).
   */
  details(pkg: MarketplacePackage): Promise<PackageDetails>;
  /**
   * Tells the marketplace a parcel of the package is with its carrier (Amazon: confirmShipment;
   * Hepsiburada: intransit; Trendyol: its tracking number, updateTrackingNumber); absent where that
   * cannot be told. Safe to repeat: a crash between the call and its record sends it again.
   */
  pushShipped?(parcel: ShippedParcel): Promise<void>;
  /**
   * Tells the marketplace a parcel's lines are being picked, when it is labelled (Trendyol:
   * updatePackageStatus Picking, which its common label also waits for); absent where the
   * marketplace has no such step. Safe to repeat.
   */
  pushPicking?(parcel: ShippedParcel): Promise<void>;
  /** Tells the marketplace the parcel was delivered (Hepsiburada: deliver); absent where the marketplace follows that itself. Safe to repeat. */
  pushDelivered?(parcel: ShippedParcel, end: ParcelEnd): Promise<void>;
  /** Tells the marketplace the parcel will not be delivered: its carrier is bringing it back (Hepsiburada: undeliver). Safe to repeat. */
  pushUndelivered?(parcel: ShippedParcel, end: ParcelEnd): Promise<void>;
  /**
   * The marketplace's own label of an assigned package (Trendyol: the common label, ZPL, one per box),
   * for marketplaces that print one. A label not made yet is a retryable failure. Undefined where the
   * marketplace makes none for the package's carrier (Trendyol: other than TEX and Aras): the parcel
   * then carries our label of the marketplace's tracking number.
   */
  commonLabel?(packageId: string, trackingNumber: string, carrier: string): Promise<{ format: 'zpl'; labels: string[] } | undefined>;
}
