// The Yurtiçi-like SOAP carrier for the sandbox: mount yurticiRouter at /yurtici and
// yurticiAdminRouter at /_admin/yurtici (or call mountYurtici), sharing one YurticiState.
import type { Express } from 'express';
import type { Logger } from 'pino';
import { yurticiAdminRouter } from './admin';
import { yurticiRouter } from './api';
import { YurticiState, type YurticiCredentials } from './state';

export { yurticiAdminRouter } from './admin';
export { YURTICI_SERVICE_PATH, yurticiRouter } from './api';
export { YURTICI_ERRORS } from './soap';
export { OPERATION_CODES, YURTICI_OPERATIONS, YurticiState, type YurticiCredentials } from './state';

/** Development-only credentials; production points the adapter at the carrier with its own. */
export const SANDBOX_YURTICI_CREDENTIALS: YurticiCredentials = { username: 'sandbox-yurtici-user', password: 'sandbox-yurtici-pass' };

/** Mounts the carrier and its admin API on the sandbox app; returns the state for tests. */
export function mountYurtici(app: Express, options: { logger?: Logger; credentials?: Partial<YurticiCredentials> } = {}): YurticiState {
  const state = new YurticiState({ ...SANDBOX_YURTICI_CREDENTIALS, ...options.credentials });
  app.use('/yurtici', yurticiRouter(state, options.logger));
  app.use('/_admin/yurtici', yurticiAdminRouter(state));
  return state;
}
