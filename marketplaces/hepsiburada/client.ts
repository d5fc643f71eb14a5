// HTTP calls to Hepsiburada's order integration as spec/oms-external.subset.json defines them
// (generated locally, spec/README.md): HTTP Basic with the merchant id and its service key, and
// the integrator's username in User-Agent (the portal's changelog, January 2024). Zod reads only
// what the adapter uses; the sandbox double checks every request against the definition when the
// subset has been generated.
import { z } from 'zod';
import { marketplaceHttp, type HttpReply } from '../http';
import { hepsiburadaError, MARKETPLACE } from './errors';

export interface HepsiburadaClientConfig {
  /** The order integration's root: https://oms-external-sit.hepsiburada.com (SIT), or the sandbox's http://127.0.0.1:4010/hepsiburada. */
  baseUrl: string;
  merchantId: string;
  /** The merchant's 12-character service key: Basic's password. */
  serviceKey: string;
  /** The integrator's username, sent as User-Agent. */
  userAgent: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
}

const Money = z.object({ amount: z.number().optional(), currency: z.string().optional() });

const ItemSchema = z.object({
  lineItemId: z.string().min(1),
  merchantSku: z.string().optional(),
  quantity: z.number().int().positive(),
  orderNumber: z.string().optional(),
  /** "Kalemin birim tutarı": the unit price. */
  price: Money.optional(),
});
export type HepsiburadaItem = z.infer<typeof ItemSchema>;

const PackageSchema = z.object({
  packageNumber: z.string().min(1),
  status: z.string().optional(),
  /** "Paketin tahmini kargoya veriliş tarihi (esd)": the ship-by date. */
  dueDate: z.string().optional(),
  items: z.array(ItemSchema).default([]),
});
export type HepsiburadaPackage = z.infer<typeof PackageSchema>;

const AddressSchema = z.object({
  name: z.string().optional(),
  address: z.string().optional(),
  city: z.string().optional(),
  town: z.string().optional(),
  district: z.string().optional(),
  postalCode: z.string().optional(),
  countryCode: z.string().optional(),
  phoneNumber: z.string().optional(),
});
export type HepsiburadaAddress = z.infer<typeof AddressSchema>;
const OrderSchema = z.object({ deliveryAddress: AddressSchema.optional() });

const PackageCarriageSchema = z.object({ status: z.string().optional(), trackingInfoCode: z.string().optional() });

/** One page of the package listing: a window of the packages' creation, `limit` (at most 10) from `offset`. */
export interface PackagesQuery {
  begindate: string;
  enddate: string;
  offset: number;
  limit: number;
}

/** The intransit body: the definition's fields the engine has (cost, deci and tax it does not). */
export interface InTransit {
  trackingNumber: string;
  trackingUrl?: string;
  shippedDate: string;
}

export function createHepsiburadaClient(config: HepsiburadaClientConfig) {
  const http = marketplaceHttp(MARKETPLACE, config.timeoutMs, hepsiburadaError);
  const root = config.baseUrl.replace(/\/+$/, '');
  const merchant = `/merchantid/${encodeURIComponent(config.merchantId)}`;
  const headers = {
    Authorization: `Basic ${Buffer.from(`${config.merchantId}:${config.serviceKey}`).toString('base64')}`,
    'User-Agent': config.userAgent,
    Accept: 'application/json',
  };
  const get = (operation: string, path: string): Promise<HttpReply> => http.send(operation, `${root}${path}`, { method: 'GET', headers });
  const packagePath = (packageNumber: string) => `/packages${merchant}/packagenumber/${encodeURIComponent(packageNumber)}`;
  /** A package's status write: 200 with a bare string when taken; any other status is the failure its body names. */
  const post = async (operation: string, packageNumber: string, body: object): Promise<void> => {
    const reply = await http.send(operation, `${root}${packagePath(packageNumber)}/${operation}`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    http.read(operation, reply, z.unknown());
  };

  return {
    async listPackages(query: PackagesQuery): Promise<HepsiburadaPackage[]> {
      // `Offset` with a capital O, as the definition names it.
      const params = new URLSearchParams({
        begindate: query.begindate,
        enddate: query.enddate,
        limit: String(query.limit),
        Offset: String(query.offset),
      });
      const reply = await get('listPackages', `/packages${merchant}?${params.toString()}`);
      return http.read('listPackages', reply, z.array(PackageSchema));
    },

    async getOrder(orderNumber: string): Promise<z.infer<typeof OrderSchema>> {
      const reply = await get('getOrder', `/orders${merchant}/ordernumber/${encodeURIComponent(orderNumber)}`);
      return http.read('getOrder', reply, OrderSchema);
    },

    /** The package's carriage as Hepsiburada holds it: its status and the tracking number it was told. */
    async getPackage(packageNumber: string): Promise<z.infer<typeof PackageCarriageSchema>> {
      const reply = await get('getPackage', packagePath(packageNumber));
      return http.read('getPackage', reply, PackageCarriageSchema);
    },

    /** 200 with a bare string when taken; any other status is the failure its body names. */
    inTransit: (packageNumber: string, body: InTransit) => post('intransit', packageNumber, body),
    /** deliver: the merchant-shipped parcel was delivered (receivedBy and digitalCodes the engine does not have). */
    deliver: (packageNumber: string, body: { receivedDate: string }) => post('deliver', packageNumber, body),
    /** undeliver: the merchant-shipped parcel will not be delivered. */
    undeliver: (packageNumber: string, body: { undeliveredDate: string; undeliveredReason: string }) =>
      post('undeliver', packageNumber, body),
  };
}

export type HepsiburadaClient = ReturnType<typeof createHepsiburadaClient>;
