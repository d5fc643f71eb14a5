// What an order decides from its parcels, without a server: its status, what it still allows, returns.
import type { OrderView } from '../../domain/order';
import { orderNews, orderStatusOf } from '../../domain/order-progress';
import { deliveryAddress, whyAddressNotChangeable, whyNotCancellable, whyNotReturnable } from '../../domain/order-rules';
import { returnLabels, returnLabelsSettled, returnParcels } from '../../domain/returns';
import type { ShipmentView, TrackingEvent } from '../../domain/shipment';
import { shipmentFinished } from '../../domain/statuses';

let n = 0;
const parcel = (fields: Partial<ShipmentView> = {}): ShipmentView => ({
  shipmentId: `shipment-SO-1-${++n}`,
  kind: 'outbound',
  warehouseId: 'IST',
  lines: [{ sku: 'MUG', quantity: 2 }],
  status: 'in_transit',
  events: [],
  ...fields,
});
const order = (status: OrderView['status'], shipments: ShipmentView[]) => ({ status, shipments });

describe('orderStatusOf', () => {
  test('the least advanced parcel speaks for the order', () => {
    expect(orderStatusOf([parcel({ status: 'delivered' }), parcel({ status: 'labelled' })])).toBe('labelled');
    expect(orderStatusOf([parcel({ status: 'booking' }), parcel({ status: 'in_transit' })])).toBe('fulfilling');
    expect(orderStatusOf([parcel({ status: 'return_to_sender' })])).toBe('on_hold');
  });

  test('a parcel needing ops, then a lost or late one, comes first; a late but delivered one does not', () => {
    expect(orderStatusOf([parcel({ status: 'address_invalid' }), parcel({ status: 'needs_attention' })])).toBe('needs_attention');
    expect(orderStatusOf([parcel({ alert: 'delayed' }), parcel({ alert: 'lost' })])).toBe('lost');
    expect(orderStatusOf([parcel({ alert: 'delayed' })])).toBe('delayed');
    expect(orderStatusOf([parcel({ alert: 'delayed', status: 'delivered' })])).toBe('delivered');
  });

  test('cancelled parcels do not count; with none moving, there is no status to derive', () => {
    expect(orderStatusOf([parcel({ status: 'cancelled' }), parcel({ status: 'picked_up' })])).toBe('picked_up');
    expect(orderStatusOf([parcel({ status: 'cancelled' })])).toBeUndefined();
  });
});

describe('orderNews: what of a parcel its order needs to hear (milestone reports)', () => {
  const scan = (eventId: string, status: ShipmentView['status'] & TrackingEvent['status']): TrackingEvent => ({
    eventId,
    trackingNumber: '1Z1',
    status,
    occurredAt: '2026-12-04T10:00:00Z',
  });
  const base = parcel({ status: 'packing', events: [] });

  test('no news: packing to booking, quotes and the parcel size, a second scan of the same status', () => {
    expect(orderNews({ ...base, status: 'booking', parcel: { weightGrams: 900, lengthCm: 20, widthCm: 10, heightCm: 5 } })).toBe(
      orderNews(base),
    );
    const moving = { ...base, status: 'in_transit' as const, trackingNumber: '1Z1', events: [scan('e1', 'in_transit')] };
    expect(orderNews({ ...moving, events: [...moving.events, scan('e2', 'in_transit')] })).toBe(orderNews(moving));
  });

  test('news: a status the order reads otherwise, the label, ops needed, an alert, an outcome, a retry', () => {
    const labelled = { ...base, status: 'labelled' as const, carrier: 'ups', trackingNumber: '1Z1' };
    for (const changed of [
      { ...base, status: 'labelled' as const },
      labelled,
      { ...labelled, status: 'picked_up' as const },
      { ...base, status: 'needs_attention' as const, attention: 'every carrier refused' },
      { ...labelled, alert: 'delayed' as const },
      { ...base, status: 'cancelled' as const, outcome: 'cancelled before booking' },
      { ...base, status: 'booking' as const, retrying: 'carriers unavailable for now' },
    ]) {
      expect(orderNews(changed)).not.toBe(orderNews(base));
    }
    expect(orderNews({ ...labelled, status: 'pending' })).toBe(orderNews(labelled)); // both read labelled
  });

  test('the same picture built in another order of fields is the same news', () => {
    const a = { ...base, carrier: 'ups', trackingNumber: '1Z1' };
    const b = { trackingNumber: '1Z1', carrier: 'ups', ...base };
    expect(orderNews(b)).toBe(orderNews(a));
  });
});

describe('what an order still allows', () => {
  test('cancelling: until a parcel is with the carrier, and not once the order has ended', () => {
    expect(whyNotCancellable(order('labelled', [parcel({ status: 'labelled' })]))).toBeUndefined();
    const picked = parcel({ status: 'picked_up' });
    expect(whyNotCancellable(order('picked_up', [picked]))).toBe(`not_cancellable: parcel ${picked.shipmentId} is already picked_up`);
    expect(whyNotCancellable(order('closed', []))).toBe('not_cancellable: the order is already closed');
  });

  test('a new address: also not once a parcel has a label', () => {
    expect(whyAddressNotChangeable(order('fulfilling', [parcel({ status: 'booking' })]))).toBeUndefined();
    const labelled = parcel({ status: 'labelled', trackingNumber: 'TN1' });
    expect(whyAddressNotChangeable(order('labelled', [labelled]))).toBe(
      `address_not_changeable: parcel ${labelled.shipmentId} is already labelled with a label; cancel and re-order instead`,
    );
    expect(whyAddressNotChangeable(order('fulfilling', [parcel({ status: 'cancelled', trackingNumber: 'TN1' })]))).toBeUndefined();
  });

  test('a return: once, while the order is delivered', () => {
    const all = { reason: 'r' };
    expect(whyNotReturnable(order('delivered', []), false, all)).toBeUndefined();
    expect(whyNotReturnable(order('delivered', []), true, all)).toBe('return_already_requested');
    expect(whyNotReturnable(order('closed', []), false, all)).toBe('not_returnable: the order is closed');
  });

  test('a return: only of what was delivered, each SKU at most as often as delivered (issue 16, defect 8)', () => {
    const delivered = order('delivered', [
      parcel({ status: 'delivered', lines: [{ sku: 'MUG', quantity: 2 }] }),
      parcel({
        status: 'delivered',
        lines: [
          { sku: 'MUG', quantity: 1 },
          { sku: 'CAP', quantity: 1 },
        ],
      }),
      parcel({ status: 'cancelled', lines: [{ sku: 'HAT', quantity: 1 }] }),
    ]);
    const asking = (...lines: Array<{ sku: string; quantity: number }>) => whyNotReturnable(delivered, false, { reason: 'r', lines });
    expect(asking({ sku: 'MUG', quantity: 3 }, { sku: 'CAP', quantity: 1 })).toBeUndefined();
    expect(asking({ sku: 'HAT', quantity: 1 })).toBe('return_lines_invalid: lines.0.sku: HAT was not delivered in this order');
    expect(asking({ sku: 'CAP', quantity: 1 }, { sku: 'MUG', quantity: 2 }, { sku: 'MUG', quantity: 2 })).toBe(
      'return_lines_invalid: lines.2.quantity: 4 of MUG asked back, 3 delivered',
    );
  });
});

test("couriers get the customer's phone when the address has none", () => {
  const address = { name: 'A', line1: 'L', city: 'C', postalCode: '1', countryCode: 'TR' };
  expect(deliveryAddress(address, '+905551112233')).toEqual({ ...address, phone: '+905551112233' });
  expect(deliveryAddress({ ...address, phone: '+49301234' }, '+905551112233').phone).toBe('+49301234');
  expect(deliveryAddress(address, undefined)).toBe(address);
});

describe('returns', () => {
  const delivered = [
    parcel({
      status: 'delivered',
      carrier: 'ups',
      warehouseId: 'IST',
      lines: [
        { sku: 'MUG', quantity: 2 },
        { sku: 'CUP', quantity: 1 },
      ],
    }),
    parcel({ status: 'delivered', carrier: 'mng', warehouseId: 'ANK', lines: [{ sku: 'MUG', quantity: 1 }] }),
  ];

  test('everything delivered goes back when no lines are named, each parcel with the carrier that brought it', () => {
    expect(returnParcels(delivered, { reason: 'r' })).toEqual([
      {
        allocation: {
          warehouseId: 'IST',
          lines: [
            { sku: 'MUG', quantity: 2 },
            { sku: 'CUP', quantity: 1 },
          ],
        },
        carrier: 'ups',
      },
      { allocation: { warehouseId: 'ANK', lines: [{ sku: 'MUG', quantity: 1 }] }, carrier: 'mng' },
    ]);
  });

  test('named quantities are taken parcel by parcel; parcels with nothing to send back get no label', () => {
    expect(returnParcels(delivered, { reason: 'r', lines: [{ sku: 'MUG', quantity: 3 }] })).toEqual([
      { allocation: { warehouseId: 'IST', lines: [{ sku: 'MUG', quantity: 2 }] }, carrier: 'ups' },
      { allocation: { warehouseId: 'ANK', lines: [{ sku: 'MUG', quantity: 1 }] }, carrier: 'mng' },
    ]);
    expect(returnParcels(delivered, { reason: 'r', lines: [{ sku: 'CUP', quantity: 1 }] })).toEqual([
      { allocation: { warehouseId: 'IST', lines: [{ sku: 'CUP', quantity: 1 }] }, carrier: 'ups' },
    ]);
  });

  test('labels: settled once each return parcel has one or was refused; refused ones are not handed out', () => {
    const labelled = parcel({ kind: 'return', status: 'labelled', carrier: 'ups', trackingNumber: 'R1', labelRef: 'L1' });
    const waiting = parcel({ kind: 'return', status: 'booking' });
    const refused = parcel({ kind: 'return', status: 'cancelled' });
    expect(returnLabelsSettled([...delivered, labelled, waiting])).toBe(false);
    expect(returnLabelsSettled([...delivered, labelled, refused])).toBe(true);
    expect(returnLabels([...delivered, labelled, refused])).toEqual([
      { shipmentId: labelled.shipmentId, carrier: 'ups', trackingNumber: 'R1', labelRef: 'L1' },
    ]);
  });
});

test('a shipment has ended once delivered, returned or cancelled', () => {
  expect(['delivered', 'returned', 'cancelled'].every((s) => shipmentFinished(s as ShipmentView['status']))).toBe(true);
  expect(shipmentFinished('return_to_sender')).toBe(false);
});
