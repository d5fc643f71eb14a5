// DEVELOPMENT ONLY: the dev stack's seller account in each marketplace double, as
// scripts/sandbox-accounts.ts connects them (scripts/dev keys their credentials by the account ids)
// and the demo places its buyers' orders with them. Each SKU map names two of the sample SKUs the
// way a seller's listings would (AMZ-…, HB-…, TY-…); other SKUs are sold under our own.
import { SANDBOX_AMAZON_ACCOUNT, TURKEY_MARKETPLACE_ID } from './amazon';
import { SANDBOX_HEPSIBURADA_ACCOUNT, SANDBOX_HEPSIBURADA_MERCHANT } from './hepsiburada';
import { SANDBOX_TRENDYOL_ACCOUNT, SANDBOX_TRENDYOL_CREDENTIALS } from './trendyol';

export interface SandboxAccount {
  accountId: string;
  /** How logs and summaries name it. */
  label: string;
  marketplace: 'amazon' | 'hepsiburada' | 'trendyol';
  sellerRef: string;
  displayName: string;
  settings: Record<string, unknown>;
  /** Seller SKUs on the marketplace and our SKUs (the dev database's sample stock). */
  skuMap: [string, string][];
}

export const SANDBOX_ACCOUNTS: readonly SandboxAccount[] = [
  {
    accountId: SANDBOX_AMAZON_ACCOUNT,
    label: 'Amazon',
    marketplace: 'amazon',
    sellerRef: 'A2SANDBOXSELLER',
    displayName: 'Amazon TR (sandbox)',
    settings: { marketplaceId: TURKEY_MARKETPLACE_ID },
    skuMap: [
      ['AMZ-TSHIRT-RED-M', 'TSHIRT-RED-M'],
      ['AMZ-MUG-WHITE', 'MUG-WHITE'],
    ],
  },
  {
    accountId: SANDBOX_HEPSIBURADA_ACCOUNT,
    label: 'Hepsiburada',
    marketplace: 'hepsiburada',
    sellerRef: SANDBOX_HEPSIBURADA_MERCHANT,
    displayName: 'Hepsiburada (sandbox)',
    settings: { merchantId: SANDBOX_HEPSIBURADA_MERCHANT },
    skuMap: [
      ['HB-TSHIRT-RED-M', 'TSHIRT-RED-M'],
      ['HB-MUG-WHITE', 'MUG-WHITE'],
    ],
  },
  {
    accountId: SANDBOX_TRENDYOL_ACCOUNT,
    label: 'Trendyol',
    marketplace: 'trendyol',
    sellerRef: SANDBOX_TRENDYOL_CREDENTIALS.sellerId,
    displayName: 'Trendyol (sandbox)',
    settings: { sellerId: SANDBOX_TRENDYOL_CREDENTIALS.sellerId },
    skuMap: [
      ['TY-TSHIRT-RED-M', 'TSHIRT-RED-M'],
      ['TY-MUG-WHITE', 'MUG-WHITE'],
    ],
  },
];

/** The dev stack's account of a marketplace. */
export function sandboxAccount(marketplace: SandboxAccount['marketplace']): SandboxAccount {
  return SANDBOX_ACCOUNTS.find((a) => a.marketplace === marketplace)!;
}

/** The seller SKU a listing of the account names our SKU by: the SKU map's, else our own. */
export function sellerSkuOf(account: SandboxAccount, sku: string): string {
  return account.skuMap.find(([, ours]) => ours === sku)?.[0] ?? sku;
}
