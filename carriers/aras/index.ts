// Aras Kargo (domestic Turkey, SOAP, two services): the connector. The protocol is client.ts,
// failures errors.ts, tracking codes statuses.ts, the engine's shapes ↔ the carrier's adapter.ts.
import { z } from 'zod';
import { defineCarrier } from '../connector';
import { ARAS, ARAS_CAPABILITIES, createArasAdapter } from './adapter';

export { createArasAdapter, integrationCodeFor, receiverPhone, type ArasAdapterConfig } from './adapter';

const SANDBOX = 'http://127.0.0.1:4010/aras';

/** `IST-1=1234,ANK-1=5678`: each warehouse's SenderAccountAddressId, as Aras issued them. */
const AddressIds = z
  .string()
  .regex(/^([^=,\s]+=[^=,\s]+(,[^=,\s]+=[^=,\s]+)*)?$/, 'must be warehouse=addressId pairs, comma-separated')
  .transform((text) => Object.fromEntries(text ? text.split(',').map((pair) => pair.split('=', 2) as [string, string]) : []));

export const arasConnector = defineCarrier({
  name: ARAS,
  displayName: 'Aras Kargo',
  capabilities: ARAS_CAPABILITIES,
  rateLimit: 10,
  // Two services at two addresses with two logins (the order service's, the query membership's),
  // and the return agreement's account; defaults: the sandbox's development values.
  settings: z.object({
    ARAS_ORDER_URL: z.url().default(`${SANDBOX}/arascargoservice/arascargoservice.asmx`),
    ARAS_ORDER_USERNAME: z.string().min(1).default('sandbox-aras-order'),
    ARAS_ORDER_PASSWORD: z.string().min(1).default('sandbox-aras-order-pass'),
    ARAS_RETURN_USERNAME: z.string().min(1).default('sandbox-aras-return'),
    ARAS_RETURN_PASSWORD: z.string().min(1).default('sandbox-aras-return-pass'),
    ARAS_SENDER_ADDRESS_IDS: AddressIds.default({}),
    ARAS_QUERY_URL: z.url().default(`${SANDBOX}/ArasCargoIntegrationService.svc`),
    ARAS_QUERY_USERNAME: z.string().min(1).default('sandbox-aras-query'),
    ARAS_QUERY_PASSWORD: z.string().min(1).default('sandbox-aras-query-pass'),
    ARAS_CUSTOMER_CODE: z.string().min(1).default('SANDBOX-ARAS-1'),
  }),
  secrets: ['ARAS_ORDER_PASSWORD', 'ARAS_RETURN_PASSWORD', 'ARAS_QUERY_PASSWORD'],
  create: (s, { timeoutMs, log }) =>
    createArasAdapter({
      orderUrl: s.ARAS_ORDER_URL,
      orderUserName: s.ARAS_ORDER_USERNAME,
      orderPassword: s.ARAS_ORDER_PASSWORD,
      returnUserName: s.ARAS_RETURN_USERNAME,
      returnPassword: s.ARAS_RETURN_PASSWORD,
      senderAddressIds: s.ARAS_SENDER_ADDRESS_IDS,
      queryUrl: s.ARAS_QUERY_URL,
      queryUserName: s.ARAS_QUERY_USERNAME,
      queryPassword: s.ARAS_QUERY_PASSWORD,
      customerCode: s.ARAS_CUSTOMER_CODE,
      timeoutMs,
      log,
    }),
});
