// What a parcel tells the marketplace, in the marketplace's terms (docs/design/marketplaces.md
// section 6): which commands an event tells, and our lines (SKUs and quantities) as the marketplace's
// own line ids.
import { handedToCarrier, type ShipmentStatus } from '../domain/statuses';
import type { OutboundEvent } from '../domain/webhooks';

export interface ParcelLine {
  sku: string;
  quantity: number;
}

/** A line of the package as intake stored it, with our SKU (the SKU map's, else the marketplace's own). */
export interface PackageLine {
  lineId: string;
  sku: string;
  quantity: number;
}

/**
 * The package's lines a parcel carries: each of the parcel's SKUs taken from the package's lines of
 * that SKU in their order, never more than a line holds. Units the package has no line for are left
 * out: the marketplace would refuse them, and intake mapped every line, so none should exist.
 */
export function parcelItems(parcel: ParcelLine[], packageLines: PackageLine[]): { lineId: string; quantity: number }[] {
  const left = new Map(packageLines.map((line) => [line.lineId, line.quantity]));
  const items = new Map<string, number>();
  for (const { sku, quantity } of parcel) {
    let wanted = quantity;
    for (const line of packageLines) {
      if (wanted === 0) break;
      if (line.sku !== sku) continue;
      const taken = Math.min(wanted, left.get(line.lineId)!);
      if (taken === 0) continue;
      left.set(line.lineId, left.get(line.lineId)! - taken);
      items.set(line.lineId, (items.get(line.lineId) ?? 0) + taken);
      wanted -= taken;
    }
  }
  return [...items].map(([lineId, quantity]) => ({ lineId, quantity }));
}

/** The parcel's number within its order: shipment ids end in it (shipment-<orderId>-<n>). */
export function parcelNumber(shipmentId: string): number | undefined {
  const n = /-(\d+)$/.exec(shipmentId)?.[1];
  return n === undefined || Number(n) < 1 ? undefined : Number(n);
}

/**
 * What an event tells a marketplace: the parcel labelled (its lines are being picked), with its
 * carrier, delivered, or coming back undelivered.
 */
export type Command = 'picking' | 'shipped' | 'delivered' | 'undelivered';

/** The parcel ends its way to the buyer undelivered once its carrier brings it back; a failed attempt is retried by the carrier. */
const UNDELIVERED: readonly string[] = ['return_to_sender', 'returned'];

/**
 * The commands an event tells, in order. Any scan of the carrier's (on_hold and unknown included)
 * means the carrier has the parcel, so a delivery seen first (the earlier scans missed) tells
 * `shipped` before `delivered`; the ledger passes over a command told already.
 */
export function commandsOf({ type, data }: OutboundEvent): Command[] {
  if (type === 'shipment.labelled') return ['picking'];
  if (type !== 'shipment.tracking_updated' || !handedToCarrier(data.status as ShipmentStatus)) return [];
  if (data.status === 'delivered') return ['shipped', 'delivered'];
  if (UNDELIVERED.includes(data.status as string)) return ['shipped', 'undelivered'];
  return ['shipped'];
}
