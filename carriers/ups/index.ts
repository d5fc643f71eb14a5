// UPS (international, REST/JSON): the connector. The protocol is client.ts, failures errors.ts,
// tracking codes statuses.ts, the engine's shapes ↔ the carrier's adapter.ts, pushed scans webhook.ts.
import { z } from 'zod';
import { defineCarrier } from '../connector';
import { createUpsAdapter, UPS, UPS_CAPABILITIES } from './adapter';
import { createUpsWebhook } from './webhook';

export { createUpsAdapter, type UpsAdapterConfig } from './adapter';

export const upsConnector = defineCarrier({
  name: UPS,
  displayName: 'UPS',
  capabilities: UPS_CAPABILITIES,
  rateLimit: 20,
  settings: z.object({
    UPS_BASE_URL: z.url().default('http://127.0.0.1:4010/ups'),
    UPS_CLIENT_ID: z.string().min(1).default('sandbox-ups-client'),
    UPS_CLIENT_SECRET: z.string().min(1).default('sandbox-ups-secret'),
    // The secret UPS signs its tracking webhooks with (the sandbox's development secret by default).
    UPS_WEBHOOK_SECRET: z.string().min(16).default('sandbox-ups-webhook-secret-dev-only'),
  }),
  secrets: ['UPS_CLIENT_SECRET', 'UPS_WEBHOOK_SECRET'],
  create: (s, { timeoutMs, log }) =>
    createUpsAdapter({ baseUrl: s.UPS_BASE_URL, clientId: s.UPS_CLIENT_ID, clientSecret: s.UPS_CLIENT_SECRET, timeoutMs, log }),
  webhook: (s) => createUpsWebhook({ secret: s.UPS_WEBHOOK_SECRET }),
});
