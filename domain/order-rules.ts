// What an order still allows (cancel, a new address, a return) and which address its parcels go
// to. Each rule answers why not, or undefined when allowed. Pure: workflow code imports it.
import type { OrderView, ReturnRequest } from './order';
import type { Address } from './shared-shapes';
import { handedToCarrier } from './statuses';

type Picture = Pick<OrderView, 'status' | 'shipments'>;

/** Cancelling or re-addressing is possible until a parcel is with the carrier. */
function handedOver(order: Picture, code: string): string | undefined {
  const withCarrier = order.shipments.find((s) => handedToCarrier(s.status));
  if (withCarrier) return `${code}: parcel ${withCarrier.shipmentId} is already ${withCarrier.status}`;
  if (['cancelled', 'closed', 'delivered'].includes(order.status)) return `${code}: the order is already ${order.status}`;
  return undefined;
}

export function whyNotCancellable(order: Picture): string | undefined {
  return handedOver(order, 'not_cancellable');
}

/** A printed label carries the old address: re-addressing stops there. */
export function whyAddressNotChangeable(order: Picture): string | undefined {
  const code = 'address_not_changeable';
  const refusal = handedOver(order, code);
  if (refusal) return refusal;
  const labelled = order.shipments.find((s) => s.trackingNumber && s.status !== 'cancelled');
  if (labelled) return `${code}: parcel ${labelled.shipmentId} is already ${labelled.status} with a label; cancel and re-order instead`;
  return undefined;
}

/** One return per order, asked for while it is delivered (the return window), of what was delivered. */
export function whyNotReturnable(order: Picture, alreadyRequested: boolean, request: ReturnRequest): string | undefined {
  if (alreadyRequested) return 'return_already_requested';
  if (order.status !== 'delivered') return `not_returnable: the order is ${order.status}`;
  return whyLinesNotReturnable(order, request.lines ?? []);
}

/** Each line names a delivered SKU, and no SKU is asked back more often than it was delivered (across lines). */
function whyLinesNotReturnable(order: Picture, lines: NonNullable<ReturnRequest['lines']>): string | undefined {
  const delivered = new Map<string, number>();
  for (const parcel of order.shipments.filter((s) => s.kind === 'outbound' && s.status === 'delivered')) {
    for (const line of parcel.lines) delivered.set(line.sku, (delivered.get(line.sku) ?? 0) + line.quantity);
  }
  const asked = new Map<string, number>();
  for (const [i, { sku, quantity }] of lines.entries()) {
    if (!delivered.has(sku)) return `return_lines_invalid: lines.${i}.sku: ${sku} was not delivered in this order`;
    asked.set(sku, (asked.get(sku) ?? 0) + quantity);
    if (asked.get(sku)! > delivered.get(sku)!) {
      return `return_lines_invalid: lines.${i}.quantity: ${asked.get(sku)} of ${sku} asked back, ${delivered.get(sku)} delivered`;
    }
  }
  return undefined;
}

/** Couriers call before delivering (some carriers require a phone): the customer's, when the address has none. */
export function deliveryAddress(shippingAddress: Address, customerPhone: string | undefined): Address {
  return shippingAddress.phone || !customerPhone ? shippingAddress : { ...shippingAddress, phone: customerPhone };
}
