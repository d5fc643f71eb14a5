// Amazon orders in the marketplace-neutral reading (../adapter.ts). The unit pulled is the order
// (AmazonOrderId); a window of LastUpdateDate from five minutes before the last committed end to two
// minutes before now (Amazon's floor for LastUpdatedBefore), paged with NextToken; items and the
// address (`details`) are asked only for orders the engine takes (statuses.ts).
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
import type { AmazonAddress, AmazonClient, AmazonOrder, AmazonOrderItem } from './client';
import { cancelledAt, intakeOf, serviceOf } from './statuses';

/** "LastUpdatedBefore must be no later than two minutes before the time that the request was submitted." */
const LATEST_MS = 2 * 60_000;

/** The committed end (`until`); while a window is being paged, its end and the NextToken of its next page. */
const CursorSchema = z.object({ until: z.iso.datetime(), windowEnd: z.iso.datetime().optional(), nextToken: z.string().optional() });

/** Countries whose StateOrRegion is a state code our addresses carry (domain/shared-shapes.ts). */
const STATE_CODE_COUNTRIES = ['US', 'CA'];

const iso = (ms: number) => new Date(ms).toISOString();
const cents = (n: number) => Math.round(n * 100) / 100;

function shipTo(a: AmazonAddress | undefined): MarketplacePackage['shipTo'] {
  if (!a) return undefined;
  const line2 = [a.AddressLine2, a.AddressLine3].filter(Boolean).join(' ');
  return {
    name: a.Name,
    line1: a.AddressLine1,
    ...(line2 && { line2 }),
    city: a.City,
    district: a.District ?? a.County,
    ...(a.CountryCode && STATE_CODE_COUNTRIES.includes(a.CountryCode) && { stateCode: a.StateOrRegion }),
    postalCode: a.PostalCode,
    countryCode: a.CountryCode,
    phone: a.Phone,
  };
}

/** ItemPrice is the line's total: divided by the quantity, in whole cents. */
const lineOf = (item: AmazonOrderItem) => ({
  lineId: item.OrderItemId,
  marketplaceSku: item.SellerSKU ?? '',
  quantity: item.QuantityOrdered,
  ...(item.ItemPrice?.Amount && {
    unitPrice: cents(Number(item.ItemPrice.Amount) / item.QuantityOrdered),
    currency: item.ItemPrice.CurrencyCode,
  }),
});

function packageOf(order: AmazonOrder): MarketplacePackage {
  const total = order.OrderTotal;
  return {
    packageId: order.AmazonOrderId,
    orderNumber: order.AmazonOrderId,
    status: order.OrderStatus,
    intake: intakeOf(order.OrderStatus),
    cancelled: cancelledAt(order.OrderStatus),
    lines: [],
    service: serviceOf(order.ShipmentServiceLevelCategory),
    shipBy: order.LatestShipDate,
    deliverBy: order.LatestDeliveryDate,
    ...(order.PaymentMethod === 'COD' &&
      total?.Amount &&
      total.CurrencyCode && { cashOnDelivery: { amount: Number(total.Amount), currency: total.CurrencyCode } }),
    lastModified: order.LastUpdateDate,
  };
}

/**
 * Amazon's carrierCode for our carriers. Amazon's list of codes is a page of its docs, not in the
 * model; UPS is on it, the Turkish carriers are sent as "Other" with their name (README).
 */
const CARRIER_CODES: Record<string, string> = { ups: 'UPS' };

const confirmationOf = (marketplaceId: string, parcel: ShippedParcel) => ({
  marketplaceId,
  packageDetail: {
    packageReferenceId: String(parcel.parcelNumber),
    carrierCode: CARRIER_CODES[parcel.carrier] ?? 'Other',
    ...(!CARRIER_CODES[parcel.carrier] && { carrierName: parcel.carrierName }),
    trackingNumber: parcel.trackingNumber,
    shipDate: parcel.shippedAt,
    orderItems: parcel.lines.map(({ lineId, quantity }) => ({ orderItemId: lineId, quantity })),
  },
});

export function createAmazonAdapter(
  client: AmazonClient,
  { marketplaceId, pageSize }: { marketplaceId: string; pageSize: number },
): MarketplaceAdapter {
  return {
    marketplace: 'amazon',
    async list(stored: Cursor | undefined, now: Date): Promise<MarketplacePage> {
      const cursor = stored ? CursorSchema.parse(stored) : { until: iso(now.getTime() - FIRST_LOOKBACK_MS) };
      const paging = cursor.nextToken && cursor.windowEnd ? { nextToken: cursor.nextToken, windowEnd: cursor.windowEnd } : undefined;
      const windowEnd = paging?.windowEnd ?? iso(now.getTime() - LATEST_MS);
      const page = await client.getOrders(
        paging
          ? { marketplaceId, nextToken: paging.nextToken }
          : { marketplaceId, lastUpdatedAfter: iso(Date.parse(cursor.until) - WINDOW_OVERLAP_MS), lastUpdatedBefore: windowEnd, pageSize },
      );
      const next = page.nextToken ? { until: cursor.until, windowEnd, nextToken: page.nextToken } : { until: windowEnd };
      return { packages: page.orders.map(packageOf), next, more: page.nextToken !== undefined };
    },

    async details({ packageId: orderId }: MarketplacePackage): Promise<PackageDetails> {
      const items = await client.getOrderItems(orderId);
      return { lines: items.map(lineOf), shipTo: shipTo(await client.getOrderAddress(orderId)) };
    },

    async pushShipped(parcel: ShippedParcel): Promise<void> {
      await client.confirmShipment(parcel.packageId, confirmationOf(marketplaceId, parcel));
    },
  };
}
