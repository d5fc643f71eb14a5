// The shapes an order and its shipments are both made of: an address and an order line. They live
// apart from order.ts and shipment.ts so that each of those can use them without importing the other.
import { z } from 'zod';
import { KNOWN_SUBDIVISIONS, SUBDIVISION_CODE, whyNotSubdivision } from './subdivisions';

/** What JavaScript's trim() removes, spelt out: the regex dialects that read a JSON Schema disagree on `\s`. */
const TRIMMED = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** PostgreSQL's text and jsonb cannot hold NUL (SQLSTATE 22021, 22P05): a NUL stored nowhere is refused here. */
// eslint-disable-next-line no-control-regex -- refusing NUL is the point
const STORABLE = /^[^\u0000]*$/;
const STORABLE_NOT_BLANK = new RegExp(`^[^\\u0000]*[^\\u0000${TRIMMED}][^\\u0000]*$`);
/** JSON Schema's lengths count code points; JavaScript's `length` counts UTF-16 units (an emoji is two). */
const codePoints = (s: string) => [...s].length;

/**
 * Text we store (in jsonb records and text columns), min to max characters as sent, trimmed after.
 * Required text (min > 0) must hold more than spaces. The limits are checked here and published in
 * the OpenAPI document from the same numbers, so a request valid by the contract is one we accept.
 */
export function text(max: number, { min = 1 }: { min?: number } = {}) {
  const pattern = min > 0 ? STORABLE_NOT_BLANK : STORABLE;
  return z
    .string()
    .refine((s) => pattern.test(s), min > 0 ? 'must not be blank or hold NUL characters' : 'must not hold NUL characters')
    .refine((s) => codePoints(s) >= min && codePoints(s) <= max, `must be ${min}-${max} characters`)
    .meta({ ...(min > 0 && { minLength: min }), maxLength: max, pattern: pattern.source })
    .trim();
}

/** An email address by zod's rule, within RFC 5321's lengths (64 characters before the @, 254 in all) and RFC 1035's labels (no dash at either end, 63 at most). */
export const email = () =>
  z
    .email({
      pattern: /^(?!\.)(?!.*\.\.)[A-Za-z0-9_'+\-.]{0,63}[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/,
    })
    .max(254);

/** The largest amount a numeric(12,2) column holds (order_lines.unit_price; cash on delivery alike). */
export const MAX_AMOUNT = 9_999_999_999.99;

/** An amount of money as PostgreSQL's numeric(12,2) holds it: whole cents, at most MAX_AMOUNT. */
export const amount = () => z.number().multipleOf(0.01, 'must be in whole cents (2 decimals)').max(MAX_AMOUNT);

/**
 * How the courier collects cash on delivery at the door: in cash, or by card on the courier's
 * terminal. Absent means cash: orders taken before the field existed, and storefronts that do not say.
 */
export const COLLECTION_TYPES = ['cash', 'card'] as const;
export type CollectionType = (typeof COLLECTION_TYPES)[number];

/** The most of one SKU a line (or a return) may ask for; well inside PostgreSQL's integer. */
export const MAX_QUANTITY = 10_000;

/**
 * The US and Canadian codes as the published schema says them: when countryCode is US (CA),
 * stateCode is one of the list. The rule is in the OpenAPI document, so a request it accepts is one
 * we accept (the contract fuzzer holds us to that), and clients see it before sending.
 */
const knownSubdivisionRules = Object.entries(KNOWN_SUBDIVISIONS).map(([country, { codes }]) => ({
  if: { properties: { countryCode: { const: country } }, required: ['countryCode'] },
  then: { properties: { stateCode: { enum: [...codes] } } },
}));

export const AddressSchema = z
  .object({
    name: text(200),
    line1: text(200),
    line2: text(200, { min: 0 }).optional(),
    city: text(100),
    district: text(100, { min: 0 }).optional(),
    /**
     * The state or province (first-level subdivision) as the subdivision part of its ISO 3166-2 code:
     * NY, ON. A code, not a name (Shopify's province_code, WooCommerce's and EasyPost's state, UPS's
     * StateProvinceCode); not "province", which in Turkey is the city. Optional: most countries'
     * carriers go without it; UPS needs it for the US, Canada and Vietnam and refuses such a parcel without one.
     */
    stateCode: z
      .string()
      .regex(SUBDIVISION_CODE, 'must be a state or province code: the part after the dash of an ISO 3166-2 code, such as NY for US-NY')
      .optional(),
    postalCode: text(20),
    countryCode: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as TR or DE'),
    phone: text(32, { min: 3 }).optional(),
  })
  .superRefine(({ stateCode, countryCode }, ctx) => {
    if (!stateCode || !SUBDIVISION_CODE.test(stateCode)) return; // absent, or refused for its form already
    const why = whyNotSubdivision(countryCode, stateCode);
    if (why) ctx.addIssue({ code: 'custom', path: ['stateCode'], message: why });
  })
  .meta({ allOf: knownSubdivisionRules });

export const OrderLineSchema = z.object({
  sku: text(64),
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
  unitPrice: amount().nonnegative().optional(),
});

export type Address = z.infer<typeof AddressSchema>;
export type OrderLine = z.infer<typeof OrderLineSchema>;
