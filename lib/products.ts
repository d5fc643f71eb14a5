// A row of the products table (issue 25) as the catalogue's customs defaults: read by the API that
// keeps them and by the carrier activities that declare them.
import type { IsoCountry } from '../domain/countries';
import type { Product } from '../domain/customs';

export interface ProductRow {
  sku: string;
  description: string;
  hs_code: string;
  origin_country: IsoCountry; // checked on the way in (ProductSchema)
  unit_value: string; // numeric(12,2) comes back as text
  currency: string;
  unit_weight_grams: number | null;
  updated_at: Date;
}

export const productOf = (row: ProductRow): Product => ({
  description: row.description,
  hsCode: row.hs_code,
  originCountry: row.origin_country,
  unitValue: Number(row.unit_value),
  currency: row.currency,
  ...(row.unit_weight_grams !== null && { unitWeightGrams: row.unit_weight_grams }),
});
