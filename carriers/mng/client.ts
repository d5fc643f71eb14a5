// HTTP calls to MNG Kargo's REST API (/mngapi/api/...), made as to the real carrier: the API
// gateway's X-IBM-Client-Id/Secret on every call, a bearer token from the identity call (cached
// until shortly before it expires, fetched again once on a 401), a timeout on every call, zod on
// every response.
import { z } from 'zod';
import { bearerAuth, createHttpTransport, jsonCall, jsonReplies, type HttpReply } from '../transport/http';
import { turkeyIso } from '../turkey';
import { CARRIER, MNG_CODES, carrierError, httpFailure, malformedFailure } from './errors';

const API_PATH = '/mngapi/api';

export interface MngClientConfig {
  /** The carrier's root, e.g. https://apizone.mngkargo.com.tr or the sandbox's http://127.0.0.1:4010/mng. */
  baseUrl: string;
  /** The API gateway's pair, sent as X-IBM-Client-Id and X-IBM-Client-Secret. */
  clientId: string;
  clientSecret: string;
  /** The MNG account's pair, exchanged for a token. */
  customerNumber: string;
  password: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
}

// --- what the adapter sends ---
/** The recipient's province and district: CBS codes, or 0 with the names (the carrier resolves them). */
export interface MngPlace {
  cityCode: number;
  cityName: string;
  districtCode: number;
  districtName?: string;
}
export interface MngPiece {
  barcode: string;
  desi: number;
  kg: number;
  content: string;
}
interface Charges {
  isCOD: 0 | 1;
  codAmount: number;
}
export interface CalculateRequest extends Charges {
  shipmentServiceType: number;
  packagingType: number;
  paymentType: number;
  recipient: MngPlace;
  orderPieceList: Array<Pick<MngPiece, 'desi' | 'kg'>>;
}
export interface CreateOrderRequest {
  order: Charges & {
    referenceId: string;
    /** The carrier requires it to equal referenceId. */
    barcode: string;
    billOfLandingId: string;
    shipmentServiceType: number;
    packagingType: number;
    paymentType: number;
    deliveryType: number;
    content: string;
    isReturn: 0 | 1;
  };
  orderPieceList: MngPiece[];
  recipient: MngPlace & { fullName: string; address: string; mobilePhoneNumber?: string };
}
export interface CreateBarcodeRequest extends Charges {
  referenceId: string;
  billOfLandingId: string;
  packagingType: number;
  orderPieceList: MngPiece[];
}

// --- what the carrier answers ---
/** dd.MM.yyyy HH:mm:ss, Turkey's local time. */
const TurkeyDateTime = z.string().regex(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/, 'expected dd.MM.yyyy HH:mm:ss');
const TokenSchema = z.object({ jwt: z.string().min(1), jwtExpireDate: TurkeyDateTime });
const CalculateSchema = z.object({ finalTotal: z.number().nonnegative(), estimatedDeliveryDays: z.number().int().min(0) });
const CreateOrderSchema = z.array(z.object({ orderInvoiceId: z.coerce.string().min(1) })).min(1);
const BarcodeSchema = z
  .array(
    z.object({
      referenceId: z.string().min(1),
      shipmentId: z.string().min(1).max(64),
      barcodes: z.array(z.object({ barcode: z.string(), value: z.string().regex(/\^XA[\s\S]*\^XZ/, 'expected a ZPL label') })).min(1),
    }),
  )
  .length(1);
const MovementSchema = z.object({
  eventSequence: z.number().int().min(1),
  eventStatusCode: z.number().int().min(0),
  eventStatus: z.string().optional(),
  eventDateTime: TurkeyDateTime,
  unitName: z.string().optional(),
  cityName: z.string().optional(),
});
export type MngMovement = z.infer<typeof MovementSchema>;
const StatusSchema = z.object({
  referenceId: z.string().min(1),
  shipmentId: z.string().min(1).max(64).nullable(),
  shipmentStatusCode: z.number().int().min(0),
  movements: z.array(MovementSchema).default([]),
});
export type MngStatus = z.infer<typeof StatusSchema>;
const PlacesSchema = z.array(z.object({ code: z.number().int(), name: z.string().min(1) }));
export type MngPlaces = z.infer<typeof PlacesSchema>;

const parseReply = jsonReplies(CARRIER, httpFailure);

const isCarrierCode = (reply: HttpReply, code: string) => carrierError(reply).code === code;

export function createMngClient({ baseUrl, clientId, clientSecret, customerNumber, password, timeoutMs }: MngClientConfig) {
  const gatewayHeaders = { 'X-IBM-Client-Id': clientId, 'X-IBM-Client-Secret': clientSecret, Accept: 'application/json' };
  const exchange = createHttpTransport({
    carrier: CARRIER,
    baseUrl: `${baseUrl.replace(/\/+$/, '')}${API_PATH}`,
    timeoutMs,
    headers: gatewayHeaders,
  });
  const authorized = bearerAuth(exchange, async () => {
    const reply = await exchange('token', '/token', jsonCall('POST', { customerNumber, password, identityType: 1 }));
    const { jwt, jwtExpireDate } = parseReply('token', reply, TokenSchema);
    return { value: jwt, expiresAt: Date.parse(turkeyIso(jwtExpireDate)) };
  });

  return {
    async calculate(request: CalculateRequest) {
      return parseReply(
        'calculate',
        await authorized('calculate', '/standardqueryapi/calculate', jsonCall('POST', request)),
        CalculateSchema,
      );
    },

    /** Registers the order; a referenceId the carrier already holds (3002) is this key's earlier attempt, so the order is there. */
    async createOrder(request: CreateOrderRequest): Promise<void> {
      const reply = await authorized('createOrder', '/standardcmdapi/createOrder', jsonCall('POST', request));
      if (isCarrierCode(reply, MNG_CODES.duplicateReference)) return;
      parseReply('createOrder', reply, CreateOrderSchema);
    },

    /** The shipment number and ZPL labels of an order; the carrier answers a repeat with the same shipment. */
    async createBarcode(request: CreateBarcodeRequest): Promise<{ shipmentId: string; zpl: string }> {
      const reply = await authorized('createbarcode', '/barcodecmdapi/createbarcode', jsonCall('POST', request));
      const [shipment] = parseReply('createbarcode', reply, BarcodeSchema);
      if (shipment.referenceId !== request.referenceId) throw malformedFailure('createbarcode', 'the shipment is for another referenceId');
      // One label per piece; ZPL documents concatenate into one print job.
      return { shipmentId: shipment.shipmentId, zpl: shipment.barcodes.map((b) => b.value).join('\n') };
    },

    /** The order's status, or undefined when the carrier holds no order under the referenceId. */
    async orderStatus(referenceId: string): Promise<MngStatus | undefined> {
      const reply = await authorized('getshipmentstatus', `/standardqueryapi/getshipmentstatus/${encodeURIComponent(referenceId)}`);
      if (reply.status === 404 && isCarrierCode(reply, MNG_CODES.orderNotFound)) return undefined;
      return parseReply('getshipmentstatus', reply, StatusSchema);
    },

    /** Status and movements of up to 50 shipments in one call; numbers the carrier does not hold are left out. */
    async shipmentStatuses(shipmentIds: string[]): Promise<MngStatus[]> {
      const reply = await authorized('getshipmentstatus', '/standardqueryapi/getshipmentstatus', jsonCall('POST', { shipmentIds }));
      return parseReply('getshipmentstatus', reply, z.array(StatusSchema));
    },

    /** Cancels an order that has no shipment yet. */
    async cancelOrder(referenceId: string): Promise<void> {
      parseReply(
        'cancelorder',
        await authorized('cancelorder', `/standardcmdapi/cancelorder/${encodeURIComponent(referenceId)}`, { method: 'PUT' }),
        StatusSchema,
      );
    },

    async cancelShipment(referenceId: string, shipmentId: string): Promise<void> {
      parseReply(
        'cancelshipment',
        await authorized('cancelshipment', '/barcodecmdapi/cancelshipment', jsonCall('PUT', { referenceId, shipmentId })),
        StatusSchema,
      );
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

export type MngClient = ReturnType<typeof createMngClient>;
