import type { Pool } from 'pg';
import { startOrder } from '../../api/order-start';
import type { MarketplaceAccount } from '../../marketplaces/connector';
import { marketplaceAdapter } from '../../marketplaces/registry';
import { TURKEY_MARKETPLACE_ID, type AmazonState } from '../../sandbox/marketplaces/amazon';
import type { OrderWorkerOptions } from '../../workers/order-worker';

// An Amazon buyer's shipping address in SP-API's shape (orders-v0.json Address), for the double's and the intake's tests.
export const AMAZON_ISTANBUL = {
  Name: 'Ayşe Yılmaz',
  AddressLine1: 'Bağdat Cad. 1',
  City: 'İstanbul',
  District: 'Kadıköy',
  PostalCode: '34710',
  CountryCode: 'TR',
  Phone: '+90 532 000 00 00',
};

export interface BuyerItem {
  sellerSku: string;
  quantity: number;
  itemPrice: number;
}

/** A buyer's order placed in the double: Unshipped, shipped by the seller (MFN), due tomorrow, to AMAZON_ISTANBUL; `lastUpdateDate` an ISO time. */
export function placeAmazonOrder(state: AmazonState, order: { items: BuyerItem[]; lastUpdateDate?: string } & Record<string, unknown>) {
  const { items, lastUpdateDate = new Date().toISOString(), ...rest } = order;
  return state.place({
    marketplaceId: TURKEY_MARKETPLACE_ID,
    status: 'Unshipped',
    fulfillmentChannel: 'MFN',
    paymentMethod: 'Other',
    serviceLevelCategory: 'Standard',
    currency: 'TRY',
    purchaseDate: new Date(lastUpdateDate),
    lastUpdateDate: new Date(lastUpdateDate),
    latestShipDate: new Date(Date.now() + 86_400_000),
    latestDeliveryDate: new Date(Date.now() + 4 * 86_400_000),
    items: items.map((i) => ({ asin: 'B000TEST', ...i })),
    address: AMAZON_ISTANBUL,
    ...rest,
  });
}

/** The workers' marketplaces, every Amazon account's calls going to the double at `baseUrl`. */
export function amazonAgainstDouble(baseUrl: string, names = ['amazon']): NonNullable<OrderWorkerOptions['marketplaces']> {
  return {
    names,
    // Amazon's 0.5 a second would make each order's details take two seconds: the double's buckets are tested on their own.
    activitiesPerSecond: { amazon: 100 },
    adapterOf: (account: MarketplaceAccount) =>
      marketplaceAdapter(account, { [account.accountId]: { baseUrl, lwaUrl: `${baseUrl}/auth/o2/token` } }, { timeoutMs: 5_000 }),
    startOrder,
  };
}

/** A new Amazon account of the test database, on Amazon.com.tr (the test disables it when done: no later run makes it a schedule). */
export async function connectAmazonAccount(
  pool: Pool,
  accountId: string,
  { name = 'Amazon TR (test)', pageSize, status = 'active' }: { name?: string; pageSize?: number; status?: 'active' | 'paused' } = {},
): Promise<void> {
  await pool.query(
    `INSERT INTO marketplace_accounts (account_id, marketplace, seller_ref, display_name, settings, status)
     VALUES ($1, 'amazon', 'A2SANDBOXSELLER', $2, $3, $4)`,
    [accountId, name, JSON.stringify({ marketplaceId: TURKEY_MARKETPLACE_ID, ...(pageSize && { pageSize }) }), status],
  );
}
