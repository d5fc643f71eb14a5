// Yurtiçi Kargo (domestic Turkey, SOAP): the connector. The protocol is client.ts, failures
// errors.ts, tracking codes statuses.ts, the engine's shapes ↔ the carrier's adapter.ts.
import { z } from 'zod';
import { defineCarrier } from '../connector';
import { createYurticiAdapter, YURTICI, YURTICI_CAPABILITIES } from './adapter';

export { cargoKeyFor, createYurticiAdapter, type YurticiAdapterConfig } from './adapter';

export const yurticiConnector = defineCarrier({
  name: YURTICI,
  displayName: 'Yurtiçi Kargo',
  capabilities: YURTICI_CAPABILITIES,
  rateLimit: 10,
  settings: z.object({
    YURTICI_BASE_URL: z.url().default('http://127.0.0.1:4010/yurtici'),
    YURTICI_USERNAME: z.string().min(1).default('sandbox-yurtici-user'),
    YURTICI_PASSWORD: z.string().min(1).default('sandbox-yurtici-pass'),
    // The carrier binds the payment type to the user: cash on delivery books with its own user.
    YURTICI_COD_USERNAME: z.string().min(1).default('sandbox-yurtici-cod'),
    YURTICI_COD_PASSWORD: z.string().min(1).default('sandbox-yurtici-cod-pass'),
    YURTICI_RETURN_FIELD_NAME: z
      .string()
      .regex(/^\d{1,3}$/)
      .default('16'),
  }),
  secrets: ['YURTICI_PASSWORD', 'YURTICI_COD_PASSWORD'],
  create: (s, { timeoutMs, log }) =>
    createYurticiAdapter({
      baseUrl: s.YURTICI_BASE_URL,
      username: s.YURTICI_USERNAME,
      password: s.YURTICI_PASSWORD,
      codUsername: s.YURTICI_COD_USERNAME,
      codPassword: s.YURTICI_COD_PASSWORD,
      returnFieldName: s.YURTICI_RETURN_FIELD_NAME,
      timeoutMs,
      log,
    }),
});
