// The Hepsiburada order-integration double (a CarrierDouble in shape, for a marketplace):
// hepsiburadaRouter at /hepsiburada and hepsiburadaAdminRouter at /_admin/hepsiburada, sharing one
// HepsiburadaState.
import { carrierDouble, type CredentialOptions } from '../../double';
import { hepsiburadaAdminRouter, SANDBOX_HEPSIBURADA_MERCHANT } from './admin';
import { hepsiburadaRouter } from './api';
import { HepsiburadaState, type HepsiburadaCredentials } from './state';

export { SANDBOX_HEPSIBURADA_ACCOUNT, SANDBOX_HEPSIBURADA_MERCHANT } from './admin';
export { HEPSIBURADA_SPEC } from './api';
export { HEPSIBURADA_OPERATIONS, HepsiburadaState, type HepsiburadaCredentials, type SandboxAddress } from './state';

/** Development-only credentials; the engine's defaults (marketplaces/hepsiburada/index.ts) are these. */
export const SANDBOX_HEPSIBURADA_CREDENTIALS: HepsiburadaCredentials = {
  merchantId: SANDBOX_HEPSIBURADA_MERCHANT,
  serviceKey: 'sandboxkey12',
  userAgent: 'sandbox_integrator',
};

/**
 * Hepsiburada publishes no rate limit; a third-party blog's 60 a minute is the double's default
 * (spec/README.md), an option so a test can meet the 429 without sixty calls.
 */
export const DEFAULT_REQUESTS_PER_MINUTE = 60;

export interface HepsiburadaDoubleOptions extends CredentialOptions<HepsiburadaCredentials> {
  requestsPerMinute?: number;
}

export const hepsiburadaDouble = carrierDouble('hepsiburada', {
  state: ({ credentials, requestsPerMinute = DEFAULT_REQUESTS_PER_MINUTE }: HepsiburadaDoubleOptions) =>
    new HepsiburadaState({ ...SANDBOX_HEPSIBURADA_CREDENTIALS, ...credentials }, requestsPerMinute),
  api: hepsiburadaRouter,
  admin: hepsiburadaAdminRouter,
});
