// The Aras-like SOAP carrier for the sandbox (a CarrierDouble): arasRouter at /aras and
// arasAdminRouter at /_admin/aras, sharing one ArasState.
import { carrierDouble, type CredentialOptions } from '../double';
import { arasAdminRouter } from './admin';
import { arasRouter } from './api';
import { ArasState, type ArasCredentials } from './state';

export { arasAdminRouter } from './admin';
export { ARAS_ORDER_SERVICE_PATH, ARAS_QUERY_SERVICE_PATH, arasRouter } from './api';
export { ARAS_CODES } from './soap';
export { ARAS_OPERATIONS, ArasState, DELIVERY_STATUSES, TYPE_CODES, type ArasCredentials } from './state';

/** Development-only credentials (lib/config.ts's ARAS_* defaults); production points the adapter at the carrier with its own. */
export const SANDBOX_ARAS_CREDENTIALS: ArasCredentials = {
  username: 'sandbox-aras-user',
  password: 'sandbox-aras-pass',
  customerCode: 'SANDBOX-ARAS-1',
};

export type ArasDoubleOptions = CredentialOptions<ArasCredentials>;

export const arasDouble = carrierDouble('aras', {
  state: (options: ArasDoubleOptions) => new ArasState({ ...SANDBOX_ARAS_CREDENTIALS, ...options.credentials }),
  api: arasRouter,
  admin: arasAdminRouter,
});
