// Amazon orders in the marketplace-neutral reading (../adapter.ts). The unit pulled is the order
// (AmazonOrderId); a window of LastUpdateDate from five minutes before the last committed end to two
// minutes before now (Amazon's floor for LastUpdatedBefore), paged with NextToken; items and the
// address are fetched only for orders the engine takes (statuses.ts).
import { z } from 'zod';
import type { Cursor, MarketplaceAdapter, MarketplacePackage, MarketplacePage } from '../adapter';
import type { AmazonAddress, AmazonClient, AmazonOrder, AmazonOrderItem } from './client';
import { intakeOf, serviceOf } from './statuses';

/** Windows overlap by this much, against late writes; repeats are absorbed by the package id. */
const OVERLAP_MS = 5 * 60_000;
/** "LastUpdatedBefore must be no later than two minutes before the time that the request was submitted." */
const LATEST_MS = 2 * 60_000;
/** A newly connected account's first window reaches back this far. */
const FIRST_LOOKBACK_MS = 24 * 60 * 60_000;

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

export function createAmazonAdapter(
  client: AmazonClient,
  { marketplaceId, pageSize }: { marketplaceId: string; pageSize: number },
): MarketplaceAdapter {
  async function packageOf(order: AmazonOrder): Promise<MarketplacePackage> {
    const intake = intakeOf(order.OrderStatus);
    const taken = intake === 'take';
    const total = order.OrderTotal;
    return {
      packageId: order.AmazonOrderId,
      orderNumber: order.AmazonOrderId,
      status: order.OrderStatus,
      intake,
      lines: taken ? (await client.getOrderItems(order.AmazonOrderId)).map(lineOf) : [],
      shipTo: taken ? shipTo(await client.getOrderAddress(order.AmazonOrderId)) : undefined,
      service: serviceOf(order.ShipmentServiceLevelCategory),
      shipBy: order.LatestShipDate,
      ...(order.PaymentMethod === 'COD' &&
        total?.Amount &&
        total.CurrencyCode && { cashOnDelivery: { amount: Number(total.Amount), currency: total.CurrencyCode } }),
      lastModified: order.LastUpdateDate,
    };
  }

  return {
    marketplace: 'amazon',
    async list(stored: Cursor | undefined, now: Date): Promise<MarketplacePage> {
      const cursor = stored ? CursorSchema.parse(stored) : { until: iso(now.getTime() - FIRST_LOOKBACK_MS) };
      const paging = cursor.nextToken && cursor.windowEnd ? { nextToken: cursor.nextToken, windowEnd: cursor.windowEnd } : undefined;
      const windowEnd = paging?.windowEnd ?? iso(now.getTime() - LATEST_MS);
      const page = await client.getOrders(
        paging
          ? { marketplaceId, nextToken: paging.nextToken }
          : { marketplaceId, lastUpdatedAfter: iso(Date.parse(cursor.until) - OVERLAP_MS), lastUpdatedBefore: windowEnd, pageSize },
      );
      // One order at a time: getOrderItems and getOrderAddress share a bucket of 0.5 calls a second.
      const packages: MarketplacePackage[] = [];
      for (const order of page.orders) packages.push(await packageOf(order));
      const next = page.nextToken ? { until: cursor.until, windowEnd, nextToken: page.nextToken } : { until: windowEnd };
      return { packages, next, more: page.nextToken !== undefined };
    },
  };
}
