// The Express app: JSON in, JSON out, every route under /v1 except health checks and the public
// tracking page (/track, HTML or JSON).
import { randomUUID } from 'node:crypto';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import helmet from 'helmet';
import type { SerializedRequest, SerializedResponse } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { TrustProxy } from '../lib/config';
import type { Logger } from '../lib/logger';
import { presentedKey, requireScope, type ApiKey, type Scope } from './auth';
import type { CarrierWebhook } from '../carriers/adapter';
import { carrierWebhooksRouter } from './carrier-webhooks';
import { codecRouter, type CodecServerOptions } from './codec-server';
import { HttpError, errorHandler, hasBody, notFound } from './errors';
import { handoversRouter } from './handovers';
import { pickupsRouter } from './pickups';
import type { PickupCarrier } from '../domain/pickups';
import { inventoryRouter } from './inventory';
import { createApiMetrics } from './metrics';
import { dashboardRouter } from './dashboard';
import { kpisRouter } from './kpis';
import { labelBatchRouter } from './label-batch';
import { marketplaceAccountsRouter } from './marketplace-accounts';
import type { MarketplaceCredentials } from '../marketplaces/registry';
import { methodNotAllowed, optionsFromContract } from './methods';
import { openApiDocument, operations } from './openapi';
import { optOutsRouter } from './opt-outs';
import { orderActionsRouter } from './order-actions';
import { productsRouter } from './products';
import { ordersRouter } from './orders';
import {
  DEFAULT_RATE_LIMITS,
  perIpRateLimit,
  perKeyRateLimit,
  perSenderRateLimit,
  unauthorizedPerIpLimit,
  type RateLimits,
} from './rate-limit';
import { shipmentsRouter } from './shipments';
import { storefrontWebhooksRouter, type StorefrontSecrets } from './storefront-webhooks';
import { trackingPageRouter } from './tracking-page';
import { ratingPageRouter } from './rating-page';
import { webhookSubscribersRouter } from './webhook-subscribers';
import { keepRawBody } from './webhook-signature';

export interface AppDeps {
  client: Client;
  pool: Pool;
  logger: Logger;
  apiKeys: ApiKey[];
  /** Without them the storefront webhooks are not served (apps built by tests that do not need them). */
  storefrontSecrets?: StorefrontSecrets;
  rateLimits?: Partial<RateLimits>;
  /** Carriers that push tracking (carriers/registry.ts carrierWebhooks); others answer 404. */
  carrierWebhooks?: CarrierWebhook[];
  /** Carriers the API books courier pickups with (those of carriers/registry.ts carrierAdapters that offer them); none when absent. */
  pickupCarriers?: PickupCarrier[];
  /** Serves /codec for the Temporal UI when given: the payload codec and the UI's origin (and, in development, keyless from it). */
  codec?: Omit<CodecServerOptions, 'auth' | 'body'>;
  /** Express's `trust proxy` (TRUST_PROXY): which proxies' X-Forwarded-For names the client; none by default. */
  trustProxy?: TrustProxy;
  /** How long POST /v1/orders/:id/returns waits for the label (api/order-actions.ts's default otherwise). */
  returnLabelWaitMs?: number;
  /** How long cancel and address updates may take before a 504 update_pending (api/order-actions.ts UPDATE_WAIT_MS). */
  updateWaitMs?: number;
  /** Checks the delivered notices' rating links (RATING_TOKEN_SECRET); without it the rating page is not served. */
  ratingSecret?: string;
  /**
   * Production: the MARKETPLACE_CREDENTIALS the workers run with, so that an account is connected
   * only once its credentials are there (otherwise the sandbox's defaults would apply).
   */
  marketplaceCredentials?: MarketplaceCredentials;
}

/** WooCommerce's test ping is form-encoded; every other body must be JSON. */
const FORM_BODY_PATHS = new Set(['/v1/webhooks/storefronts/woocommerce']);
/** OAuth token requests of carriers that push tracking as our clients (UPS Track Alert) are form posts too. */
const CARRIER_TOKEN_PATH = /^\/v1\/webhooks\/carriers\/[a-z0-9_-]{1,32}\/token$/;
/** The rating page's form (api/rating-page.ts) posts as browsers do. */
const RATING_FORM_PATH = /^\/track\/[^/]+\/rating$/;
const acceptedBody = (req: Request) =>
  req.is('application/json') ||
  ((FORM_BODY_PATHS.has(req.path) || CARRIER_TOKEN_PATH.test(req.path) || RATING_FORM_PATH.test(req.path)) &&
    req.is('application/x-www-form-urlencoded'));

/**
 * How much of a body each route reads: one order is a few KB (64 KB leaves room for long lines), a
 * batch of 500 orders takes its own limit, webhooks what the platforms send (a Shopify order with
 * many lines runs to hundreds of KB; a carrier's scan push is small), the codec a page of payloads.
 */
const KB = 1024;
export const BODY_LIMITS = {
  default: 64 * KB,
  batch: 5 * KB * KB,
  storefrontWebhook: KB * KB,
  carrierWebhook: 256 * KB,
  codec: 4 * KB * KB,
  /** 500 shipment ids of the longest shape are 41 KB of JSON; room for it pretty-printed. */
  labelBatch: 96 * KB,
} as const;

/**
 * JSON up to `limit` bytes, keeping the raw bytes for webhook signatures. Mounted after
 * authentication, so a stranger's body is never read; a declared length over the limit is refused
 * at once (the parser would read the whole body off first). A body a route before read is left be.
 */
function jsonBody(limit: number): RequestHandler {
  const parser = express.json({ limit, verify: keepRawBody });
  return (req, res, next) => {
    if (!req.complete && Number(req.headers['content-length'] ?? 0) > limit) {
      next(new HttpError(413, 'body_too_large', `the request body is over this route's ${limit / KB} KB`));
      return;
    }
    parser(req, res, next);
  };
}

/** Who a webhook says it is: the storefront and its shop, or the carrier (its path). Counted only once verified (perSenderRateLimit). */
function webhookSender(req: Request): string {
  const [kind, name] = req.originalUrl.split('?')[0].split('/').slice(3);
  if (kind !== 'storefronts') return `${kind}:${name}`;
  // WooCommerce's ping is unsigned and always answered 200: it counts per address, never against a store.
  if (req.is('application/x-www-form-urlencoded')) return `address:${ipKeyGenerator(req.ip ?? '')}`;
  return `${kind}:${name}:${req.get('x-shopify-shop-domain') ?? req.get('x-wc-webhook-source') ?? ''}`;
}

/** A caller's own request id when it is sane, so one id follows a request across systems. */
function requestId(req: Request): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(given) ? given : randomUUID();
}

/** Temporal and PostgreSQL answer within a bounded time, or the API is not ready. */
/** Which dependency answers; its error goes to the log only (it names hosts, ports and users: not for anonymous callers). */
async function readiness(client: Client, pool: Pool, logger: Logger): Promise<Record<string, string>> {
  const within = <T>(p: Promise<T>) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000).unref())]);
  const [temporal, postgres] = await Promise.allSettled([within(client.workflowService.getSystemInfo({})), within(pool.query('SELECT 1'))]);
  const state = (dependency: string, r: PromiseSettledResult<unknown>) => {
    if (r.status === 'fulfilled') return 'ok';
    logger.warn({ dependency, err: (r.reason as Error).message }, 'not ready');
    return 'unavailable';
  };
  return { temporal: state('temporal', temporal), postgres: state('postgres', postgres) };
}

export function createApp({
  client,
  pool,
  logger,
  apiKeys,
  storefrontSecrets,
  rateLimits,
  carrierWebhooks = [],
  pickupCarriers = [],
  codec,
  returnLabelWaitMs,
  updateWaitMs,
  trustProxy = false,
  ratingSecret,
  marketplaceCredentials,
}: AppDeps): Express {
  const limits = { ...DEFAULT_RATE_LIMITS, ...rateLimits };
  const app = express();
  const metrics = createApiMetrics(pool);
  app.disable('x-powered-by');
  // Behind a load balancer every request comes from its address: the per-address limits need the client's.
  app.set('trust proxy', trustProxy);
  app.use(metrics.timing);
  app.use(helmet());
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = requestId(req as Request);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Paths and statuses only: bodies and most headers can carry personal data.
      // pino-http wraps these: they receive pino's serialized request and response, not Express's.
      serializers: {
        req: (req: SerializedRequest) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: SerializedResponse) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((req, _res, next) => {
    if (hasBody(req) && !acceptedBody(req)) {
      next(new HttpError(415, 'unsupported_media_type', 'send the body as application/json'));
      return;
    }
    next();
  });
  app.use(optionsFromContract(operations));
  // Failed authentication costs the caller: past its limit an address is refused before any check.
  app.use(unauthorizedPerIpLimit(limits.unauthorizedPerIpPerMinute, (req) => presentedKey(apiKeys, req) !== undefined));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Built per request: some limits move with the date (the earliest promised delivery date).
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await readiness(client, pool, logger);
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  // Scopes: the OMS (orders), ops staff (ops), the warehouse system (wms); each key has its own rate
  // limit. The body is read only after the key passed, and only up to the route's limit.
  const perKey = perKeyRateLimit(limits.perKeyPerMinute);
  const scope = (...scopes: Scope[]) => [requireScope(apiKeys, ...scopes), perKey, jsonBody(BODY_LIMITS.default)];
  app.post('/v1/orders/batch', requireScope(apiKeys, 'orders', 'ops'), perKey, jsonBody(BODY_LIMITS.batch));
  app.use(
    '/v1/orders',
    scope('orders', 'ops'),
    ordersRouter({ client, pool }),
    orderActionsRouter({ client, pool, returnLabelWaitMs, updateWaitMs }),
  );
  app.post('/v1/shipments/:shipmentId/retry-booking', scope('ops'));
  app.post('/v1/shipments/:shipmentId/poll-tracking', scope('ops'));
  app.post('/v1/shipments/:shipmentId/packed', scope('wms'));
  app.use('/v1/shipments', scope('orders', 'ops', 'wms'), shipmentsRouter({ client, pool }));
  app.use(
    '/v1/labels',
    requireScope(apiKeys, 'orders', 'ops', 'wms'),
    perKey,
    jsonBody(BODY_LIMITS.labelBatch),
    labelBatchRouter({ pool }),
  );
  app.use('/v1/inventory', scope('wms', 'ops'), inventoryRouter({ client, pool, logger }));
  app.use('/v1/handovers', scope('wms', 'ops'), handoversRouter({ pool }));
  app.use('/v1/pickups', scope('wms', 'ops'), pickupsRouter({ pool, carriers: pickupCarriers }));
  app.use('/v1/products', scope('wms', 'ops'), productsRouter({ pool }));
  app.use('/v1/notification-opt-outs', scope('orders', 'ops'), optOutsRouter({ pool }));
  app.use('/v1/webhook-subscribers', scope('ops'), webhookSubscribersRouter({ client, pool }));
  app.use('/v1/marketplace-accounts', scope('ops'), marketplaceAccountsRouter({ client, pool, credentials: marketplaceCredentials }));
  app.use('/v1/kpis', scope('ops'), kpisRouter({ pool, logger }));
  if (codec) app.use('/codec', codecRouter({ ...codec, auth: [requireScope(apiKeys, 'ops'), perKey], body: jsonBody(BODY_LIMITS.codec) }));
  app.get('/metrics', ...scope('ops'), async (_req: Request, res: Response) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  // Webhooks carry their own signatures instead of API keys, over the raw bytes: those are read (up
  // to what the platform sends) before verifying. Forged ones end as 401s, counted per address;
  // verified deliveries count against their sender's own limit, not the address they share.
  const perSender = perSenderRateLimit(limits.perSenderPerMinute, webhookSender);
  app.use('/v1/webhooks/carriers', perSender, jsonBody(BODY_LIMITS.carrierWebhook));
  app.use('/v1/webhooks/carriers', carrierWebhooksRouter({ client, pool, logger, webhooks: carrierWebhooks }));
  if (storefrontSecrets) {
    app.use('/v1/webhooks/storefronts', perSender, jsonBody(BODY_LIMITS.storefrontWebhook));
    app.use('/v1/webhooks/storefronts', storefrontWebhooksRouter({ client, pool, logger, secrets: storefrontSecrets }));
  }
  // Customers, without any key (the rating link carries its own signed token).
  app.use('/track', perIpRateLimit(limits.perIpPerMinute), trackingPageRouter({ pool }));
  if (ratingSecret) app.use('/track', ratingPageRouter({ pool, secret: ratingSecret, logger }));
  // Ops staff: the KPI dashboard's static page; its data comes from /v1/kpis with their key.
  app.use('/dashboard', perIpRateLimit(limits.perIpPerMinute), dashboardRouter());

  app.use(methodNotAllowed(operations));
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
