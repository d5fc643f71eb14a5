// The pure decisions of a marketplace pushback (marketplaces/pushback.ts): which of the package's
// lines a parcel carries, and the parcel's number as Amazon's packageReferenceId wants it.
import { parcelItems, parcelNumber } from '../../marketplaces/pushback';

const lines = [
  { lineId: 'L1', sku: 'TOWEL', quantity: 2 },
  { lineId: 'L2', sku: 'MUG', quantity: 1 },
  { lineId: 'L3', sku: 'TOWEL', quantity: 3 },
];

test('a parcel carrying the whole package names every line with its quantity', () => {
  expect(
    parcelItems(
      [
        { sku: 'MUG', quantity: 1 },
        { sku: 'TOWEL', quantity: 5 },
      ],
      lines,
    ),
  ).toEqual([
    { lineId: 'L2', quantity: 1 },
    { lineId: 'L1', quantity: 2 },
    { lineId: 'L3', quantity: 3 },
  ]);
});

test('units of one SKU fill its lines in order, never beyond what a line holds', () => {
  expect(parcelItems([{ sku: 'TOWEL', quantity: 3 }], lines)).toEqual([
    { lineId: 'L1', quantity: 2 },
    { lineId: 'L3', quantity: 1 },
  ]);
  expect(parcelItems([{ sku: 'TOWEL', quantity: 9 }], lines)).toEqual([
    { lineId: 'L1', quantity: 2 },
    { lineId: 'L3', quantity: 3 },
  ]);
});

test('a SKU the package has no line for is left out: the marketplace would refuse it', () => {
  expect(parcelItems([{ sku: 'VASE', quantity: 1 }], lines)).toEqual([]);
});

test("a parcel's number is the end of its shipment id, and only a positive one", () => {
  expect(parcelNumber('shipment-amz-123-4567890-1234567-2')).toBe(2);
  expect(parcelNumber('shipment-amz-1-0')).toBeUndefined();
  expect(parcelNumber('shipment-no-number')).toBeUndefined();
});
