// Hepsiburada packages in the marketplace-neutral reading (../adapter.ts). The unit pulled is the
// package (packageNumber), from the listing of the packages waiting for their carrier, swept whole
// every run `pageSize` (at most 10) at a time by offset.
// The listing carries the lines; the address is the order's (`details`: the listing's address has
// no postal code). A merchant-shipped parcel's first carrier scan is told as `intransit`.
import { z } from 'zod';
import type { Cursor, MarketplaceAdapter, MarketplacePackage, MarketplacePage, PackageDetails, ParcelEnd, ShippedParcel } from '../adapter';
import type { HepsiburadaAddress, HepsiburadaClient, HepsiburadaItem, HepsiburadaPackage } from './client';
import { intakeOf } from './statuses';

/**
 * How far back a sweep asks: begindate selects by when the items were added (the order), not when
 * the package was made (the definition), so a window of recent times would miss a package packed
 * long after its order. The listing holds the packages waiting for their carrier only: it is read
 * whole, from its start, every run (its orders' age bounded by this).
 */
const SWEEP_LOOKBACK_MS = 30 * 24 * 60 * 60_000;

/** Turkey keeps UTC+3 all year: a time Hepsiburada writes without an offset is read as Turkey's. */
const TURKEY_OFFSET = '+03:00';

/** Where the sweep under way goes on (a long listing takes more than a run); none: the next run starts one. */
const CursorSchema = z.object({ offset: z.number().int().min(0).optional() });

const cents = (n: number) => Math.round(n * 100) / 100;
/** To the second, in UTC with its Z: the definition gives no format, and a zone named cannot be misread (README). */
const queryTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** A date and time without a zone: `2026-12-04T13:00:00` or `2026-12-04 13:00`. */
const NAIVE_TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?$/;

/**
 * An ISO datetime from Hepsiburada's, undefined when it is not ISO 8601 (no format is published):
 * JavaScript would read a Turkish 05.12.2026 as the twelfth of May.
 */
function isoOf(value: string | undefined): string | undefined {
  if (!value || !/^\d{4}-\d\d-\d\d/.test(value)) return undefined;
  const zoned = NAIVE_TIME.test(value) ? `${value.replace(' ', 'T')}${TURKEY_OFFSET}` : value;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const lineOf = (item: HepsiburadaItem) => ({
  lineId: item.lineItemId,
  marketplaceSku: item.merchantSku ?? '',
  quantity: item.quantity,
  ...(item.price?.amount !== undefined && { unitPrice: cents(item.price.amount), currency: item.price.currency }),
});

function packageOf(pkg: HepsiburadaPackage, now: Date): MarketplacePackage {
  const status = pkg.status ?? '';
  return {
    packageId: pkg.packageNumber,
    // The order the package's items belong to; the package number where the listing names none.
    orderNumber: pkg.items.find((i) => i.orderNumber)?.orderNumber ?? pkg.packageNumber,
    status: status || 'unknown',
    intake: intakeOf(status),
    // Cancellations are another listing (GET /orders/.../cancelled), not followed yet (README).
    cancelled: false,
    lines: pkg.items.map(lineOf),
    // No service level in the definition; no cash on delivery either: Hepsiburada collects (README).
    service: 'standard',
    shipBy: isoOf(pkg.dueDate),
    // The listing has no time of change: the time it was seen stands in.
    lastModified: now.toISOString(),
  };
}

/** The order's delivery address: `town` is the district (ilçe) our addresses carry, `district` the neighbourhood (mahalle). */
function shipTo(a: HepsiburadaAddress | undefined): MarketplacePackage['shipTo'] {
  if (!a) return undefined;
  return {
    name: a.name,
    line1: a.address,
    ...(a.district && { line2: a.district }),
    city: a.city,
    district: a.town,
    postalCode: a.postalCode,
    countryCode: a.countryCode,
    phone: a.phoneNumber,
  };
}

/** Our public tracking page, when it is one Hepsiburada can open (the engine may run without a public address). */
const publicUrl = (url: string | undefined) => (url && /^https?:\/\//.test(url) ? url : undefined);

export function createHepsiburadaAdapter(client: HepsiburadaClient, { pageSize }: { pageSize: number }): MarketplaceAdapter {
  /** Hepsiburada holds the package's end already: what a second deliver or undeliver answers is not published. */
  const ended = async ({ packageId }: ShippedParcel) =>
    ['Delivered', 'UnDelivered'].includes((await client.getPackage(packageId)).status ?? '');
  return {
    marketplace: 'hepsiburada',
    /**
     * One page of the sweep. A package leaving the listing meanwhile (told intransit, unpacked)
     * shifts the later ones back by one: one may be passed over by this sweep, never by the next.
     */
    async list(stored: Cursor | undefined, now: Date): Promise<MarketplacePage> {
      const offset = CursorSchema.parse(stored ?? {}).offset ?? 0;
      const page = await client.listPackages({
        begindate: queryTime(now.getTime() - SWEEP_LOOKBACK_MS),
        enddate: queryTime(now.getTime()),
        offset,
        limit: pageSize,
      });
      // A full page may have more behind it; a short one ends the sweep.
      const more = page.length >= pageSize;
      return { packages: page.map((p) => packageOf(p, now)), next: more ? { offset: offset + page.length } : {}, more };
    },

    async details(pkg: MarketplacePackage): Promise<PackageDetails> {
      const order = await client.getOrder(pkg.orderNumber);
      return { lines: pkg.lines, shipTo: shipTo(order.deliveryAddress) };
    },

    /**
     * Hepsiburada does not say what a second intransit answers: the package is read first. One
     * already told this tracking number (a crash between the call and its record), or already in
     * transit on an earlier parcel of ours (a split order), is not told again.
     */
    async pushShipped(parcel: ShippedParcel): Promise<void> {
      const held = await client.getPackage(parcel.packageId);
      if (held.trackingInfoCode === parcel.trackingNumber || held.status === 'InTransit') return;
      const trackingUrl = publicUrl(parcel.trackingUrl);
      await client.inTransit(parcel.packageId, {
        trackingNumber: parcel.trackingNumber,
        ...(trackingUrl && { trackingUrl }),
        shippedDate: parcel.shippedAt,
      });
    },

    /** deliver at the carrier's delivery scan, unless the package has its end already (an earlier parcel of a split order, a repeat). */
    async pushDelivered(parcel: ShippedParcel, { at }: ParcelEnd): Promise<void> {
      if (await ended(parcel)) return;
      await client.deliver(parcel.packageId, { receivedDate: at });
    },

    /**
     * undeliver once the carrier sends the parcel back (return_to_sender): a failed attempt alone is
     * not the end, the carrier tries again. Not when the package has its end already.
     */
    async pushUndelivered(parcel: ShippedParcel, { at, reason }: ParcelEnd): Promise<void> {
      if (await ended(parcel)) return;
      await client.undeliver(parcel.packageId, { undeliveredDate: at, undeliveredReason: reason ?? 'not delivered' });
    },
  };
}
