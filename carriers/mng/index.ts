// MNG Kargo (DHL eCommerce Turkey; domestic, REST/JSON): the connector. The protocol is client.ts,
// failures errors.ts, tracking codes statuses.ts, the engine's shapes ↔ the carrier's adapter.ts.
import { z } from 'zod';
import { defineCarrier } from '../connector';
import { createMngAdapter, MNG, MNG_CAPABILITIES } from './adapter';

export { createMngAdapter, referenceIdFor, type MngAdapterConfig } from './adapter';

export const mngConnector = defineCarrier({
  name: MNG,
  displayName: 'MNG Kargo',
  capabilities: MNG_CAPABILITIES,
  rateLimit: 10,
  settings: z.object({
    MNG_BASE_URL: z.url().default('http://127.0.0.1:4010/mng'),
    MNG_CLIENT_ID: z.string().min(1).default('sandbox-mng-client-id'),
    MNG_CLIENT_SECRET: z.string().min(1).default('sandbox-mng-client-secret'),
    MNG_CUSTOMER_NUMBER: z.string().min(1).default('SANDBOX-MNG-1'),
    MNG_PASSWORD: z.string().min(1).default('sandbox-mng-pass'),
  }),
  secrets: ['MNG_CLIENT_SECRET', 'MNG_PASSWORD'],
  create: (s, { timeoutMs, log }) =>
    createMngAdapter({
      baseUrl: s.MNG_BASE_URL,
      clientId: s.MNG_CLIENT_ID,
      clientSecret: s.MNG_CLIENT_SECRET,
      customerNumber: s.MNG_CUSTOMER_NUMBER,
      password: s.MNG_PASSWORD,
      timeoutMs,
      log,
    }),
});
