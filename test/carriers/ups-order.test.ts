// An order end to end with the real UPS adapter talking HTTP to the carrier sandbox, under
// the time-skipping test server: booked, labelled, polled through the sandbox's scans to
// delivery, closed; with a "created but response lost" fault, still one live booking.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Pool } from 'pg';
import request from 'supertest';
import { createUpsAdapter } from '../../activities/carriers/ups';
import { createPool } from '../../lib/db';
import { SANDBOX_UPS_CREDENTIALS } from '../../sandbox/app';
import { startSandbox, type RunningSandbox } from '../../sandbox/main';
import { createOrderWorker } from '../../workers/order-worker';
import { orderWorkflow } from '../../workflows/order';
import { orderWorkflowId, statusQuery } from '../../workflows/definitions';
import { TEST_DATABASE_URL } from '../helpers/env';
import { stockedOrder, uniqueName } from '../helpers/stock';
import { bundleWorkflows, startTimeSkippingEnv } from '../helpers/time-skipping';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let pool: Pool;
let sandbox: RunningSandbox;

beforeAll(async () => {
  [env, bundle, sandbox] = await Promise.all([startTimeSkippingEnv(), bundleWorkflows(), startSandbox({ port: 0 })]);
  pool = createPool(TEST_DATABASE_URL);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await sandbox?.close();
  await env?.teardown();
});

const admin = () => ({
  get: (path: string) => request(sandbox.app).get(`/_admin/ups${path}`),
  post: (path: string, body: object = {}) => request(sandbox.app).post(`/_admin/ups${path}`).send(body),
});

test('an order ships with UPS through the sandbox: one live booking even when the first response is lost, polled to delivery', async () => {
  const ups = createUpsAdapter({ baseUrl: `${sandbox.url}/ups`, ...SANDBOX_UPS_CREDENTIALS, timeoutMs: 5_000 });
  const taskQueue = uniqueName('ups-orders');
  const worker = await createOrderWorker({ connection: env.nativeConnection, pool, carriers: [ups], taskQueue, workflowBundle: bundle });
  const { order } = await stockedOrder(pool);
  await admin().post('/faults', { kind: 'lose-response', on: ['ship'], times: 1 }).expect(201);

  const result = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(orderWorkflow, { taskQueue, workflowId: orderWorkflowId(order.orderId), args: [order] });
    let view = await handle.query(statusQuery);
    for (let i = 0; i < 150 && !view.shipments[0]?.trackingNumber; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = await handle.query(statusQuery);
    }
    const trackingNumber = view.shipments[0].trackingNumber!;
    for (const code of ['P', 'I', 'O', 'D']) await admin().post(`/shipments/${trackingNumber}/advance`, { code }).expect(201);
    return handle.result(); // time skips from poll to poll until the parcel is delivered
  });

  const [shipment] = result.shipments;
  expect(shipment).toMatchObject({ carrier: 'ups', status: 'delivered' });
  expect(shipment.events.map((e) => e.status)).toEqual(['pending', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered']);
  expect(result.status).toBe('closed');
  const { body } = await admin().get('/shipments').expect(200);
  const ours = body.shipments.filter((s: { idempotencyKey: string }) => s.idempotencyKey.startsWith(`${shipment.shipmentId}:`));
  expect(ours).toHaveLength(1); // the retried booking found the first one
}, 90_000);
