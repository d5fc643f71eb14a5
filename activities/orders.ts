// Business records of orders in PostgreSQL. Every write is an upsert keyed so that a
// retried activity changes nothing the first attempt already did.
import type { Pool } from 'pg';
import { OrderInputSchema, type OrderInput, type OrderStatus } from '../domain/order';
import { fingerprint } from '../lib/fingerprint';
import { inTransaction } from '../lib/transaction';
import { dataErrorFailure } from './data-errors';

export interface RecordOrderInput {
  order: OrderInput;
  workflowId: string;
  /** When the order reached us (the workflow's start), not when this activity ran. */
  receivedAt: string;
}

export interface RecordStatusInput {
  orderId: string;
  seq: number; // position in the order's status history
  status: OrderStatus;
  at: string;
  reason?: string;
}

export function createOrderActivities(pool: Pool) {
  async function insertOrder({ order, workflowId, receivedAt }: RecordOrderInput): Promise<void> {
    await inTransaction(pool, async (client) => {
      await client.query(
        `INSERT INTO orders (order_id, workflow_id, channel, status, service, request, request_hash, created_at)
         VALUES ($1, $2, $3, 'received', $4, $5, $6, $7)
         ON CONFLICT (order_id) DO NOTHING`,
        [order.orderId, workflowId, order.channel, order.service, order, fingerprint(order), receivedAt],
      );
      await client.query(
        `INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price)
         SELECT $1, line_no, sku, quantity, unit_price
           FROM unnest($2::text[], $3::int[], $4::numeric[]) WITH ORDINALITY AS l(sku, quantity, unit_price, line_no)
         ON CONFLICT (order_id, line_no) DO NOTHING`,
        [order.orderId, order.lines.map((l) => l.sku), order.lines.map((l) => l.quantity), order.lines.map((l) => l.unitPrice ?? null)],
      );
    });
  }

  return {
    async recordOrder({ order, workflowId, receivedAt }: RecordOrderInput): Promise<void> {
      try {
        await insertOrder({ order, workflowId, receivedAt });
      } catch (err) {
        throw dataErrorFailure(err, refusedField(order)) ?? err;
      }
    },

    /** An order whose record the database refused: its id and status only, so lists and resends find it. */
    async recordRejectedOrder({ order, workflowId, receivedAt, reason }: RecordOrderInput & { reason: string }): Promise<void> {
      await inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO orders (order_id, workflow_id, channel, status, service, request, request_hash, created_at)
           VALUES ($1, $2, $3, 'rejected', $4, '{}', $5, $6)
           ON CONFLICT (order_id) DO NOTHING`,
          [order.orderId, workflowId, order.channel, order.service, fingerprint(order), receivedAt],
        );
        await client.query(
          `INSERT INTO order_status_history (order_id, seq, status, reason, at) VALUES ($1, 1, 'rejected', $2, $3) ON CONFLICT DO NOTHING`,
          [order.orderId, reason, receivedAt],
        );
      });
    },

    recordStatus: (change: RecordStatusInput) => recordOrderStatus(pool, change),
  };
}

/** An order's status change. Also written with its parcel's record, when the parcel runs inside the order (activities/shipments.ts). */
export async function recordOrderStatus(pool: Pool, { orderId, seq, status, at, reason }: RecordStatusInput): Promise<void> {
  // One statement: the history row and the current status move together, and an
  // out-of-date retry (a later seq already stored) never rolls the status back.
  await pool.query(
    `WITH change AS (
           INSERT INTO order_status_history (order_id, seq, status, reason, at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (order_id, seq) DO NOTHING
         )
         UPDATE orders SET status = $3, updated_at = now()
          WHERE order_id = $1
            AND NOT EXISTS (SELECT 1 FROM order_status_history WHERE order_id = $1 AND seq > $2)`,
    [orderId, seq, status, reason ?? null, at],
  );
}

/**
 * Which field of the order the database refused, by the schema that carries the database's limits
 * (domain/order.ts): its path and rule, never its value. The promised date's "not in the past" is
 * a rule of intake, not of the database, and by the time of a retry it may no longer hold.
 */
function refusedField(order: OrderInput): string | undefined {
  const issue = OrderInputSchema.safeParse({ ...order, promisedDeliveryDate: undefined }).error?.issues[0];
  return issue && `${issue.path.join('.')} (${issue.message})`;
}
