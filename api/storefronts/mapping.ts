// What every storefront's order mapping shares: the 422 for a signed, well-formed order we
// cannot take, and the few rules that are the same whichever storefront sold the order.
import { z } from 'zod';
import { OrderInputSchema, type OrderInput } from '../../domain/order';
import { subdivisionCode } from '../../domain/subdivisions';
import { HttpError, validationError } from '../errors';

/** A storefront's order that we cannot ship as sent: 422, each field named by its path in the storefront's payload. */
function unmappable(error: z.ZodError, where: string): HttpError {
  const { message, details } = validationError(error, where);
  return new HttpError(422, 'unmappable_order', message, details);
}

/** Reads the fields we use from a storefront's payload; a 422 naming the storefront's field otherwise. */
export function readPayload<S extends z.ZodType>(schema: S, body: unknown, storefront: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw unmappable(parsed.error, `${storefront} order`);
  return parsed.data;
}

/** The mapped order, held to the same schema as POST /v1/orders. */
export function validOrder(candidate: unknown): OrderInput {
  const parsed = OrderInputSchema.safeParse(candidate);
  if (!parsed.success) throw unmappable(parsed.error, 'mapped order');
  return parsed.data;
}

// --- payload fields both storefronts send alike ---
/** A text field a storefront may leave blank (null, or an empty string: present() reads both as absent). */
export const text = z.string().nullish();

/** A money amount as the storefronts send it: a decimal string ("129.90"), read as a number. */
export const decimalAmount = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a decimal amount such as 129.90')
  .transform(Number);

/** The buyer as both storefronts describe them (Shopify's customer, WooCommerce's billing). */
export const Contact = z.object({ first_name: text, last_name: text, email: text, phone: text });

/** Storefronts send empty strings (WooCommerce) or null (Shopify) for fields left blank. */
export const present = (value: string | null | undefined): string | undefined => value?.trim() || undefined;

/** Express when the shipping line the customer chose says so (Turkish shops write "Ekspres"). */
export const serviceFrom = (...shippingLineTexts: (string | null | undefined)[]): OrderInput['service'] =>
  shippingLineTexts.some((text) => /express|ekspres/i.test(text ?? '')) ? 'express' : 'standard';

/**
 * Turkish carriers route by the province (il) as the city and the district (ilçe) within it;
 * Turkish checkouts put the province in its own field and the district in "city". Elsewhere the
 * storefront's city is the city.
 */
export function cityAndDistrict(countryCode: string, city: string, province: string | undefined): { city: string; district?: string } {
  if (countryCode !== 'TR' || !province) return { city };
  const sameAsProvince = city.toLocaleLowerCase('tr') === province.toLocaleLowerCase('tr');
  return sameAsProvince ? { city: province } : { city: province, district: city };
}

/**
 * The state or province as a code (Shopify's province_code, WooCommerce's state), where it reads as
 * one (domain/subdivisions.ts). Not for Turkey, whose province is already the city (cityAndDistrict).
 */
export const stateCodeOf = (countryCode: string, raw: string | undefined): string | undefined =>
  countryCode === 'TR' ? undefined : subdivisionCode(countryCode, raw);

/** "Ayşe" + "Yılmaz" → "Ayşe Yılmaz", skipping blanks. */
export const fullName = (...parts: (string | null | undefined)[]): string | undefined =>
  present(
    parts
      .map((p) => p?.trim() ?? '')
      .filter(Boolean)
      .join(' '),
  );
