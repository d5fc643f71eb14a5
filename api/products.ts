// The catalogue's customs defaults per SKU (issue 25): what a parcel across a customs border
// declares for each unit unless the order line overrides it. Kept by the warehouse system or ops.
import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from 'pg';
import { ProductSchema, type Product } from '../domain/customs';
import { text } from '../domain/order';
import { productOf, type ProductRow } from '../lib/products';
import { HttpError } from './errors';
import { parse } from './validation';

export const ProductParams = z.object({ sku: text(64) });
export const ProductBody = ProductSchema;

function productJson(row: ProductRow): Product & { sku: string; updatedAt: string } {
  return { sku: row.sku, ...productOf(row), updatedAt: row.updated_at.toISOString() };
}

export function productsRouter({ pool }: { pool: Pool }): Router {
  const router = Router();

  // The whole record is replaced: a field left out (the weight) is cleared, as PUT says.
  router.put('/:sku', async (req, res) => {
    const { sku } = parse(ProductParams, req.params, 'path');
    const p = parse(ProductBody, req.body);
    const { rows } = await pool.query<ProductRow>(
      `INSERT INTO products (sku, description, hs_code, origin_country, unit_value, currency, unit_weight_grams)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (sku) DO UPDATE SET description = $2, hs_code = $3, origin_country = $4, unit_value = $5,
         currency = $6, unit_weight_grams = $7, updated_at = now()
       RETURNING *`,
      [sku, p.description, p.hsCode, p.originCountry, p.unitValue, p.currency, p.unitWeightGrams ?? null],
    );
    res.json(productJson(rows[0]));
  });

  router.get('/:sku', async (req, res) => {
    const { sku } = parse(ProductParams, req.params, 'path');
    const { rows } = await pool.query<ProductRow>('SELECT * FROM products WHERE sku = $1', [sku]);
    if (rows.length === 0) throw new HttpError(404, 'product_not_found', `no product ${sku}`);
    res.json(productJson(rows[0]));
  });

  return router;
}
