// Doubles of the storefront APIs our pushback writes to (activities/storefronts/): a Shopify
// store's Admin REST API and a WooCommerce store's REST API (v3). Each knows only the orders a
// test seeds, under the store's own ids, and answers any other id 404 as the real store does, so a
// call addressed to our order id (shopify-<id>) fails instead of landing somewhere. Not mounted
// in the dev sandbox: tests start one with listen().
import express, { type Express, type NextFunction, type Request, type Response } from 'express';

export interface ShopifyFulfillment {
  id: number;
  tracking_number: string | null;
  tracking_company: string | null;
  tracking_url: string | null;
  events: { status: string; happened_at?: string }[];
}

export interface ShopifyStoreOrder {
  fulfillmentOrderId: number;
  fulfillments: ShopifyFulfillment[];
  cancelled: boolean;
}

export interface WooStoreOrder {
  status: string;
  notes: { note: string; customer_note: boolean }[];
}

export interface StorefrontCredentials {
  shopifyAccessToken: string;
  wooConsumerKey: string;
  wooConsumerSecret: string;
}

export class StorefrontsState {
  readonly shopify = new Map<string, ShopifyStoreOrder>();
  readonly woo = new Map<string, WooStoreOrder>();
  private nextId = 1_000_000;

  /** A Shopify order as the store holds it, open to be fulfilled. */
  seedShopifyOrder(storeOrderId: string): ShopifyStoreOrder {
    const order = { fulfillmentOrderId: this.nextId++, fulfillments: [], cancelled: false };
    this.shopify.set(storeOrderId, order);
    return order;
  }

  seedWooOrder(storeOrderId: string): WooStoreOrder {
    const order = { status: 'processing', notes: [] };
    this.woo.set(storeOrderId, order);
    return order;
  }

  newId(): number {
    return this.nextId++;
  }
}

const shopifyNotFound = (res: Response) => void res.status(404).json({ errors: 'Not Found' });
const wooNotFound = (res: Response) =>
  void res.status(404).json({ code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } });

function shopifyRoutes(app: Express, state: StorefrontsState, token: string): void {
  const api = '/admin/api/:version';
  const authorized = (req: Request, res: Response, next: NextFunction) =>
    req.get('x-shopify-access-token') === token
      ? next()
      : void res.status(401).json({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
  const orderOf = (req: Request) => state.shopify.get(String(req.params.orderId));

  app.use('/admin/api', authorized);
  app.get(`${api}/orders/:orderId/fulfillments.json`, (req, res) => {
    const order = orderOf(req);
    if (!order) return shopifyNotFound(res);
    res.json({ fulfillments: order.fulfillments });
  });
  app.get(`${api}/orders/:orderId/fulfillment_orders.json`, (req, res) => {
    const order = orderOf(req);
    if (!order) return shopifyNotFound(res);
    res.json({ fulfillment_orders: [{ id: order.fulfillmentOrderId, status: order.fulfillments.length ? 'closed' : 'open' }] });
  });
  app.post(`${api}/fulfillments.json`, (req, res) => {
    const { line_items_by_fulfillment_order: byOrder = [], tracking_info: tracking = {} } = req.body?.fulfillment ?? {};
    const ids = new Set((byOrder as { fulfillment_order_id: number }[]).map((f) => f.fulfillment_order_id));
    const order = [...state.shopify.values()].find((o) => ids.has(o.fulfillmentOrderId));
    if (!order) return shopifyNotFound(res);
    const fulfillment = {
      id: state.newId(),
      tracking_number: tracking.number ?? null,
      tracking_company: tracking.company ?? null,
      tracking_url: tracking.url ?? null,
      events: [],
    };
    order.fulfillments.push(fulfillment);
    res.status(201).json({ fulfillment });
  });
  app.post(`${api}/orders/:orderId/fulfillments/:fulfillmentId/events.json`, (req, res) => {
    const fulfillment = orderOf(req)?.fulfillments.find((f) => String(f.id) === req.params.fulfillmentId);
    if (!fulfillment) return shopifyNotFound(res);
    fulfillment.events.push(req.body?.event ?? {});
    res.status(201).json({ fulfillment_event: req.body?.event ?? {} });
  });
  app.post(`${api}/orders/:orderId/cancel.json`, (req, res) => {
    const order = orderOf(req);
    if (!order) return shopifyNotFound(res);
    order.cancelled = true;
    res.json({ order: { id: Number(req.params.orderId) } });
  });
}

function wooRoutes(app: Express, state: StorefrontsState, key: string, secret: string): void {
  const expected = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  app.use('/wp-json/wc/v3', (req, res, next) =>
    req.get('authorization') === expected
      ? next()
      : void res
          .status(401)
          .json({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } }),
  );
  app.post('/wp-json/wc/v3/orders/:orderId/notes', (req, res) => {
    const order = state.woo.get(String(req.params.orderId));
    if (!order) return wooNotFound(res);
    order.notes.push({ note: String(req.body?.note ?? ''), customer_note: Boolean(req.body?.customer_note) });
    res.status(201).json(order.notes.at(-1));
  });
  app.put('/wp-json/wc/v3/orders/:orderId', (req, res) => {
    const order = state.woo.get(String(req.params.orderId));
    if (!order) return wooNotFound(res);
    order.status = String(req.body?.status ?? order.status);
    res.json({ id: Number(req.params.orderId), status: order.status });
  });
}

/** One app serving both stores' APIs (their paths do not overlap). */
export function storefrontsDouble(credentials: StorefrontCredentials): { app: Express; state: StorefrontsState } {
  const state = new StorefrontsState();
  const app = express();
  app.use(express.json());
  shopifyRoutes(app, state, credentials.shopifyAccessToken);
  wooRoutes(app, state, credentials.wooConsumerKey, credentials.wooConsumerSecret);
  return { app, state };
}
