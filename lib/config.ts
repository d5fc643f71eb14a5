// Process configuration from the environment, validated once at start-up.
// The defaults are the dev stack's (scripts/lib.sh, .env.example); production sets every value.
import { z } from 'zod';
import { SubscribersSchema } from '../domain/webhooks';

/** Express's `trust proxy`: none, a number of hops, or the proxies' addresses and subnets. */
export type TrustProxy = false | number | string[];

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
  /** Signs the rating links of delivered notices (lib/rating-token.ts): the worker signs, the API checks. */
  RATING_TOKEN_SECRET: z.string().min(16).default('rating-token-secret-dev-only'),
  WOOCOMMERCE_WEBHOOK_SECRET: z.string().min(16).default('woocommerce-webhook-secret-dev-only'),
  // Which proxies in front of the API to believe about the client's address (X-Forwarded-For), as the
  // per-address rate limits key on it: empty (none: the API faces clients directly), the number of
  // hops (1: one load balancer), or their addresses and subnets (10.0.0.0/8,127.0.0.1). Never more
  // than there are: a client could then name any address it likes.
  TRUST_PROXY: z
    .string()
    .regex(/^$|^\d{1,2}$|^[\w.:/-]+(,[\w.:/-]+)*$/, 'must be empty, a number of hops such as 1, or addresses/subnets such as 10.0.0.0/8')
    .default('')
    .transform((text): TrustProxy => (text === '' ? false : /^\d+$/.test(text) ? Number(text) : text.split(','))),
  // Requests per minute each API key may make (429 beyond, with Retry-After).
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  // Failed authentications (401s) per minute one client address may earn before every request
  // from it is 429 for the rest of the minute. The dev stack raises it for the contract fuzzer,
  // which sends thousands of keyless requests on purpose.
  API_UNAUTHORIZED_PER_MINUTE: z.coerce.number().int().min(1).default(60),
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
  // `deflate`: payloads are compressed before they are encrypted, saving about 15 % of an order's history
  // bytes (docs/performance.md). Every process of 0.3 reads them, earlier releases cannot: turn it on
  // once no process of an earlier release runs (docs/upgrading.md).
  PAYLOAD_COMPRESSION: z.enum(['off', 'deflate']).default('off'),
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
  // The header the mail provider reads an idempotency key from (Resend's by default; empty: none).
  // With one, an email resent after a worker died before noting it sent is delivered once.
  SMTP_IDEMPOTENCY_HEADER: z
    .string()
    .regex(/^([A-Za-z0-9-]+)?$/, 'must be a header name (letters, digits, dashes) or empty')
    .default('Resend-Idempotency-Key'),
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

/**
 * Production mode is NODE_ENV=production (the Docker image sets it). In it, a process refuses to
 * start while any secret is unset or still a development default: those defaults are public in
 * this repository, so running with one lets anyone sign a storefront order or read the payloads.
 */
export const isProduction = (env: NodeJS.ProcessEnv): boolean => env.NODE_ENV === 'production';

/** A secret another part declares (the carrier connectors, carriers/registry.ts): its value in force and its development default. */
export interface DeclaredSecret {
  name: string;
  value: string;
  developmentDefault: string;
}

/** The carrier connectors' secrets, read through carriers/registry.ts (lib/ cannot import carriers/). */
export interface CarrierSecretSource<C extends { secrets: readonly string[] } = { secrets: readonly string[] }> {
  connectors: readonly C[];
  secretsOf: (env: Record<string, string | undefined>, connectors: readonly C[]) => string[];
}

const DEVELOPMENT = ConfigSchema.parse({});
const RANDOM_SECRET = 'openssl rand -base64 32';
const subscriberSecrets = (config: Config) => config.WEBHOOK_SUBSCRIBERS.flatMap((s) => ('secret' in s ? [s.secret] : []));
const payloadKeyMaterial = (config: Config) => config.PAYLOAD_KEYS.split(',').map((entry) => entry.split(':')[1]);
const apiKeyHashes = (config: Config) => config.API_KEYS.split(',').map((entry) => entry.trim().split(':')[2]);
const sharesAny = (values: string[], development: string[]) => values.some((v) => development.includes(v));

/** Each of our own secrets: when it is a development one (unset falls back to the default, so unset is too), and how to make a real one. */
const OWN_SECRETS: { name: string; isDevelopment: (config: Config) => boolean; howTo: string }[] = [
  {
    name: 'DATABASE_URL',
    isDevelopment: (c) => c.DATABASE_URL === DEVELOPMENT.DATABASE_URL,
    howTo: `postgres://<role>:<password>@<host>:5432/order_engine, the password from ${RANDOM_SECRET}`,
  },
  {
    name: 'API_KEYS',
    isDevelopment: (c) => sharesAny(apiKeyHashes(c), apiKeyHashes(DEVELOPMENT)),
    howTo:
      'key=$(openssl rand -hex 32); echo "oms:orders:$(printf %s "$key" | sha256sum | cut -d" " -f1)" (give the key to the client, set the hash)',
  },
  {
    name: 'SHOPIFY_WEBHOOK_SECRET',
    isDevelopment: (c) => c.SHOPIFY_WEBHOOK_SECRET === DEVELOPMENT.SHOPIFY_WEBHOOK_SECRET,
    howTo: "the app's client secret from the Shopify Partners dashboard (Shopify signs webhooks with it)",
  },
  {
    name: 'WOOCOMMERCE_WEBHOOK_SECRET',
    isDevelopment: (c) => c.WOOCOMMERCE_WEBHOOK_SECRET === DEVELOPMENT.WOOCOMMERCE_WEBHOOK_SECRET,
    howTo: `${RANDOM_SECRET}, pasted as the webhook's secret in WooCommerce (Settings > Advanced > Webhooks)`,
  },
  {
    name: 'WEBHOOK_SUBSCRIBERS',
    isDevelopment: (c) => sharesAny(subscriberSecrets(c), subscriberSecrets(DEVELOPMENT)),
    howTo: `JSON list of subscribers, each "secret" from ${RANDOM_SECRET} and shared with that subscriber`,
  },
  {
    name: 'PAYLOAD_KEYS',
    isDevelopment: (c) => sharesAny(payloadKeyMaterial(c), payloadKeyMaterial(DEVELOPMENT)),
    howTo: 'echo "k1:$(openssl rand -base64 32)", and PAYLOAD_KEY_ID=k1',
  },
  {
    name: 'RATING_TOKEN_SECRET',
    isDevelopment: (c) => c.RATING_TOKEN_SECRET === DEVELOPMENT.RATING_TOKEN_SECRET,
    howTo: `${RANDOM_SECRET}, the same for the API and the worker (a new one makes links already sent unusable)`,
  },
  {
    name: 'SMS_API_KEY',
    isDevelopment: (c) => c.SMS_API_KEY === DEVELOPMENT.SMS_API_KEY,
    howTo: "the SMS gateway's API key, from its console",
  },
  {
    name: 'CODEC_KEYLESS_FROM_UI',
    isDevelopment: (c) => c.CODEC_KEYLESS_FROM_UI,
    howTo: 'unset it (or false): put a login in front of the Temporal UI and let it pass the ops key to /codec',
  },
];

/** The carriers' secrets, each with its value here and its development default. */
function carrierSecretsIn<C extends { secrets: readonly string[] }>(
  env: NodeJS.ProcessEnv,
  source: CarrierSecretSource<C>,
): DeclaredSecret[] {
  const values = source.secretsOf(env, source.connectors);
  const defaults = source.secretsOf({}, source.connectors);
  return source.connectors.flatMap((c) => c.secrets).map((name, i) => ({ name, value: values[i], developmentDefault: defaults[i] }));
}

/** One line per secret that is unset or a development default, naming it and how to make one; empty when all are real. */
export function developmentSecrets<C extends { secrets: readonly string[] }>(
  config: Config,
  env: NodeJS.ProcessEnv,
  carriers?: CarrierSecretSource<C>,
): string[] {
  const own = OWN_SECRETS.filter((s) => s.isDevelopment(config)).map((s) => `${s.name}: ${s.howTo}`);
  const declared = (carriers ? carrierSecretsIn(env, carriers) : [])
    .filter((s) => s.value === s.developmentDefault)
    .map(
      (s) =>
        `${s.name}: the carrier's credential for this account from its developer portal (a webhook secret we choose: ${RANDOM_SECRET}, registered there)`,
    );
  return [...own, ...declared];
}

export class ConfigurationError extends Error {}

/**
 * The configuration, or a ConfigurationError listing every problem one per line. Processes that
 * hold carrier credentials pass `carriers` (CARRIERS and carrierSecrets) so theirs are checked too.
 */
export function loadConfig<C extends { secrets: readonly string[] }>(
  env: NodeJS.ProcessEnv = process.env,
  carriers?: CarrierSecretSource<C>,
): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`invalid configuration: ${problems}`);
  }
  const unsafe = isProduction(env) ? developmentSecrets(parsed.data, env, carriers) : [];
  if (unsafe.length > 0) {
    throw new ConfigurationError(
      `production mode (NODE_ENV=production) refuses development or missing secrets; set each of these:\n${unsafe.map((line) => `  ${line}`).join('\n')}`,
    );
  }
  return parsed.data;
}
