import type { Pool } from 'pg';
import { startOrder } from '../../api/order-start';
import type { MarketplaceAccount } from '../../marketplaces/connector';
import { marketplaceAdapter } from '../../marketplaces/registry';
import { SANDBOX_HEPSIBURADA_CREDENTIALS, type HepsiburadaState, type SandboxAddress } from '../../sandbox/marketplaces/hepsiburada';
import type { OrderWorkerOptions } from '../../workers/order-worker';

// A Hepsiburada customer's delivery address in the double's terms (the order's deliveryAddress), for the double's and the intake's tests.
export const HEPSIBURADA_ANKARA: SandboxAddress = {
  name: 'Mehmet Demir',
  address: 'Atatürk Bulvarı No: 10 D: 3',
  city: 'Ankara',
  town: 'Çankaya',
  district: 'Kızılay',
  postalCode: '06420',
  countryCode: 'TR',
  phoneNumber: '+90 532 111 22 33',
};

export interface PackageItem {
  merchantSku: string;
  quantity: number;
  unitPrice: number;
}

/** A package Hepsiburada made in the double: Packaged, made `createdAt` (an ISO time; now when absent) for an order of `orderedAt` (the same when absent), due in two days, to HEPSIBURADA_ANKARA. */
export function placeHepsiburadaPackage(
  state: HepsiburadaState,
  pkg: { items: PackageItem[]; createdAt?: string; orderedAt?: string; orderNumber?: string; address?: SandboxAddress },
) {
  const createdAt = new Date(pkg.createdAt ?? Date.now());
  return state.place({
    orderNumber: pkg.orderNumber ?? String(Math.floor(1e9 + Math.random() * 9e9)),
    status: 'Packaged',
    cargoCompany: 'Yurtiçi Kargo',
    currency: 'TRY',
    createdAt,
    ...(pkg.orderedAt && { orderedAt: new Date(pkg.orderedAt) }),
    dueDate: new Date(createdAt.getTime() + 2 * 86_400_000),
    items: pkg.items,
    address: pkg.address ?? HEPSIBURADA_ANKARA,
  });
}

/** An adapter of `account` whose calls go to the double at `baseUrl`, with the double's development credentials unless given. */
export function hepsiburadaAdapterAt(baseUrl: string, account: MarketplaceAccount, credentials: Record<string, unknown> = {}) {
  return marketplaceAdapter(account, { [account.accountId]: { baseUrl, ...credentials } }, { timeoutMs: 5_000 });
}

/** The workers' marketplaces, every Hepsiburada account's calls going to the double at `baseUrl`. */
export function hepsiburadaAgainstDouble(baseUrl: string, names = ['hepsiburada']): NonNullable<OrderWorkerOptions['marketplaces']> {
  return {
    names,
    // One call a second would make a test of a dozen packages wait for their addresses: the double's limit is tested on its own.
    activitiesPerSecond: { hepsiburada: 100 },
    adapterOf: (account: MarketplaceAccount) => hepsiburadaAdapterAt(baseUrl, account),
    startOrder,
  };
}

/** A new Hepsiburada account of the test database for the double's merchant (the test disables it when done). */
export async function connectHepsiburadaAccount(
  pool: Pool,
  accountId: string,
  { name = 'Hepsiburada (test)', pageSize }: { name?: string; pageSize?: number } = {},
): Promise<void> {
  const { merchantId } = SANDBOX_HEPSIBURADA_CREDENTIALS;
  await pool.query(
    `INSERT INTO marketplace_accounts (account_id, marketplace, seller_ref, display_name, settings)
     VALUES ($1, 'hepsiburada', $2, $3, $4)`,
    [accountId, merchantId, name, JSON.stringify({ merchantId, ...(pageSize && { pageSize }) })],
  );
}
