import type { Pool } from 'pg';
import { startOrder } from '../../api/order-start';
import type { MarketplaceAccount } from '../../marketplaces/connector';
import { marketplaceAdapter } from '../../marketplaces/registry';
import { SANDBOX_TRENDYOL_CREDENTIALS, type TrendyolState } from '../../sandbox/marketplaces/trendyol';
import type { OrderWorkerOptions } from '../../workers/order-worker';

// A Trendyol buyer's shipping address as the double's admin API takes it (ShipmentPackage.shipmentAddress's fields).
export const TRENDYOL_ISTANBUL = {
  firstName: 'Ayşe',
  lastName: 'Yılmaz',
  address1: 'Bağdat Cad. 1',
  city: 'İstanbul',
  district: 'Kadıköy',
  postalCode: '34710',
  countryCode: 'TR',
};

export interface TrendyolLineInput {
  merchantSku: string;
  quantity: number;
  price: number;
}

/** A package placed in the double as a buyer's order makes one: Created, on the seller's contract unless given, to TRENDYOL_ISTANBUL. */
export function placeTrendyolPackage(
  state: TrendyolState,
  { lines, lastModifiedDate = Date.now(), ...rest }: { lines: TrendyolLineInput[]; lastModifiedDate?: number } & Record<string, unknown>,
) {
  return state.place({
    orderNumber: String(10_000_000_000 + Math.floor(Math.random() * 9_000_000_000)),
    status: 'Created',
    currencyCode: 'TRY',
    orderDate: lastModifiedDate,
    lastModifiedDate,
    agreedDeliveryDate: Date.now() + 2 * 86_400_000,
    address: TRENDYOL_ISTANBUL,
    contract: 'merchant',
    lines: lines.map((l) => ({ barcode: '8690000000001', productName: 'Towel', ...l })),
    ...rest,
  });
}

/** The workers' marketplaces, every Trendyol account's calls going to the double at `baseUrl` (its /integration). */
export function trendyolAgainstDouble(baseUrl: string): NonNullable<OrderWorkerOptions['marketplaces']> {
  return {
    names: ['trendyol'],
    // 0.4 a second would make each package's details take 2.5 s: the double's rate limit is tested on its own.
    activitiesPerSecond: { trendyol: 100 },
    adapterOf: (account: MarketplaceAccount) =>
      marketplaceAdapter(account, { [account.accountId]: { baseUrl: `${baseUrl}/integration` } }, { timeoutMs: 5_000 }),
    startOrder,
  };
}

/** A new Trendyol account of the test database for the double's seller (the test disables it when done). */
export async function connectTrendyolAccount(pool: Pool, accountId: string, { pageSize }: { pageSize?: number } = {}): Promise<void> {
  await pool.query(
    `INSERT INTO marketplace_accounts (account_id, marketplace, seller_ref, display_name, settings)
     VALUES ($1, 'trendyol', $2, 'Trendyol (test)', $3)`,
    [
      accountId,
      SANDBOX_TRENDYOL_CREDENTIALS.sellerId,
      JSON.stringify({ sellerId: SANDBOX_TRENDYOL_CREDENTIALS.sellerId, ...(pageSize && { pageSize }) }),
    ],
  );
}
