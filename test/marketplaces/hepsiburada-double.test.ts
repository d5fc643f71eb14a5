// The Hepsiburada double over HTTP: Basic merchantId:serviceKey and the integrator's User-Agent,
// the package listing paged by limit (at most 10) and Offset within a begindate/enddate window,
// intransit as the engine's pushback sends it, the rate limit's 429 and injected faults, all
// answered with bare-string errors as the definition documents them. When the definition has been
// generated (marketplaces/hepsiburada/spec/README.md) every request and reply passes its guard: a
// reply that broke it would arrive as a 500 and an error in the log, which no expectation allows.
import fs from 'node:fs';
import pino from 'pino';
import { startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';
import { placeHepsiburadaPackage } from '../helpers/hepsiburada';
import {
  hepsiburadaDouble,
  HEPSIBURADA_SPEC,
  SANDBOX_HEPSIBURADA_CREDENTIALS as CREDENTIALS,
  type HepsiburadaState,
} from '../../sandbox/marketplaces/hepsiburada';

const MERCHANT = CREDENTIALS.merchantId;
const BASIC = `Basic ${Buffer.from(`${MERCHANT}:${CREDENTIALS.serviceKey}`).toString('base64')}`;
const withSpec = fs.existsSync(HEPSIBURADA_SPEC);

let sandbox: DoubleSandbox<HepsiburadaState>;
const errors: unknown[] = [];

beforeAll(async () => {
  const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) });
  sandbox = await startDouble(hepsiburadaDouble, { logger });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.state.reset();
  sandbox.state.requestsPerMinute = 1_000;
});
afterEach(() => expect(errors).toEqual([]));

async function call(
  path: string,
  { method = 'GET', body, headers = {} }: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${sandbox.baseUrl}${path}`, {
    method,
    headers: {
      Authorization: BASIC,
      'User-Agent': CREDENTIALS.userAgent,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the replies' shapes are what the tests look at
  const reply: any = text ? JSON.parse(text) : undefined;
  return { status: res.status, body: reply };
}

const listing = (query = '') => call(`/packages/merchantid/${MERCHANT}${query}`);
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const place = (createdAt = minutesAgo(10), sku = 'HB-SKU-1') =>
  placeHepsiburadaPackage(sandbox.state, { items: [{ merchantSku: sku, quantity: 2, unitPrice: 150 }], createdAt });

describe('credentials', () => {
  test('Basic merchantId:serviceKey and the integrator in User-Agent open the listing', async () => {
    expect((await listing()).status).toBe(200);
  });

  test('no Basic, a wrong service key, another merchant in the path: 401 with a bare string', async () => {
    const wrongKey = `Basic ${Buffer.from(`${MERCHANT}:wrongkey1234`).toString('base64')}`;
    for (const res of [
      await call(`/packages/merchantid/${MERCHANT}`, { headers: { Authorization: '' } }),
      await call(`/packages/merchantid/${MERCHANT}`, { headers: { Authorization: wrongKey } }),
      await call('/packages/merchantid/another-merchant'),
    ]) {
      expect(res.status).toBe(401);
      expect(typeof res.body).toBe('string');
    }
  });

  test('no User-Agent is a 400, another integrator a 401, both bare strings', async () => {
    const none = await call(`/packages/merchantid/${MERCHANT}`, { headers: { 'User-Agent': '' } });
    expect(none).toEqual({ status: 400, body: expect.stringContaining('User-Agent') });
    const other = await call(`/packages/merchantid/${MERCHANT}`, { headers: { 'User-Agent': 'someone_else' } });
    expect(other).toEqual({ status: 401, body: expect.stringContaining('User-Agent') });
  });
});

describe('the package listing', () => {
  test('twelve packages come ten and two by Offset, oldest first; limit is at most 10 and at least 1', async () => {
    const numbers = Array.from({ length: 12 }, (_, i) => place(minutesAgo(60 - i)).packageNumber);
    const first = await listing('?limit=10&Offset=0');
    const second = await listing('?limit=10&Offset=10');
    expect(first.body.map((p: { packageNumber: string }) => p.packageNumber)).toEqual(numbers.slice(0, 10));
    expect(second.body.map((p: { packageNumber: string }) => p.packageNumber)).toEqual(numbers.slice(10));
    expect((await listing('?limit=50')).body).toHaveLength(10);
    expect((await listing('?limit=0')).status).toBe(400);
  });

  test("begindate and enddate select by the package's making; a package in transit has left the listing", async () => {
    place(minutesAgo(120));
    const inWindow = place(minutesAgo(30));
    const shipped = place(minutesAgo(20));
    sandbox.state.packages.get(shipped.packageNumber)!.status = 'InTransit';
    place(minutesAgo(1));
    const res = await listing(`?begindate=${minutesAgo(60)}&enddate=${minutesAgo(2)}`);
    expect(res.body.map((p: { packageNumber: string }) => p.packageNumber)).toEqual([inWindow.packageNumber]);
    expect((await listing('?begindate=yesterday')).status).toBe(400);
  });

  test("a package carries its lines (merchantSku, unit price) and its order's number; the order holds the delivery address", async () => {
    const placed = place();
    const [pkg] = (await listing()).body;
    expect(pkg).toMatchObject({
      packageNumber: placed.packageNumber,
      status: 'Packaged',
      items: [{ lineItemId: placed.items[0].lineItemId, merchantSku: 'HB-SKU-1', quantity: 2, price: { amount: 150, currency: 'TRY' } }],
    });
    const order = await call(`/orders/merchantid/${MERCHANT}/ordernumber/${pkg.items[0].orderNumber}`);
    expect(order.body.deliveryAddress).toMatchObject({ city: 'Ankara', town: 'Çankaya', postalCode: '06420' });
  });
});

describe('intransit', () => {
  const path = (n: string) => `/packages/merchantid/${MERCHANT}/packagenumber/${n}/intransit`;
  const body = { trackingNumber: 'YK123456', trackingUrl: 'https://track.example/YK123456', shippedDate: new Date().toISOString() };

  test('takes the tracking number once; a repeat answers 200, another number is refused; every call is recorded', async () => {
    const { packageNumber } = place();
    expect(await call(path(packageNumber), { method: 'POST', body })).toEqual({ status: 200, body: 'OK' });
    expect((await call(path(packageNumber), { method: 'POST', body })).status).toBe(200);
    const other = await call(path(packageNumber), { method: 'POST', body: { ...body, trackingNumber: 'YK999' } });
    expect(other).toEqual({ status: 400, body: expect.stringContaining('InTransit') });
    const carriage = await call(`/packages/merchantid/${MERCHANT}/packagenumber/${packageNumber}`);
    expect(carriage.body).toMatchObject({ status: 'InTransit', trackingInfoCode: 'YK123456' });
    expect(sandbox.state.pushes.map((p) => [p.operation, p.packageNumber, p.status])).toEqual([
      ['intransit', packageNumber, 200],
      ['intransit', packageNumber, 200],
      ['intransit', packageNumber, 400],
    ]);
    expect((await listing()).body).toEqual([]);
  });

  test('an unknown package is a 404', async () => {
    expect(await call(path('0000000000'), { method: 'POST', body })).toEqual({ status: 404, body: expect.any(String) });
  });

  (withSpec ? test : test.skip)('a body with a field the definition does not have is refused, the field named', async () => {
    const { packageNumber } = place();
    const res = await call(path(packageNumber), { method: 'POST', body: { ...body, carrier: 'yurtici' } });
    expect(res).toEqual({ status: 400, body: expect.stringContaining('carrier') });
    expect(sandbox.state.packages.get(packageNumber)!.status).toBe('Packaged');
  });
});

describe('deliver and undeliver', () => {
  const path = (n: string, end: string) => `/packages/merchantid/${MERCHANT}/packagenumber/${n}/${end}`;
  const shipped = async () => {
    const { packageNumber } = place();
    const body = { trackingNumber: 'AR1', shippedDate: new Date().toISOString() };
    expect((await call(path(packageNumber, 'intransit'), { method: 'POST', body })).status).toBe(200);
    return packageNumber;
  };

  test('a package in transit is delivered once (a repeat answers 200); one not yet in transit is refused', async () => {
    const packageNumber = await shipped();
    const body = { receivedDate: new Date().toISOString(), receivedBy: 'Mehmet Demir' };
    expect((await call(path(packageNumber, 'deliver'), { method: 'POST', body })).status).toBe(200);
    expect((await call(path(packageNumber, 'deliver'), { method: 'POST', body })).status).toBe(200);
    expect(sandbox.state.packages.get(packageNumber)!.status).toBe('Delivered');
    const waiting = place().packageNumber;
    expect(await call(path(waiting, 'deliver'), { method: 'POST', body })).toEqual({
      status: 400,
      body: expect.stringContaining('Packaged'),
    });
  });

  test('a package in transit can fail delivery, and is then not delivered', async () => {
    const packageNumber = await shipped();
    const body = { undeliveredDate: new Date().toISOString(), undeliveredReason: 'address not found' };
    expect((await call(path(packageNumber, 'undeliver'), { method: 'POST', body })).status).toBe(200);
    expect(sandbox.state.packages.get(packageNumber)!.status).toBe('UnDelivered');
    expect((await call(path(packageNumber, 'deliver'), { method: 'POST', body: { receivedDate: new Date().toISOString() } })).status).toBe(
      400,
    );
    expect(sandbox.state.pushes.map((p) => [p.operation, p.status])).toEqual([
      ['intransit', 200],
      ['undeliver', 200],
      ['deliver', 400],
    ]);
  });
});

describe('rate limit and faults', () => {
  test('past the calls a minute allowed: 429 with a bare string, for the merchant across operations', async () => {
    sandbox.state.requestsPerMinute = 3;
    const { packageNumber } = place();
    expect((await listing()).status).toBe(200);
    expect((await listing()).status).toBe(200);
    expect((await call(`/packages/merchantid/${MERCHANT}/packagenumber/${packageNumber}`)).status).toBe(200);
    expect(await listing()).toEqual({ status: 429, body: expect.any(String) });
  });

  test('an injected 503 is answered as a bare string, then the call goes through', async () => {
    const admin = `${sandbox.baseUrl.replace(/\/hepsiburada$/, '')}/_admin/hepsiburada/faults`;
    const fault = JSON.stringify({ kind: 'down', on: ['listPackages'], times: 1 });
    expect((await fetch(admin, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: fault })).status).toBe(201);
    expect(await listing()).toEqual({ status: 503, body: expect.any(String) });
    expect((await listing()).status).toBe(200);
  });
});
