// The carrier adapters the worker books with, from configuration. Adding a carrier means one
// line here and its folder under activities/carriers/.
import type { CarrierAdapter } from '../carriers/adapter';
import { createUpsAdapter } from '../carriers/ups';
import { createYurticiAdapter } from '../carriers/yurtici';
import { createArasAdapter } from '../carriers/aras';
import { createMngAdapter } from '../carriers/mng';
import type { Config } from '../lib/config';

/** The carrier adapters this configuration enables. */
export function carrierAdapters(config: Config): CarrierAdapter[] {
  return [
    createUpsAdapter({ baseUrl: config.UPS_BASE_URL, clientId: config.UPS_CLIENT_ID, clientSecret: config.UPS_CLIENT_SECRET, timeoutMs: config.CARRIER_TIMEOUT_MS }),
    createYurticiAdapter({ baseUrl: config.YURTICI_BASE_URL, username: config.YURTICI_USERNAME, password: config.YURTICI_PASSWORD, timeoutMs: config.CARRIER_TIMEOUT_MS }),
    createArasAdapter({ baseUrl: config.ARAS_BASE_URL, username: config.ARAS_USERNAME, password: config.ARAS_PASSWORD, customerCode: config.ARAS_CUSTOMER_CODE, timeoutMs: config.CARRIER_TIMEOUT_MS }),
    createMngAdapter({ baseUrl: config.MNG_BASE_URL, clientId: config.MNG_CLIENT_ID, clientSecret: config.MNG_CLIENT_SECRET, customerNumber: config.MNG_CUSTOMER_NUMBER, password: config.MNG_PASSWORD, timeoutMs: config.CARRIER_TIMEOUT_MS }),
  ];
}
