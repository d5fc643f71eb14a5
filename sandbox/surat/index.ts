// The Sürat SOAP carrier for the sandbox (a CarrierDouble): suratRouter at /surat and
// suratAdminRouter at /_admin/surat, sharing one SuratState.
import { carrierDouble, type CredentialOptions } from '../double';
import { suratAdminRouter } from './admin';
import { suratRouter } from './api';
import { SuratState, type SuratCredentials } from './state';

export { SURAT_SERVICE_PATH, suratRouter } from './api';
export { SURAT_CODES, SURAT_WSDL } from './soap';
export { SURAT_OPERATIONS, SuratState, type SuratCredentials } from './state';

/** Development-only credentials; production points the adapter at the carrier with its own. */
export const SANDBOX_SURAT_CREDENTIALS: SuratCredentials = {
  username: 'sandbox-surat-user',
  password: 'sandbox-surat-pass',
  webPassword: 'sandbox-surat-web-pass',
};

export type SuratDoubleOptions = CredentialOptions<SuratCredentials>;

export const suratDouble = carrierDouble('surat', {
  state: (options: SuratDoubleOptions) => new SuratState({ ...SANDBOX_SURAT_CREDENTIALS, ...options.credentials }),
  api: suratRouter,
  admin: suratAdminRouter,
});
