// The PTT SOAP carrier for the sandbox (a CarrierDouble): pttRouter at /ptt (both services) and
// pttAdminRouter at /_admin/ptt, sharing one PttState.
import { carrierDouble, type CredentialOptions } from '../double';
import { pttAdminRouter } from './admin';
import { pttRouter, type Latency } from './api';
import { PttState, type PttCredentials } from './state';

export { NO_LATENCY, PTT_ACCEPTANCE_PATH, PTT_MOVEMENT_PATH, SLOW_API, type Latency } from './api';
export { ACCEPTANCE_WSDL, MOVEMENT_WSDL } from './soap';
export { PttState, type PttCredentials } from './state';

/** Development-only accounts (shipping and returns); production points the adapter at PTT with its own. */
export const SANDBOX_PTT_CREDENTIALS: PttCredentials = {
  customerId: '900000001',
  password: 'sandbox-ptt-pass',
  returnCustomerId: '900000002',
  returnPassword: 'sandbox-ptt-return-pass',
};

export interface PttDoubleOptions extends CredentialOptions<PttCredentials> {
  /** How slow the double answers (SLOW_API unless given; tests give NO_LATENCY). */
  latency?: Latency;
}

export const pttDouble = carrierDouble('ptt', {
  state: (options: PttDoubleOptions) => new PttState({ ...SANDBOX_PTT_CREDENTIALS, ...options.credentials }, options.latency),
  api: (state, logger) => pttRouter(state, logger, state.latency),
  admin: pttAdminRouter,
});
