// Customs data: what a parcel crossing a customs border declares for each of its goods, and on what
// terms. Per-SKU defaults live in the `products` table (PUT /v1/products/:sku); an order line may
// override any field, and the order says why the goods leave and who pays the duties. Every rule is
// in the schema, so the OpenAPI document publishes it and a request valid by it is one we accept.
import { z } from 'zod';
import { EU_COUNTRIES, ISO_COUNTRIES } from './countries';
import { amount, text } from './shared-shapes';

export const REASONS_FOR_EXPORT = ['sale', 'return', 'gift', 'sample', 'repair'] as const;
/** DAP: the customer pays duties and taxes on arrival; DDP: the merchant does. */
export const DUTIES_TERMS = ['DAP', 'DDP'] as const;

/** The most a carrier's customs declaration takes per product line (UPS: Product.Description, 35). */
export const CUSTOMS_DESCRIPTION_MAX = 35;
/** A parcel's goods, one unit: UPS takes 70 kg for the whole parcel. */
const MAX_UNIT_WEIGHT_GRAMS = 70_000;

export const HsCodeSchema = z.string().regex(/^\d{6,10}$/, 'must be an HS code of 6 to 10 digits, without dots');
export const CountryCodeSchema = z.enum(ISO_COUNTRIES, { error: 'must be an ISO 3166-1 alpha-2 country code such as TR or CN' });
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as EUR');

/** One unit of a SKU as customs see it; a product holds the defaults, an order line may override any field. */
const customsFields = {
  description: text(CUSTOMS_DESCRIPTION_MAX),
  hsCode: HsCodeSchema,
  originCountry: CountryCodeSchema,
  unitValue: amount().min(0.01, 'must be at least 0.01'), // a positive amount in whole cents: 5e-324 is positive, and 0.00 in numeric(12,2)
  currency: CurrencySchema,
  unitWeightGrams: z.number().int().min(1).max(MAX_UNIT_WEIGHT_GRAMS),
};

/** PUT /v1/products/:sku: the SKU's customs defaults; the weight may be left to the packed parcel. */
export const ProductSchema = z.object({ ...customsFields, unitWeightGrams: customsFields.unitWeightGrams.optional() });
export type Product = z.infer<typeof ProductSchema>;

/** lines[].customs: any field, overriding the product's. */
export const LineCustomsSchema = z.object(customsFields).partial();
export type LineCustoms = z.infer<typeof LineCustomsSchema>;

export const OrderCustomsSchema = z.object({
  reasonForExport: z.enum(REASONS_FOR_EXPORT),
  dutiesTerms: z.enum(DUTIES_TERMS),
  /** Turkey's e-commerce export declaration (ETGB), where the merchant has filed one: carried, not filed by us. */
  etgbReference: z
    .string()
    .regex(/^[A-Z0-9-]{1,35}$/, 'must be 1-35 characters of A-Z 0-9 -')
    .optional(),
  /** The EU's Import One-Stop Shop number of the merchant, for low-value parcels into the EU. */
  iossNumber: z
    .string()
    .regex(/^IM\d{10}$/, 'must be an IOSS number: IM and 10 digits')
    .optional(),
});
export type OrderCustoms = z.infer<typeof OrderCustomsSchema>;

/**
 * PUT /v1/orders/:id/customs: what ops supply for an order waiting on customs data (the fields the
 * carrier named), overriding the order's own; each SKU's fields merge over what was there.
 */
export const SuppliedCustomsSchema = z.object({
  customs: OrderCustomsSchema.optional(),
  lines: z
    .array(z.object({ sku: text(64), customs: LineCustomsSchema }))
    .max(500)
    .optional(),
});
export type SuppliedCustoms = z.infer<typeof SuppliedCustomsSchema>;

type CustomsOfLines = { sku: string; customs?: LineCustoms }[];

/** Each SKU's fields from `later` over those of `earlier`; SKUs only one names are kept as they are. */
function mergeLines(earlier: CustomsOfLines = [], later: CustomsOfLines = []): { sku: string; customs: LineCustoms }[] {
  const merged = new Map(earlier.map((l) => [l.sku, l.customs ?? {}]));
  for (const { sku, customs } of later) merged.set(sku, { ...merged.get(sku), ...customs });
  return [...merged].map(([sku, customs]) => ({ sku, customs }));
}

/** What ops supplied over time, the latest winning field by field. */
export function mergeSupplied(earlier: SuppliedCustoms | null | undefined, later: SuppliedCustoms): SuppliedCustoms {
  const customs = later.customs ?? earlier?.customs;
  return { ...(customs && { customs }), lines: mergeLines(earlier?.lines, later.lines) };
}

/** The order's customs as they stand: as received, with what ops supplied since over it. */
export function withSupplied<Line extends { sku: string; customs?: LineCustoms }>(
  order: { customs?: OrderCustoms; lines: Line[] },
  supplied: SuppliedCustoms | null | undefined,
): { customs?: OrderCustoms; lines: { sku: string; customs?: LineCustoms }[] } {
  if (!supplied) return order;
  const customs = supplied.customs ?? order.customs;
  return { ...(customs && { customs }), lines: mergeLines(order.lines, supplied.lines) };
}

/** One SKU of a parcel with its customs data resolved (the line's, else the product's); a field neither has is absent. */
export interface CustomsLine extends LineCustoms {
  sku: string;
  quantity: number;
}

/** What a carrier declares for a parcel across a customs border: product data and terms, no personal data. */
export interface ShipmentCustoms extends OrderCustoms {
  /** The commercial invoice's number: the order's id. */
  invoiceNumber: string;
  /** YYYY-MM-DD, the day of booking. */
  invoiceDate: string;
  lines: CustomsLine[];
}

/** The fields a customs declaration cannot go without; the unit weight can come from the packed parcel. */
export const REQUIRED_CUSTOMS_FIELDS = ['description', 'hsCode', 'originCountry', 'unitValue', 'currency'] as const;

/** An order placed without customs terms is taken as a sale, its duties paid by the customer. */
export const DEFAULT_ORDER_CUSTOMS: OrderCustoms = { reasonForExport: 'sale', dutiesTerms: 'DAP' };

/** Each line's customs data: the order line's own fields over the product's defaults. */
export function resolveCustomsLine(
  line: { sku: string; quantity: number; customs?: LineCustoms },
  product: Partial<Product> | undefined,
): CustomsLine {
  const merged = { ...product, ...line.customs };
  const defined = Object.entries(merged).filter(([, value]) => value !== undefined && value !== null);
  return { ...(Object.fromEntries(defined) as LineCustoms), sku: line.sku, quantity: line.quantity };
}

/** What a declaration still lacks, named `<sku>.<field>` so a person knows what to supply; empty when complete. */
export function missingCustomsFields(customs: Pick<ShipmentCustoms, 'lines'>): string[] {
  if (customs.lines.length === 0) return ['lines'];
  return customs.lines.flatMap((line) =>
    REQUIRED_CUSTOMS_FIELDS.filter((field) => line[field] === undefined).map((f) => `${line.sku}.${f}`),
  );
}

/** Turkey and the EU: a customs union for parcels between them, which travel without a commercial invoice. */
const CUSTOMS_UNION: ReadonlySet<string> = new Set(['TR', ...EU_COUNTRIES]);

/** A paper commercial invoice goes with a parcel from our warehouses to outside Turkey and the EU, once its customs data is complete. */
export function commercialInvoiceDue(customs: ShipmentCustoms | undefined, destination: string): customs is ShipmentCustoms {
  return customs !== undefined && !CUSTOMS_UNION.has(destination) && missingCustomsFields(customs).length === 0;
}
