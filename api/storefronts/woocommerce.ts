// WooCommerce's order.created webhook payload (the REST API v3 order resource) → our order.
// Only the fields we read are declared; WooCommerce sends empty strings for blank fields.
import { z } from 'zod';
import type { OrderInput } from '../../domain/order';
import { TURKISH_PROVINCES } from '../../domain/turkish-provinces';
import {
  Contact,
  cityAndDistrict,
  decimalAmount,
  fullName,
  present,
  readPayload,
  serviceFrom,
  stateCodeOf,
  text,
  validOrder,
} from './mapping';

/** WooCommerce's Turkish state codes are TR + the province's licence-plate number (TR34 = İstanbul). */
function provinceName(countryCode: string, state: string | undefined): string | undefined {
  const plate = countryCode === 'TR' ? /^TR(\d{2})$/.exec(state ?? '')?.[1] : undefined;
  return plate ? TURKISH_PROVINCES[Number(plate) - 1] : undefined;
}

const WooShipping = z.object({
  first_name: text,
  last_name: text,
  address_1: z.string().trim().min(1),
  address_2: text,
  city: z.string().trim().min(1),
  state: text,
  postcode: z.string().trim().min(1),
  country: z.string(),
  phone: text, // since WooCommerce 5.6
});

const WooLineItem = z.object({
  // Stock is kept by SKU: a line without one could never be allocated.
  sku: z.string().trim().min(1, 'a shipped line needs a SKU'),
  quantity: z.number().int().positive(),
  price: z.number().nonnegative(),
});

export const WooOrderSchema = z.object({
  id: z.number().int().positive(),
  currency: z.string(),
  total: decimalAmount,
  payment_method: z.string(),
  billing: Contact,
  shipping: WooShipping,
  line_items: z.array(WooLineItem).min(1),
  shipping_lines: z.array(z.object({ method_id: text, method_title: text })).default([]),
});
type WooShippingAddress = z.infer<typeof WooShipping>;

function shippingAddress(shipping: WooShippingAddress, name: string | undefined, phone: string | undefined) {
  return {
    name,
    line1: shipping.address_1,
    line2: present(shipping.address_2),
    ...cityAndDistrict(shipping.country, shipping.city, provinceName(shipping.country, present(shipping.state))),
    stateCode: stateCodeOf(shipping.country, present(shipping.state)),
    postalCode: shipping.postcode,
    countryCode: shipping.country,
    phone,
  };
}

export function wooOrder(body: unknown): OrderInput {
  const order = readPayload(WooOrderSchema, body, 'WooCommerce');
  const customerName = fullName(order.billing.first_name, order.billing.last_name);
  const phone = present(order.shipping.phone) ?? present(order.billing.phone);
  const shippingLine = order.shipping_lines[0];
  return validOrder({
    orderId: `woo-${order.id}`,
    // Status and tracking go back to the order under the id the store knows it by.
    externalId: String(order.id),
    channel: 'woocommerce',
    customer: { name: customerName, email: present(order.billing.email), phone },
    shippingAddress: shippingAddress(order.shipping, fullName(order.shipping.first_name, order.shipping.last_name) ?? customerName, phone),
    // WooCommerce sends the unit price unrounded (total ÷ quantity, e.g. 166.583333); we keep cents, as the shop shows it.
    lines: order.line_items.map((item) => ({ sku: item.sku, quantity: item.quantity, unitPrice: Math.round(item.price * 100) / 100 })),
    service: serviceFrom(shippingLine?.method_title, shippingLine?.method_id),
    // WooCommerce's built-in cash-on-delivery gateway has the id "cod".
    cashOnDelivery: order.payment_method === 'cod' ? { amount: order.total, currency: order.currency } : undefined,
  });
}
