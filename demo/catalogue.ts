// The merchant's catalogue before the orders come in (PUT /v1/products/:sku, as a WMS or ops keeps
// it): each SKU's customs defaults, so parcels leaving Turkey and the EU (GB, US) are declared and
// ship with UPS instead of waiting for someone to add the data.
import type { DemoSku } from './orders';
import type { HttpClient } from './http';

/** Real tariff headings: cotton T-shirts 6109.10, ceramic tableware 6912.00, sports shoes 6404.11. */
export const DEMO_CATALOGUE: Record<DemoSku, { description: string; hsCode: string; unitValue: number; unitWeightGrams: number }> = {
  'TSHIRT-RED-M': { description: 'Cotton T-shirt, knitted, red, M', hsCode: '610910', unitValue: 349.9, unitWeightGrams: 180 },
  'MUG-WHITE': { description: 'Ceramic mug, white, 350 ml', hsCode: '691200', unitValue: 189.9, unitWeightGrams: 350 },
  'SNEAKER-42': { description: 'Sports shoes, textile uppers, 42', hsCode: '640411', unitValue: 2899, unitWeightGrams: 900 },
};

/** Writes each SKU's customs defaults (made in Turkey, valued in TRY); PUT again is harmless. */
export async function syncCatalogue(api: HttpClient): Promise<number> {
  for (const [sku, product] of Object.entries(DEMO_CATALOGUE)) {
    const put = await api.request('PUT', `/v1/products/${encodeURIComponent(sku)}`, { ...product, originCountry: 'TR', currency: 'TRY' });
    if (put.status !== 200) throw new Error(`PUT /v1/products/${sku} answered ${put.status}: ${JSON.stringify(put.body)}`);
  }
  return Object.keys(DEMO_CATALOGUE).length;
}
