// The Aras-like SOAP carrier for the sandbox: mount arasRouter at /aras and arasAdminRouter at
// /_admin/aras (or call mountAras), sharing one ArasState.
import type { Express } from 'express';
import type { Logger } from 'pino';
import { arasAdminRouter } from './admin';
import { arasRouter } from './api';
import { ArasState, type ArasCredentials } from './state';

export { arasAdminRouter } from './admin';
export { ARAS_ORDER_SERVICE_PATH, ARAS_QUERY_SERVICE_PATH, arasRouter } from './api';
export { ARAS_CODES } from './soap';
export { ARAS_OPERATIONS, ArasState, DELIVERY_STATUSES, TYPE_CODES, type ArasCredentials } from './state';

/** Development-only credentials (lib/config.ts's ARAS_* defaults); production points the adapter at the carrier with its own. */
export const SANDBOX_ARAS_CREDENTIALS: ArasCredentials = { username: 'sandbox-aras-user', password: 'sandbox-aras-pass', customerCode: 'SANDBOX-ARAS-1' };

/** Mounts the carrier and its admin API on the sandbox app; returns the state for tests. */
export function mountAras(app: Express, options: { logger?: Logger; credentials?: Partial<ArasCredentials> } = {}): ArasState {
  const state = new ArasState({ ...SANDBOX_ARAS_CREDENTIALS, ...options.credentials });
  app.use('/aras', arasRouter(state, options.logger));
  app.use('/_admin/aras', arasAdminRouter(state));
  return state;
}
