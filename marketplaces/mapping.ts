// A package, in the marketplace-neutral reading, as our order input (docs/design/marketplaces.md
// section 5), held to OrderInputSchema exactly as POST /v1/orders holds an order. What cannot be
// mapped is named by the field (`lines.0.sku`, `shippingAddress.postalCode`) so ops know what to fix;
// the reason never carries the value where it may be personal data (addresses, names).
import { earliestPromisedDate, OrderInputSchema, type OrderStart } from '../domain/order';
import type { MarketplaceShipping } from '../domain/shipment';
import type { MarketplacePackage } from './adapter';

export type Mapping = { order: OrderStart } | { unmappable: { field: string; reason: string } };

export interface MappingContext {
  orderId: string;
  /** The account the package came through: a marketplace-contracted parcel's label is asked through it. */
  account: { marketplace: string; accountId: string };
  channel: string;
  /** Our SKU for the marketplace's: the SKU map's, the marketplace SKU itself when it is a product, undefined otherwise. */
  skuOf: (marketplaceSku: string) => string | undefined;
}

/**
 * Marketplaces keep the buyer's e-mail to themselves (Amazon's is restricted data, often absent):
 * the order gets an address that reaches no one (RFC 2606's .invalid) until the design's open
 * question 8 is settled. No customer of ours is mailed at an address we made up.
 */
export const unreachableEmail = (orderId: string) => `${orderId.toLowerCase()}@marketplace.invalid`;

/**
 * The marketplace's delivery promise as the order's promised date, the day it falls on in Türkiye
 * (the marketplaces' and our customers' calendar): carriers are ranked by it and the late detection
 * watches it. A promise already past when the package is pulled is left out, so the order still
 * starts: it is late from the start, which the package's ship-by shows ops.
 */
function promiseOf(pkg: MarketplacePackage): { promisedDeliveryDate?: string } {
  const at = new Date(pkg.deliverBy ?? NaN);
  if (Number.isNaN(at.getTime())) return {};
  const day = at.toLocaleDateString('sv-SE', { timeZone: 'Europe/Istanbul' });
  return day >= earliestPromisedDate() ? { promisedDeliveryDate: day } : {};
}

/**
 * The marketplace's own carrier contract, where the package has one. Its parcel takes the
 * marketplace's carrier, tracking number and label instead of booking ours (paid twice, shipped
 * twice). A carrier that is not one of ours (Trendyol Express) is held for ops: no handover list or
 * customer message of ours knows it.
 */
function contractOf(pkg: MarketplacePackage, account: MappingContext['account']): { shipping?: MarketplaceShipping; held?: string } {
  if (!pkg.assigned) return {};
  const { carrierCode, carrierName, trackingNumber } = pkg.assigned;
  if (carrierCode.startsWith('marketplace:'))
    return {
      held: `shipped on the marketplace's own contract with ${carrierName ?? carrierCode}, not a carrier of ours: ship it from the seller panel`,
    };
  const { marketplace, accountId } = account;
  return { shipping: { marketplace, accountId, packageId: pkg.packageId, carrier: carrierCode, trackingNumber } };
}

export function toOrderInput(pkg: MarketplacePackage, { orderId, account, channel, skuOf }: MappingContext): Mapping {
  const contract = contractOf(pkg, account);
  if (contract.held) return { unmappable: { field: 'assigned', reason: contract.held } };
  const unknown = pkg.lines.findIndex((line) => skuOf(line.marketplaceSku) === undefined);
  if (unknown >= 0) {
    const sku = pkg.lines[unknown].marketplaceSku;
    const reason = sku ? `marketplace SKU ${sku} is neither in the SKU map nor a product` : 'the marketplace sent no SKU';
    return { unmappable: { field: `lines.${unknown}.sku`, reason } };
  }
  const shipTo = pkg.shipTo ?? {};
  const draft = {
    orderId,
    channel,
    externalId: pkg.orderNumber,
    customer: { name: shipTo.name ?? pkg.buyer?.name, email: pkg.buyer?.email ?? unreachableEmail(orderId) },
    shippingAddress: { ...shipTo },
    lines: pkg.lines.map((line) => ({ sku: skuOf(line.marketplaceSku)!, quantity: line.quantity, unitPrice: line.unitPrice })),
    service: pkg.service,
    ...(pkg.cashOnDelivery && { cashOnDelivery: pkg.cashOnDelivery }),
    ...promiseOf(pkg),
  };
  const parsed = OrderInputSchema.safeParse(draft);
  if (parsed.success) return { order: { ...parsed.data, ...(contract.shipping && { marketplaceShipping: contract.shipping }) } };
  const issue = parsed.error.issues[0];
  return { unmappable: { field: issue.path.join('.') || 'order', reason: issue.message } };
}
