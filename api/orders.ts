// /v1/orders: start an order's workflow, read it back, list orders. The API runs no business
// step: it validates, hands the order to Temporal (or reads the records), and answers.
import { Router } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { z } from 'zod';
import { OrderInputSchema, ORDER_ID_PATTERN, ORDER_STATUSES, text, type OrderInput, type OrderView } from '../domain/order';
import { fingerprint } from '../lib/fingerprint';
import { orderWorkflowId, statusQuery } from '../workflows/definitions';
import { HttpError, validationError } from './errors';
import { startedOrderBody, startOrder } from './order-start';
import { withRecordedParcels } from './order-view';
import { SqlConditions } from './sql-conditions';
import { parse } from './validation';

export interface OrdersDeps {
  client: Client;
  pool: Pool;
}

export const OrderIdParams = z.object({ orderId: z.string().regex(ORDER_ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 . _ -') });

export const IdempotencyKeyHeader = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 visible ASCII characters')
  .optional();

export const BatchBody = z.object({ orders: z.array(z.unknown()).min(1).max(500) });
const BATCH_CONCURRENCY = 20;

// 15 digits of milliseconds reach the year 33658, within what Date and timestamptz hold.
const CURSOR_PATTERN = /^\d{1,15}~[A-Za-z0-9._-]{1,64}$/;

export const ListQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  channel: text(32, { min: 0 }).optional(),
  carrier: text(32, { min: 0 }).optional(),
  needsAttention: z.enum(['true', 'false']).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  cursor: z.string().regex(CURSOR_PATTERN, 'use the nextCursor of a previous page').optional().describe("a previous page's nextCursor"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * Keyset pagination: the cursor is the last row's (created_at in epoch milliseconds, order_id),
 * `<ms>~<orderId>`. Every string of that shape reads as a place in the list, so what the published
 * pattern takes the route takes too.
 */
const encodeCursor = (createdAt: Date, orderId: string) => `${createdAt.getTime()}~${orderId}`;
const decodeCursor = (cursor: string): [string, string] => {
  const [ms, orderId] = cursor.split('~');
  return [new Date(Number(ms)).toISOString(), orderId];
};

/** A row of the order list: the order's record and its shipments as json_agg built them (null when none). */
interface OrderListRow {
  order_id: string;
  channel: string;
  status: string;
  service: string;
  created_at: Date;
  updated_at: Date;
  shipments: { shipmentId: string; status: string; carrier: string | null; trackingNumber: string | null }[] | null;
}

export function ordersRouter({ client, pool }: OrdersDeps): Router {
  const router = Router();

  /** A client's Idempotency-Key stands for one order body: reusing it for another is a conflict. */
  async function claimIdempotencyKey(key: string, order: OrderInput): Promise<void> {
    const requestHash = fingerprint(order);
    await pool.query('INSERT INTO api_idempotency_keys (key, order_id, request_hash) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [
      key,
      order.orderId,
      requestHash,
    ]);
    const { rows } = await pool.query<{ order_id: string; request_hash: string }>(
      'SELECT order_id, request_hash FROM api_idempotency_keys WHERE key = $1',
      [key],
    );
    if (rows[0].order_id !== order.orderId || rows[0].request_hash !== requestHash) {
      throw new HttpError(
        409,
        'idempotency_key_reused',
        `Idempotency-Key was used for ${rows[0].order_id === order.orderId ? 'a different body' : 'another order'}`,
      );
    }
  }

  router.post('/', async (req, res) => {
    const key = parse(IdempotencyKeyHeader, req.headers['idempotency-key'], 'Idempotency-Key');
    const order = parse(OrderInputSchema, req.body);
    if (key) await claimIdempotencyKey(key, order);
    const { created } = await startOrder(client, order);
    res.status(created ? 202 : 200).json(startedOrderBody(order.orderId, created));
  });

  /** One batch item's outcome: a bad or conflicting order never sinks the others. */
  async function startBatchItem(item: unknown, index: number): Promise<Record<string, unknown>> {
    const parsed = OrderInputSchema.safeParse(item);
    if (!parsed.success) {
      const orderId = (item as { orderId?: unknown } | null)?.orderId;
      return {
        index,
        orderId: typeof orderId === 'string' ? orderId : null,
        result: 'invalid',
        issues: validationError(parsed.error).details.issues,
      };
    }
    try {
      const { created } = await startOrder(client, parsed.data);
      return {
        index,
        orderId: parsed.data.orderId,
        result: created ? 'created' : 'duplicate',
        workflowId: orderWorkflowId(parsed.data.orderId),
      };
    } catch (err) {
      if (err instanceof HttpError)
        return { index, orderId: parsed.data.orderId, result: 'rejected', error: err.code, message: err.message };
      throw err;
    }
  }

  router.post('/batch', async (req, res) => {
    const { orders } = parse(BatchBody, req.body);
    const results: Record<string, unknown>[] = [];
    // A few at a time: 500 orders must not open 500 calls to Temporal at once.
    for (let i = 0; i < orders.length; i += BATCH_CONCURRENCY) {
      results.push(...(await Promise.all(orders.slice(i, i + BATCH_CONCURRENCY).map((item, j) => startBatchItem(item, i + j)))));
    }
    const count = (result: string) => results.filter((r) => r.result === result).length;
    res.json({
      summary: { created: count('created'), duplicate: count('duplicate'), invalid: count('invalid'), rejected: count('rejected') },
      results,
    });
  });

  router.get('/', async (req, res) => {
    const q = parse(ListQuery, req.query, 'query');
    const filter = new SqlConditions();
    if (q.status) filter.add('o.status = ?', q.status);
    if (q.channel) filter.add('o.channel = ?', q.channel);
    if (q.carrier) filter.add('EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.order_id AND s.carrier = ?)', q.carrier);
    if (q.needsAttention) filter.add(`(o.status IN ('needs_attention', 'address_invalid')) = ?`, q.needsAttention === 'true');
    // As Date values: node-postgres writes year 0 as 1 BC, where PostgreSQL refuses the text "0000-01-01".
    if (q.from) filter.add('o.created_at >= ?', new Date(q.from));
    if (q.to) filter.add('o.created_at < ?', new Date(q.to));
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor);
      filter.push(`(o.created_at, o.order_id) < (${filter.param(at)}, ${filter.param(id)})`);
    }
    const { rows } = await pool.query<OrderListRow>(
      `SELECT o.order_id, o.channel, o.status, o.service, o.created_at, o.updated_at,
              (SELECT json_agg(json_build_object('shipmentId', s.shipment_id, 'status', s.status, 'carrier', s.carrier, 'trackingNumber', s.tracking_number) ORDER BY s.shipment_id)
                 FROM shipments s WHERE s.order_id = o.order_id) AS shipments
         FROM orders o ${filter.where()}
        ORDER BY o.created_at DESC, o.order_id DESC LIMIT ${filter.param(q.limit + 1)}`,
      filter.params,
    );
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    res.json({
      orders: page.map((r) => ({
        orderId: r.order_id,
        channel: r.channel,
        status: r.status,
        service: r.service,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        shipments: r.shipments ?? [],
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.created_at, last.order_id) : null,
    });
  });

  router.get('/:orderId', async (req, res) => {
    const { orderId } = parse(OrderIdParams, req.params, 'path');
    try {
      const view: OrderView = await client.workflow.getHandle(orderWorkflowId(orderId)).query(statusQuery);
      res.json(await withRecordedParcels(pool, view));
      return;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    // No workflow (or its history was archived): answer from the business record.
    const { rows } = await pool.query<{ order_id: string; channel: string; status: string }>(
      'SELECT order_id, channel, status FROM orders WHERE order_id = $1',
      [orderId],
    );
    if (rows.length === 0) throw new HttpError(404, 'order_not_found', `no order ${orderId}`);
    res.json({ orderId: rows[0].order_id, channel: rows[0].channel, status: rows[0].status });
  });

  return router;
}
