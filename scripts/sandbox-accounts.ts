// DEVELOPMENT ONLY (scripts/dev): connects the sandbox's Amazon double as a marketplace account, so
// the stack pulls its orders and confirms their shipments like a seller's. Its SKU map names two of
// the sample SKUs the way a seller's Amazon listings would (AMZ-…). Idempotent; refused in production.
import { createPool } from '../lib/db';
import { isProduction, loadConfig } from '../lib/config';
import { SANDBOX_AMAZON_ACCOUNT as DEFAULT_ACCOUNT, TURKEY_MARKETPLACE_ID } from '../sandbox/marketplaces/amazon';

/** The sandbox's Amazon seller account (the id scripts/dev's MARKETPLACE_CREDENTIALS is keyed by). */
const SANDBOX_AMAZON_ACCOUNT = process.env.SANDBOX_AMAZON_ACCOUNT ?? DEFAULT_ACCOUNT;

/** Seller SKUs on Amazon and our SKUs (the dev database's sample stock). */
const SKU_MAP: [string, string][] = [
  ['AMZ-TSHIRT-RED-M', 'TSHIRT-RED-M'],
  ['AMZ-MUG-WHITE', 'MUG-WHITE'],
];

async function main(): Promise<void> {
  if (isProduction(process.env)) throw new Error('scripts/sandbox-accounts.ts connects the sandbox: development only');
  const pool = createPool(loadConfig().DATABASE_URL);
  try {
    const { rowCount } = await pool.query(
      `INSERT INTO marketplace_accounts (account_id, marketplace, seller_ref, display_name, settings)
       VALUES ($1, 'amazon', 'A2SANDBOXSELLER', 'Amazon TR (sandbox)', $2) ON CONFLICT (account_id) DO NOTHING`,
      [SANDBOX_AMAZON_ACCOUNT, JSON.stringify({ marketplaceId: TURKEY_MARKETPLACE_ID })],
    );
    for (const [marketplaceSku, sku] of SKU_MAP)
      await pool.query(`INSERT INTO marketplace_sku_map (account_id, marketplace_sku, sku) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        SANDBOX_AMAZON_ACCOUNT,
        marketplaceSku,
        sku,
      ]);
    console.log(
      JSON.stringify({
        msg: rowCount ? 'sandbox Amazon account connected' : 'sandbox Amazon account already connected',
        accountId: SANDBOX_AMAZON_ACCOUNT,
      }),
    );
  } finally {
    await pool.end();
  }
}

void main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
