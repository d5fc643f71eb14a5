// The Amazon SP-API double over HTTP: Amazon's own sandbox cases replayed against it, its orders
// paged with NextToken, the restricted address, its token buckets, faults and what it records of
// pushes. Every reply it sends has passed the guard (orders-v0.json, tokens-2021-03-01.json): one
// that broke the definition would arrive as a 500, which no expectation here allows.
import pino from 'pino';
import { startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';
import { AMAZON_ISTANBUL as ISTANBUL } from '../helpers/amazon';
import {
  amazonDouble,
  loadStaticCases,
  SANDBOX_AMAZON_CREDENTIALS,
  TURKEY_MARKETPLACE_ID,
  type AmazonState,
} from '../../sandbox/marketplaces/amazon';

/** Where each operation lives (orders-v0.json, tokens-2021-03-01.json). */
const OPERATIONS: Record<string, { method: string; path: string }> = {
  getOrders: { method: 'GET', path: '/orders/v0/orders' },
  getOrder: { method: 'GET', path: '/orders/v0/orders/{orderId}' },
  getOrderItems: { method: 'GET', path: '/orders/v0/orders/{orderId}/orderItems' },
  getOrderAddress: { method: 'GET', path: '/orders/v0/orders/{orderId}/address' },
  confirmShipment: { method: 'POST', path: '/orders/v0/orders/{orderId}/shipmentConfirmation' },
  updateShipmentStatus: { method: 'POST', path: '/orders/v0/orders/{orderId}/shipment' },
  createRestrictedDataToken: { method: 'POST', path: '/tokens/2021-03-01/restrictedDataToken' },
};

let sandbox: DoubleSandbox<AmazonState>;
const errors: unknown[] = [];

beforeAll(async () => {
  // A drifting reply is logged at error level by the guard: collected to assert there is none.
  const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) });
  sandbox = await startDouble(amazonDouble, { logger });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.state.reset());
afterEach(() => expect(errors).toEqual([]));

async function lwaToken(): Promise<string> {
  const { clientId, clientSecret, refreshToken } = SANDBOX_AMAZON_CREDENTIALS;
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: clientId,
    client_secret: clientSecret,
  });
  const res = await fetch(`${sandbox.baseUrl}/auth/o2/token`, { method: 'POST', body: form });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function call(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sandbox.baseUrl}${path}`, {
    method,
    headers: { 'x-amz-access-token': token, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function place(order: Record<string, unknown> = {}) {
  const res = await fetch(`${sandbox.baseUrl.replace(/\/amazon$/, '')}/_admin/amazon/orders`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ items: [{ sellerSku: 'SKU-1', quantity: 2, itemPrice: 200 }], address: ISTANBUL, ...order }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { amazonOrderId: string; items: { orderItemId: string }[] };
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

describe("Amazon's sandbox cases", () => {
  const cases = loadStaticCases();

  test('all 18 are read from spec/examples', () => expect(cases).toHaveLength(18));

  test.each(cases.map((c, i) => [`${c.operationId} ${c.status} #${i}`, c] as const))('%s replays', async (_name, c) => {
    const token = await lwaToken();
    const { method, path } = OPERATIONS[c.operationId];
    const { orderId, body, ...query } = c.parameters;
    // updateShipmentStatus's cases name no orderId (a required path parameter): one placed here stands in.
    const id = typeof orderId === 'string' ? orderId : (await place()).amazonOrderId;
    // Its 204 case names no body either, which the definition requires: the smallest valid one stands in.
    const sent =
      body ??
      (c.operationId === 'updateShipmentStatus' ? { marketplaceId: TURKEY_MARKETPLACE_ID, shipmentStatus: 'ReadyForPickup' } : undefined);
    const search = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(',') : String(v)]),
    );
    const target = `${path.replace('{orderId}', encodeURIComponent(id))}${search.size ? `?${search.toString()}` : ''}`;
    const res = await call(c.operationId === 'getOrderAddress' ? await restrictedToken(token) : token, method, target, sent);
    expect(res.status).toBe(c.status);
    if (c.status === 200) expect(res.body).toEqual(c.response);
    if (c.status >= 400)
      expect(res.body).toEqual({ errors: [expect.objectContaining({ code: expect.any(String), message: expect.any(String) })] });
  });
});

async function restrictedToken(token: string): Promise<string> {
  const res = await call(token, 'POST', '/tokens/2021-03-01/restrictedDataToken', {
    restrictedResources: [{ method: 'GET', path: '/orders/v0/orders/{orderId}/address' }],
  });
  expect(res.status).toBe(200);
  return res.body!.restrictedDataToken as string;
}

describe('requests the definition refuses', () => {
  test("a missing required parameter gets Amazon's error shape naming it", async () => {
    const res = await call(await lwaToken(), 'GET', `/orders/v0/orders?LastUpdatedAfter=${minutesAgo(60)}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ code: 'InvalidInput', message: expect.stringContaining('MarketplaceIds') }] });
  });

  test('a confirmShipment body with a field Amazon does not define is refused, the field named', async () => {
    const { amazonOrderId, items } = await place();
    const res = await call(await lwaToken(), 'POST', `/orders/v0/orders/${amazonOrderId}/shipmentConfirmation`, {
      marketplaceId: TURKEY_MARKETPLACE_ID,
      packageDetail: {
        packageReferenceId: '1',
        carrierCode: 'Other',
        trackingNumber: 'T1',
        shipDate: new Date().toISOString(),
        orderItems: [{ orderItemId: items[0].orderItemId, quantity: 2, qty: 2 }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body!.errors[0].message).toContain('packageDetail.orderItems.0.qty');
  });

  test('a window ending less than two minutes ago is refused', async () => {
    const res = await call(
      await lwaToken(),
      'GET',
      `/orders/v0/orders?MarketplaceIds=${TURKEY_MARKETPLACE_ID}&LastUpdatedAfter=${minutesAgo(60)}&LastUpdatedBefore=${minutesAgo(1)}`,
    );
    expect(res.status).toBe(400);
    expect(res.body!.errors[0]).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('two minutes') });
  });

  test('no access token: 403 Unauthorized', async () => {
    const res = await call(
      'not-a-token',
      'GET',
      `/orders/v0/orders?MarketplaceIds=${TURKEY_MARKETPLACE_ID}&LastUpdatedAfter=${minutesAgo(60)}`,
    );
    expect(res.status).toBe(403);
    expect(res.body!.errors[0].code).toBe('Unauthorized');
  });
});

describe('orders placed in the double', () => {
  test('getOrders pages with NextToken, oldest update first, MFN only when asked', async () => {
    const placed = [];
    for (const age of [30, 20, 10]) placed.push((await place({ lastUpdateDate: minutesAgo(age) })).amazonOrderId);
    await place({ fulfillmentChannel: 'AFN', lastUpdateDate: minutesAgo(15) });
    const token = await lwaToken();
    const first = await call(
      token,
      'GET',
      `/orders/v0/orders?MarketplaceIds=${TURKEY_MARKETPLACE_ID}&LastUpdatedAfter=${minutesAgo(60)}&FulfillmentChannels=MFN&MaxResultsPerPage=2`,
    );
    expect(first.status).toBe(200);
    expect(first.body!.payload.Orders.map((o: { AmazonOrderId: string }) => o.AmazonOrderId)).toEqual(placed.slice(0, 2));
    const next = encodeURIComponent(first.body!.payload.NextToken as string);
    const second = await call(token, 'GET', `/orders/v0/orders?MarketplaceIds=${TURKEY_MARKETPLACE_ID}&NextToken=${next}`);
    expect(second.body!.payload.Orders.map((o: { AmazonOrderId: string }) => o.AmazonOrderId)).toEqual(placed.slice(2));
    expect(second.body!.payload.NextToken).toBeUndefined();
  });

  test('items for the access token; the address for a Restricted Data Token only', async () => {
    const { amazonOrderId } = await place();
    const token = await lwaToken();
    const items = await call(token, 'GET', `/orders/v0/orders/${amazonOrderId}/orderItems`);
    expect(items.body!.payload.OrderItems).toEqual([
      expect.objectContaining({ SellerSKU: 'SKU-1', QuantityOrdered: 2, ItemPrice: { CurrencyCode: 'TRY', Amount: '200.00' } }),
    ]);
    expect((await call(token, 'GET', `/orders/v0/orders/${amazonOrderId}/address`)).status).toBe(403);
    const address = await call(await restrictedToken(token), 'GET', `/orders/v0/orders/${amazonOrderId}/address`);
    expect(address.body!.payload.ShippingAddress).toEqual(ISTANBUL);
  });

  test('confirmShipment ships the items once; a repeat answers 204 and is recorded with the rest', async () => {
    const { amazonOrderId, items } = await place();
    const token = await lwaToken();
    const confirm = {
      marketplaceId: TURKEY_MARKETPLACE_ID,
      packageDetail: {
        packageReferenceId: '1',
        carrierCode: 'Other',
        carrierName: 'Yurtiçi Kargo',
        trackingNumber: 'YK123',
        shipDate: new Date().toISOString(),
        orderItems: [{ orderItemId: items[0].orderItemId, quantity: 2 }],
      },
    };
    const path = `/orders/v0/orders/${amazonOrderId}/shipmentConfirmation`;
    expect((await call(token, 'POST', path, confirm)).status).toBe(204);
    expect((await call(token, 'POST', path, confirm)).status).toBe(204);
    expect((await call(token, 'GET', `/orders/v0/orders/${amazonOrderId}`)).body!.payload.OrderStatus).toBe('Shipped');
    expect(sandbox.state.pushes.map((p) => [p.operation, p.orderId, p.status])).toEqual([
      ['confirmShipment', amazonOrderId, 204],
      ['confirmShipment', amazonOrderId, 204],
    ]);
  });

  test('confirmShipment refuses a packageReferenceId that is not a positive number, and "Other" without a carrier name', async () => {
    const { amazonOrderId, items } = await place();
    const token = await lwaToken();
    const path = `/orders/v0/orders/${amazonOrderId}/shipmentConfirmation`;
    const confirm = (detail: Record<string, unknown>) => ({
      marketplaceId: TURKEY_MARKETPLACE_ID,
      packageDetail: {
        packageReferenceId: '1',
        carrierCode: 'Other',
        carrierName: 'Aras Kargo',
        trackingNumber: 'AR1',
        shipDate: new Date().toISOString(),
        orderItems: [{ orderItemId: items[0].orderItemId, quantity: 1 }],
        ...detail,
      },
    });
    const byId = await call(token, 'POST', path, confirm({ packageReferenceId: 'shipment-1' }));
    expect(byId.status).toBe(400);
    expect(byId.body!.errors[0].message).toMatch(/packageReferenceId/);
    const unnamed = await call(token, 'POST', path, confirm({ carrierName: undefined }));
    expect(unnamed.status).toBe(400);
    expect(unnamed.body!.errors[0].message).toMatch(/carrierName/);
    expect((await call(token, 'GET', `/orders/v0/orders/${amazonOrderId}`)).body!.payload.OrderStatus).toBe('Unshipped');
  });
});

describe('rate limits and faults', () => {
  test("past the bucket's burst: 429 QuotaExceeded with the published rate", async () => {
    const token = await lwaToken();
    const path = `/orders/v0/orders?MarketplaceIds=${TURKEY_MARKETPLACE_ID}&LastUpdatedAfter=${minutesAgo(60)}`;
    for (let i = 0; i < 20; i++) expect((await call(token, 'GET', path)).status).toBe(200);
    const throttled = await call(token, 'GET', path);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-amzn-RateLimit-Limit')).toBe('0.0167');
    expect(throttled.body).toEqual({ errors: [{ code: 'QuotaExceeded', message: expect.any(String) }] });
  });

  test("an injected 503 is answered in Amazon's shape", async () => {
    const admin = `${sandbox.baseUrl.replace(/\/amazon$/, '')}/_admin/amazon/faults`;
    const body = JSON.stringify({ kind: 'down', on: ['getOrderItems'], times: 1 });
    expect((await fetch(admin, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).status).toBe(201);
    const { amazonOrderId } = await place();
    const token = await lwaToken();
    const down = await call(token, 'GET', `/orders/v0/orders/${amazonOrderId}/orderItems`);
    expect(down).toMatchObject({ status: 503, body: { errors: [{ code: 'ServiceUnavailable', message: expect.any(String) }] } });
    expect((await call(token, 'GET', `/orders/v0/orders/${amazonOrderId}/orderItems`)).status).toBe(200);
  });
});
