// What a return sends back in which parcel, and the labels the customer gets. Pure: workflow code imports it.
import type { ReturnLabel, ReturnRequest } from './order';
import type { Allocation, ShipmentView } from './shipment';

export interface ReturnParcel {
  allocation: Allocation;
  /** The carrier that delivered the parcel takes it back. */
  carrier: string;
}

/** The asked-for quantities (all delivered when none), taken parcel by parcel from the delivered ones. */
export function returnParcels(shipments: ShipmentView[], request: ReturnRequest): ReturnParcel[] {
  const remaining = new Map<string, number>();
  for (const l of request.lines ?? []) remaining.set(l.sku, (remaining.get(l.sku) ?? 0) + l.quantity);
  const take = (sku: string, shipped: number) => {
    if (!request.lines) return shipped;
    const n = Math.min(shipped, remaining.get(sku) ?? 0);
    remaining.set(sku, (remaining.get(sku) ?? 0) - n);
    return n;
  };
  return shipments
    .filter((s) => s.kind === 'outbound' && s.status === 'delivered')
    .map((s) => {
      const lines = s.lines.map((l) => ({ sku: l.sku, quantity: take(l.sku, l.quantity) })).filter((l) => l.quantity > 0);
      return { allocation: { warehouseId: s.warehouseId, lines }, carrier: s.carrier! };
    })
    .filter(({ allocation }) => allocation.lines.length > 0);
}

/** Every return parcel has its label, or was refused one. */
export function returnLabelsSettled(shipments: ShipmentView[]): boolean {
  return shipments.filter((s) => s.kind === 'return').every((s) => s.trackingNumber || s.status === 'cancelled');
}

export function returnLabels(shipments: ShipmentView[]): ReturnLabel[] {
  return shipments
    .filter((s) => s.kind === 'return' && s.trackingNumber && s.status !== 'cancelled')
    .map((s) => ({ shipmentId: s.shipmentId, carrier: s.carrier!, trackingNumber: s.trackingNumber!, labelRef: s.labelRef! }));
}
