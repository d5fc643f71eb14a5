// Starting an order's workflow, once: shared by every door an order comes in through (the OMS's
// POST /v1/orders and the storefront webhooks), so all of them answer resends the same way.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { OrderStart } from '../domain/order';
import { fingerprint } from '../lib/fingerprint';
import { ORDER_TASK_QUEUE, orderWorkflowId, searchAttributes } from '../workflows/definitions';
import type { orderWorkflow } from '../workflows/order';
import { HttpError } from './errors';

/** Memo key holding the fingerprint of the body that started the workflow. */
const FINGERPRINT_MEMO = 'requestFingerprint';

/** Starts the order once. A resend of the same body is answered like the first call; a different body under the same id is a conflict. */
export async function startOrder(client: Client, order: OrderStart): Promise<{ created: boolean }> {
  const workflowId = orderWorkflowId(order.orderId);
  const requestFingerprint = fingerprint(order);
  try {
    await client.workflow.start<typeof orderWorkflow>('orderWorkflow', {
      workflowId,
      taskQueue: ORDER_TASK_QUEUE,
      args: [order],
      // An order id is used once, even after its workflow closed.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      memo: { [FINGERPRINT_MEMO]: requestFingerprint },
      typedSearchAttributes: [
        { key: searchAttributes.SalesChannel, value: order.channel },
        { key: searchAttributes.OrderStatus, value: 'received' },
      ],
      staticSummary: `Order ${order.orderId} from ${order.channel}: ${order.lines.length} line(s), ${order.service}`,
    });
    return { created: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  const existing = await client.workflow.getHandle(workflowId).describe();
  if (existing.memo?.[FINGERPRINT_MEMO] !== requestFingerprint) {
    throw new HttpError(409, 'order_conflict', `order ${order.orderId} exists with a different body`);
  }
  return { created: false };
}

/** What a started (202) or resent (200) order is answered with. */
export function startedOrderBody(orderId: string, created: boolean) {
  return {
    orderId,
    workflowId: orderWorkflowId(orderId),
    status: created ? 'received' : 'duplicate',
    links: { self: `/v1/orders/${encodeURIComponent(orderId)}` },
  };
}
