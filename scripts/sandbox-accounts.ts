// DEVELOPMENT ONLY (scripts/dev): connects the sandbox's Amazon, Hepsiburada and Trendyol doubles as
// marketplace accounts, so the stack pulls their orders and tells them of shipments like a seller's.
// The accounts and their SKU maps are sandbox/marketplaces/accounts.ts's (the demo places orders with
// them too). Idempotent; refused in production.
import type { Pool } from 'pg';
import { createPool } from '../lib/db';
import { isProduction, loadConfig } from '../lib/config';
import { SANDBOX_ACCOUNTS, type SandboxAccount } from '../sandbox/marketplaces/accounts';

/** Each account under its id, or the one its environment variable names (scripts/dev keys MARKETPLACE_CREDENTIALS the same way). */
const OVERRIDES: Record<SandboxAccount['marketplace'], string | undefined> = {
  amazon: process.env.SANDBOX_AMAZON_ACCOUNT,
  hepsiburada: process.env.SANDBOX_HEPSIBURADA_ACCOUNT,
  trendyol: process.env.SANDBOX_TRENDYOL_ACCOUNT,
};
const ACCOUNTS = SANDBOX_ACCOUNTS.map((a) => ({ ...a, accountId: OVERRIDES[a.marketplace] ?? a.accountId }));

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
