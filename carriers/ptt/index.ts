// PTT Kargo (domestic Turkey, SOAP): the connector. The protocol is client.ts, failures errors.ts, event
// codes statuses.ts, il/ilçe codes places.ts, the engine's shapes ↔ the carrier's adapter.ts.
import { z } from 'zod';
import { defineCarrier } from '../connector';
import { createPttAdapter, PTT, PTT_CAPABILITIES } from './adapter';

export { createPttAdapter, referenceFor, type PttAdapterConfig } from './adapter';

export const pttConnector = defineCarrier({
  name: PTT,
  displayName: 'PTT Kargo',
  capabilities: PTT_CAPABILITIES,
  // PTT publishes no limit and its API is slow at times: a few calls a second keeps us well clear (README.md, "Slow API").
  rateLimit: 3,
  settings: z.object({
    PTT_BASE_URL: z.url().default('http://127.0.0.1:4010/ptt'),
    PTT_CUSTOMER_ID: z.string().min(1).default('900000001'),
    PTT_PASSWORD: z.string().min(1).default('sandbox-ptt-pass'),
    // Returns book on their own account, with their own credentials.
    PTT_RETURN_CUSTOMER_ID: z.string().min(1).default('900000002'),
    PTT_RETURN_PASSWORD: z.string().min(1).default('sandbox-ptt-return-pass'),
    // Where returns go: the warehouse, as PTT routes it (province and district by name).
    PTT_RETURN_NAME: z.string().min(1).default('Order Engine Depo'),
    PTT_RETURN_ADDRESS: z.string().min(1).default('Hadımköy Yolu No: 5'),
    PTT_RETURN_CITY: z.string().min(1).default('İstanbul'),
    PTT_RETURN_DISTRICT: z.string().min(1).default('Esenyurt'),
    // Per call: PTT stalls for seconds at times; longer than CARRIER_TIMEOUT_MS, inside the activity's 30 s.
    PTT_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(25_000).default(15_000),
  }),
  secrets: ['PTT_PASSWORD', 'PTT_RETURN_PASSWORD'],
  create: (s, { log }) =>
    createPttAdapter({
      baseUrl: s.PTT_BASE_URL,
      customerId: s.PTT_CUSTOMER_ID,
      password: s.PTT_PASSWORD,
      returnCustomerId: s.PTT_RETURN_CUSTOMER_ID,
      returnPassword: s.PTT_RETURN_PASSWORD,
      returnTo: { name: s.PTT_RETURN_NAME, street: s.PTT_RETURN_ADDRESS, city: s.PTT_RETURN_CITY, district: s.PTT_RETURN_DISTRICT },
      timeoutMs: s.PTT_TIMEOUT_MS,
      log,
    }),
});
