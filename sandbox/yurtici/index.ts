// The Yurtiçi-like SOAP carrier for the sandbox (a CarrierDouble): yurticiRouter at /yurtici and
// yurticiAdminRouter at /_admin/yurtici, sharing one YurticiState.
import type { Express } from 'express';
import { carrierDouble, mountAlone, type DoubleOptions } from '../double';
import { yurticiAdminRouter } from './admin';
import { yurticiRouter } from './api';
import { YurticiState, type YurticiCredentials } from './state';

export { yurticiAdminRouter } from './admin';
export { YURTICI_SERVICE_PATH, yurticiRouter } from './api';
export { YURTICI_ERRORS } from './soap';
export { OPERATION_CODES, YURTICI_OPERATIONS, YurticiState, type YurticiCredentials } from './state';

/** Development-only credentials; production points the adapter at the carrier with its own. */
export const SANDBOX_YURTICI_CREDENTIALS: YurticiCredentials = { username: 'sandbox-yurtici-user', password: 'sandbox-yurtici-pass' };

export interface YurticiDoubleOptions extends DoubleOptions {
  credentials?: Partial<YurticiCredentials>;
}

export const yurticiDouble = carrierDouble('yurtici', {
  state: (options: YurticiDoubleOptions) => new YurticiState({ ...SANDBOX_YURTICI_CREDENTIALS, ...options.credentials }),
  api: yurticiRouter,
  admin: yurticiAdminRouter,
});

/** The carrier alone on a test's app (a silent logger unless given); returns the state. */
export function mountYurtici(app: Express, options: Partial<YurticiDoubleOptions> = {}): YurticiState {
  return mountAlone(yurticiDouble, app, options);
}
