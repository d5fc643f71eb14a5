// HTTP calls to MNG Kargo's REST API as spec/mng-openapi.yaml captures it: every path under
// /mngapi/api, the API gateway's X-IBM-Client-Id/Secret on every call, a bearer token from
// POST /token (cached until shortly before it expires, fetched again once on a 401), a timeout on
// every call (the shared transport), zod on every reply. Replies that MNG wraps in one-element
// arrays are read wrapped or not (spec: "read both").
import { z } from 'zod';
import { bearerAuth, createHttpTransport, jsonCall, jsonReplies, type HttpCall, type HttpReply } from '../transport/http';
import { turkeyIso } from '../turkey';
import { CARRIER, httpFailure, ipRefusal, isDuplicate, malformedFailure, unsubscribedFailure } from './errors';

export const API_PATH = '/mngapi/api';

export interface MngClientConfig {
  /** The API host: https://api.mngkargo.com.tr (production), https://testapi.mngkargo.com.tr (test), or the sandbox's http://127.0.0.1:4010/mng. */
  baseUrl: string;
  /** The API gateway's pair (apizone/sandbox portal), sent as X-IBM-Client-Id and X-IBM-Client-Secret. */
  clientId: string;
  clientSecret: string;
  /** The MNG account's customer number and panel password, exchanged for a token. */
  customerNumber: string;
  password: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
}

// --- what the adapter sends (spec: components/schemas) ---
export interface MngPiece {
  barcode: string;
  desi: number;
  kg: number;
  content: string;
}
export interface MngOrder {
  referenceId: string;
  barcode: string;
  billOfLandingId: string;
  isCOD: 0 | 1;
  codAmount: number;
  shipmentServiceType: number;
  packagingType: number;
  content: string;
  paymentType: number;
  deliveryType: number;
  smsPreference1: 0 | 1;
  smsPreference2: 0 | 1;
  smsPreference3: 0 | 1;
  description: string;
}
/** The recipient of createOrder, the shipper of createReturnOrder. */
export interface MngCustomer {
  cityCode: number;
  cityName: string;
  districtCode: number;
  districtName: string;
  address: string;
  fullName: string;
  taxNumber: string;
  mobilePhoneNumber?: string;
}
export interface CreateOrderRequest {
  order: MngOrder;
  orderPieceList: MngPiece[];
  recipient: MngCustomer;
}
export interface CreateReturnOrderRequest {
  order: MngOrder;
  orderPieceList: MngPiece[];
  shipper: MngCustomer;
}
export interface CreateBarcodeRequest {
  referenceId: string;
  billOfLandingId: string;
  isCOD: 0 | 1;
  codAmount: number;
  packagingType: number;
  printReferenceBarcodeOnError: 0 | 1;
  orderPieceList: MngPiece[];
}
/** calculate's body is described by no source (spec: `type: object`); the sandbox's shape. */
export interface CalculateRequest {
  shipmentServiceType: number;
  packagingType: number;
  paymentType: number;
  isCOD: 0 | 1;
  codAmount: number;
  recipient: Pick<MngCustomer, 'cityCode' | 'cityName' | 'districtCode' | 'districtName'>;
  orderPieceList: Array<Pick<MngPiece, 'desi' | 'kg'>>;
}

// --- what the carrier answers ---
/** One object, or the one-element array MNG is reported to wrap it in. */
const one = <T extends z.ZodType>(schema: T) =>
  z.union([schema, z.array(schema).length(1)]).transform((v) => (Array.isArray(v) ? v[0] : v));
const Id = z.union([z.string().min(1), z.number()]).transform(String);

const TokenSchema = z.object({ jwt: z.string().min(1), jwtExpireDate: z.string().optional() });
const CalculateSchema = z.object({ finalTotal: z.number().nonnegative(), estimatedDeliveryDays: z.number().int().min(0) });
const CreateOrderSchema = one(z.object({ orderInvoiceId: Id }));
const CreateReturnOrderSchema = one(z.object({ orderInvoiceId: Id.optional(), returnOrderLabelURL: z.string().optional() }));
const ZPL = /\^XA[\s\S]*\^XZ/;
export const BarcodeSchema = one(
  z.object({
    referenceId: z.string().optional(),
    shipmentId: Id,
    // `barcode` (the scannable string) is absent in older replies; `value` is the ZPL.
    barcodes: z.array(z.object({ pieceNumber: z.number().int().optional(), barcode: z.string().optional(), value: z.string() })).min(1),
  }),
);
/** getorder: whether the order exists and whether createbarcode has made it a shipment. */
const OrderSchema = z.array(
  z.object({
    order: z.object({
      referenceId: z.string().optional(),
      isTransformedToShipment: z.number().int().optional(),
      shipmentId: Id.nullish(),
    }),
  }),
);
export const MovementSchema = z.object({
  eventSequence: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(Number),
  eventStatus: z.string().min(1),
  eventDateTime: z.string().min(1),
  location: z.string().optional(),
});
export type MngMovement = z.infer<typeof MovementSchema>;
const PlacesSchema = z.array(z.object({ code: z.coerce.number().int(), name: z.string().min(1) }));
export type MngPlaces = z.infer<typeof PlacesSchema>;

const parseReply = jsonReplies(CARRIER, httpFailure);

/** An order looked up by our referenceId: absent, registered, or made a shipment. */
export type MngOrderState = { exists: false } | { exists: true; shipmentId?: string };

/** MNG's dates: `dd.MM.yyyy HH:mm:ss` (Turkey's time) as integrations show, or ISO; undefined when neither (their format is undocumented). */
export function mngTime(value: string): string | undefined {
  if (/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/.test(value)) return turkeyIso(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return undefined;
  return /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}+03:00`; // no offset: Turkey's time
}

/** Tokens are reported valid 8 hours; an expiry we cannot read is taken as 7. */
const FALLBACK_TOKEN_LIFE_MS = 7 * 3600_000;

export function createMngClient({ baseUrl, clientId, clientSecret, customerNumber, password, timeoutMs }: MngClientConfig) {
  const gatewayHeaders = { 'X-IBM-Client-Id': clientId, 'X-IBM-Client-Secret': clientSecret, Accept: 'application/json' };
  const exchange = createHttpTransport({
    carrier: CARRIER,
    baseUrl: `${baseUrl.replace(/\/+$/, '')}${API_PATH}`,
    timeoutMs,
    headers: gatewayHeaders,
  });
  const withToken = bearerAuth(exchange, async () => {
    const reply = await exchange('token', '/token', jsonCall('POST', { customerNumber, password, identityType: 1 }));
    const { jwt, jwtExpireDate } = parseReply('token', reply, TokenSchema);
    const expiresAt = Date.parse(mngTime(jwtExpireDate ?? '') ?? '');
    return { value: jwt, expiresAt: Number.isNaN(expiresAt) ? Date.now() + FALLBACK_TOKEN_LIFE_MS : expiresAt };
  });
  /** A call with the bearer token; a 401 a fresh token did not cure is the gateway's subscription check, said so. */
  async function authorized(operation: string, path: string, call?: HttpCall): Promise<HttpReply> {
    const reply = await withToken(operation, path, call);
    if (reply.status === 401) throw unsubscribedFailure(operation, path, reply);
    return reply;
  }
  const ref = encodeURIComponent;

  /** An order registered, or found registered already under its referenceId ("… KAYIT ZATEN VAR"). */
  async function register<T>(operation: string, path: string, body: object, schema: z.ZodType<T>): Promise<T | 'exists'> {
    const reply = await authorized(operation, path, jsonCall('POST', body));
    if (isDuplicate(reply)) return 'exists';
    return parseReply(operation, reply, schema);
  }

  /** A 404 for a lookup: nothing under that key. */
  const notFound = (reply: HttpReply) => reply.status === 404;

  return {
    async calculate(request: CalculateRequest) {
      return parseReply(
        'calculate',
        await authorized('calculate', '/standardqueryapi/calculate', jsonCall('POST', request)),
        CalculateSchema,
      );
    },

    createOrder: (request: CreateOrderRequest) => register('createOrder', '/standardcmdapi/createOrder', request, CreateOrderSchema),

    createReturnOrder: (request: CreateReturnOrderRequest) =>
      register('createReturnOrder', '/standardcmdapi/createReturnOrder', request, CreateReturnOrderSchema),

    /** The shipment id and the ZPL labels (one per piece, joined into one print job). */
    async createBarcode(request: CreateBarcodeRequest): Promise<{ shipmentId: string; zpl: string }> {
      const reply = await authorized('createbarcode', '/barcodecmdapi/createbarcode', jsonCall('POST', request));
      const refused = ipRefusal('createbarcode', reply);
      if (refused) throw refused;
      return readBarcode(parseReply('createbarcode', reply, BarcodeSchema), request.referenceId);
    },

    /** getorder/{referenceId}: the lookup that makes a retried booking find the first one. */
    async order(referenceId: string): Promise<MngOrderState> {
      const reply = await authorized('getorder', `/standardqueryapi/getorder/${ref(referenceId)}`);
      if (notFound(reply)) return { exists: false };
      const [record] = parseReply('getorder', reply, OrderSchema);
      if (!record) return { exists: false };
      const { isTransformedToShipment, shipmentId } = record.order;
      return { exists: true, shipmentId: isTransformedToShipment === 1 && shipmentId ? shipmentId : undefined };
    },

    /** The movements of one shipment: by MNG's shipment id (digits), else by our referenceId (a return before the branch has it). */
    async movements(trackingNumber: string): Promise<MngMovement[]> {
      const path = /^\d+$/.test(trackingNumber)
        ? `/standardqueryapi/trackshipmentByShipmentId/${trackingNumber}`
        : `/standardqueryapi/trackshipment/${ref(trackingNumber)}`;
      const reply = await authorized('trackshipment', path);
      return notFound(reply) ? [] : parseReply('trackshipment', reply, z.array(MovementSchema));
    },

    /** Cancels an order that has no shipment yet; the reply carries no body worth reading. */
    async cancelOrder(referenceId: string): Promise<void> {
      const reply = await authorized('cancelorder', `/standardcmdapi/cancelorder/${ref(referenceId)}`, { method: 'PUT' });
      if (reply.status >= 300) throw httpFailure('cancelorder', reply);
    },

    async cancelShipment(referenceId: string, shipmentId: string): Promise<void> {
      const reply = await authorized('cancelshipment', '/barcodecmdapi/cancelshipment', jsonCall('PUT', { referenceId, shipmentId }));
      if (reply.status >= 300) throw httpFailure('cancelshipment', reply);
    },

    // The CBS (place code) lists need the gateway's headers only, no token.
    async cities(): Promise<MngPlaces> {
      return parseReply('getcities', await exchange('getcities', '/cbsinfoapi/getcities', { method: 'GET' }), PlacesSchema);
    },

    async districts(cityCode: number): Promise<MngPlaces> {
      return parseReply(
        'getdistricts',
        await exchange('getdistricts', `/cbsinfoapi/getdistricts/${cityCode}`, { method: 'GET' }),
        PlacesSchema,
      );
    },
  };
}

/** createbarcode's reply as the adapter needs it; a label that is not ZPL is a malformed reply. */
export function readBarcode(shipment: z.infer<typeof BarcodeSchema>, referenceId: string): { shipmentId: string; zpl: string } {
  if (shipment.referenceId && shipment.referenceId !== referenceId)
    throw malformedFailure('createbarcode', 'the shipment is for another referenceId');
  if (!shipment.barcodes.every((b) => ZPL.test(b.value))) throw malformedFailure('createbarcode', 'barcodes[].value is not a ZPL label');
  return { shipmentId: shipment.shipmentId, zpl: shipment.barcodes.map((b) => b.value).join('\n') };
}

export type MngClient = ReturnType<typeof createMngClient>;
