// The Amazon Selling Partner API as marketplaces/amazon/spec/ defines it: Orders v0 (getOrders with
// NextToken paging, getOrder, getOrderItems, getOrderAddress, confirmShipment, updateShipmentStatus),
// the Tokens API's createRestrictedDataToken, and the Login with Amazon token exchange Amazon's
// client libraries make (no published definition: marketplaces/amazon/spec/README.md).
//
// Every SP-API call passes the fault plan first, then the access token check, then the operation's
// token bucket (429 QuotaExceeded), then the guard (sandbox/openapi.ts, reading the Swagger 2.0
// models): a request the definition refuses gets Amazon's error body naming the field, and a reply
// it does not allow becomes a 500 and a logged error. Every reply carries x-amzn-RequestId and
// x-amzn-RateLimit-Limit, as the definitions' response headers say.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { sameSecret } from '../../auth';
import { CarrierError } from '../../errors';
import { recordedWrite } from '../recorded';
import { injectFaults } from '../../faults';
import { openApiGuard } from '../../openapi';
import { amazonErrors, AMAZON_ERRORS, invalidInput, notFound, sendAmazonError, unauthorized } from './errors';
import { loadStaticCases, matchStaticCase } from './static-cases';
import type { AmazonOperation, AmazonState, Push, RateLimits, SandboxOrder } from './state';

const SPEC_DIR = path.join(__dirname, '..', '..', '..', 'marketplaces', 'amazon', 'spec');
export const AMAZON_ORDERS_SPEC = path.join(SPEC_DIR, 'orders-v0.json');
export const AMAZON_TOKENS_SPEC = path.join(SPEC_DIR, 'tokens-2021-03-01.json');

/** getOrders' query parameters that are lists (Swagger 2.0's default csv: `A,B`). */
const LIST_PARAMETERS = ['MarketplaceIds', 'OrderStatuses', 'FulfillmentChannels', 'PaymentMethods', 'AmazonOrderIds'];
/** `LastUpdatedBefore` and `CreatedBefore` "must be no later than two minutes before the time that the request was submitted". */
const LATEST_BEFORE_MS = 2 * 60_000;
const DEFAULT_PAGE = 100;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies the guard has validated against the spec

/** Amazon writes its times to the second: 2017-01-20T19:49:35Z. */
const amazonTime = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
const money = (currency: string, amount: number) => ({ CurrencyCode: currency, Amount: amount.toFixed(2) });

function orderJson(o: SandboxOrder) {
  const shipped = o.items.reduce((n, i) => n + i.quantityShipped, 0);
  const ordered = o.items.reduce((n, i) => n + i.quantity, 0);
  return {
    AmazonOrderId: o.amazonOrderId,
    PurchaseDate: amazonTime(o.purchaseDate),
    LastUpdateDate: amazonTime(o.lastUpdateDate),
    OrderStatus: o.status,
    FulfillmentChannel: o.fulfillmentChannel,
    NumberOfItemsShipped: shipped,
    NumberOfItemsUnshipped: ordered - shipped,
    PaymentMethod: o.paymentMethod,
    MarketplaceId: o.marketplaceId,
    ShipmentServiceLevelCategory: o.serviceLevelCategory,
    OrderType: 'StandardOrder',
    LatestShipDate: amazonTime(o.latestShipDate),
    // The model: "only returned for seller-fulfilled orders that do not have a PendingAvailability, Pending, or Canceled status".
    ...(o.latestDeliveryDate &&
      o.fulfillmentChannel === 'MFN' &&
      !['Pending', 'Canceled'].includes(o.status) && { LatestDeliveryDate: amazonTime(o.latestDeliveryDate) }),
    OrderTotal: money(
      o.currency,
      o.items.reduce((sum, i) => sum + i.itemPrice, 0),
    ),
    IsBusinessOrder: false,
    IsPrime: false,
    IsReplacementOrder: false,
  };
}

function itemJson(o: SandboxOrder) {
  return o.items.map((i) => ({
    ASIN: i.asin,
    SellerSKU: i.sellerSku,
    OrderItemId: i.orderItemId,
    QuantityOrdered: i.quantity,
    QuantityShipped: i.quantityShipped,
    ItemPrice: money(o.currency, i.itemPrice),
  }));
}

/** The request as the static cases name its parameters: path, query (lists split) and `body`. */
function requestValues(req: Request): Record<string, unknown> {
  const query = Object.fromEntries(
    Object.entries(req.query).map(([k, v]) => [k, LIST_PARAMETERS.includes(k) && typeof v === 'string' ? v.split(',') : v]),
  );
  return { ...req.params, ...query, ...(req.body !== undefined && { body: req.body }) };
}

function listParameter(req: Request, name: string): string[] | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value.split(',') : undefined;
}

function dateParameter(req: Request, name: string): Date | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw invalidInput(`${name} is not an ISO 8601 date`);
  return date;
}

/** A getOrders query, kept whole in the NextToken (which "doesn't affect any filters"). */
const QuerySchema = z.object({
  marketplaceIds: z.array(z.string()),
  field: z.enum(['lastUpdateDate', 'purchaseDate']),
  after: z.number(),
  before: z.number(),
  statuses: z.array(z.string()).optional(),
  channels: z.array(z.string()).optional(),
  pageSize: z.number().int(),
  offset: z.number().int(),
});
type OrdersQuery = z.infer<typeof QuerySchema>;

function readNextToken(token: string): OrdersQuery {
  try {
    return QuerySchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    throw invalidInput('Invalid NextToken');
  }
}

function ordersQuery(req: Request): OrdersQuery {
  const nextToken = req.query.NextToken;
  if (typeof nextToken === 'string') return readNextToken(nextToken);
  const updatedAfter = dateParameter(req, 'LastUpdatedAfter');
  const createdAfter = dateParameter(req, 'CreatedAfter');
  if (!updatedAfter && !createdAfter) throw invalidInput('Either CreatedAfter or LastUpdatedAfter must be specified');
  if (updatedAfter && createdAfter) throw invalidInput('CreatedAfter and LastUpdatedAfter cannot both be specified');
  const field = updatedAfter ? 'lastUpdateDate' : 'purchaseDate';
  const beforeName = updatedAfter ? 'LastUpdatedBefore' : 'CreatedBefore';
  const latest = Date.now() - LATEST_BEFORE_MS;
  const before = dateParameter(req, beforeName)?.getTime() ?? latest;
  if (before > latest) throw invalidInput(`${beforeName} must be at least two minutes before the request`);
  const pageSize = req.query.MaxResultsPerPage === undefined ? DEFAULT_PAGE : Number(req.query.MaxResultsPerPage);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw invalidInput('MaxResultsPerPage must be 1-100');
  return {
    marketplaceIds: listParameter(req, 'MarketplaceIds') ?? [],
    field,
    after: (updatedAfter ?? createdAfter)!.getTime(),
    before,
    statuses: listParameter(req, 'OrderStatuses'),
    channels: listParameter(req, 'FulfillmentChannels'),
    pageSize,
    offset: 0,
  };
}

function getOrders(state: AmazonState, req: Request, res: Response): void {
  const query = ordersQuery(req);
  const time = (o: SandboxOrder) => (query.field === 'lastUpdateDate' ? o.lastUpdateDate : o.purchaseDate).getTime();
  const matching = [...state.orders.values()]
    .filter((o) => query.marketplaceIds.includes(o.marketplaceId))
    .filter((o) => time(o) >= query.after && time(o) <= query.before)
    .filter((o) => !query.statuses || query.statuses.includes(o.status))
    .filter((o) => !query.channels || query.channels.includes(o.fulfillmentChannel))
    .sort((a, b) => time(a) - time(b) || a.amazonOrderId.localeCompare(b.amazonOrderId));
  const page = matching.slice(query.offset, query.offset + query.pageSize);
  const rest = query.offset + query.pageSize < matching.length;
  const nextToken = rest && Buffer.from(JSON.stringify({ ...query, offset: query.offset + query.pageSize })).toString('base64url');
  const beforeField = query.field === 'lastUpdateDate' ? 'LastUpdatedBefore' : 'CreatedBefore';
  res.json({
    payload: { Orders: page.map(orderJson), ...(nextToken && { NextToken: nextToken }), [beforeField]: amazonTime(new Date(query.before)) },
  });
}

function orderOf(state: AmazonState, req: Request): SandboxOrder {
  const order = state.orders.get(String(req.params.orderId));
  if (!order) throw notFound(`Order ${String(req.params.orderId)}`);
  return order;
}

/** Which order items a package confirms, checked against what is left to ship. */
function confirmItems(order: SandboxOrder, items: Json[]): void {
  for (const { orderItemId, quantity } of items) {
    const item = order.items.find((i) => i.orderItemId === orderItemId);
    if (!item) throw invalidInput(`orderItemId ${orderItemId} is not an item of order ${order.amazonOrderId}`);
    if (quantity > item.quantity - item.quantityShipped) throw invalidInput(`quantity of ${orderItemId} exceeds what is left to ship`);
  }
  for (const { orderItemId, quantity } of items) order.items.find((i) => i.orderItemId === orderItemId)!.quantityShipped += quantity;
  order.status = order.items.every((i) => i.quantityShipped === i.quantity) ? 'Shipped' : 'PartiallyShipped';
  order.lastUpdateDate = new Date();
}

/**
 * confirmShipment. A repeat of a packageReferenceId the order already confirmed answers 204 again
 * and changes nothing: Amazon does not say what a repeat answers (the double's assumption, README).
 */
function confirmShipment(state: AmazonState, confirmed: Map<string, Set<string>>, req: Request): void {
  const order = orderOf(state, req);
  const body = req.body as Json;
  if (body.marketplaceId !== order.marketplaceId) throw invalidInput(`marketplaceId ${body.marketplaceId} is not the order's`);
  const packages = confirmed.get(order.amazonOrderId) ?? new Set<string>();
  const reference = String(body.packageDetail.packageReferenceId);
  // Both in the model's descriptions only (PackageReferenceId, PackageDetail.carrierName), so the guard cannot check them.
  if (!/^[1-9]\d*$/.test(reference)) throw invalidInput('packageReferenceId: only positive numeric values are supported');
  if (body.packageDetail.carrierCode === 'Other' && !body.packageDetail.carrierName)
    throw invalidInput('carrierName is required when carrierCode is "Other"');
  if (packages.has(reference)) return;
  if (!['Unshipped', 'PartiallyShipped'].includes(order.status)) throw invalidInput(`order is ${order.status}`);
  confirmItems(order, body.packageDetail.orderItems as Json[]);
  confirmed.set(order.amazonOrderId, packages.add(reference));
}

/** The address operation is restricted: only a Restricted Data Token for it opens it. */
const RESTRICTED_PATH = /^\/orders\/v0\/orders\/(\{orderId\}|[^/]+)\/address$/;

function createRestrictedDataToken(state: AmazonState, req: Request, res: Response): void {
  const resources = (req.body as Json).restrictedResources as Json[];
  if (resources.length === 0) throw new CarrierError(400, 'InvalidRequest', 'Resource not provided.');
  const unknown = resources.find((r) => r.method !== 'GET' || !RESTRICTED_PATH.test(String(r.path)));
  if (unknown) throw new CarrierError(400, 'InvalidRequest', `${unknown.method} ${unknown.path} is not a restricted resource`);
  res.json({ restrictedDataToken: state.issueToken(state.restrictedTokens, 'Atz.sprdt'), expiresIn: state.tokenTtlSeconds });
}

/** POST /auth/o2/token, as Amazon's LwaAuthClient calls it: form-encoded refresh_token grant; LWA's own OAuth error shape. */
function lwaToken(state: AmazonState): RequestHandler {
  return (req, res) => {
    const { grant_type: grant, refresh_token: refresh, client_id: id, client_secret: secret } = (req.body ?? {}) as Record<string, string>;
    const { credentials } = state;
    if (grant !== 'refresh_token') {
      res.status(400).json({ error: 'unsupported_grant_type', error_description: 'grant_type must be refresh_token' });
      return;
    }
    if (!id || !secret || id !== credentials.clientId || !sameSecret(secret, credentials.clientSecret)) {
      res.status(401).json({ error: 'invalid_client', error_description: 'Client authentication failed' });
      return;
    }
    if (!refresh || !sameSecret(refresh, credentials.refreshToken)) {
      res.status(400).json({ error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' });
      return;
    }
    res.json({
      access_token: state.issueToken(state.tokens, 'Atza'),
      refresh_token: refresh,
      token_type: 'bearer',
      expires_in: state.tokenTtlSeconds,
    });
  };
}

export function amazonRouter(state: AmazonState, logger: Logger): Router {
  const refuse = (res: Response, problem: { status: number; message: string }) =>
    sendAmazonError(res, new CarrierError(problem.status, AMAZON_ERRORS.invalidRequest, problem.message));
  const guards = {
    orders: openApiGuard({ spec: AMAZON_ORDERS_SPEC, refuse, logger }),
    tokens: openApiGuard({ spec: AMAZON_TOKENS_SPEC, refuse, logger }),
  };
  const cases = loadStaticCases();
  const confirmed = new Map<string, Set<string>>();

  const headers: RequestHandler = (_req, res, next) => {
    res.set('x-amzn-RequestId', randomUUID());
    next();
  };
  /** The access token in x-amz-access-token: an LWA token, or for a restricted operation a Restricted Data Token. */
  const authorized =
    (restricted: boolean): RequestHandler =>
    (req, res, next) => {
      const token = req.header('x-amz-access-token') ?? '';
      if (!(restricted ? state.restrictedTokens : state.tokens).valid(token)) return sendAmazonError(res, unauthorized());
      next();
    };
  const throttled =
    (operation: keyof RateLimits): RequestHandler =>
    (_req, res, next) => {
      res.set('x-amzn-RateLimit-Limit', String(state.rateLimits[operation].rate));
      if (state.admit(operation)) return next();
      sendAmazonError(res, new CarrierError(429, AMAZON_ERRORS.rateLimited, 'You exceeded your quota for the requested resource.'));
    };
  /** Amazon's canned sandbox reply, when the request is one of its cases. */
  const staticCase =
    (operation: AmazonOperation): RequestHandler =>
    (req, res, next) => {
      const found = matchStaticCase(cases, operation, requestValues(req));
      if (!found) return next();
      if (found.status === 204) return void res.status(204).end();
      res.status(found.status).json(found.response);
    };
  const call = (operation: keyof RateLimits, guard: RequestHandler[], { restricted = false } = {}) => [
    headers,
    injectFaults(state.faults, operation, amazonErrors.sendInjected),
    authorized(restricted),
    throttled(operation),
    ...guard,
    staticCase(operation),
  ];
  /** Every write is recorded with its answer for the admin API's /pushes; taken: 204, no body. */
  const recorded = (operation: Push['operation'], apply: (req: Request) => void): RequestHandler =>
    recordedWrite(
      () => state.pushes,
      (req) => ({ operation, orderId: String(req.params.orderId) }),
      apply,
      { status: 204 },
    );

  const router = Router();
  router.post(
    '/auth/o2/token',
    express.urlencoded({ extended: false }),
    injectFaults(state.faults, 'token', amazonErrors.sendInjected),
    lwaToken(state),
  );
  router.get('/orders/v0/orders', ...call('getOrders', guards.orders), (req, res) => getOrders(state, req, res));
  router.get('/orders/v0/orders/:orderId', ...call('getOrder', guards.orders), (req, res) => {
    res.json({ payload: orderJson(orderOf(state, req)) });
  });
  router.get('/orders/v0/orders/:orderId/orderItems', ...call('getOrderItems', guards.orders), (req, res) => {
    const order = orderOf(state, req);
    res.json({ payload: { AmazonOrderId: order.amazonOrderId, OrderItems: itemJson(order) } });
  });
  router.get('/orders/v0/orders/:orderId/address', ...call('getOrderAddress', guards.orders, { restricted: true }), (req, res) => {
    const order = orderOf(state, req);
    res.json({ payload: { AmazonOrderId: order.amazonOrderId, ShippingAddress: order.address } });
  });
  router.post(
    '/orders/v0/orders/:orderId/shipmentConfirmation',
    ...call('confirmShipment', guards.orders),
    recorded('confirmShipment', (req) => confirmShipment(state, confirmed, req)),
  );
  router.post(
    '/orders/v0/orders/:orderId/shipment',
    ...call('updateShipmentStatus', guards.orders),
    recorded('updateShipmentStatus', (req) => void orderOf(state, req)),
  );
  router.post('/tokens/2021-03-01/restrictedDataToken', ...call('createRestrictedDataToken', guards.tokens), (req, res) =>
    createRestrictedDataToken(state, req, res),
  );
  router.use((req, res) => sendAmazonError(res, notFound(`${req.method} ${req.path}`)));
  router.use(amazonErrors.handler(logger));
  return router;
}
