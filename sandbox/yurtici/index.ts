// The Yurtiçi SOAP carrier for the sandbox (a CarrierDouble): yurticiRouter at /yurtici and
// yurticiAdminRouter at /_admin/yurtici, sharing one YurticiState.
import { carrierDouble, type CredentialOptions } from '../double';
import { yurticiAdminRouter } from './admin';
import { yurticiRouter } from './api';
import { YurticiState, type YurticiCredentials } from './state';

export { yurticiAdminRouter } from './admin';
export { YURTICI_SERVICE_PATH, yurticiRouter } from './api';
export { YURTICI_CODES, YURTICI_WSDL } from './soap';
export { OPERATION_CODES, YURTICI_OPERATIONS, YurticiState, type YurticiCredentials } from './state';

/** Development-only credentials (the standard user and the cash-on-delivery user); production points the adapter at the carrier with its own. */
export const SANDBOX_YURTICI_CREDENTIALS: YurticiCredentials = {
  username: 'sandbox-yurtici-user',
  password: 'sandbox-yurtici-pass',
  codUsername: 'sandbox-yurtici-cod',
  codPassword: 'sandbox-yurtici-cod-pass',
};

export type YurticiDoubleOptions = CredentialOptions<YurticiCredentials>;

export const yurticiDouble = carrierDouble('yurtici', {
  state: (options: YurticiDoubleOptions) => new YurticiState({ ...SANDBOX_YURTICI_CREDENTIALS, ...options.credentials }),
  api: yurticiRouter,
  admin: yurticiAdminRouter,
});
