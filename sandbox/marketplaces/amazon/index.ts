// The Amazon SP-API double (a CarrierDouble in shape, for a marketplace): amazonRouter at /amazon
// (the LWA token exchange at /amazon/auth/o2/token beside SP-API's paths) and amazonAdminRouter at
// /_admin/amazon, sharing one AmazonState.
import { carrierDouble, type CredentialOptions } from '../../double';
import { amazonAdminRouter } from './admin';
import { amazonRouter } from './api';
import { AmazonState, PUBLISHED_RATE_LIMITS, type AmazonCredentials, type RateLimits } from './state';

export { SANDBOX_AMAZON_ACCOUNT, TURKEY_MARKETPLACE_ID } from './admin';
export { AMAZON_ORDERS_SPEC, AMAZON_TOKENS_SPEC } from './api';
export { AMAZON_ERRORS } from './errors';
export { loadStaticCases } from './static-cases';
export { AMAZON_OPERATIONS, AmazonState, PUBLISHED_RATE_LIMITS, type AmazonCredentials } from './state';

/** Development-only credentials; the engine's AMAZON_* defaults (marketplaces/amazon/index.ts) are these. */
export const SANDBOX_AMAZON_CREDENTIALS: AmazonCredentials = {
  clientId: 'amzn1.application-oa2-client.sandbox',
  clientSecret: 'sandbox-amazon-client-secret',
  refreshToken: 'Atzr|sandbox-amazon-refresh-token',
  sellerId: 'A2SANDBOXSELLER',
};

export interface AmazonDoubleOptions extends CredentialOptions<AmazonCredentials> {
  /** How long access tokens and RDTs live; an hour unless a test wants to see one expire. */
  tokenTtlSeconds?: number;
  /** Per operation, instead of the published rate and burst (a test that must not wait a minute for getOrders' bucket). */
  rateLimits?: Partial<RateLimits>;
}

export const amazonDouble = carrierDouble('amazon', {
  state: ({ credentials, tokenTtlSeconds = 3600, rateLimits }: AmazonDoubleOptions) =>
    new AmazonState({ ...SANDBOX_AMAZON_CREDENTIALS, ...credentials }, { ...PUBLISHED_RATE_LIMITS, ...rateLimits }, tokenTtlSeconds),
  api: amazonRouter,
  admin: amazonAdminRouter,
});
