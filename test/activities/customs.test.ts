// The customs data the carrier activities add to a parcel that leaves its warehouse's country
// (issue 25), resolved against the real PostgreSQL test database: the order line's fields over the
// product's defaults, the order's terms, nothing for a parcel that stays in the country.
import type { Pool } from 'pg';
import { createCustomsResolver } from '../../activities/carriers/customs';
import { createInventoryActivities } from '../../activities/inventory';
import { createOrderActivities } from '../../activities/orders';
import type { OrderInput } from '../../domain/order';
import type { ShipmentRequest } from '../../domain/shipment';
import { createPool } from '../../lib/db';
import { TEST_DATABASE_URL } from '../helpers/env';
import { stockedOrder } from '../helpers/stock';

let pool: Pool;
let withCustoms: ReturnType<typeof createCustomsResolver>;

beforeAll(() => {
  pool = createPool(TEST_DATABASE_URL, 5);
  withCustoms = createCustomsResolver(pool);
});
afterAll(() => pool.end());

const LONDON = { name: 'Jane Smith', line1: '10 Downing Street', city: 'London', postalCode: 'SW1A 2AA', countryCode: 'GB' };

/** An order of two fresh SKUs recorded and allocated as the order workflow does, and its parcel's request to `to`. */
async function allocatedOrder(overrides: (skus: string[]) => Partial<OrderInput>, to: ShipmentRequest['to']) {
  const {
    warehouseId,
    skus,
    order: base,
  } = await stockedOrder(pool, [
    { quantity: 2, stock: 5 },
    { quantity: 1, stock: 5 },
  ]);
  const order = { ...base, ...overrides(skus) };
  await createOrderActivities(pool).recordOrder({ order, workflowId: `order-${order.orderId}`, receivedAt: new Date().toISOString() });
  await createInventoryActivities(pool).allocateStock({ orderId: order.orderId, lines: order.lines });
  const request: ShipmentRequest = {
    shipmentId: `shipment-${order.orderId}-1`,
    orderId: order.orderId,
    warehouseId,
    to,
    parcel: { weightGrams: 1_000, lengthCm: 30, widthCm: 20, heightCm: 10 },
    service: 'standard',
  };
  return { skus, order, request };
}

async function putProduct(sku: string, product: Record<string, unknown>): Promise<void> {
  await pool.query(
    `INSERT INTO products (sku, description, hs_code, origin_country, unit_value, currency, unit_weight_grams)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [sku, product.description, product.hsCode, product.originCountry, product.unitValue, product.currency, product.unitWeightGrams ?? null],
  );
}

test('a parcel across a border gets each SKU from its line, else its product, and the order terms', async () => {
  const { skus, order, request } = await allocatedOrder(
    (skus) => ({
      lines: [
        { sku: skus[0], quantity: 2, customs: { unitValue: 9.99, originCountry: 'CN' } },
        { sku: skus[1], quantity: 1 },
      ],
      customs: { reasonForExport: 'gift', dutiesTerms: 'DDP', iossNumber: 'IM2760000001' },
    }),
    LONDON,
  );
  await putProduct(skus[0], {
    description: 'Ceramic mug',
    hsCode: '691200',
    originCountry: 'TR',
    unitValue: 12.5,
    currency: 'EUR',
    unitWeightGrams: 350,
  });

  const resolved = await withCustoms(request);

  expect(resolved).toEqual({
    ...request,
    customs: {
      reasonForExport: 'gift',
      dutiesTerms: 'DDP',
      iossNumber: 'IM2760000001',
      invoiceNumber: order.orderId,
      invoiceDate: new Date().toISOString().slice(0, 10),
      lines: expect.arrayContaining([
        {
          sku: skus[0],
          quantity: 2,
          description: 'Ceramic mug',
          hsCode: '691200',
          originCountry: 'CN',
          unitValue: 9.99,
          currency: 'EUR',
          unitWeightGrams: 350,
        },
        { sku: skus[1], quantity: 1 }, // no product, no line fields: what the carrier will say is missing
      ]),
    },
  });
  expect(resolved.customs!.lines).toHaveLength(2);
});

test('an order without customs terms is declared a sale, duties paid by the customer (DAP)', async () => {
  const { request } = await allocatedOrder(() => ({}), LONDON);
  expect((await withCustoms(request)).customs).toMatchObject({ reasonForExport: 'sale', dutiesTerms: 'DAP' });
});

test('a parcel that stays in its warehouse country is asked for as it was', async () => {
  const { request } = await allocatedOrder(() => ({}), { ...LONDON, city: 'İstanbul', postalCode: '34710', countryCode: 'TR' });
  expect(await withCustoms(request)).toBe(request);
});
