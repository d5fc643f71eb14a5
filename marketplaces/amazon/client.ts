// HTTP calls to SP-API as spec/orders-v0.json and spec/tokens-2021-03-01.json define them, and the
// Login with Amazon exchange as Amazon's client libraries make it (spec/README.md): an access token
// from the refresh token, cached until a minute before it expires and sent in x-amz-access-token;
// a Restricted Data Token for getOrderAddress (the address is restricted data), cached alike. Zod
// reads only what the adapter uses; the sandbox double checks every request against the models.
import { z } from 'zod';
import { marketplaceHttp, type HttpCall, type HttpReply } from '../http';
import { amazonError, MARKETPLACE } from './errors';

export interface AmazonClientConfig {
  /** SP-API's root: https://sellingpartnerapi-eu.amazon.com for Amazon.com.tr, or the sandbox's http://127.0.0.1:4010/amazon. */
  baseUrl: string;
  /** LWA's token endpoint: https://api.amazon.com/auth/o2/token, or the sandbox's. */
  lwaUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
}

const TokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
const RdtSchema = z.object({ restrictedDataToken: z.string().min(1), expiresIn: z.number().int().positive() });

const Money = z.object({ CurrencyCode: z.string().optional(), Amount: z.string().optional() });
const OrderSchema = z.object({
  AmazonOrderId: z.string().min(1),
  LastUpdateDate: z.string(),
  OrderStatus: z.string(),
  PaymentMethod: z.string().optional(),
  ShipmentServiceLevelCategory: z.string().optional(),
  LatestShipDate: z.string().optional(),
  LatestDeliveryDate: z.string().optional(),
  OrderTotal: Money.optional(),
});
export type AmazonOrder = z.infer<typeof OrderSchema>;
const OrdersReplySchema = z.object({ payload: z.object({ Orders: z.array(OrderSchema), NextToken: z.string().optional() }) });

const OrderItemSchema = z.object({
  OrderItemId: z.string().min(1),
  SellerSKU: z.string().optional(),
  QuantityOrdered: z.number().int(),
  ItemPrice: Money.optional(),
});
export type AmazonOrderItem = z.infer<typeof OrderItemSchema>;
const ItemsReplySchema = z.object({ payload: z.object({ OrderItems: z.array(OrderItemSchema), NextToken: z.string().optional() }) });

const AddressSchema = z.object({
  Name: z.string().optional(),
  AddressLine1: z.string().optional(),
  AddressLine2: z.string().optional(),
  AddressLine3: z.string().optional(),
  City: z.string().optional(),
  County: z.string().optional(),
  District: z.string().optional(),
  StateOrRegion: z.string().optional(),
  PostalCode: z.string().optional(),
  CountryCode: z.string().optional(),
  Phone: z.string().optional(),
});
export type AmazonAddress = z.infer<typeof AddressSchema>;
const AddressReplySchema = z.object({ payload: z.object({ ShippingAddress: AddressSchema.optional() }) });

/** One getOrders window, or its next page (NextToken "doesn't affect any filters": they ride in it). */
export type OrdersQuery =
  | { marketplaceId: string; lastUpdatedAfter: string; lastUpdatedBefore: string; pageSize: number }
  | { marketplaceId: string; nextToken: string };

/** confirmShipment's body (ConfirmShipmentRequest); transparency codes and COD collection are not ours to send. */
export interface ShipmentConfirmation {
  marketplaceId: string;
  packageDetail: {
    packageReferenceId: string;
    carrierCode: string;
    carrierName?: string;
    trackingNumber: string;
    shipDate: string;
    orderItems: { orderItemId: string; quantity: number }[];
  };
}

/** The address operation, as the RDT names it: the template covers every order. */
const ADDRESS_RESOURCE = { method: 'GET', path: '/orders/v0/orders/{orderId}/address' };

/**
 * LWA answers a revoked or wrong refresh token with 400 invalid_grant (OAuth 2.0, RFC 6749 5.2), not
 * 401: read as the refused credential it is (retried, a fixed credential recovers), never as a
 * refusal of the request ops would have to settle call by call.
 */
const credentialsRefusal = (reply: HttpReply): HttpReply => (reply.status === 400 ? { ...reply, status: 401 } : reply);

/** A token fetched once at a time and reused until a minute (or a tenth of its life) before it expires. */
function cachedToken(fetchToken: () => Promise<{ value: string; expiresInSeconds: number }>) {
  let token: { value: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;
  async function refresh(): Promise<string> {
    const { value, expiresInSeconds } = await fetchToken();
    token = { value, refreshAt: Date.now() + expiresInSeconds * 1000 - Math.min(60_000, expiresInSeconds * 100) };
    return value;
  }
  return {
    get(): Promise<string> {
      if (token && Date.now() < token.refreshAt) return Promise.resolve(token.value);
      pending ??= refresh().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    forget(): void {
      token = undefined;
    },
  };
}

export function createAmazonClient(config: AmazonClientConfig) {
  const http = marketplaceHttp(MARKETPLACE, config.timeoutMs, amazonError);
  const root = config.baseUrl.replace(/\/+$/, '');

  const accessToken = cachedToken(async () => {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: config.refreshToken,
      client_id: config.clientId,
      client_secret: config.clientSecret,
    });
    const reply = await http.send('token', config.lwaUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const { access_token: value, expires_in: expiresInSeconds } = http.read('token', credentialsRefusal(reply), TokenSchema);
    return { value, expiresInSeconds };
  });

  /** Sends with the token; a 403 (Amazon's answer to an expired or revoked token) once more with a fresh one. */
  async function authorized(
    operation: string,
    path: string,
    token: ReturnType<typeof cachedToken>,
    call: HttpCall = { method: 'GET' },
  ): Promise<HttpReply> {
    const send = async () =>
      http.send(operation, `${root}${path}`, { ...call, headers: { ...call.headers, 'x-amz-access-token': await token.get() } });
    const first = await send();
    if (first.status !== 403) return first;
    token.forget();
    return send();
  }

  const restrictedToken = cachedToken(async () => {
    const body = JSON.stringify({ restrictedResources: [ADDRESS_RESOURCE] });
    const reply = await authorized('createRestrictedDataToken', '/tokens/2021-03-01/restrictedDataToken', accessToken, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    const { restrictedDataToken: value, expiresIn: expiresInSeconds } = http.read('createRestrictedDataToken', reply, RdtSchema);
    return { value, expiresInSeconds };
  });

  return {
    async getOrders(query: OrdersQuery): Promise<{ orders: AmazonOrder[]; nextToken?: string }> {
      const params = new URLSearchParams({ MarketplaceIds: query.marketplaceId });
      if ('nextToken' in query) params.set('NextToken', query.nextToken);
      else {
        params.set('LastUpdatedAfter', query.lastUpdatedAfter);
        params.set('LastUpdatedBefore', query.lastUpdatedBefore);
        // Fulfilled by Amazon is not ours to ship (design section 5): not even pulled.
        params.set('FulfillmentChannels', 'MFN');
        params.set('MaxResultsPerPage', String(query.pageSize));
      }
      const reply = await authorized('getOrders', `/orders/v0/orders?${params.toString()}`, accessToken);
      const { payload } = http.read('getOrders', reply, OrdersReplySchema);
      return { orders: payload.Orders, nextToken: payload.NextToken };
    },

    /** Every item of the order, following its NextToken pages. */
    async getOrderItems(orderId: string): Promise<AmazonOrderItem[]> {
      const items: AmazonOrderItem[] = [];
      let nextToken: string | undefined;
      do {
        const query = nextToken ? `?NextToken=${encodeURIComponent(nextToken)}` : '';
        const reply = await authorized('getOrderItems', `/orders/v0/orders/${encodeURIComponent(orderId)}/orderItems${query}`, accessToken);
        const { payload } = http.read('getOrderItems', reply, ItemsReplySchema);
        items.push(...payload.OrderItems);
        nextToken = payload.NextToken;
      } while (nextToken);
      return items;
    },

    async getOrderAddress(orderId: string): Promise<AmazonAddress | undefined> {
      const reply = await authorized('getOrderAddress', `/orders/v0/orders/${encodeURIComponent(orderId)}/address`, restrictedToken);
      return http.read('getOrderAddress', reply, AddressReplySchema).payload.ShippingAddress;
    },

    /** 204 and no body when taken; any other status is the failure its error body names. */
    async confirmShipment(orderId: string, confirmation: ShipmentConfirmation): Promise<void> {
      const reply = await authorized(
        'confirmShipment',
        `/orders/v0/orders/${encodeURIComponent(orderId)}/shipmentConfirmation`,
        accessToken,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(confirmation),
        },
      );
      if (reply.status !== 204) http.read('confirmShipment', reply, z.unknown());
    },
  };
}

export type AmazonClient = ReturnType<typeof createAmazonClient>;
