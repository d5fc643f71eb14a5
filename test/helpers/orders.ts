import type { OrderInput } from '../../domain/order';
import { uniqueOrderId } from './env';

/** A shipping address across a customs border (GB: outside Turkey and the EU). */
export const LONDON = {
  name: 'Jane Smith',
  line1: '10 Downing Street',
  city: 'London',
  postalCode: 'SW1A 2AA',
  countryCode: 'GB',
  phone: '+44 20 7946 0000',
};

/** A valid order as an OMS would send it; override what a test is about. */
export function sampleOrder(overrides: Partial<OrderInput> = {}): OrderInput {
  return {
    orderId: uniqueOrderId(),
    channel: 'shopify',
    customer: { name: 'Ayşe Yılmaz', email: 'ayse@example.com', phone: '+905551112233' },
    shippingAddress: {
      name: 'Ayşe Yılmaz',
      line1: 'Bağdat Cad. No: 12 D: 4',
      city: 'İstanbul',
      district: 'Kadıköy',
      postalCode: '34710',
      countryCode: 'TR',
    },
    lines: [
      { sku: 'TSHIRT-RED-M', quantity: 2, unitPrice: 199.9 },
      { sku: 'MUG-WHITE', quantity: 1, unitPrice: 89.5 },
    ],
    service: 'standard',
    ...overrides,
  };
}
