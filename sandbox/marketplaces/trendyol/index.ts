// The Trendyol order-integration double (a CarrierDouble in shape, for a marketplace): trendyolRouter
// at /trendyol (Trendyol's paths under /trendyol/integration) and trendyolAdminRouter at
// /_admin/trendyol, sharing one TrendyolState.
import { carrierDouble, type CredentialOptions } from '../../double';
import { trendyolAdminRouter } from './admin';
import { trendyolRouter } from './api';
import { PUBLISHED_RATE_LIMITS, TrendyolState, type RateLimits, type TrendyolCredentials } from './state';

export { PlacePackageSchema, summary as packageSummary } from './admin';
export { packageJson, TRENDYOL_SUBSET } from './api';
export { TRENDYOL_ERRORS } from './errors';
export { PUBLISHED_RATE_LIMITS, TRENDYOL_OPERATIONS, TrendyolState, type SandboxPackage, type TrendyolCredentials } from './state';

/** Development-only credentials; the engine's Trendyol defaults (marketplaces/trendyol/index.ts) are these. */
export const SANDBOX_TRENDYOL_CREDENTIALS: TrendyolCredentials = {
  sellerId: '987654',
  apiKey: 'sandbox-trendyol-api-key',
  apiSecret: 'sandbox-trendyol-api-secret',
};

/** The dev stack's seller account of this double (scripts/sandbox-accounts.ts; scripts/dev keys its credentials by it). */
export const SANDBOX_TRENDYOL_ACCOUNT = `trendyol-${SANDBOX_TRENDYOL_CREDENTIALS.sellerId}`;

export interface TrendyolDoubleOptions extends CredentialOptions<TrendyolCredentials> {
  /** Per operation, instead of the smallest published tier (a test that must see a 429 soon, or none). */
  rateLimits?: Partial<RateLimits>;
}

export const trendyolDouble = carrierDouble('trendyol', {
  state: ({ credentials, rateLimits }: TrendyolDoubleOptions) =>
    new TrendyolState({ ...SANDBOX_TRENDYOL_CREDENTIALS, ...credentials }, { ...PUBLISHED_RATE_LIMITS, ...rateLimits }),
  api: trendyolRouter,
  admin: trendyolAdminRouter,
});
