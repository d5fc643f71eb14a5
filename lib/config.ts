// Process configuration from the environment, validated once at start-up.
// The defaults are the dev stack's (scripts/lib.sh, .env.example); production sets every value.
import { z } from 'zod';
import { SubscribersSchema } from '../domain/webhooks';

const ConfigSchema = z.object({
  DATABASE_URL: z.url().default('postgres://order_engine:order_engine_dev@127.0.0.1:54320/order_engine'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  API_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // name:scope+scope:<sha256 hex of the key>, comma-separated. The default is the development key
  // `dev-key-change-me` with every scope: production sets its own.
  API_KEYS: z.string().min(1).default('dev:orders+ops+wms:57c8139db7290a9064aa57837c951138a32df40cca3aca526319f55651368823'),
  // Each carrier's own settings (UPS_BASE_URL, ARAS_USERNAME, …) are its connector's
  // (carriers/<carrier>/index.ts), read through carriers/registry.ts.
  CARRIER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  // Each carrier's API limit, held across all workers by its own task queue: carrier=calls per second,
  // comma-separated; a carrier not named keeps its connector's default.
  CARRIER_RATE_LIMITS: z
    .string()
    .regex(/^([a-z0-9_-]+=\d+(\.\d+)?(,|$))*$/, 'must look like ups=20,yurtici=10')
    .default('')
    .transform((text) =>
      Object.fromEntries(
        text
          .split(',')
          .filter(Boolean)
          .map((pair) => [pair.split('=')[0], Number(pair.split('=')[1])]),
      ),
    ),
  // Storefront webhook secrets (Shopify app secret, WooCommerce webhook secret); development values by default.
  SHOPIFY_WEBHOOK_SECRET: z.string().min(16).default('shopify-webhook-secret-dev-only'),
  WOOCOMMERCE_WEBHOOK_SECRET: z.string().min(16).default('woocommerce-webhook-secret-dev-only'),
  // Requests per minute each API key may make (429 beyond, with Retry-After).
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  // Where customers see the tracking page (links in notifications and webhooks).
  PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:3000'),
  // Payload encryption (lib/payload-codec.ts): id:<base64 of 32 random bytes>, comma-separated, and
  // the id new payloads use. The default is a DEVELOPMENT key, public in this repository: production
  // sets its own (openssl rand -base64 32) and keeps old ids listed until their orders are gone.
  PAYLOAD_KEYS: z
    .string()
    .regex(/^([A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=)(,[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=)*$/, 'must be id:<base64 of 32 bytes>[,id:…]')
    .default('dev-2026:ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE='),
  PAYLOAD_KEY_ID: z.string().min(1).default('dev-2026'),
  // The Temporal UI's origin, allowed to call the codec server (/codec) from the browser.
  TEMPORAL_UI_ORIGIN: z.url().default('http://127.0.0.1:8233'),
  // DEVELOPMENT ONLY (scripts/dev turns it on): the dev server's UI has no login, so it has no token
  // to pass to /codec; with this, calls from TEMPORAL_UI_ORIGIN need no key. Never in production.
  CODEC_KEYLESS_FROM_UI: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  // Customer notifications. The defaults are the carrier sandbox's mail catcher and SMS gateway
  // (development only); NOTIFY_CHANNELS lists the channels in use (empty: none, all recorded as skipped).
  NOTIFY_CHANNELS: z
    .string()
    .regex(/^((email|sms)(,|$))*$/, 'must list channels from email,sms')
    .default('email,sms')
    .transform((text) => text.split(',').filter(Boolean) as ('email' | 'sms')[]),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be smtp://host:port or smtps://user:pass@host:port')
    .default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().min(3).default('Order Engine Demo Shop <orders@shop.example>'),
  SMS_BASE_URL: z.url().default('http://127.0.0.1:4010/sms'),
  SMS_API_KEY: z.string().min(8).default('sandbox-sms-key-dev-only'),
  SMS_SENDER: z.string().min(1).max(11).default('DEMOSHOP'),
  SHOP_NAME: z.string().min(1).default('Order Engine Demo Shop'),
  // The folder of <locale>.yaml templates and layout.html (activities/notifications/templates by default).
  NOTIFICATION_TEMPLATES_DIR: z.string().min(1).optional(),
  // Outbound webhook subscribers, as JSON (activities/webhooks/subscribers.ts). The default is the
  // sandbox's stand-in OMS with a DEVELOPMENT secret; production lists its own with real secrets.
  WEBHOOK_SUBSCRIBERS: z
    .string()
    .default('[{"id":"oms","kind":"webhook","url":"http://127.0.0.1:4010/inbox/oms","secret":"oms-webhook-secret-dev-only"}]')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of subscribers' });
        return z.NEVER;
      }
    })
    .pipe(SubscribersSchema),
  // Worker tuning (docs/performance.md); the SDK's defaults when unset. The cache holds open orders'
  // workflow state in memory (about 0.5 MiB each): cap it to cap the worker's memory.
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).optional(),
  // Worker Versioning (docs/upgrading.md): the worker runs as version WORKER_BUILD_ID (default: the
  // package version and the git commit) of deployment WORKER_DEPLOYMENT_NAME, and the server routes
  // workflows to versions as ops roll them out. WORKER_SET_CURRENT_VERSION makes the worker's own
  // version current at start: DEVELOPMENT ONLY (npm run dev, compose), production rolls out with the CLI.
  WORKER_VERSIONING: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  WORKER_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[\w-]{1,100}$/, 'must be letters, digits, _ and - (no dots)')
    .default('order-engine'),
  WORKER_BUILD_ID: z
    .string()
    .regex(/^[\w.+-]{1,100}$/, 'must be letters, digits and . + _ -')
    .optional(),
  WORKER_SET_CURRENT_VERSION: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  // Where the worker serves Prometheus metrics (the SDK's and carrier calls); empty: not served.
  WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^$|^[\w.-]+:\d+$/, 'must be host:port such as 127.0.0.1:9464, or empty')
    .default('127.0.0.1:9464'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`invalid configuration: ${problems}`);
}
