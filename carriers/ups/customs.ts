// A parcel across a customs border as UPS declares it (Shipping.yaml
// ShipmentServiceOptions.InternationalForms): a commercial invoice (FormType 01) with a Product per
// SKU, the buyer as SoldTo, and the duties billed to us when the order is DDP; into the EU, the
// merchant's IOSS number. Rate gets the
// invoice's total (InvoiceLineTotal, asked for international time-in-transit rates); a DDP parcel's
// goods go to Landed Cost for the duties the merchant will pay.
import { EU_COUNTRIES } from '../../domain/countries';
import { missingCustomsFields, type CustomsLine, type OrderCustoms, type ShipmentCustoms } from '../../domain/customs';
import type { ShipmentRequest } from '../../domain/shipment';
import { readableKey } from '../keys';
import { customsDataMissing, refusal } from './errors';

/** Where a parcel from our Turkish warehouse goes without international forms: Turkey, and the EU (its customs union with Turkey). */
const WITHOUT_FORMS: ReadonlySet<string> = new Set(['TR', ...EU_COUNTRIES]);

export const needsInternationalForms = (countryCode: string) => !WITHOUT_FORMS.has(countryCode);

const EU: ReadonlySet<string> = new Set(EU_COUNTRIES);

/** InternationalForms.ReasonForExport's values (SALE, GIFT, SAMPLE, RETURN, REPAIR, …). */
const REASONS: Readonly<Record<OrderCustoms['reasonForExport'], string>> = {
  sale: 'SALE',
  return: 'RETURN',
  gift: 'GIFT',
  sample: 'SAMPLE',
  repair: 'REPAIR',
};

/** A party as UPS writes it: what ShipTo and SoldTo share. */
export interface UpsParty {
  Name: string;
  AttentionName: string;
  Phone?: { Number: string };
  Address: { AddressLine: string[]; City: string; StateProvinceCode?: string; PostalCode: string; CountryCode: string };
}

/** A line whose every required field is there (missingCustomsFields found none). */
type CompleteLine = CustomsLine & Required<Pick<CustomsLine, 'description' | 'hsCode' | 'originCountry' | 'unitValue' | 'currency'>>;

/** The one currency of the invoice; UPS's form takes one for all its values. */
function invoiceCurrency(operation: string, lines: CompleteLine[]): string {
  const currencies = [...new Set(lines.map((l) => l.currency))];
  if (currencies.length > 1)
    throw refusal(operation, `customs values in more than one currency (${currencies.join(', ')}): one invoice takes one`);
  return currencies[0];
}

function product(line: CompleteLine) {
  return {
    Description: [line.description],
    CommodityCode: line.hsCode,
    OriginCountryCode: line.originCountry,
    PartNumber: readableKey(line.sku, 35),
    Unit: { Number: String(line.quantity), Value: line.unitValue.toFixed(2), UnitOfMeasurement: { Code: 'PCS', Description: 'PCS' } },
  };
}

/**
 * The customs data of a parcel that needs forms, checked complete (a field missing is refused
 * before any call, naming `<sku>.<field>`); undefined where no forms are needed, or none were
 * resolved (then UPS refuses the parcel, and that refusal is read as missing customs data).
 */
export function completeCustoms(operation: string, request: ShipmentRequest): (ShipmentCustoms & { lines: CompleteLine[] }) | undefined {
  const { customs } = request;
  if (!customs || !needsInternationalForms(request.to.countryCode)) return undefined;
  const missing = missingCustomsFields(customs);
  if (missing.length > 0) throw customsDataMissing(operation, missing);
  return customs as ShipmentCustoms & { lines: CompleteLine[] };
}

/** ShipmentServiceOptions.InternationalForms: the commercial invoice. The ETGB reference, where the merchant has one, rides in its comments. */
export function internationalForms(operation: string, customs: ShipmentCustoms & { lines: CompleteLine[] }, soldTo: UpsParty) {
  return {
    FormType: ['01'],
    InvoiceNumber: readableKey(customs.invoiceNumber, 35),
    InvoiceDate: customs.invoiceDate.replaceAll('-', ''),
    ReasonForExport: REASONS[customs.reasonForExport],
    TermsOfShipment: customs.dutiesTerms,
    CurrencyCode: invoiceCurrency(operation, customs.lines),
    Contacts: { SoldTo: soldTo },
    Product: customs.lines.map(product),
    ...(customs.etgbReference && { Comments: `ETGB ${customs.etgbReference}` }),
  };
}

/** Rate's InvoiceLineTotal: the goods' value in whole units (UPS takes 1 to 99999999), when every line has one in one currency. */
export function invoiceLineTotal(request: ShipmentRequest) {
  const lines = request.customs?.lines ?? [];
  if (!needsInternationalForms(request.to.countryCode) || lines.length === 0) return undefined;
  const currencies = new Set(lines.map((l) => l.currency));
  if (currencies.size !== 1 || lines.some((l) => l.unitValue === undefined || !l.currency)) return undefined;
  const total = lines.reduce((sum, l) => sum + l.quantity * l.unitValue!, 0);
  return { CurrencyCode: lines[0].currency!, MonetaryValue: String(Math.min(99_999_999, Math.max(1, Math.round(total)))) };
}

/**
 * The merchant's IOSS number for a parcel into the EU (Shipping.yaml ShipFrom.VendorInfo,
 * VendorCollectIDTypeCode 0356, a consumer consignee): UPS prints it on the invoice and customs
 * collect no VAT at the door. ShipFrom is our shipper, where UPS assumes the parcel leaves from anyway.
 */
export function iossShipFrom(request: ShipmentRequest, shipper: UpsParty) {
  const ioss = request.customs?.iossNumber;
  if (!ioss || !EU.has(request.to.countryCode)) return {};
  return { ShipFrom: { ...shipper, VendorInfo: { VendorCollectIDTypeCode: '0356', VendorCollectIDNumber: ioss, ConsigneeType: '02' } } };
}

/** PaymentInformation's charges: transportation to our account, and the duties too when the merchant pays them (DDP). */
export function shipmentCharges(accountNumber: string, request: ShipmentRequest) {
  const billShipper = { BillShipper: { AccountNumber: accountNumber } };
  const duties = request.customs?.dutiesTerms === 'DDP' && needsInternationalForms(request.to.countryCode);
  return { ShipmentCharge: [{ Type: '01', ...billShipper }, ...(duties ? [{ Type: '02', ...billShipper }] : [])] };
}

/**
 * A LandedCostRequest (LandedCost.yaml) for a parcel whose duties the merchant pays (DDP) across a
 * customs border: the goods as on the invoice, in their one currency. Undefined otherwise, and where
 * the customs data is incomplete or in more than one currency (the booking says what is missing).
 */
export function landedCostRequest(request: ShipmentRequest, exportCountryCode: string) {
  const { customs } = request;
  if (customs?.dutiesTerms !== 'DDP' || !needsInternationalForms(request.to.countryCode)) return undefined;
  if (missingCustomsFields(customs).length > 0) return undefined;
  const lines = customs.lines as CompleteLine[];
  const currencies = new Set(lines.map((l) => l.currency));
  if (currencies.size !== 1) return undefined;
  return {
    currencyCode: lines[0].currency,
    alversion: 1,
    shipment: {
      id: readableKey(request.shipmentId, 100),
      importCountryCode: request.to.countryCode,
      exportCountryCode,
      incoterms: 'DDP',
      shipmentType: REASONS[customs.reasonForExport],
      shipmentItems: lines.map((l) => ({
        commodityId: readableKey(l.sku, 100),
        priceEach: l.unitValue,
        commodityCurrencyCode: l.currency,
        quantity: l.quantity,
        UOM: 'Each',
        hsCode: l.hsCode,
        description: l.description,
        originCountryCode: l.originCountry,
      })),
    },
  };
}
