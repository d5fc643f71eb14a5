// /v1/orders: start an order's workflow and read it back. The API runs no business step:
// it validates, hands the order to Temporal, and answers.
import { Router } from 'express';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import type { Pool } from 'pg';
import { OrderInputSchema, ORDER_ID_PATTERN, type OrderInput, type OrderView } from '../domain/order';
import { fingerprint } from '../domain/fingerprint';
import { ORDER_TASK_QUEUE, orderWorkflowId, searchAttributes, statusQuery } from '../workflows/definitions';
import type { orderWorkflow } from '../workflows/order';
import { HttpError, validationError } from './errors';

export interface OrdersDeps {
  client: Client;
  pool: Pool;
}

/** Memo key holding the fingerprint of the body that started the workflow. */
const FINGERPRINT_MEMO = 'requestFingerprint';

function links(orderId: string) {
  return { self: `/v1/orders/${encodeURIComponent(orderId)}` };
}

function parseOrderId(raw: string): string {
  if (!ORDER_ID_PATTERN.test(raw)) {
    throw new HttpError(400, 'validation_failed', 'invalid orderId in path', {
      issues: [{ path: 'orderId', message: 'must be 1-64 characters of A-Z a-z 0-9 . _ -' }],
    });
  }
  return raw;
}

export function ordersRouter({ client, pool }: OrdersDeps): Router {
  const router = Router();

  /** Starts the order once. A resend of the same body is answered like the first call; a different body under the same id is a conflict. */
  async function startOrder(order: OrderInput): Promise<{ created: boolean }> {
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

  router.post('/', async (req, res) => {
    const parsed = OrderInputSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const order = parsed.data;
    const { created } = await startOrder(order);
    res.status(created ? 202 : 200).json({
      orderId: order.orderId,
      workflowId: orderWorkflowId(order.orderId),
      status: created ? 'received' : 'duplicate',
      links: links(order.orderId),
    });
  });

  router.get('/:orderId', async (req, res) => {
    const orderId = parseOrderId(req.params.orderId);
    try {
      const view: OrderView = await client.workflow.getHandle(orderWorkflowId(orderId)).query(statusQuery);
      res.json(view);
      return;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    // No workflow (or its history was archived): answer from the business record.
    const { rows } = await pool.query('SELECT order_id, channel, status FROM orders WHERE order_id = $1', [orderId]);
    if (rows.length === 0) throw new HttpError(404, 'order_not_found', `no order ${orderId}`);
    res.json({ orderId: rows[0].order_id, channel: rows[0].channel, status: rows[0].status });
  });

  return router;
}
