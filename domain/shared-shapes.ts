// The shapes an order and its shipments are both made of: an address and an order line. They live
// apart from order.ts and shipment.ts so that each of those can use them without importing the other.
import { z } from 'zod';

export const AddressSchema = z.object({
  name: z.string().trim().min(1).max(200),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  district: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().min(1).max(20),
  countryCode: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as TR or DE'),
  phone: z.string().trim().min(3).max(32).optional(),
});

export const OrderLineSchema = z.object({
  sku: z.string().trim().min(1).max(64),
  quantity: z.number().int().min(1).max(10_000),
  unitPrice: z.number().nonnegative().optional(),
});

export type Address = z.infer<typeof AddressSchema>;
export type OrderLine = z.infer<typeof OrderLineSchema>;
