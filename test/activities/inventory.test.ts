// Stock allocation against the real PostgreSQL test database.
import type { Pool } from 'pg';
import { createInventoryActivities } from '../../activities/inventory';
import { createPool } from '../../lib/db';
import { TEST_DATABASE_URL, uniqueOrderId } from '../helpers/env';
import { createWarehouse, setStock, stockOf, uniqueName } from '../helpers/stock';

let pool: Pool;
let inventory: ReturnType<typeof createInventoryActivities>;

beforeAll(() => {
  pool = createPool(TEST_DATABASE_URL, 30);
  inventory = createInventoryActivities(pool);
});
afterAll(() => pool.end());

/** Two warehouses, the first preferred. */
const twoWarehouses = async () => [await createWarehouse(pool, { priority: 1 }), await createWarehouse(pool, { priority: 2 })];

/**
 * A shirt and a mug of this test's own (no other test's stock counts), stocked as `[warehouse,
 * shirts, mugs]` (none: no stock row); `lines` is an order of so many of each.
 */
async function shirtAndMug(...stock: [warehouse: string, shirts: number, mugs: number][]) {
  const [shirt, mug] = [uniqueName('SHIRT'), uniqueName('MUG')];
  for (const [warehouse, shirts, mugs] of stock) {
    if (shirts) await setStock(pool, warehouse, shirt, shirts);
    if (mugs) await setStock(pool, warehouse, mug, mugs);
  }
  const lines = (shirts: number, mugs: number) => [
    { sku: shirt, quantity: shirts },
    { sku: mug, quantity: mugs },
  ];
  return { shirt, mug, lines };
}

const allocateNewOrder = (lines: { sku: string; quantity: number }[]) => inventory.allocateStock({ orderId: uniqueOrderId(), lines });

test('one warehouse that has every line ships the whole order, even when a preferred one has part of it', async () => {
  const [preferred, complete] = await twoWarehouses();
  const { shirt, lines } = await shirtAndMug([preferred, 10, 0], [complete, 10, 10]);

  const result = await allocateNewOrder(lines(2, 1));

  expect(result).toEqual({ status: 'allocated', allocations: [{ warehouseId: complete, lines: lines(2, 1) }] });
  expect(await stockOf(pool, complete, shirt)).toEqual({ onHand: 10, reserved: 2 });
  expect(await stockOf(pool, preferred, shirt)).toEqual({ onHand: 10, reserved: 0 });
});

test('when no single warehouse can, the order is split, preferred warehouses first', async () => {
  const [first, second] = await twoWarehouses();
  const { shirt, lines } = await shirtAndMug([first, 3, 0], [second, 2, 1]);

  const result = await allocateNewOrder(lines(4, 1));

  expect(result).toEqual({
    status: 'allocated',
    allocations: [
      { warehouseId: first, lines: [{ sku: shirt, quantity: 3 }] },
      { warehouseId: second, lines: lines(1, 1) },
    ],
  });
});

test('short stock backorders the order and reserves nothing', async () => {
  const warehouse = await createWarehouse(pool);
  const { shirt, mug, lines } = await shirtAndMug([warehouse, 1, 5]);

  const result = await allocateNewOrder(lines(3, 1));

  expect(result).toEqual({ status: 'backordered', missing: [{ sku: shirt, short: 2 }] });
  expect(await stockOf(pool, warehouse, shirt)).toEqual({ onHand: 1, reserved: 0 });
  expect(await stockOf(pool, warehouse, mug)).toEqual({ onHand: 5, reserved: 0 });
});

test('a retried allocation returns the first reservation instead of reserving again; release gives it back once', async () => {
  const warehouse = await createWarehouse(pool);
  const shirt = uniqueName('SHIRT');
  await setStock(pool, warehouse, shirt, 5);
  const orderId = uniqueOrderId();

  const first = await inventory.allocateStock({ orderId, lines: [{ sku: shirt, quantity: 2 }] });
  const retried = await inventory.allocateStock({ orderId, lines: [{ sku: shirt, quantity: 2 }] });
  expect(retried).toEqual(first);
  expect(await stockOf(pool, warehouse, shirt)).toEqual({ onHand: 5, reserved: 2 });

  await inventory.releaseStock({ orderId });
  await inventory.releaseStock({ orderId });
  expect(await stockOf(pool, warehouse, shirt)).toEqual({ onHand: 5, reserved: 0 });
});

test('a partial return puts back exactly its lines, once per return parcel, never more than shipped', async () => {
  const warehouse = await createWarehouse(pool);
  const { shirt, mug, lines } = await shirtAndMug([warehouse, 10, 10]);
  const orderId = uniqueOrderId();
  await inventory.allocateStock({ orderId, lines: lines(3, 1) });
  await inventory.shipStock({ orderId, warehouseId: warehouse });
  expect(await stockOf(pool, warehouse, shirt)).toEqual({ onHand: 7, reserved: 0 });

  const firstReturn = { orderId, warehouseId: warehouse, shipmentId: `shipment-${orderId}-2`, lines: [{ sku: shirt, quantity: 1 }] };
  await inventory.restockReturn(firstReturn);
  await inventory.restockReturn(firstReturn); // a retried activity
  expect(await stockOf(pool, warehouse, shirt)).toEqual({ onHand: 8, reserved: 0 });
  expect(await stockOf(pool, warehouse, mug)).toEqual({ onHand: 9, reserved: 0 }); // not sent back

  // A second return asks for more than is still out: only the 2 left come back.
  await inventory.restockReturn({ ...firstReturn, shipmentId: `shipment-${orderId}-3`, lines: [{ sku: shirt, quantity: 5 }] });
  expect(await stockOf(pool, warehouse, shirt)).toEqual({ onHand: 10, reserved: 0 });
  const { rows } = await pool.query('SELECT state, returned_quantity FROM reservations WHERE order_id = $1 AND sku = $2', [orderId, shirt]);
  expect(rows).toEqual([{ state: 'returned', returned_quantity: 3 }]);
});

test('twenty orders racing for the last unit: exactly one gets it', async () => {
  const warehouse = await createWarehouse(pool);
  const sku = uniqueName('LAST');
  await setStock(pool, warehouse, sku, 1);

  const results = await Promise.all(
    Array.from({ length: 20 }, () => inventory.allocateStock({ orderId: uniqueOrderId(), lines: [{ sku, quantity: 1 }] })),
  );

  expect(results.filter((r) => r.status === 'allocated')).toHaveLength(1);
  expect(results.filter((r) => r.status === 'backordered')).toHaveLength(19);
  expect(await stockOf(pool, warehouse, sku)).toEqual({ onHand: 1, reserved: 1 });
});
