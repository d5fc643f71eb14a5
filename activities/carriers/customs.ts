// The customs data of a parcel that leaves its warehouse's country, resolved where the carrier is
// asked (quote and booking), not in the workflow: each SKU's fields from the order line, else from
// the products table. Only product data and terms are added to the request; the customer's data
// is already in it.
import type { Pool } from 'pg';
import {
  DEFAULT_ORDER_CUSTOMS,
  resolveCustomsLine,
  withSupplied,
  type LineCustoms,
  type OrderCustoms,
  type Product,
  type SuppliedCustoms,
} from '../../domain/customs';
import type { ShipmentRequest } from '../../domain/shipment';
import { productOf, type ProductRow } from '../../lib/products';

interface StoredLine {
  sku: string;
  customs?: LineCustoms;
}

export function createCustomsResolver(pool: Pool) {
  /** True when the parcel stays in its warehouse's country (or the warehouse is unknown: nothing to declare from). */
  async function domestic(request: ShipmentRequest): Promise<boolean> {
    const { rows } = await pool.query<{ country_code: string }>('SELECT country_code FROM warehouses WHERE warehouse_id = $1', [
      request.warehouseId,
    ]);
    return rows.length === 0 || rows[0].country_code === request.to.countryCode;
  }

  /** The order's customs terms and its lines' fields: as received, with what ops supplied since (PUT /v1/orders/:id/customs) over them. */
  async function orderOf(orderId: string): Promise<{ customs?: OrderCustoms; lines: StoredLine[] }> {
    const { rows } = await pool.query<{
      request: { customs?: OrderCustoms; lines?: StoredLine[] };
      customs_supplied: SuppliedCustoms | null;
    }>('SELECT request, customs_supplied FROM orders WHERE order_id = $1', [orderId]);
    return withSupplied({ customs: rows[0]?.request.customs, lines: rows[0]?.request.lines ?? [] }, rows[0]?.customs_supplied);
  }

  /** The SKUs this parcel carries: the stock the order holds in its warehouse. */
  async function parcelLines(request: ShipmentRequest): Promise<{ sku: string; quantity: number }[]> {
    const { rows } = await pool.query<{ sku: string; quantity: number }>(
      'SELECT sku, quantity FROM reservations WHERE order_id = $1 AND warehouse_id = $2 ORDER BY sku',
      [request.orderId, request.warehouseId],
    );
    return rows;
  }

  async function productsOf(skus: string[]): Promise<Map<string, Partial<Product>>> {
    const { rows } = await pool.query<ProductRow>('SELECT * FROM products WHERE sku = ANY($1)', [skus]);
    return new Map(rows.map((row) => [row.sku, productOf(row)]));
  }

  /** The request with its customs data when the parcel crosses a border; as it was otherwise. */
  return async function withCustoms(request: ShipmentRequest): Promise<ShipmentRequest> {
    if (await domestic(request)) return request;
    const [order, lines] = await Promise.all([orderOf(request.orderId), parcelLines(request)]);
    const products = await productsOf(lines.map((l) => l.sku));
    // Two lines of one SKU are one reservation: the first line's fields stand for both.
    const customsOf = (sku: string) => order.lines.find((l) => l.sku === sku)?.customs;
    return {
      ...request,
      customs: {
        ...(order.customs ?? DEFAULT_ORDER_CUSTOMS),
        invoiceNumber: request.orderId,
        invoiceDate: new Date().toISOString().slice(0, 10),
        lines: lines.map((line) => resolveCustomsLine({ ...line, customs: customsOf(line.sku) }, products.get(line.sku))),
      },
    };
  };
}
