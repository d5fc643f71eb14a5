// The order workflow under Temporal's time-skipping test server, with its activities
// writing to the real PostgreSQL test database.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createPool } from '../../lib/db';
import { createOrderWorker } from '../../workers/order-worker';
import { orderWorkflow } from '../../workflows/order';
import { orderWorkflowId, statusQuery } from '../../workflows/definitions';
import { TEST_DATABASE_URL } from '../helpers/env';
import { sampleOrder } from '../helpers/orders';
import { bundleWorkflows, startTimeSkippingEnv } from '../helpers/time-skipping';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let pool: Pool;

beforeAll(async () => {
  [env, bundle] = await Promise.all([startTimeSkippingEnv(), bundleWorkflows()]);
  pool = createPool(TEST_DATABASE_URL);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await env?.teardown();
});

const DAY_MS = 24 * 60 * 60 * 1000;

test('an accepted order stays open through its 14-day return window, then closes, without waiting 14 real days', async () => {
  const taskQueue = 'order-lifecycle';
  const worker = await createOrderWorker({ connection: env.nativeConnection, pool, taskQueue, workflowBundle: bundle });
  const order = sampleOrder();

  const startedAt = Date.now();
  const result = await worker.runUntil(
    env.client.workflow.execute(orderWorkflow, { taskQueue, workflowId: orderWorkflowId(order.orderId), args: [order] }),
  );
  const wallMs = Date.now() - startedAt;

  expect(result.history.map((h) => h.status)).toEqual(['received', 'accepted', 'closed']);
  const [, accepted, closed] = result.history.map((h) => Date.parse(h.at));
  const workflowDays = (closed - accepted) / DAY_MS;
  expect(workflowDays).toBeCloseTo(14, 2);
  // Time skipping at work: two weeks of workflow time pass in seconds of wall time.
  expect(wallMs).toBeLessThan(30_000);
  console.log(`14-day return window: ${workflowDays.toFixed(1)} workflow days in ${wallMs} ms of wall time`);

  const { rows } = await pool.query('SELECT status FROM orders WHERE order_id = $1', [order.orderId]);
  expect(rows).toEqual([{ status: 'closed' }]);
  const history = await pool.query('SELECT status FROM order_status_history WHERE order_id = $1 ORDER BY seq', [order.orderId]);
  expect(history.rows.map((r) => r.status)).toEqual(['received', 'accepted', 'closed']);
});

test('the status query shows an open order while it waits', async () => {
  const taskQueue = 'order-query';
  const worker = await createOrderWorker({ connection: env.nativeConnection, pool, taskQueue, workflowBundle: bundle });
  const order = sampleOrder({ channel: 'trendyol' });

  const view = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(orderWorkflow, { taskQueue, workflowId: orderWorkflowId(order.orderId), args: [order] });
    await env.sleep('1 day'); // inside the return window
    const view = await handle.query(statusQuery);
    await handle.terminate('test done');
    return view;
  });

  expect(view).toMatchObject({ orderId: order.orderId, channel: 'trendyol', status: 'accepted', lines: order.lines });
});
