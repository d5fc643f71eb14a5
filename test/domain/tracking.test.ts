// What following a parcel decides, without a server: scans, deadlines, alerts, stock.
import type { ShipmentStatus, TrackingEvent } from '../../domain/shipment';
import {
  alertDue,
  arrivedBack,
  customerHearsOf,
  heldInCustoms,
  deadlines,
  lateAfter,
  mergeScans,
  nextPollInterval,
  stockLeavesNow,
  unusedReturnLabel,
} from '../../domain/tracking';

const scan = (status: ShipmentStatus & TrackingEvent['status'], occurredAt: string, trackingNumber = 'TN1'): TrackingEvent => ({
  eventId: `${trackingNumber}:${status}`,
  trackingNumber,
  status,
  occurredAt,
});

describe('mergeScans', () => {
  const pickedUp = scan('picked_up', '2026-11-24T09:00:00Z');
  const inTransit = scan('in_transit', '2026-11-24T18:00:00Z');
  const out = scan('out_for_delivery', '2026-11-25T08:00:00Z');

  test('orders the timeline by when scans happened, whatever order they arrive in', () => {
    expect(mergeScans([], [out, pickedUp, inTransit], 'TN1')?.map((e) => e.status)).toEqual([
      'picked_up',
      'in_transit',
      'out_for_delivery',
    ]);
  });

  test('drops duplicates by event id, within a batch and against the timeline', () => {
    expect(mergeScans([pickedUp], [pickedUp, inTransit, inTransit], 'TN1')).toEqual([pickedUp, inTransit]);
  });

  test('ignores scans of another parcel, and says when nothing was new', () => {
    expect(mergeScans([pickedUp], [pickedUp, scan('delivered', '2026-11-25T10:00:00Z', 'OTHER')], 'TN1')).toBeUndefined();
  });
});

test('customers hear of the last mile, not of every hub', () => {
  expect(['out_for_delivery', 'delivered', 'delivery_failed', 'ready_for_pickup'].every((s) => customerHearsOf(s as ShipmentStatus))).toBe(
    true,
  );
  expect(customerHearsOf('in_transit')).toBe(false);
  expect(customerHearsOf('picked_up')).toBe(false);
});

test('a customs hold is an on_hold scan with the customs reason; other hold-ups are not', () => {
  expect(heldInCustoms({ status: 'on_hold', reason: 'customs' })).toBe(true);
  expect(heldInCustoms({ status: 'on_hold' })).toBe(false);
  expect(heldInCustoms({ status: 'in_transit' })).toBe(false);
});

describe('deadlines', () => {
  const limits = { lateAt: 5_000, lostAfterMs: 1_000, lostFinalMs: 3_000, returnLabelValidityMs: 10_000 };
  const clock = { lastScanAt: 100, nextPollAt: 700 };

  test('an outbound parcel wakes for the next poll, the lost flag and the promised date, whichever is first', () => {
    expect(deadlines({ kind: 'outbound', status: 'in_transit' }, clock, limits)).toEqual({
      lostAt: 1_100,
      finalAt: Infinity,
      lateDue: 5_000,
      expiresAt: Infinity,
      wakeAt: 700,
    });
    expect(deadlines({ kind: 'outbound', status: 'in_transit' }, { lastScanAt: 100, nextPollAt: null }, limits).wakeAt).toBe(1_100);
  });

  test('a parcel flagged lost ends lost after the final deadline, counted from the lost flag (issue 16, defect 3)', () => {
    const lost = deadlines({ kind: 'outbound', status: 'in_transit', alert: 'lost' }, { lastScanAt: 100, nextPollAt: null }, limits);
    expect(lost.finalAt).toBe(4_100);
    expect(lost.wakeAt).toBe(4_100);
  });

  test('a flagged or delivered parcel is not flagged again', () => {
    expect(deadlines({ kind: 'outbound', status: 'in_transit', alert: 'lost' }, clock, limits)).toMatchObject({
      lostAt: Infinity,
      lateDue: Infinity,
    });
    expect(deadlines({ kind: 'outbound', status: 'in_transit', alert: 'delayed' }, clock, limits)).toMatchObject({
      lostAt: 1_100,
      lateDue: Infinity,
    });
    expect(deadlines({ kind: 'outbound', status: 'delivered' }, clock, limits).lateDue).toBe(Infinity);
  });

  test('an unused return label expires instead of going lost; once used, it is tracked like any parcel', () => {
    expect(deadlines({ kind: 'return', status: 'labelled' }, clock, limits)).toMatchObject({ lostAt: Infinity, expiresAt: 10_100 });
    expect(deadlines({ kind: 'return', status: 'picked_up' }, clock, limits)).toMatchObject({ lostAt: 1_100, expiresAt: Infinity });
    expect(unusedReturnLabel('return', 'labelled')).toBe(true);
    expect(unusedReturnLabel('outbound', 'labelled')).toBe(false);
  });

  test('late means after the end of the promised day plus the grace; never without a promise', () => {
    expect(lateAfter('2026-11-25', 1_000)).toBe(Date.parse('2026-11-25T23:59:59Z') + 1_000);
    expect(lateAfter(undefined, 1_000)).toBe(Infinity);
  });
});

test('a due lost flag comes before a due delayed one', () => {
  expect(alertDue(10, { lostAt: 10, lateDue: 5 })).toBe('lost');
  expect(alertDue(10, { lostAt: 11, lateDue: 10 })).toBe('delayed');
  expect(alertDue(10, { lostAt: 11, lateDue: 11 })).toBeUndefined();
});

test('polls back off, doubling up to the maximum', () => {
  expect(nextPollInterval(1_000, 5_000)).toBe(2_000);
  expect(nextPollInterval(4_000, 5_000)).toBe(5_000);
});

test('stock leaves the shelf once, when the carrier takes an outbound parcel, and comes back with a returned one', () => {
  expect(stockLeavesNow('outbound', 'picked_up', false)).toBe(true);
  expect(stockLeavesNow('outbound', 'picked_up', true)).toBe(false);
  expect(stockLeavesNow('outbound', 'labelled', false)).toBe(false);
  expect(stockLeavesNow('return', 'picked_up', false)).toBe(false);
  expect(arrivedBack('outbound', 'returned')).toBe(true);
  expect(arrivedBack('return', 'delivered')).toBe(true);
  expect(arrivedBack('outbound', 'delivered')).toBe(false);
  expect(arrivedBack('return', 'returned')).toBe(false);
});
