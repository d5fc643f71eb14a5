// POST /v1/webhooks/storefronts/{shopify,woocommerce}: a storefront tells us of a new order.
// The signature over the raw body proves the storefront sent it; the order is then mapped to
// ours and started exactly as POST /v1/orders starts one, so a resent webhook (storefronts
// retry until they get a 2xx) finds the order already there and is answered 200. "Already there"
// is asked of PostgreSQL first (api/storefronts/deliveries.ts): the signatures carry no time, so
// a delivery may be replayed long after Temporal forgot the order's workflow.
import express, { Router, type Request, type RequestHandler } from 'express';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { OrderInput } from '../domain/order';
import type { Logger } from '../lib/logger';
import { HttpError } from './errors';
import { startOrder, startedOrderBody } from './order-start';
import { recordDelivery, takenBefore, type StorefrontDelivery } from './storefronts/deliveries';
import { shopifyOrder } from './storefronts/shopify';
import { wooOrder } from './storefronts/woocommerce';
import { parse } from './validation';
import { hmacSha256, signatureMatches } from '../lib/hmac';
import { rawBodyOf } from './webhook-signature';

export type Storefront = 'shopify' | 'woocommerce';

/** The secret each storefront signs its webhooks with (Shopify's app secret, WooCommerce's webhook secret). */
export type StorefrontSecrets = Record<Storefront, string>;

export interface StorefrontWebhooksDeps {
  client: Client;
  logger: Logger;
  secrets: StorefrontSecrets;
  /**
   * The business record that makes a replayed delivery start nothing, at any age. Optional only
   * until api/app.ts passes it: without it, only Temporal's record of the workflow (kept for the
   * namespace's retention) stops a replay.
   */
  pool?: Pool;
}

export const ShopifyHeaders = z.object({
  'X-Shopify-Hmac-Sha256': z.string().describe('base64 HMAC-SHA256 of the raw body with the app secret'),
  'X-Shopify-Topic': z.string().min(1).max(100).describe('orders/create starts an order; other topics are acknowledged and ignored'),
  'X-Shopify-Shop-Domain': z.string().max(255).optional(),
  'X-Shopify-Webhook-Id': z.string().max(100).optional(),
});

export const WooHeaders = z.object({
  'X-WC-Webhook-Signature': z.string().describe('base64 HMAC-SHA256 of the raw body with the webhook secret'),
  'X-WC-Webhook-Topic': z.string().min(1).max(100).describe('order.created starts an order; other topics are acknowledged and ignored'),
  'X-WC-Webhook-Delivery-ID': z.string().max(100).optional(),
});

/** WooCommerce's unsigned, form-encoded test delivery when a webhook is saved: it must get a 200 or WooCommerce will not save it. */
const WooPing = z.object({ webhook_id: z.string().regex(/^\d{1,20}$/, 'must be the numeric id of the webhook') });

interface StorefrontSpec {
  name: Storefront;
  headers: z.ZodObject;
  signatureHeader: string;
  topicHeader: string;
  deliveryHeader: string;
  orderTopic: string;
  toOrder(body: unknown): OrderInput;
}

const SHOPIFY: StorefrontSpec = {
  name: 'shopify',
  headers: ShopifyHeaders,
  signatureHeader: 'X-Shopify-Hmac-Sha256',
  topicHeader: 'X-Shopify-Topic',
  deliveryHeader: 'X-Shopify-Webhook-Id',
  orderTopic: 'orders/create',
  toOrder: shopifyOrder,
};

const WOOCOMMERCE: StorefrontSpec = {
  name: 'woocommerce',
  headers: WooHeaders,
  signatureHeader: 'X-WC-Webhook-Signature',
  topicHeader: 'X-WC-Webhook-Topic',
  deliveryHeader: 'X-WC-Webhook-Delivery-ID',
  orderTopic: 'order.created',
  toOrder: wooOrder,
};

/** The headers a schema names, looked up case-insensitively (Node lower-cases them). */
const headersOf = (req: Request, schema: z.ZodObject) => Object.fromEntries(Object.keys(schema.shape).map((name) => [name, req.get(name)]));

function verifySignature(req: Request, spec: StorefrontSpec, secret: string): void {
  if (!signatureMatches(hmacSha256(secret, rawBodyOf(req)), req.get(spec.signatureHeader), 'base64')) {
    throw new HttpError(401, 'invalid_signature', `${spec.signatureHeader} is missing or does not match the body`);
  }
}

/** Starts the order unless the delivery or the order was taken before; whether it started. */
async function startOnce({ client, pool }: StorefrontWebhooksDeps, order: OrderInput, delivery: StorefrontDelivery): Promise<boolean> {
  if (pool && (await takenBefore(pool, delivery))) return false;
  const { created } = await startOrder(client, order);
  if (pool) await recordDelivery(pool, delivery);
  return created;
}

function receive(spec: StorefrontSpec, deps: StorefrontWebhooksDeps): RequestHandler {
  const { logger, secrets } = deps;
  return async (req, res) => {
    verifySignature(req, spec, secrets[spec.name]);
    const headers = parse(spec.headers, headersOf(req, spec.headers), 'headers');
    const topic = headers[spec.topicHeader] as string;
    // Storefront, delivery and order ids only: the payload is full of personal data.
    const log = logger.child({ storefront: spec.name, delivery: headers[spec.deliveryHeader], topic });
    if (topic !== spec.orderTopic) {
      res.status(202).json({ status: 'ignored', topic, message: `only ${spec.orderTopic} starts an order` });
      return;
    }
    const order = mapOrder(spec, req.body, log);
    const deliveryId = headers[spec.deliveryHeader] as string | undefined;
    const created = await startOnce(deps, order, { storefront: spec.name, deliveryId, orderId: order.orderId });
    log.info({ orderId: order.orderId, created }, 'storefront order');
    res.status(created ? 202 : 200).json(startedOrderBody(order.orderId, created));
  };
}

/** The storefront will retry an order we refuse (and may give up on the webhook): ops hear of it in the log. */
function mapOrder(spec: StorefrontSpec, body: unknown, log: Logger): OrderInput {
  try {
    return spec.toOrder(body);
  } catch (err) {
    if (err instanceof HttpError)
      log.warn({ issues: (err.details.issues as { path: string }[] | undefined)?.map((i) => i.path) }, 'storefront order not taken');
    throw err;
  }
}

const answerWooPing: RequestHandler = (req, res, next) => {
  if (!req.is('application/x-www-form-urlencoded')) return next();
  const { webhook_id: webhookId } = parse(WooPing, req.body ?? {});
  res.status(200).json({ status: 'ping_received', webhookId });
};

export function storefrontWebhooksRouter(deps: StorefrontWebhooksDeps): Router {
  const router = Router();
  router.post('/shopify', receive(SHOPIFY, deps));
  router.post('/woocommerce', express.urlencoded({ extended: false, limit: '1kb' }), answerWooPing, receive(WOOCOMMERCE, deps));
  return router;
}
