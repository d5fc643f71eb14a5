// Trendyol's shipment packages in the marketplace-neutral reading (../adapter.ts). The unit pulled is
// the shipment package (ShipmentPackage.id: Trendyol splits an order into packages). The listing is
// getShipmentPackages over a window of last modification (epoch ms) from five minutes before the
// last committed end to now, oldest change first, read page by page (page/size) with the window held
// in the cursor until its last page. `details` asks getShipmentPackages again for the one package
// (shipmentPackageIds), for its lines and address as they are when the engine takes it.
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import {
  FIRST_LOOKBACK_MS,
  WINDOW_OVERLAP_MS,
  type Cursor,
  type MarketplaceAdapter,
  type MarketplacePackage,
  type MarketplacePage,
  type PackageDetails,
  type ShippedParcel,
} from '../adapter';
import { MARKETPLACE_FAILURE_TYPES } from '../failures';
import type { TrendyolAddress, TrendyolClient, TrendyolLine, TrendyolPackage } from './client';
import { MARKETPLACE } from './errors';
import { cancelledAt, intakeOf, trackingOf } from './statuses';

/** The committed end (`until`, epoch ms); while a window is being paged, its end and the next page's number. */
const CursorSchema = z.object({
  until: z.number().int(),
  windowEnd: z.number().int().optional(),
  page: z.number().int().min(1).optional(),
});

const iso = (ms: number) => new Date(ms).toISOString();
const text = (s: string | null | undefined) => (s?.trim() ? s.trim() : undefined);

function shipTo(a: TrendyolAddress | null | undefined): MarketplacePackage['shipTo'] {
  if (!a) return undefined;
  return {
    name: text(a.fullName) ?? text([a.firstName, a.lastName].filter(Boolean).join(' ')),
    line1: text(a.address1),
    ...(text(a.address2) && { line2: text(a.address2) }),
    city: text(a.city),
    district: text(a.district),
    postalCode: text(a.postalCode),
    countryCode: text(a.countryCode),
  };
}

/** `price` is read as the unit price (README: the reference does not say). */
const lineOf = (line: TrendyolLine) => ({
  lineId: line.id,
  marketplaceSku: line.merchantSku ?? '',
  quantity: line.quantity,
  ...(typeof line.price === 'number' && { unitPrice: line.price, ...(line.currencyCode && { currency: line.currencyCode }) }),
});

/**
 * Trendyol's carriers by the name a package carries (cargoProviderName, e.g. "Aras Kargo Marketplace";
 * the names are not in the definition: README), as our carriers' codes; any other stays Trendyol's.
 */
const CARRIERS: [RegExp, string][] = [
  [/^aras/i, 'aras'],
  [/^yurti/i, 'yurtici'],
  [/^s[uü]rat/i, 'surat'],
  [/^ptt/i, 'ptt'],
  [/^mng/i, 'mng'],
];
/** Our carriers Trendyol makes a common label for (createCommonLabel: "TEX, Aras Kargo için Trendyol öder gönderilerde"). */
const COMMON_LABEL_CARRIERS = ['aras'];
const carrierCodeOf = (name: string) =>
  CARRIERS.find(([pattern]) => pattern.test(name))?.[1] ?? `marketplace:trendyol:${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/** The last change: lastModifiedDate where Trendyol sends it, else the newest history entry, else the order's date. */
function lastModifiedOf(p: TrendyolPackage, now: number): number {
  const history = (p.packageHistory ?? []).map((h) => h.createdDate ?? 0);
  return p.lastModifiedDate ?? (history.length ? Math.max(...history) : (p.orderDate ?? now));
}

function packageOf(p: TrendyolPackage, now: number): MarketplacePackage {
  const buyer = text([p.customerFirstName, p.customerLastName].filter(Boolean).join(' '));
  return {
    packageId: p.id,
    orderNumber: p.orderNumber,
    status: p.status,
    intake: intakeOf(p.status),
    cancelled: cancelledAt(p.status),
    // Read by `details` for the packages the engine takes (../adapter.ts): the listing's are not kept.
    lines: [],
    ...(buyer && { buyer: { name: buyer } }),
    service: 'standard',
    ...(p.agreedDeliveryDate && { shipBy: iso(p.agreedDeliveryDate) }),
    lastModified: iso(lastModifiedOf(p, now)),
    ...(p.cargoTrackingNumber &&
      p.cargoProviderName && {
        assigned: {
          carrierCode: carrierCodeOf(p.cargoProviderName),
          carrierName: p.cargoProviderName,
          trackingNumber: p.cargoTrackingNumber,
        },
        ...(trackingOf(p.status) && { tracking: trackingOf(p.status) }),
      }),
  };
}

const failure = (type: string, retryable: boolean, message: string, details: Record<string, unknown>) =>
  ApplicationFailure.create({ message: `${MARKETPLACE} ${message}`, type, nonRetryable: !retryable, details: [details] });

export function createTrendyolAdapter(client: TrendyolClient, { pageSize }: { pageSize: number }): MarketplaceAdapter {
  return {
    marketplace: MARKETPLACE,
    async list(stored: Cursor | undefined, now: Date): Promise<MarketplacePage> {
      const cursor = stored ? CursorSchema.parse(stored) : { until: now.getTime() - FIRST_LOOKBACK_MS };
      const paging =
        cursor.windowEnd !== undefined && cursor.page !== undefined ? { windowEnd: cursor.windowEnd, page: cursor.page } : undefined;
      const windowEnd = paging?.windowEnd ?? now.getTime();
      const page = paging?.page ?? 0;
      const reply = await client.getShipmentPackages({
        startDate: cursor.until - WINDOW_OVERLAP_MS,
        endDate: windowEnd,
        page,
        size: pageSize,
      });
      const more = page + 1 < reply.totalPages && reply.content.length > 0;
      const next = more ? { until: cursor.until, windowEnd, page: page + 1 } : { until: windowEnd };
      return { packages: reply.content.map((p) => packageOf(p, now.getTime())), next, more };
    },

    async details({ packageId }: MarketplacePackage): Promise<PackageDetails> {
      const [found] = (await client.getShipmentPackages({ shipmentPackageIds: [packageId] })).content.filter((p) => p.id === packageId);
      if (!found)
        throw failure(MARKETPLACE_FAILURE_TYPES.malformed, true, `getShipmentPackages: package ${packageId} not in the reply`, {
          packageId,
        });
      return { lines: found.lines.map(lineOf), shipTo: shipTo(found.shipmentAddress) };
    },

    /** updatePackageStatus Picking with the parcel's lines: the package is being prepared (Trendyol scores the seller on it). */
    async pushPicking(parcel: ShippedParcel): Promise<void> {
      await client.updatePackageStatus(parcel.packageId, {
        status: 'Picking',
        lines: parcel.lines.map((line) => ({ lineId: Number(line.lineId), quantity: line.quantity })),
      });
    },

    /**
     * updateTrackingNumber with the parcel's tracking number, for its package, at the carrier's first
     * scan. Never asked for a parcel on Trendyol's own contract (the number is Trendyol's: the pushback
     * passes it over). A repeat sends the same number again.
     */
    async pushShipped(parcel: ShippedParcel): Promise<void> {
      await client.updateTrackingNumber(parcel.packageId, parcel.trackingNumber);
    },

    /**
     * createCommonLabel, then getCommonLabel: ZPL, one label per box; none yet is retried (Trendyol makes
     * them asynchronously). Only for Aras among our carriers: the definition offers the common label
     * for Trendyol-paid TEX and Aras parcels only.
     */
    async commonLabel(
      packageId: string,
      trackingNumber: string,
      carrier: string,
    ): Promise<{ format: 'zpl'; labels: string[] } | undefined> {
      if (!COMMON_LABEL_CARRIERS.includes(carrier)) return undefined;
      await client.createCommonLabel(trackingNumber, { format: 'ZPL' });
      const labels = await client.getCommonLabel(trackingNumber);
      if (labels.length === 0)
        throw failure('MarketplaceLabelNotReady', true, `getCommonLabel: no label yet for package ${packageId}`, {
          packageId,
          operation: 'getCommonLabel',
        });
      return { format: 'zpl', labels: labels.map((l) => l.label) };
    },
  };
}
