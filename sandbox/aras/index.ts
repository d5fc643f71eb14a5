// The Aras-like SOAP carrier for the sandbox (a CarrierDouble): arasRouter at /aras (the order
// service and the query service, each at its own path) and arasAdminRouter at /_admin/aras,
// sharing one ArasState.
import { carrierDouble, type CredentialOptions } from '../double';
import { arasAdminRouter } from './admin';
import { ARAS_ORDER_SERVICE_PATH, ARAS_QUERY_SERVICE_PATH, arasRouter } from './api';
import { ArasState, type ArasCredentials } from './state';

export { arasAdminRouter } from './admin';
export { ARAS_ORDER_SERVICE_PATH, ARAS_QUERY_SERVICE_PATH, arasRouter } from './api';
export { ARAS_CODES } from './soap';
export { ARAS_OPERATIONS, ArasState, DELIVERY_STATUSES, TYPE_CODES, type ArasCredentials } from './state';

/** Development-only credentials (carriers/aras/index.ts's ARAS_* defaults); production points the adapter at the carrier with its own. */
export const SANDBOX_ARAS_CREDENTIALS = {
  orderUserName: 'sandbox-aras-order',
  orderPassword: 'sandbox-aras-order-pass',
  returnUserName: 'sandbox-aras-return',
  returnPassword: 'sandbox-aras-return-pass',
  queryUserName: 'sandbox-aras-query',
  queryPassword: 'sandbox-aras-query-pass',
  customerCode: 'SANDBOX-ARAS-1',
};

/** The SenderAccountAddressIds the sandbox's accounts have (one warehouse's). */
export const SANDBOX_ARAS_SENDER_ADDRESS_IDS = { 'IST-1': '1001' };

/** The two services' URLs under the double's root (e.g. http://127.0.0.1:4010/aras), as the adapter takes them. */
export const arasServiceUrls = (root: string) => ({
  orderUrl: `${root}${ARAS_ORDER_SERVICE_PATH}`,
  queryUrl: `${root}${ARAS_QUERY_SERVICE_PATH}`,
});

export type ArasDoubleOptions = CredentialOptions<ArasCredentials>;

export const arasDouble = carrierDouble('aras', {
  state: (options: ArasDoubleOptions) =>
    new ArasState({
      ...SANDBOX_ARAS_CREDENTIALS,
      senderAddressIds: Object.values(SANDBOX_ARAS_SENDER_ADDRESS_IDS),
      ...options.credentials,
    }),
  api: arasRouter,
  admin: arasAdminRouter,
});
