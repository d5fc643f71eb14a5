// UPS (international, REST/JSON): the connector. The protocol is client.ts, failures errors.ts,
// tracking codes statuses.ts, the engine's shapes ↔ the carrier's adapter.ts, pushed scans webhook.ts.
import { z } from 'zod';
import { defineCarrier } from '../connector';
import { createUpsAdapter, SANDBOX_SHIPPER, UPS, UPS_CAPABILITIES } from './adapter';
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
    // The account (ShipperNumber) and the address it ships from and takes returns at: the sandbox's by default.
    UPS_ACCOUNT_NUMBER: z
      .string()
      .regex(/^[A-Z0-9]{6}$/, 'must be the 6-character UPS account number')
      .default('SANDBX'),
    UPS_SHIPPER_NAME: z.string().min(1).max(35).default(SANDBOX_SHIPPER.name),
    UPS_SHIPPER_PHONE: z.string().min(7).default(SANDBOX_SHIPPER.phone),
    UPS_SHIPPER_ADDRESS_LINE: z.string().min(1).max(35).default(SANDBOX_SHIPPER.addressLines[0]),
    UPS_SHIPPER_CITY: z.string().min(1).max(30).default(SANDBOX_SHIPPER.city),
    UPS_SHIPPER_POSTAL_CODE: z.string().min(1).max(9).default(SANDBOX_SHIPPER.postalCode),
    UPS_SHIPPER_COUNTRY_CODE: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .default(SANDBOX_SHIPPER.countryCode),
    // What the parcels hold, as customs reads it (UPS requires a description across a customs border).
    UPS_GOODS_DESCRIPTION: z.string().min(1).max(50).default('Retail goods'),
    // The OAuth client registered with UPS for Track Alert ("Manage Webhook Credentials"): UPS gets
    // bearer tokens from POST /v1/webhooks/carriers/ups/token with it before pushing events.
    UPS_WEBHOOK_CLIENT_ID: z.string().min(1).default('sandbox-ups-track-alert'),
    UPS_WEBHOOK_SECRET: z.string().min(16).default('sandbox-ups-webhook-secret-dev-only'),
  }),
  secrets: ['UPS_CLIENT_SECRET', 'UPS_WEBHOOK_SECRET'],
  create: (s, { timeoutMs, log }) =>
    createUpsAdapter({
      baseUrl: s.UPS_BASE_URL,
      clientId: s.UPS_CLIENT_ID,
      clientSecret: s.UPS_CLIENT_SECRET,
      accountNumber: s.UPS_ACCOUNT_NUMBER,
      shipper: {
        name: s.UPS_SHIPPER_NAME,
        phone: s.UPS_SHIPPER_PHONE,
        addressLines: [s.UPS_SHIPPER_ADDRESS_LINE],
        city: s.UPS_SHIPPER_CITY,
        postalCode: s.UPS_SHIPPER_POSTAL_CODE,
        countryCode: s.UPS_SHIPPER_COUNTRY_CODE,
      },
      goodsDescription: s.UPS_GOODS_DESCRIPTION,
      timeoutMs,
      log,
    }),
  webhook: (s) => createUpsWebhook({ clientId: s.UPS_WEBHOOK_CLIENT_ID, clientSecret: s.UPS_WEBHOOK_SECRET }),
});
