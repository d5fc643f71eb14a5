// Aras Kargo (domestic Turkey, SOAP, two services): the connector. The protocol is client.ts,
// failures errors.ts, tracking codes statuses.ts, the engine's shapes ↔ the carrier's adapter.ts.
import { z } from 'zod';
import { defineCarrier } from '../connector';
import { ARAS, ARAS_CAPABILITIES, createArasAdapter } from './adapter';

export { createArasAdapter, integrationCodeFor, receiverPhone, type ArasAdapterConfig } from './adapter';

export const arasConnector = defineCarrier({
  name: ARAS,
  displayName: 'Aras Kargo',
  capabilities: ARAS_CAPABILITIES,
  rateLimit: 10,
  settings: z.object({
    ARAS_BASE_URL: z.url().default('http://127.0.0.1:4010/aras'),
    ARAS_USERNAME: z.string().min(1).default('sandbox-aras-user'),
    ARAS_PASSWORD: z.string().min(1).default('sandbox-aras-pass'),
    ARAS_CUSTOMER_CODE: z.string().min(1).default('SANDBOX-ARAS-1'),
  }),
  secrets: ['ARAS_PASSWORD'],
  create: (s, { timeoutMs, log }) =>
    createArasAdapter({
      baseUrl: s.ARAS_BASE_URL,
      username: s.ARAS_USERNAME,
      password: s.ARAS_PASSWORD,
      customerCode: s.ARAS_CUSTOMER_CODE,
      timeoutMs,
      log,
    }),
});
