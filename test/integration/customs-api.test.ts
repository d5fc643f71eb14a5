// Customs data through the API (issue 25): the catalogue's per-SKU defaults (PUT/GET
// /v1/products/:sku) and the order's customs fields, each rule refused with a 400 naming the field,
// against the app wired to the real dev server, a worker and PostgreSQL.
import request from 'supertest';
import { eventually, TEST_KEYS, useApiHarness } from '../helpers/api-harness';
import { MemoryCarrier } from '../helpers/memory-carrier';
import { sampleOrder } from '../helpers/orders';
import { stockedOrder, uniqueName } from '../helpers/stock';

const harness = useApiHarness([new MemoryCarrier('cargo', 50)]);

const MUG = { description: 'Ceramic mug', hsCode: '691200', originCountry: 'TR', unitValue: 12.5, currency: 'EUR', unitWeightGrams: 350 };

/** The paths a 400 names. */
async function refusedPaths(res: request.Response): Promise<string[]> {
  expect(res.status).toBe(400);
  expect(res.body.error).toBe('validation_failed');
  return res.body.issues.map((i: { path: string }) => i.path);
}

describe('PUT and GET /v1/products/:sku', () => {
  test('a product is stored, read back, and replaced whole by the next PUT', async () => {
    const sku = uniqueName('MUG');
    const put = await harness.api.put(`/v1/products/${sku}`).send(MUG).expect(200);
    expect(put.body).toEqual({ sku, ...MUG, updatedAt: expect.any(String) });
    expect((await harness.api.get(`/v1/products/${sku}`).expect(200)).body).toEqual(put.body);

    const { unitWeightGrams: _dropped, ...withoutWeight } = MUG;
    await harness.api
      .put(`/v1/products/${sku}`)
      .send({ ...withoutWeight, unitValue: 14 })
      .expect(200);
    expect((await harness.api.get(`/v1/products/${sku}`).expect(200)).body).toEqual({
      sku,
      ...withoutWeight,
      unitValue: 14,
      updatedAt: expect.any(String),
    });
  });

  test('an unknown SKU is a 404 product_not_found', async () => {
    const res = await harness.api.get(`/v1/products/${uniqueName('NOPE')}`).expect(404);
    expect(res.body.error).toBe('product_not_found');
  });

  test('only the wms and ops scopes maintain products', async () => {
    const sku = uniqueName('MUG');
    const call = (key?: string) => {
      const req = request(harness.app).put(`/v1/products/${sku}`).send(MUG);
      return key ? req.set('Authorization', `Bearer ${key}`) : req;
    };
    expect((await call()).status).toBe(401);
    expect((await call(TEST_KEYS.orders)).status).toBe(403);
    expect((await call(TEST_KEYS.wms)).status).toBe(200);
    expect((await call(TEST_KEYS.ops)).status).toBe(200);
  });

  test.each([
    ['an HS code of 5 digits', { hsCode: '69120' }, 'hsCode'],
    ['an HS code of 11 digits', { hsCode: '69120000001' }, 'hsCode'],
    ['an HS code with dots', { hsCode: '6912.00' }, 'hsCode'],
    ['an origin that is not ISO 3166 alpha-2', { originCountry: 'TUR' }, 'originCountry'],
    ['an origin of two letters no country has', { originCountry: 'XX' }, 'originCountry'],
    ['a unit value of zero', { unitValue: 0 }, 'unitValue'],
    ['a negative unit value', { unitValue: -1 }, 'unitValue'],
    // The contract fuzzer's find: positive, yet 0.00 in numeric(12,2), which the table's CHECK refused with a 500.
    ['a unit value below a cent', { unitValue: 5e-324 }, 'unitValue'],
    ['a currency that is not ISO 4217', { currency: 'euro' }, 'currency'],
    ['a unit weight of zero', { unitWeightGrams: 0 }, 'unitWeightGrams'],
    ['a description longer than a customs line takes', { description: 'x'.repeat(36) }, 'description'],
    ['no description', { description: undefined }, 'description'],
  ])('%s is refused, naming the field', async (_what, change, field) => {
    const res = await harness.api.put(`/v1/products/${uniqueName('MUG')}`).send({ ...MUG, ...change });
    expect(await refusedPaths(res)).toEqual([field]);
  });
});

describe("an order's customs fields", () => {
  const withLineCustoms = (customs: object) => sampleOrder({ lines: [{ sku: 'MUG-WHITE', quantity: 1, customs }] });

  test.each([
    ['an HS code of letters', withLineCustoms({ hsCode: 'ABCDEF' }), 'lines.0.customs.hsCode'],
    ['an origin in lower case', withLineCustoms({ originCountry: 'tr' }), 'lines.0.customs.originCountry'],
    ['a unit value of zero', withLineCustoms({ unitValue: 0 }), 'lines.0.customs.unitValue'],
    ['a currency of two letters', withLineCustoms({ currency: 'EU' }), 'lines.0.customs.currency'],
    ['a fractional unit weight', withLineCustoms({ unitWeightGrams: 1.5 }), 'lines.0.customs.unitWeightGrams'],
    [
      'a reason for export not offered',
      sampleOrder({ customs: { reasonForExport: 'resale', dutiesTerms: 'DAP' } as never }),
      'customs.reasonForExport',
    ],
    [
      'duties terms other than DAP or DDP',
      sampleOrder({ customs: { reasonForExport: 'sale', dutiesTerms: 'EXW' } as never }),
      'customs.dutiesTerms',
    ],
    ['customs without duties terms', sampleOrder({ customs: { reasonForExport: 'sale' } as never }), 'customs.dutiesTerms'],
    [
      'an IOSS number without IM',
      sampleOrder({ customs: { reasonForExport: 'sale', dutiesTerms: 'DDP', iossNumber: 'DE1234567890' } }),
      'customs.iossNumber',
    ],
    [
      'an IOSS number of 9 digits',
      sampleOrder({ customs: { reasonForExport: 'sale', dutiesTerms: 'DDP', iossNumber: 'IM123456789' } }),
      'customs.iossNumber',
    ],
    [
      'an ETGB reference with spaces',
      sampleOrder({ customs: { reasonForExport: 'sale', dutiesTerms: 'DAP', etgbReference: '23 34' } }),
      'customs.etgbReference',
    ],
  ])('%s is refused, naming the field', async (_what, order, field) => {
    expect(await refusedPaths(await harness.api.post('/v1/orders').send(order))).toEqual([field]);
  });

  test('an order with customs data is taken and its record keeps it as sent', async () => {
    const { order: base } = await stockedOrder(harness.pool);
    const order = {
      ...base,
      lines: base.lines.map((l) => ({ ...l, customs: { hsCode: '610910', originCountry: 'TR' } })),
      customs: {
        reasonForExport: 'gift' as const,
        dutiesTerms: 'DDP' as const,
        etgbReference: '23341400EX000123',
        iossNumber: 'IM2760000001',
      },
    };
    await harness.api.post('/v1/orders').send(order).expect(202);
    const { rows } = await eventually(
      () => harness.pool.query('SELECT request FROM orders WHERE order_id = $1', [order.orderId]),
      (r) => r.rows.length > 0,
    );
    expect(rows[0].request).toMatchObject({ customs: order.customs, lines: order.lines });
    await harness.client.workflow.getHandle(`order-${order.orderId}`).terminate('test done');
  });
});
