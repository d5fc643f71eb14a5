// DEVELOPMENT ONLY (scripts/dev): connects the sandbox's Amazon, Hepsiburada and Trendyol doubles as
// marketplace accounts, so the stack pulls their orders and tells them of shipments like a seller's.
// Each SKU map names two of the sample SKUs the way a seller's listings would (AMZ-…, HB-…, TY-…).
// Idempotent; refused in production.
import type { Pool } from 'pg';
import { createPool } from '../lib/db';
import { isProduction, loadConfig } from '../lib/config';
import { SANDBOX_AMAZON_ACCOUNT as DEFAULT_ACCOUNT, TURKEY_MARKETPLACE_ID } from '../sandbox/marketplaces/amazon';
import { SANDBOX_HEPSIBURADA_ACCOUNT as DEFAULT_HB_ACCOUNT, SANDBOX_HEPSIBURADA_MERCHANT } from '../sandbox/marketplaces/hepsiburada';
import { SANDBOX_TRENDYOL_ACCOUNT as DEFAULT_TY_ACCOUNT, SANDBOX_TRENDYOL_CREDENTIALS } from '../sandbox/marketplaces/trendyol';

/** The sandbox's Amazon seller account (the id scripts/dev's MARKETPLACE_CREDENTIALS is keyed by). */
const SANDBOX_AMAZON_ACCOUNT = process.env.SANDBOX_AMAZON_ACCOUNT ?? DEFAULT_ACCOUNT;

/** The sandbox's Hepsiburada merchant account (keyed the same way). */
const SANDBOX_HEPSIBURADA_ACCOUNT = process.env.SANDBOX_HEPSIBURADA_ACCOUNT ?? DEFAULT_HB_ACCOUNT;

/** The sandbox's Trendyol seller account (keyed the same way). */
const SANDBOX_TRENDYOL_ACCOUNT = process.env.SANDBOX_TRENDYOL_ACCOUNT ?? DEFAULT_TY_ACCOUNT;

interface SandboxAccount {
  accountId: string;
  /** How the log line names it. */
  label: string;
  marketplace: string;
  sellerRef: string;
  displayName: string;
  settings: Record<string, unknown>;
  /** Seller SKUs on the marketplace and our SKUs (the dev database's sample stock). */
  skuMap: [string, string][];
}

const ACCOUNTS: SandboxAccount[] = [
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

async function connect(pool: Pool, account: SandboxAccount): Promise<void> {
  const { rowCount } = await pool.query(
    `INSERT INTO marketplace_accounts (account_id, marketplace, seller_ref, display_name, settings)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO NOTHING`,
    [account.accountId, account.marketplace, account.sellerRef, account.displayName, JSON.stringify(account.settings)],
  );
  for (const [marketplaceSku, sku] of account.skuMap)
    await pool.query(`INSERT INTO marketplace_sku_map (account_id, marketplace_sku, sku) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      account.accountId,
      marketplaceSku,
      sku,
    ]);
  const name = `sandbox ${account.label} account`;
  console.log(JSON.stringify({ msg: rowCount ? `${name} connected` : `${name} already connected`, accountId: account.accountId }));
}

async function main(): Promise<void> {
  if (isProduction(process.env)) throw new Error('scripts/sandbox-accounts.ts connects the sandbox: development only');
  const pool = createPool(loadConfig().DATABASE_URL);
  try {
    for (const account of ACCOUNTS) await connect(pool, account);
  } finally {
    await pool.end();
  }
}

void main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
