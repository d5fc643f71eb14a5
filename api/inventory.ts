// WMS stock sync. A rise in stock (only a rise) wakes the orders backordered on that SKU, which then try
// to allocate again (the workflow decides; the API only tells them).
import { Router } from 'express';
import { z } from 'zod';
import { text } from '../domain/order';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger';
import { orderWorkflowId, stockReplenishedSignal } from '../workflows/definitions';
import { HttpError } from './errors';
import { parse } from './validation';

export const StockParams = z.object({
  warehouseId: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'must be 1-32 characters of A-Z a-z 0-9 . _ -'),
  sku: text(64),
});
export const StockBody = z.object({ onHand: z.number().int().min(0).max(10_000_000) });
export const StockQuery = z.object({ sku: text(64) });

/** Units of a SKU in a warehouse, as `inventory` holds them (integers). */
interface StockRow {
  on_hand: number;
  reserved: number;
}

export function inventoryRouter({ client, pool, logger }: { client: Client; pool: Pool; logger: Logger }): Router {
  const router = Router();

  router.put('/:warehouseId/:sku', async (req, res) => {
    const { warehouseId, sku } = parse(StockParams, req.params, 'path');
    const { onHand } = parse(StockBody, req.body);
    const warehouse = await pool.query('SELECT 1 FROM warehouses WHERE warehouse_id = $1', [warehouseId]);
    if (warehouse.rowCount === 0) throw new HttpError(404, 'warehouse_not_found', `no warehouse ${warehouseId}`);
    // `before` reads the row as it was (the statement's snapshot), so the answer says whether stock rose.
    const { rows } = await pool.query<StockRow & { previous: number | null }>(
      `WITH before AS (SELECT on_hand FROM inventory WHERE warehouse_id = $1 AND sku = $2)
       INSERT INTO inventory (warehouse_id, sku, on_hand) VALUES ($1, $2, $3)
       ON CONFLICT (warehouse_id, sku) DO UPDATE SET on_hand = $3, updated_at = now() WHERE inventory.reserved <= $3
       RETURNING on_hand, reserved, (SELECT on_hand FROM before) AS previous`,
      [warehouseId, sku, onHand],
    );
    if (rows.length === 0) throw new HttpError(409, 'below_reserved', `on hand cannot drop below the ${sku} units reserved for orders`);
    // Only a rise can let a backordered order allocate: a WMS resending its count, or a fall, wakes nobody.
    const rose = rows[0].on_hand > (rows[0].previous ?? 0);
    const woken = rose ? await wakeBackorders(sku) : 0;
    res.json({
      warehouseId,
      sku,
      onHand: rows[0].on_hand,
      reserved: rows[0].reserved,
      available: rows[0].on_hand - rows[0].reserved,
      backordersWoken: woken,
    });
  });

  router.get('/', async (req, res) => {
    const { sku } = parse(StockQuery, req.query, 'query');
    const { rows } = await pool.query<StockRow & { warehouse_id: string }>(
      'SELECT warehouse_id, on_hand, reserved FROM inventory WHERE sku = $1 ORDER BY warehouse_id',
      [sku],
    );
    res.json({
      sku,
      warehouses: rows.map((r) => ({
        warehouseId: r.warehouse_id,
        onHand: r.on_hand,
        reserved: r.reserved,
        available: r.on_hand - r.reserved,
      })),
    });
  });

  /** Signals every order waiting for this SKU; one that has moved on meanwhile ignores it. */
  async function wakeBackorders(sku: string): Promise<number> {
    const { rows } = await pool.query<{ order_id: string }>(
      // 'received' too: an order may be between its allocation attempt and recording backordered.
      `SELECT DISTINCT o.order_id FROM orders o JOIN order_lines l USING (order_id) WHERE o.status IN ('received', 'backordered') AND l.sku = $1`,
      [sku],
    );
    const results = await Promise.allSettled(
      rows.map((r) => client.workflow.getHandle(orderWorkflowId(r.order_id)).signal(stockReplenishedSignal)),
    );
    const failed = results.filter((r) => r.status === 'rejected').length;
    if (failed > 0) logger.warn({ sku, failed }, 'some backordered orders could not be woken');
    return results.length - failed;
  }

  return router;
}
