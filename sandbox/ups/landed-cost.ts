// The double's Landed Cost quote (LandedCost.yaml): duties and VAT of goods crossing a customs
// border, from the sandbox's OWN tables below, not any country's tariff. Deterministic, so tests can
// state the figures: a duty rate by HS chapter (the code's first two digits), VAT by the importing
// country on the goods' value plus duty, no brokerage fees. Figures are in the goods' currency
// (LandedCostResponse.shipment.currencyCode: "the Currency Code set at the commodity level").

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies the guard has validated against the spec

/** The sandbox's duty rates by HS chapter; any other chapter, or no HS code, pays DEFAULT_DUTY. */
const DUTY_BY_CHAPTER: Readonly<Record<string, number>> = {
  '42': 0.08, // leather goods, bags
  '49': 0, // books, printed matter
  '61': 0.12, // knitted clothing
  '62': 0.12, // woven clothing
  '64': 0.17, // footwear
  '69': 0.06, // ceramics
  '85': 0.02, // electrical goods
};
const DEFAULT_DUTY = 0.05;

/** The sandbox's VAT (or sales tax) rates by importing country; any other pays DEFAULT_VAT. */
const VAT_BY_COUNTRY: Readonly<Record<string, number>> = { GB: 0.2, US: 0, CH: 0.081, NO: 0.25, JP: 0.1, AU: 0.1, CA: 0.05 };
const DEFAULT_VAT = 0.15;

const cents = (n: number) => Math.round(n * 100) / 100;

function dutyRate(hsCode: string | undefined): number {
  return DUTY_BY_CHAPTER[(hsCode ?? '').replace(/\D/g, '').slice(0, 2)] ?? DEFAULT_DUTY;
}

/** One commodity's duty and VAT (Response_ShipmentItems). */
function commodity(item: Json, vatRate: number) {
  const value = Number(item.priceEach) * Number(item.quantity);
  const duty = cents(value * dutyRate(item.hsCode));
  const vat = cents((value + duty) * vatRate);
  return {
    commodityID: item.commodityId,
    hsCode: item.hsCode ?? '',
    commodityDuty: duty,
    totalCommodityTaxAndFee: 0,
    commodityVAT: vat,
    totalCommodityDutyAndTax: cents(duty + vat),
    commodityCurrencyCode: item.commodityCurrencyCode,
    isCalculable: true,
  };
}

/** The reply to a LandedCostRequest whose goods cross a customs border. */
export function landedCostQuote(request: Json) {
  const { shipment, transID } = request;
  const vatRate = VAT_BY_COUNTRY[shipment.importCountryCode] ?? DEFAULT_VAT;
  const items = (shipment.shipmentItems as Json[]).map((item) => commodity(item, vatRate));
  const sum = (field: 'commodityDuty' | 'commodityVAT') => cents(items.reduce((total, i) => total + i[field], 0));
  const [duties, vat] = [sum('commodityDuty'), sum('commodityVAT')];
  const now = new Date().toISOString();
  return {
    shipment: {
      currencyCode: shipment.shipmentItems[0].commodityCurrencyCode,
      importCountryCode: shipment.importCountryCode,
      id: shipment.id,
      brokerageFeeItems: [],
      totalBrokerageFees: 0,
      totalDuties: duties,
      totalCommodityLevelTaxesAndFees: 0,
      totalShipmentLevelTaxesAndFees: 0,
      totalVAT: vat,
      totalDutyAndTax: cents(duties + vat),
      grandTotal: cents(duties + vat),
      shipmentItems: items,
    },
    alVersion: 1,
    transID,
    perfStats: { absLayerTime: '1', fulfillTime: now, receiptTime: now },
  };
}
