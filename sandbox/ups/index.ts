// The UPS-like REST carrier for the sandbox (a CarrierDouble): upsRouter at /ups and
// upsAdminRouter at /_admin/ups, sharing one UpsState.
import { carrierDouble, type DoubleOptions } from '../double';
import { upsAdminRouter } from './admin';
import { upsRouter } from './api';
import { UpsState, type UpsCredentials } from './state';
import type { WebhookSubscription } from './webhooks';

export { upsAdminRouter } from './admin';
export { upsRouter } from './api';
export { UPS_ERRORS } from './errors';
export { UPS_OPERATIONS, UpsState, type UpsCredentials } from './state';
export { trackingEventJson, type WebhookSubscription } from './webhooks';

/** Development-only credentials and account; main.ts takes others from the environment. */
export const SANDBOX_UPS_CREDENTIALS: UpsCredentials = {
  clientId: 'sandbox-ups-client',
  clientSecret: 'sandbox-ups-secret',
  accountNumber: 'SANDBX',
};

/** Credentials at the top level (not under `credentials`), as createSandboxApp's `ups` option has always taken them. */
export interface UpsDoubleOptions extends DoubleOptions, Partial<UpsCredentials> {
  /** How long a token lives; an hour unless a test wants to see one expire. */
  tokenTtlSeconds?: number;
  /** Where scans are pushed from the start (the admin API's PUT /webhook changes it later). */
  webhook?: WebhookSubscription;
}

export const upsDouble = carrierDouble('ups', {
  state({ logger, webhook, tokenTtlSeconds = 3600, ...credentials }: UpsDoubleOptions) {
    const state = new UpsState({ ...SANDBOX_UPS_CREDENTIALS, ...credentials }, tokenTtlSeconds, logger);
    state.webhooks.subscription = webhook;
    return state;
  },
  api: upsRouter,
  admin: upsAdminRouter,
});
