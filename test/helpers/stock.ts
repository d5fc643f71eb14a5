// Warehouses and stock for a test, under names no other test or run uses.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { OrderInput } from '../../domain/order';
import { sampleOrder } from './orders';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createWarehouse(pool: Pool, options: { priority?: number; manualPacking?: boolean } = {}): Promise<string> {
  const id = uniqueName('WH');
  await pool.query(
    `INSERT INTO warehouses (warehouse_id, name, city, country_code, priority, manual_packing) VALUES ($1, $1, 'İstanbul', 'TR', $2, $3)`,
    [id, options.priority ?? 100, options.manualPacking ?? false],
  );
  return id;
}

export async function setStock(pool: Pool, warehouseId: string, sku: string, onHand: number): Promise<void> {
  await pool.query(
    `INSERT INTO inventory (warehouse_id, sku, on_hand) VALUES ($1, $2, $3)
     ON CONFLICT (warehouse_id, sku) DO UPDATE SET on_hand = $3`,
    [warehouseId, sku, onHand],
  );
}

export async function stockOf(pool: Pool, warehouseId: string, sku: string): Promise<{ onHand: number; reserved: number }> {
  const { rows } = await pool.query('SELECT on_hand, reserved FROM inventory WHERE warehouse_id = $1 AND sku = $2', [warehouseId, sku]);
  return { onHand: rows[0].on_hand, reserved: rows[0].reserved };
}

/** A warehouse stocked with fresh SKUs, and an order for them. */
export async function stockedOrder(
  pool: Pool,
  lines: { quantity: number; stock: number }[] = [{ quantity: 2, stock: 10 }],
  overrides: Partial<OrderInput> = {},
) {
  const warehouseId = await createWarehouse(pool);
  const skus = lines.map(() => uniqueName('SKU'));
  for (const [i, { stock }] of lines.entries()) await setStock(pool, warehouseId, skus[i], stock);
  const order = sampleOrder({ lines: lines.map(({ quantity }, i) => ({ sku: skus[i], quantity })), ...overrides });
  return { warehouseId, skus, order };
}
