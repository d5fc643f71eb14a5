// The double's customs rule: a Ship request whose parcel crosses a customs border must carry a
// commercial invoice (ShipmentServiceOptions.InternationalForms, FormType 01) whose every product
// has a CommodityCode, an OriginCountryCode and a Unit.Value. What it keeps of the forms is product
// data only (never SoldTo), for tests to see what UPS received.
import { EU_COUNTRIES } from '../../domain/countries';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies the guard has validated against the spec

/** Turkey and the EU: a customs union for parcels between them (the sandbox's reading, as the adapter's). */
const CUSTOMS_UNION: ReadonlySet<string> = new Set(['TR', ...EU_COUNTRIES]);

/** The invoice's fields UPS marks "Required for Invoice forms". */
const INVOICE_FIELDS = ['InvoiceNumber', 'InvoiceDate', 'ReasonForExport', 'CurrencyCode'] as const;

/** What the double keeps of a shipment's commercial invoice. */
export interface ReceivedForms {
  formType: string[];
  invoiceNumber?: string;
  reasonForExport?: string;
  termsOfShipment?: string;
  currency?: string;
  comments?: string;
  products: Array<{ description: string[]; commodityCode?: string; originCountryCode?: string; number?: string; value?: string }>;
}

/** UPS's definitions allow one-element arrays written as objects (carriers/ups/spec/README.md): read both. */
function many<T = Json>(value: unknown): T[] {
  return value === undefined ? [] : ([value].flat() as T[]);
}

export function crossesCustomsBorder(shipment: Json): boolean {
  return crossesBorder((shipment.ShipFrom ?? shipment.Shipper).Address.CountryCode, shipment.ShipTo.Address.CountryCode);
}

/** Between two countries, outside the customs union: Ship asks for an invoice, Landed Cost quotes duties. */
export function crossesBorder(from: string, to: string): boolean {
  return from !== to && !(CUSTOMS_UNION.has(from) && CUSTOMS_UNION.has(to));
}

/** What the invoice lacks, by UPS's field names; empty when complete. */
export function missingForms(shipment: Json): string[] {
  const forms: Json | undefined = shipment.ShipmentServiceOptions?.InternationalForms;
  if (!forms) return ['ShipmentServiceOptions.InternationalForms'];
  const missing = many<string>(forms.FormType).includes('01') ? [] : ['InternationalForms.FormType 01 (Invoice)'];
  missing.push(...INVOICE_FIELDS.filter((field) => !forms[field]).map((field) => `InternationalForms.${field}`));
  if (!forms.Contacts?.SoldTo) missing.push('InternationalForms.Contacts.SoldTo');
  const products = many(forms.Product);
  if (products.length === 0) missing.push('InternationalForms.Product');
  products.forEach((p, i) => {
    for (const field of ['CommodityCode', 'OriginCountryCode'] as const)
      if (!p[field]) missing.push(`InternationalForms.Product[${i}].${field}`);
    if (!p.Unit?.Value) missing.push(`InternationalForms.Product[${i}].Unit.Value`);
  });
  return missing;
}

export function receivedForms(shipment: Json): ReceivedForms | undefined {
  const forms: Json | undefined = shipment.ShipmentServiceOptions?.InternationalForms;
  if (!forms) return undefined;
  return {
    formType: many<string>(forms.FormType),
    invoiceNumber: forms.InvoiceNumber,
    reasonForExport: forms.ReasonForExport,
    termsOfShipment: forms.TermsOfShipment,
    currency: forms.CurrencyCode,
    comments: forms.Comments,
    products: many(forms.Product).map((p) => ({
      description: many<string>(p.Description),
      commodityCode: p.CommodityCode,
      originCountryCode: p.OriginCountryCode,
      number: p.Unit?.Number,
      value: p.Unit?.Value,
    })),
  };
}

/** The IOSS number of a parcel into the EU: ShipFrom.VendorInfo with VendorCollectIDTypeCode 0356. */
export function iossNumberOf(shipment: Json): string | undefined {
  const vendor: Json | undefined = shipment.ShipFrom?.VendorInfo;
  return vendor?.VendorCollectIDTypeCode === '0356' ? vendor.VendorCollectIDNumber : undefined;
}
