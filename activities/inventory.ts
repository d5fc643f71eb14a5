// Stock reservation in PostgreSQL. Allocation locks the inventory rows it reads, so two
// orders racing for the last unit never both get it; reservations are keyed by order, so
// a retried allocation returns what the first attempt reserved.
import type { Pool, PoolClient } from 'pg';
import type { OrderLine } from '../domain/order';
import type { Allocation } from '../domain/shipment';
import { inTransaction } from '../lib/transaction';

export type AllocationResult =
  { status: 'allocated'; allocations: Allocation[] } | { status: 'backordered'; missing: { sku: string; short: number }[] };

interface StockRow {
  warehouse_id: string;
  sku: string;
  available: number;
  priority: number;
}

/** Units wanted per SKU (an order may list a SKU on several lines). */
function demandBySku(lines: Pick<OrderLine, 'sku' | 'quantity'>[]): Map<string, number> {
  const demand = new Map<string, number>();
  for (const { sku, quantity } of lines) demand.set(sku, (demand.get(sku) ?? 0) + quantity);
  return demand;
}

/** Warehouses in shipping preference, each with what it can give of each SKU. */
function stockByWarehouse(rows: StockRow[]): Map<string, Map<string, number>> {
  const byWarehouse = new Map<string, Map<string, number>>();
  const ordered = [...rows].sort((a, b) => a.priority - b.priority || a.warehouse_id.localeCompare(b.warehouse_id));
  for (const row of ordered) {
    if (!byWarehouse.has(row.warehouse_id)) byWarehouse.set(row.warehouse_id, new Map());
    byWarehouse.get(row.warehouse_id)!.set(row.sku, row.available);
  }
  return byWarehouse;
}

/**
 * One warehouse that can ship everything, when there is one (one parcel, one carrier fee);
 * otherwise each SKU is taken from the preferred warehouses first. Undefined when stock is short.
 */
export function planAllocation(demand: Map<string, number>, stock: Map<string, Map<string, number>>): Allocation[] | undefined {
  for (const [warehouseId, skus] of stock) {
    if ([...demand].every(([sku, qty]) => (skus.get(sku) ?? 0) >= qty)) {
      return [{ warehouseId, lines: [...demand].map(([sku, quantity]) => ({ sku, quantity })) }];
    }
  }
  const split = new Map<string, Allocation['lines']>();
  for (const [sku, wanted] of demand) {
    let remaining = wanted;
    for (const [warehouseId, skus] of stock) {
      const take = Math.min(remaining, skus.get(sku) ?? 0);
      if (take <= 0) continue;
      split.set(warehouseId, [...(split.get(warehouseId) ?? []), { sku, quantity: take }]);
      remaining -= take;
      if (remaining === 0) break;
    }
    if (remaining > 0) return undefined;
  }
  // Keep the warehouses' preference order.
  return [...stock.keys()].filter((id) => split.has(id)).map((warehouseId) => ({ warehouseId, lines: split.get(warehouseId)! }));
}

async function heldReservations(client: PoolClient, orderId: string): Promise<Allocation[]> {
  const { rows } = await client.query<{ warehouse_id: string; sku: string; quantity: number }>(
    `SELECT r.warehouse_id, r.sku, r.quantity FROM reservations r JOIN warehouses w USING (warehouse_id)
      WHERE r.order_id = $1 AND r.state = 'held' ORDER BY w.priority, r.warehouse_id, r.sku`,
    [orderId],
  );
  const byWarehouse = new Map<string, Allocation['lines']>();
  for (const r of rows) byWarehouse.set(r.warehouse_id, [...(byWarehouse.get(r.warehouse_id) ?? []), { sku: r.sku, quantity: r.quantity }]);
  return [...byWarehouse].map(([warehouseId, lines]) => ({ warehouseId, lines }));
}

export function createInventoryActivities(pool: Pool) {
  return {
    async allocateStock({ orderId, lines }: { orderId: string; lines: OrderLine[] }): Promise<AllocationResult> {
      return inTransaction(pool, async (client) => {
        const demand = demandBySku(lines);
        // Rows locked in a fixed order, so concurrent allocations queue instead of deadlocking.
        const { rows } = await client.query<StockRow>(
          `SELECT i.warehouse_id, i.sku, i.on_hand - i.reserved AS available, w.priority
             FROM inventory i JOIN warehouses w USING (warehouse_id)
            WHERE i.sku = ANY($1) ORDER BY i.warehouse_id, i.sku FOR UPDATE OF i`,
          [[...demand.keys()]],
        );
        const existing = await heldReservations(client, orderId);
        if (existing.length > 0) return { status: 'allocated', allocations: existing };

        const allocations = planAllocation(demand, stockByWarehouse(rows));
        if (!allocations) {
          const total = (sku: string) => rows.filter((r) => r.sku === sku).reduce((sum, r) => sum + r.available, 0);
          const missing = [...demand].map(([sku, qty]) => ({ sku, short: qty - total(sku) })).filter((m) => m.short > 0);
          return { status: 'backordered', missing };
        }
        for (const { warehouseId, lines: taken } of allocations) {
          for (const { sku, quantity } of taken) {
            await client.query('INSERT INTO reservations (order_id, warehouse_id, sku, quantity) VALUES ($1, $2, $3, $4)', [
              orderId,
              warehouseId,
              sku,
              quantity,
            ]);
            await client.query('UPDATE inventory SET reserved = reserved + $3, updated_at = now() WHERE warehouse_id = $1 AND sku = $2', [
              warehouseId,
              sku,
              quantity,
            ]);
          }
        }
        return { status: 'allocated', allocations };
      });
    },

    /** The parcel left the warehouse: its held stock leaves the shelf. Safe to repeat. */
    async shipStock({ orderId, warehouseId }: { orderId: string; warehouseId: string }): Promise<void> {
      await pool.query(
        `WITH shipped AS (
           UPDATE reservations SET state = 'shipped' WHERE order_id = $1 AND warehouse_id = $2 AND state = 'held'
           RETURNING warehouse_id, sku, quantity
         )
         UPDATE inventory i SET on_hand = i.on_hand - s.quantity, reserved = i.reserved - s.quantity, updated_at = now()
           FROM shipped s WHERE i.warehouse_id = s.warehouse_id AND i.sku = s.sku`,
        [orderId, warehouseId],
      );
    },

    /**
     * An undeliverable parcel came back whole: its stock is on the shelf again. Safe to repeat.
     * A customer's return, which may hold part of the order, goes through restockReturn.
     */
    async restock({ orderId, warehouseId }: { orderId: string; warehouseId: string }): Promise<void> {
      await pool.query(
        `WITH out_there AS (
           SELECT warehouse_id, sku, quantity - returned_quantity AS back FROM reservations
            WHERE order_id = $1 AND warehouse_id = $2 AND state = 'shipped' FOR UPDATE
         ), marked AS (
           UPDATE reservations r SET state = 'returned', returned_quantity = r.quantity
             FROM out_there o WHERE r.order_id = $1 AND r.warehouse_id = o.warehouse_id AND r.sku = o.sku
         )
         UPDATE inventory i SET on_hand = i.on_hand + o.back, updated_at = now()
           FROM out_there o WHERE i.warehouse_id = o.warehouse_id AND i.sku = o.sku`,
        [orderId, warehouseId],
      );
    },

    /**
     * A return parcel arrived: exactly its lines go back on the shelf, once per return parcel and
     * SKU (a retried activity adds nothing), never more than shipped. SKUs in order, so two
     * returns never lock the same rows in opposite orders.
     */
    async restockReturn({
      orderId,
      warehouseId,
      shipmentId,
      lines,
    }: {
      orderId: string;
      warehouseId: string;
      shipmentId: string;
      lines: Allocation['lines'];
    }): Promise<void> {
      await inTransaction(pool, async (client) => {
        for (const { sku, quantity } of [...lines].sort((a, b) => a.sku.localeCompare(b.sku))) {
          const { rows } = await client.query<{ quantity: number; returned_quantity: number }>(
            `SELECT quantity, returned_quantity FROM reservations
              WHERE order_id = $1 AND warehouse_id = $2 AND sku = $3 AND state = 'shipped' FOR UPDATE`,
            [orderId, warehouseId, sku],
          );
          const back = rows[0] ? Math.min(quantity, rows[0].quantity - rows[0].returned_quantity) : 0;
          if (back <= 0) continue;
          const claimed = await client.query(
            'INSERT INTO restocks (shipment_id, warehouse_id, sku, quantity) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
            [shipmentId, warehouseId, sku, back],
          );
          if (claimed.rowCount === 0) continue; // this parcel's SKU is already back
          await client.query(
            `UPDATE reservations SET returned_quantity = returned_quantity + $4,
                    state = CASE WHEN returned_quantity + $4 = quantity THEN 'returned' ELSE 'shipped' END
              WHERE order_id = $1 AND warehouse_id = $2 AND sku = $3`,
            [orderId, warehouseId, sku, back],
          );
          await client.query('UPDATE inventory SET on_hand = on_hand + $3, updated_at = now() WHERE warehouse_id = $1 AND sku = $2', [
            warehouseId,
            sku,
            back,
          ]);
        }
      });
    },

    /** Compensation: gives back what the order still holds. Safe to repeat. */
    async releaseStock({ orderId }: { orderId: string }): Promise<void> {
      await pool.query(
        `WITH released AS (
           UPDATE reservations SET state = 'released' WHERE order_id = $1 AND state = 'held'
           RETURNING warehouse_id, sku, quantity
         )
         UPDATE inventory i SET reserved = i.reserved - r.quantity, updated_at = now()
           FROM released r WHERE i.warehouse_id = r.warehouse_id AND i.sku = r.sku`,
        [orderId],
      );
    },
  };
}
