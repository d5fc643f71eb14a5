// The MNG-like REST carrier for the sandbox (a CarrierDouble): mngRouter at /mng and
// mngAdminRouter at /_admin/mng, sharing one MngState.
import { carrierDouble, type CredentialOptions } from '../double';
import { mngAdminRouter } from './admin';
import { mngRouter } from './api';
import { MngState, type MngCredentials } from './state';

export { mngAdminRouter } from './admin';
export { MNG_API_PATH, MNG_SPEC, mngRouter } from './api';
export { MNG_ERRORS } from './errors';
export { MNG_OPERATIONS, MngState, STATUS_CODES, type MngCredentials } from './state';

/** Development-only credentials (lib/config.ts's MNG_* defaults); production points the adapter at the carrier with its own. */
export const SANDBOX_MNG_CREDENTIALS: MngCredentials = {
  clientId: 'sandbox-mng-client-id',
  clientSecret: 'sandbox-mng-client-secret',
  customerNumber: 'SANDBOX-MNG-1',
  password: 'sandbox-mng-pass',
};

export interface MngDoubleOptions extends CredentialOptions<MngCredentials> {
  /** How long a token lives; an hour unless a test wants to see one expire. */
  tokenTtlSeconds?: number;
  /** API products the application is not subscribed to (path segments such as `barcodecmdapi`): the gateway refuses their calls. */
  unsubscribed?: string[];
  /** createbarcode refuses the caller's IP address, as MNG does for an address not on its allow-list. */
  barcodeIpRefused?: boolean;
}

export const mngDouble = carrierDouble('mng', {
  state: (options: MngDoubleOptions) =>
    new MngState(
      { ...SANDBOX_MNG_CREDENTIALS, ...options.credentials },
      options.tokenTtlSeconds ?? 3600,
      options.unsubscribed,
      options.barcodeIpRefused,
    ),
  api: mngRouter,
  admin: mngAdminRouter,
});
