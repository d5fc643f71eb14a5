// Customs decisions without I/O (issue 25): what a line declares, what a declaration lacks, and what ops are told.
import { needsAttentionBecause } from '../../domain/booking';
import { mergeSupplied, missingCustomsFields, resolveCustomsLine, withSupplied } from '../../domain/customs';
import type { Quote } from '../../domain/shipment';

const MUG = { description: 'Ceramic mug', hsCode: '691200', originCountry: 'TR', unitValue: 12.5, currency: 'EUR' } as const;

test("a line's own fields win over the product's; a field neither has stays absent", () => {
  expect(resolveCustomsLine({ sku: 'MUG', quantity: 2, customs: { unitValue: 9.99 } }, { ...MUG, unitWeightGrams: 350 })).toEqual({
    ...MUG,
    unitValue: 9.99,
    unitWeightGrams: 350,
    sku: 'MUG',
    quantity: 2,
  });
  expect(resolveCustomsLine({ sku: 'NEW', quantity: 1, customs: { hsCode: '610910' } }, undefined)).toEqual({
    sku: 'NEW',
    quantity: 1,
    hsCode: '610910',
  });
});

test('a declaration lacks each required field of each SKU by name; the unit weight is not required', () => {
  expect(missingCustomsFields({ lines: [{ sku: 'MUG', quantity: 1, ...MUG }] })).toEqual([]);
  expect(missingCustomsFields({ lines: [{ sku: 'NEW', quantity: 1, hsCode: '610910' }] })).toEqual([
    'NEW.description',
    'NEW.originCountry',
    'NEW.unitValue',
    'NEW.currency',
  ]);
  expect(missingCustomsFields({ lines: [] })).toEqual(['lines']);
});

test('ops are asked to supply customs data when a carrier refused for want of it, and to retry otherwise', () => {
  const ups = { carrier: 'ups' } as Quote;
  expect(needsAttentionBecause([ups], [])).toBe('every carrier refused (ups): send retryBooking, optionally naming a carrier');
  expect(needsAttentionBecause([ups], ['ups ship: customs data missing: NEW.hsCode'])).toBe(
    'every carrier refused (ups); ups ship: customs data missing: NEW.hsCode: supply the customs data: PUT /v1/orders/:orderId/customs (this order; it books again), or PUT /v1/products/:sku (the catalogue) then send retryBooking',
  );
  expect(needsAttentionBecause([], [])).toBe('no carrier can take this parcel: send retryBooking, optionally naming a carrier');
});

test("what ops supply wins field by field over the order's own and over what they supplied before; other SKUs stay as they were", () => {
  const order = {
    customs: { reasonForExport: 'sale', dutiesTerms: 'DAP' } as const,
    lines: [{ sku: 'MUG', customs: { unitValue: 9.99 } }, { sku: 'TEE' }],
  };
  const first = mergeSupplied(null, { lines: [{ sku: 'MUG', customs: { hsCode: '691200' } }] });
  const second = mergeSupplied(first, {
    customs: { reasonForExport: 'gift', dutiesTerms: 'DDP' },
    lines: [{ sku: 'MUG', customs: { hsCode: '691110' } }],
  });
  expect(second).toEqual({
    customs: { reasonForExport: 'gift', dutiesTerms: 'DDP' },
    lines: [{ sku: 'MUG', customs: { hsCode: '691110' } }],
  });

  expect(withSupplied(order, second)).toEqual({
    customs: { reasonForExport: 'gift', dutiesTerms: 'DDP' },
    lines: [
      { sku: 'MUG', customs: { unitValue: 9.99, hsCode: '691110' } },
      { sku: 'TEE', customs: {} },
    ],
  });
  expect(withSupplied(order, mergeSupplied(null, {}))).toEqual({
    ...order,
    lines: [
      { sku: 'MUG', customs: { unitValue: 9.99 } },
      { sku: 'TEE', customs: {} },
    ],
  });
  expect(withSupplied(order, null)).toBe(order);
});
