// Issue 18, finding 9: an order's update calls (cancel, shipping address, returns) answer within a
// bounded time whatever the workflow is doing. Here the worst case: the order's workflow takes no
// workflow task at all (its worker is down, or its task keeps failing), so it never even accepts the
// update. Real dev server and PostgreSQL; the order's workflow runs on a task queue nobody polls.
import { randomUUID } from 'node:crypto';
import { authorized, createTestApp, useApiHarness } from '../helpers/api-harness';
import { MemoryCarrier } from '../helpers/memory-carrier';
import { sampleOrder } from '../helpers/orders';
import { orderWorkflowId } from '../../workflows/definitions';

const harness = useApiHarness([new MemoryCarrier('cargo', 50)]);
const WAIT_MS = 2_000;

/** An order whose workflow exists but is never run. */
async function unattendedOrder(): Promise<string> {
  const order = sampleOrder();
  await harness.client.workflow.start('orderWorkflow', {
    taskQueue: `nobody-polls-${randomUUID()}`,
    workflowId: orderWorkflowId(order.orderId),
    args: [order],
  });
  return order.orderId;
}

const calls = [
  ['POST cancel', 'post', 'cancel', { reason: 'customer called' }],
  ['PUT shipping-address', 'put', 'shipping-address', { address: sampleOrder().shippingAddress }],
  ['POST returns', 'post', 'returns', { reason: 'too small' }],
] as const;

test.each(calls)(
  '%s to an order that takes no update answers 504 within the wait, with a JSON error',
  async (_name, method, path, body) => {
    const orderId = await unattendedOrder();
    const api = authorized(createTestApp(harness.client, harness.pool, { updateWaitMs: WAIT_MS, returnLabelWaitMs: WAIT_MS }));
    const started = Date.now();
    const res = await api[method](`/v1/orders/${orderId}/${path}`).send(body);
    expect(Date.now() - started).toBeLessThan(WAIT_MS + 3_000);
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({ error: 'update_not_accepted' });
    expect(res.body.message).toContain(`GET /v1/orders/${orderId}`);
    await harness.client.workflow.getHandle(orderWorkflowId(orderId)).terminate('test done');
  },
  30_000,
);
