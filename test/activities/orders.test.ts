// Order records in the real PostgreSQL test database. Activities are retried, so every
// write must be safe to repeat and must never move an order backwards.
import type { Pool } from 'pg';
import { createOrderActivities } from '../../activities/orders';
import { createPool } from '../../lib/db';
import { TEST_DATABASE_URL } from '../helpers/env';
import { sampleOrder } from '../helpers/orders';

let pool: Pool;
let activities: ReturnType<typeof createOrderActivities>;

beforeAll(() => {
  pool = createPool(TEST_DATABASE_URL);
  activities = createOrderActivities(pool);
});
afterAll(() => pool.end());

test('recording the same order twice (a retried activity) stores it once, lines included', async () => {
  const order = sampleOrder();
  const workflowId = `order-${order.orderId}`;
  const receivedAt = new Date().toISOString();
  await activities.recordOrder({ order, workflowId, receivedAt });
  await activities.recordOrder({ order, workflowId, receivedAt });

  const orders = await pool.query('SELECT channel, status, request FROM orders WHERE order_id = $1', [order.orderId]);
  expect(orders.rows).toEqual([{ channel: 'shopify', status: 'received', request: order }]);
  const lines = await pool.query('SELECT line_no, sku, quantity, unit_price FROM order_lines WHERE order_id = $1 ORDER BY line_no', [
    order.orderId,
  ]);
  expect(lines.rows).toEqual([
    { line_no: 1, sku: 'TSHIRT-RED-M', quantity: 2, unit_price: '199.90' },
    { line_no: 2, sku: 'MUG-WHITE', quantity: 1, unit_price: '89.50' },
  ]);
});

test('a late retry of an earlier status never rolls the order back', async () => {
  const order = sampleOrder();
  await activities.recordOrder({ order, workflowId: `order-${order.orderId}`, receivedAt: new Date().toISOString() });
  const at = new Date().toISOString();
  await activities.recordStatus({ orderId: order.orderId, seq: 1, status: 'received', at });
  await activities.recordStatus({ orderId: order.orderId, seq: 2, status: 'allocated', at });
  await activities.recordStatus({ orderId: order.orderId, seq: 1, status: 'received', at }); // retried late

  const { rows } = await pool.query('SELECT status FROM orders WHERE order_id = $1', [order.orderId]);
  expect(rows[0].status).toBe('allocated');
  const history = await pool.query('SELECT seq, status FROM order_status_history WHERE order_id = $1 ORDER BY seq', [order.orderId]);
  expect(history.rows).toEqual([
    { seq: 1, status: 'received' },
    { seq: 2, status: 'allocated' },
  ]);
});
