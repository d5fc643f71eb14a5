// An order's status while it ships, read from its shipments. Pure: workflow code imports it.
import type { OrderStatus } from './order';
import type { ShipmentView } from './shipment';
import type { ShipmentStatus } from './statuses';

/** How far a shipment has come, for the order's own status: the least advanced shipment decides. */
const PROGRESS: [OrderStatus, ShipmentStatus[]][] = [
  ['fulfilling', ['packing', 'awaiting_pack', 'booking']],
  ['labelled', ['labelled', 'pending']],
  ['picked_up', ['picked_up']],
  ['on_hold', ['on_hold', 'unknown', 'return_to_sender']],
  ['in_transit', ['in_transit']],
  ['delivery_failed', ['delivery_failed']],
  ['ready_for_pickup', ['ready_for_pickup']],
  ['out_for_delivery', ['out_for_delivery']],
  ['delivered', ['delivered']],
  ['returned', ['returned']],
];

/**
 * A parcel needing ops, then a lost or late one, speaks for the order; otherwise the least
 * advanced parcel does. Undefined while none is moving (all cancelled): cancellation sets
 * the order's status itself.
 */
export function orderStatusOf(shipments: ShipmentView[]): OrderStatus | undefined {
  const moving = shipments.filter((s) => s.status !== 'cancelled');
  if (moving.some((s) => s.status === 'needs_attention')) return 'needs_attention';
  if (moving.some((s) => s.status === 'address_invalid')) return 'address_invalid';
  if (moving.some((s) => s.alert === 'lost')) return 'lost';
  if (moving.some((s) => s.alert === 'delayed' && s.status !== 'delivered')) return 'delayed';
  const ranks = moving.map((s) => PROGRESS.findIndex(([, members]) => members.includes(s.status)));
  return ranks.length > 0 ? PROGRESS[Math.min(...ranks)][0] : undefined;
}

/** The order status a parcel's own status stands for, or the status itself where no order status groups it (cancelled, needs_attention…). */
function progressOf(status: ShipmentStatus): string {
  return PROGRESS.find(([, members]) => members.includes(status))?.[0] ?? status;
}

/**
 * What of a parcel its order needs to hear, as one comparable string: everything but its scans,
 * its quotes and its parcel size, and its status only as far as the order's status reads it
 * (packing and booking are both fulfilling; a second hub scan is in_transit still). A parcel that
 * reports milestones only signals its order when this changes; the API reads the rest from
 * PostgreSQL, where the parcel records every change.
 */
export function orderNews(view: ShipmentView): string {
  const { events: _events, quotes: _quotes, parcel: _parcel, decision: _decision, status, ...rest } = view;
  const fields = Object.entries({ ...rest, progress: progressOf(status) }).filter(([, value]) => value !== undefined);
  return JSON.stringify(fields.sort(([a], [b]) => (a < b ? -1 : 1)));
}
