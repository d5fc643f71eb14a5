// A stock sync before the orders come in (PUT /v1/inventory, as a WMS sends it): each seeded
// warehouse is raised, never lowered, to hold its share of what the orders ask for, so orders
// allocate instead of waiting, except the bulk orders meant to wait as backorders.
import { DEMO_WAREHOUSES } from './orders';
import type { HttpClient } from './http';

export interface StockChange {
  warehouseId: string;
  sku: string;
  from: number;
  to: number;
}

/** Each warehouse gets 60% of each SKU's demand available, plus a margin; IST-1 ships first, ANK-1 when it runs short. */
export async function syncStock(api: HttpClient, demand: Map<string, number>): Promise<StockChange[]> {
  const changes: StockChange[] = [];
  for (const [sku, wanted] of demand) {
    const reply = await api.request<{ warehouses: { warehouseId: string; onHand: number; available: number }[] }>(
      'GET',
      `/v1/inventory?sku=${encodeURIComponent(sku)}`,
    );
    if (reply.status !== 200) throw new Error(`GET /v1/inventory?sku=${sku} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    for (const warehouseId of DEMO_WAREHOUSES) {
      const row = reply.body.warehouses.find((w) => w.warehouseId === warehouseId) ?? { onHand: 0, available: 0 };
      const target = Math.ceil(wanted * 0.6) + 10;
      if (row.available >= target) continue;
      const onHand = row.onHand + (target - row.available);
      const put = await api.request('PUT', `/v1/inventory/${warehouseId}/${encodeURIComponent(sku)}`, { onHand });
      if (put.status !== 200)
        throw new Error(`PUT /v1/inventory/${warehouseId}/${sku} answered ${put.status}: ${JSON.stringify(put.body)}`);
      changes.push({ warehouseId, sku, from: row.onHand, to: onHand });
    }
  }
  return changes;
}
