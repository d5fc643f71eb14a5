// The MNG-like REST carrier for the sandbox: mount mngRouter at /mng and mngAdminRouter at
// /_admin/mng (or call mountMng), sharing one MngState.
import type { Express } from 'express';
import type { Logger } from 'pino';
import { mngAdminRouter } from './admin';
import { mngRouter } from './api';
import { MngState, type MngCredentials } from './state';

export { mngAdminRouter } from './admin';
export { MNG_API_PATH, mngRouter } from './api';
export { MNG_ERRORS } from './errors';
export { MNG_OPERATIONS, MngState, STATUS_CODES, type MngCredentials } from './state';

/** Development-only credentials (lib/config.ts's MNG_* defaults); production points the adapter at the carrier with its own. */
export const SANDBOX_MNG_CREDENTIALS: MngCredentials = {
  clientId: 'sandbox-mng-client-id',
  clientSecret: 'sandbox-mng-client-secret',
  customerNumber: 'SANDBOX-MNG-1',
  password: 'sandbox-mng-pass',
};

export interface MountMngOptions {
  logger?: Logger;
  credentials?: Partial<MngCredentials>;
  /** How long a token lives; an hour unless a test wants to see one expire. */
  tokenTtlSeconds?: number;
}

/** Mounts the carrier and its admin API on the sandbox app; returns the state for tests. */
export function mountMng(app: Express, options: MountMngOptions = {}): MngState {
  const state = new MngState({ ...SANDBOX_MNG_CREDENTIALS, ...options.credentials }, options.tokenTtlSeconds ?? 3600);
  app.use('/mng', mngRouter(state, options.logger));
  app.use('/_admin/mng', mngAdminRouter(state));
  return state;
}
