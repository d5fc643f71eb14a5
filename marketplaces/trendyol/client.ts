// HTTP calls to Trendyol's order integration as spec/ defines them (getShipmentPackages,
// updatePackageStatus, createCommonLabel, getCommonLabel), and updateTrackingNumber, which it does
// not (below: taken from public integrations), with the Authorization guide's HTTP Basic
// (API key and secret) and the User-Agent every call must carry: "{sellerId} - {integrator}" (403
// without). Zod reads only what the adapter uses; the sandbox double checks every request against
// the generated subset when it is there (spec/README.md).
import { z } from 'zod';
import { marketplaceHttp, type HttpCall } from '../http';
import { MARKETPLACE, trendyolError } from './errors';

export interface TrendyolClientConfig {
  /** The server with its /integration path: https://apigw.trendyol.com/integration, or the sandbox's http://127.0.0.1:4010/trendyol/integration. */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  sellerId: string;
  /** The integrator's name in the User-Agent ("SelfIntegration" when the seller wrote the integration). */
  integrator: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
}

/** Documented as strings; lonca's production probes saw numbers (spec/README.md): either is read as text. */
const Text = z.union([z.string(), z.number()]).transform(String);

const AddressSchema = z.object({
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  fullName: z.string().nullish(),
  address1: z.string().nullish(),
  address2: z.string().nullish(),
  city: z.string().nullish(),
  district: z.string().nullish(),
  postalCode: z.string().nullish(),
  countryCode: z.string().nullish(),
});
export type TrendyolAddress = z.infer<typeof AddressSchema>;

const LineSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  merchantSku: z.string().nullish(),
  quantity: z.number().int(),
  price: z.number().nullish(),
  currencyCode: z.string().nullish(),
});
export type TrendyolLine = z.infer<typeof LineSchema>;

const PackageSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  orderNumber: Text,
  status: z.string(),
  customerFirstName: z.string().nullish(),
  customerLastName: z.string().nullish(),
  shipmentAddress: AddressSchema.nullish(),
  agreedDeliveryDate: z.number().nullish(),
  cargoTrackingNumber: Text.nullish(),
  cargoProviderName: z.string().nullish(),
  lines: z.array(LineSchema).default([]),
  packageHistory: z.array(z.object({ createdDate: z.number().nullish(), status: z.string().nullish() })).nullish(),
  // Not in the reference schema; Trendyol's guide example and production replies carry them (spec/README.md).
  lastModifiedDate: z.number().nullish(),
  orderDate: z.number().nullish(),
});
export type TrendyolPackage = z.infer<typeof PackageSchema>;

const PageSchema = z.object({
  page: z.number().int(),
  size: z.number().int(),
  totalPages: z.number().int(),
  totalElements: z.number().int(),
  content: z.array(PackageSchema),
});
export type TrendyolPage = z.infer<typeof PageSchema>;

/**
 * Production sends cargoTrackingNumber and shipmentNumber as JSON numbers (lonca's probes), and a
 * tracking number of 17 or more digits is past what a JavaScript number holds exactly: they are read
 * as the digits Trendyol wrote, quoted before the body is parsed (a quote inside a string is escaped,
 * so no string's text is touched).
 */
export const quoteLongNumbers = (json: string) =>
  json.replace(/"(cargoTrackingNumber|shipmentNumber)"(\s*):(\s*)(-?\d+)/g, '"$1"$2:$3"$4"');

const LabelsSchema = z.object({ data: z.array(z.object({ label: z.string(), format: z.string().optional() })).default([]) });

/** One window of packages by last modification, or the packages of some ids (at most 50). */
export type PackagesQuery = { startDate: number; endDate: number; page: number; size: number } | { shipmentPackageIds: string[] };

export function createTrendyolClient(config: TrendyolClientConfig) {
  const http = marketplaceHttp(MARKETPLACE, config.timeoutMs, trendyolError);
  const root = `${config.baseUrl.replace(/\/+$/, '')}`;
  const seller = encodeURIComponent(config.sellerId);
  const headers = {
    Authorization: `Basic ${Buffer.from(`${config.apiKey}:${config.apiSecret}`).toString('base64')}`,
    'User-Agent': `${config.sellerId} - ${config.integrator}`,
  };
  const send = (operation: string, path: string, call: HttpCall = { method: 'GET' }) =>
    http.send(operation, `${root}${path}`, { ...call, headers: { ...headers, ...call.headers } });
  const json = (method: HttpCall['method'], body: unknown): HttpCall => ({
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

  return {
    /** getShipmentPackages, oldest change first (orderByField PackageLastModifiedDate, ASC). */
    async getShipmentPackages(query: PackagesQuery): Promise<TrendyolPage> {
      const params = new URLSearchParams();
      if ('shipmentPackageIds' in query) for (const id of query.shipmentPackageIds) params.append('shipmentPackageIds', id);
      else {
        params.set('startDate', String(query.startDate));
        params.set('endDate', String(query.endDate));
        params.set('page', String(query.page));
        params.set('size', String(query.size));
        params.set('orderByField', 'PackageLastModifiedDate');
        params.set('orderByDirection', 'ASC');
      }
      const reply = await send('getShipmentPackages', `/order/sellers/${seller}/orders?${params.toString()}`);
      return http.read('getShipmentPackages', { ...reply, text: quoteLongNumbers(reply.text) }, PageSchema);
    },

    /** updatePackageStatus: Picking, or Invoiced with its invoice number; 200 and no body when taken. */
    async updatePackageStatus(
      packageId: string,
      update: { status: 'Picking' | 'Invoiced'; lines: { lineId: number; quantity: number }[]; params?: { invoiceNumber: string } },
    ): Promise<void> {
      const reply = await send(
        'updatePackageStatus',
        `/order/sellers/${seller}/shipment-packages/${encodeURIComponent(packageId)}`,
        json('PUT', update),
      );
      if (reply.status !== 200) http.read('updatePackageStatus', reply, z.unknown());
    },

    /**
     * updateTrackingNumber ("Kargo Takip Kodu Bildirme"): the tracking number of a parcel the seller
     * ships on its own carrier contract; 200 and no body when taken. NOT in the definition we hold
     * (spec/README.md: none of its 34 operations): the path, the body `{"trackingNumber": "<string>"}`
     * and the empty 200 are what public integrations send and read (the PHP client boolxy/trendyol,
     * src/Services/OrderService.php `updateTrackingNumber`, and two TypeScript clients in the public
     * index); its rate limit (300 a minute) is on Trendyol's service limits page. An assumption until
     * tried on stage (README.md).
     */
    async updateTrackingNumber(packageId: string, trackingNumber: string): Promise<void> {
      const reply = await send(
        'updateTrackingNumber',
        `/order/sellers/${seller}/shipment-packages/${encodeURIComponent(packageId)}/update-tracking-number`,
        json('PUT', { trackingNumber }),
      );
      if (reply.status !== 200) http.read('updateTrackingNumber', reply, z.unknown());
    },

    /** createCommonLabel: asks Trendyol to make the label (ZPL) of a Trendyol-contracted TEX or Aras parcel; 200 and no body. */
    async createCommonLabel(trackingNumber: string, request: { format: 'ZPL'; boxQuantity?: number }): Promise<void> {
      const reply = await send(
        'createCommonLabel',
        `/sellers/${seller}/common-label/${encodeURIComponent(trackingNumber)}`,
        json('POST', request),
      );
      if (reply.status !== 200) http.read('createCommonLabel', reply, z.unknown());
    },

    /** getCommonLabel: the labels made so far, one per box (none before Trendyol made them). */
    async getCommonLabel(trackingNumber: string): Promise<{ label: string; format?: string }[]> {
      const reply = await send('getCommonLabel', `/sellers/${seller}/common-label/${encodeURIComponent(trackingNumber)}`);
      return http.read('getCommonLabel', reply, LabelsSchema).data;
    },
  };
}

export type TrendyolClient = ReturnType<typeof createTrendyolClient>;
