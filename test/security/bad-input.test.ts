// Hand-picked hostile and odd input to POST /v1/orders, through the app wired to the real dev
// server, a worker and PostgreSQL: each is refused with the field named, or stored exactly as sent.
import type { OrderInput } from '../../domain/order';
import { eventually, startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { MemoryCarrier } from '../helpers/memory-carrier';
import { sampleOrder } from '../helpers/orders';
import { stockedOrder } from '../helpers/stock';

let harness: ApiHarness;
const cargo = new MemoryCarrier('cargo', 50);

beforeAll(async () => {
  harness = await startApiHarness([cargo]);
}, 120_000);

afterAll(() => harness?.stop());

async function refused(order: unknown): Promise<string[]> {
  const res = await harness.api.post('/v1/orders').set('Content-Type', 'application/json').send(JSON.stringify(order)).expect(400);
  expect(res.body.error).toBe('validation_failed');
  return res.body.issues.map((i: { path: string }) => i.path);
}

const yesterdayButOne = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);

test.each([
  ['a quantity beyond any warehouse', { lines: [{ sku: 'MUG-WHITE', quantity: 1e12 }] }, 'lines.0.quantity'],
  ['a fractional quantity', { lines: [{ sku: 'MUG-WHITE', quantity: 1.5 }] }, 'lines.0.quantity'],
  ['a negative price', { lines: [{ sku: 'MUG-WHITE', quantity: 1, unitPrice: -10 }] }, 'lines.0.unitPrice'],
  ['a negative cash-on-delivery amount', { cashOnDelivery: { amount: -5, currency: 'TRY' } }, 'cashOnDelivery.amount'],
  ['501 lines', { lines: Array.from({ length: 501 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 })) }, 'lines'],
  ['a promised date in the past', { promisedDeliveryDate: yesterdayButOne }, 'promisedDeliveryDate'],
  [
    'a country that is not ISO',
    { shippingAddress: { ...sampleOrder().shippingAddress, countryCode: 'Türkiye' } },
    'shippingAddress.countryCode',
  ],
  ['an order id with a slash', { orderId: '../etc/passwd' }, 'orderId'],
  // Issue 18, finding 9: each is valid JSON the database cannot hold (numeric(12,2), NUL in text and jsonb).
  ['a unit price over numeric(12,2)', { lines: [{ sku: 'MUG-WHITE', quantity: 1, unitPrice: 1e10 }] }, 'lines.0.unitPrice'],
  ['a unit price in fractions of a cent', { lines: [{ sku: 'MUG-WHITE', quantity: 1, unitPrice: 0.001 }] }, 'lines.0.unitPrice'],
  [
    'a cash-on-delivery amount over numeric(12,2)',
    { cashOnDelivery: { amount: 12_345_678_901.5, currency: 'TRY' } },
    'cashOnDelivery.amount',
  ],
  // Issue 19: cash or card at the door; before the field existed, an unknown type was dropped without a word.
  [
    'a cash-on-delivery collection type other than cash or card',
    { cashOnDelivery: { amount: 100, currency: 'TRY', collectionType: 'cheque' } },
    'cashOnDelivery.collectionType',
  ],
  ['a NUL in the customer name', { customer: { ...sampleOrder().customer, name: 'Ayşe\u0000' } }, 'customer.name'],
  ['a NUL in a SKU', { lines: [{ sku: 'MUG\u0000', quantity: 1 }] }, 'lines.0.sku'],
  ['a name of spaces only', { shippingAddress: { ...sampleOrder().shippingAddress, name: ' \u3000 ' } }, 'shippingAddress.name'],
] as const)('%s is refused, naming the field', async (_what, change, field) => {
  expect(await refused({ ...sampleOrder(), ...change })).toContain(field);
});

test('amounts at the limit of numeric(12,2) are taken and stored to the cent (issue 18, finding 9)', async () => {
  const { order: base } = await stockedOrder(harness.pool);
  const order: OrderInput = {
    ...base,
    lines: base.lines.map((l) => ({ ...l, unitPrice: 9_999_999_999.99 })),
    cashOnDelivery: { amount: 9_999_999_999.99, currency: 'TRY' },
  };
  await harness.api.post('/v1/orders').send(order).expect(202);
  const { rows } = await eventually(
    () => harness.pool.query('SELECT unit_price FROM order_lines WHERE order_id = $1', [order.orderId]),
    (r) => r.rows.length > 0,
  );
  expect(rows.map((r) => r.unit_price)).toEqual(base.lines.map(() => '9999999999.99'));
  await harness.client.workflow.getHandle(`order-${order.orderId}`).terminate('test done');
});

test.each([
  ['a cancel reason', (api: ApiHarness['api']) => api.post('/v1/orders/NO-SUCH-ORDER/cancel').send({ reason: 'x\u0000' }), 'reason'],
  ['a stock SKU', (api: ApiHarness['api']) => api.get('/v1/inventory').query({ sku: 'MUG\u0000' }), 'sku'],
  ['an order list filter', (api: ApiHarness['api']) => api.get('/v1/orders').query({ channel: 'shop\u0000' }), 'channel'],
] as const)('a NUL in %s is a 400 naming the field, not a database error (issue 18, finding 9)', async (_what, send, field) => {
  const res = await send(harness.api);
  expect([res.status, res.body.issues?.map((i: { path: string }) => i.path)]).toEqual([400, [field]]);
});

test('deeply nested JSON is refused as a bad body, not a crash', async () => {
  const deep = '['.repeat(30_000) + ']'.repeat(30_000); // 60 KB: inside a single order's 64 KB limit
  const res = await harness.api.post('/v1/orders').set('Content-Type', 'application/json').send(deep);
  expect(res.status).toBe(400);
  expect(res.body.error).toMatch(/^(validation_failed|invalid_json)$/);
});

test('Turkish letters, other scripts and SQL metacharacters are stored and booked exactly as sent', async () => {
  const { order: base } = await stockedOrder(harness.pool);
  const name = "Çağrı Öztürk-İşçi'); DROP TABLE orders;-- 李雷 😀";
  const order: OrderInput = {
    ...base,
    customer: { ...base.customer, name },
    shippingAddress: { ...base.shippingAddress, name, line1: 'Gül Sk. No:5 %_\\ "quoted"', district: 'Üsküdar', city: 'İstanbul' },
  };
  await harness.api.post('/v1/orders').send(order).expect(202);
  const { rows } = await eventually(
    () => harness.pool.query('SELECT request FROM orders WHERE order_id = $1', [order.orderId]),
    (r) => r.rows.length === 1,
  );
  expect(rows[0].request.customer.name).toBe(name);
  expect(rows[0].request.shippingAddress).toEqual(order.shippingAddress);
  // …and reach the carrier's booking intact (the label is printed from it).
  await eventually(
    () => harness.api.get(`/v1/orders/${order.orderId}`),
    (r) => r.body.status === 'labelled',
  );
  const booked = cargo.requests.find((r) => r.orderId === order.orderId);
  expect(booked?.to).toMatchObject({ name, line1: order.shippingAddress.line1, district: 'Üsküdar', city: 'İstanbul' });
  await harness.client.workflow.getHandle(`order-${order.orderId}`).terminate('test done');
});
