// Shopify's orders/create webhook payload (the REST Admin API order resource) → our order.
// Only the fields we read are declared; Shopify sends many more, and null for blank ones.
import { z } from 'zod';
import type { OrderInput } from '../../domain/order';
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

const ShopifyAddress = z.object({
  name: text,
  first_name: text,
  last_name: text,
  address1: z.string().trim().min(1),
  address2: text,
  city: z.string().trim().min(1),
  province: text,
  province_code: text,
  zip: z.string().trim().min(1),
  country_code: z.string(),
  phone: text,
});

const ShopifyLineItem = z
  .object({ sku: text, quantity: z.number().int().positive(), price: decimalAmount, requires_shipping: z.boolean().default(true) })
  // Stock is kept by SKU: a parcel line without one could never be allocated.
  .refine((item) => !item.requires_shipping || present(item.sku), { path: ['sku'], message: 'a shipped line needs a SKU' });

export const ShopifyOrderSchema = z.object({
  id: z.number().int().positive(),
  email: text,
  contact_email: text,
  phone: text,
  currency: z.string(),
  total_price: decimalAmount,
  payment_gateway_names: z.array(z.string()).default([]),
  customer: Contact.nullish(),
  shipping_address: ShopifyAddress,
  line_items: z.array(ShopifyLineItem).min(1),
  shipping_lines: z.array(z.object({ title: text, code: text })).default([]),
});
type ShopifyOrder = z.infer<typeof ShopifyOrderSchema>;
type Address = z.infer<typeof ShopifyAddress>;

/** Shopify's built-in manual payment method is named "Cash on Delivery (COD)". */
const isCashOnDelivery = (order: ShopifyOrder) => order.payment_gateway_names.some((name) => /cash on delivery/i.test(name));

function shippingAddress(address: Address, phone: string | undefined) {
  return {
    name: present(address.name) ?? fullName(address.first_name, address.last_name),
    line1: address.address1,
    line2: present(address.address2),
    ...cityAndDistrict(address.country_code, address.city, present(address.province)),
    stateCode: stateCodeOf(address.country_code, present(address.province_code)),
    postalCode: address.zip,
    countryCode: address.country_code,
    phone,
  };
}

export function shopifyOrder(body: unknown): OrderInput {
  const order = readPayload(ShopifyOrderSchema, body, 'Shopify');
  const address = order.shipping_address;
  const phone = present(address.phone) ?? present(order.phone) ?? present(order.customer?.phone);
  const shippingLine = order.shipping_lines[0];
  return validOrder({
    orderId: `shopify-${order.id}`,
    // Status and tracking go back to the order under the id the store knows it by.
    externalId: String(order.id),
    channel: 'shopify',
    customer: {
      name: fullName(order.customer?.first_name, order.customer?.last_name) ?? present(address.name),
      email: present(order.email) ?? present(order.contact_email) ?? present(order.customer?.email),
      phone,
    },
    shippingAddress: shippingAddress(address, phone),
    lines: order.line_items
      .filter((item) => item.requires_shipping)
      .map((item) => ({ sku: present(item.sku), quantity: item.quantity, unitPrice: item.price })),
    service: serviceFrom(shippingLine?.title, shippingLine?.code),
    cashOnDelivery: isCashOnDelivery(order) ? { amount: order.total_price, currency: order.currency } : undefined,
  });
}
