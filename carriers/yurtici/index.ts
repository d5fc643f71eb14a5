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
  }),
  secrets: ['YURTICI_PASSWORD'],
  create: (s, { timeoutMs, log }) =>
    createYurticiAdapter({ baseUrl: s.YURTICI_BASE_URL, username: s.YURTICI_USERNAME, password: s.YURTICI_PASSWORD, timeoutMs, log }),
});
