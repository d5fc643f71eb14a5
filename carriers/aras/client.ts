// SOAP 1.1 calls to Aras Kargo's two services, made as to the real carrier: the order service
// (SetOrder, GetOrderWithIntegrationCode, CancelDispatch, SetPickupRequest) with username and
// password in every body, and the query service (GetQueryJSON) with its own LoginInfo (username,
// password, customer code) and a QueryInfo, each an XML document sent as a string. A timeout on
// every call, zod on every parsed envelope and on the JSON inside the query's result.
import { z } from 'zod';
import { NOT_JSON, readJson, type HttpReply } from '../transport/http';
import { createSoapTransport, Opt, xmlDocument } from '../transport/soap';
import { ARAS_CODES, CARRIER, httpFailure, malformedFailure, resultFailure } from './errors';

export const ORDER_SERVICE_PATH = '/arascargoservice/arascargoservice.asmx';
export const QUERY_SERVICE_PATH = '/ArasCargoIntegrationService.svc';
const SERVICE_NS = 'http://tempuri.org/';
/** The query service is WCF: its SOAPAction names the contract as well as the operation. */
const QUERY_CONTRACT = 'IArasCargoIntegrationService';
/** QueryType 9: a shipment's movements (KARGO HAREKETLERİ). */
const MOVEMENTS_QUERY_TYPE = 9;
/** IntegrationCodes asked for in one query call; more are split over several calls. */
const QUERY_BATCH_SIZE = 50;

export interface ArasClientConfig {
  /** The carrier's root, e.g. the sandbox's http://127.0.0.1:4010/aras; each service's path is appended. */
  baseUrl: string;
  username: string;
  password: string;
  /** The query service's third credential. */
  customerCode: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
}

// --- what the adapter sends, in the order of the service's published types (as its own samples
// send them: .NET's serializer reads a sequence in order) ---
export interface ArasPiece {
  VolumetricWeight: string;
  Weight: string;
  BarcodeNumber: string;
}

/** An order (the service's Order type); amounts and weights are decimal strings. */
export interface ArasOrder {
  TradingWaybillNumber: string;
  ReceiverName: string;
  ReceiverAddress: string;
  ReceiverPhone1: string;
  ReceiverCityName: string;
  ReceiverTownName: string;
  /** desi */
  VolumetricWeight: string;
  /** kg */
  Weight: string;
  PieceCount: number;
  /** Cash on delivery in TRY, collected in cash (CodCollectionType 0). */
  CodAmount?: string;
  CodCollectionType?: '0' | '1';
  IntegrationCode: string;
  /** 1: the sender (our contract) pays. */
  PayorTypeCode: '1' | '2';
  IsWorldWide: '0';
  IsCod: '0' | '1';
  /** 1: collected at the Receiver* address (the customer) for the merchant. */
  IsReturn: '0' | '1';
  PieceDetails: { PieceDetail: ArasPiece[] };
}

export interface ArasPickup {
  PickupCode: string;
  AddressId: string;
  /** dd.MM.yyyy */
  PickupDate: string;
  PieceCount: number;
}

// --- what the carrier answers (every XML value is a string; an empty element is '') ---
const ResultFields = { ResultCode: z.string().trim().min(1).max(20), ResultMessage: Opt(z.string().max(1000)) };

const SetOrderResultSchema = z.object({
  OrderResultInfo: z.array(z.object({ ...ResultFields, InvoiceKey: Opt(z.string().max(64)) })).min(1),
});
// An ArrayOfOrder: an empty one arrives as an empty element.
const OrderListSchema = z.union([
  z.literal('').transform(() => []),
  z.object({ Order: z.array(z.object({ IntegrationCode: z.string().min(1) })) }).transform((list) => list.Order),
]);
const DispatchResultSchema = z.object(ResultFields);
const PickupResultSchema = z.object({ ...ResultFields, PickupNumber: Opt(z.string().trim().min(1).max(40)) });

// GetQueryJSON's result is JSON text; the carrier's tables may send numbers as numbers or strings.
const Int = z.union([z.number().int(), z.string().trim().regex(/^\d+$/).transform(Number)]);
const MovementSchema = z.object({
  ENTEGRASYON_KODU: z.string().trim().min(1).max(64),
  HAREKET_NO: z.union([z.number().int(), z.string().trim().min(1).max(40)]).transform(String),
  ISLEM_TARIHI: z.string().regex(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/, 'must be dd.MM.yyyy HH:mm:ss'),
  BIRIM: z.string().max(100).nullish(),
  IL: z.string().max(100).nullish(),
  DURUM_KODU: Int,
  TIP_KODU: Int,
});
export type ArasMovement = z.infer<typeof MovementSchema>;
const QueryJsonSchema = z.object({ QueryResult: z.object({ CargoTransaction: z.array(MovementSchema) }).nullable() });

// Lists come back as arrays even with one member.
const LISTS = ['OrderResultInfo', 'Order'];

/** The query's JSON text, parsed and checked. */
function parseMovements(text: string): ArasMovement[] {
  const read = readJson(text, QueryJsonSchema);
  if ('problem' in read)
    throw malformedFailure(
      'GetQueryJSON',
      read.problem === NOT_JSON ? 'GetQueryJSONResult is not valid JSON' : `GetQueryJSONResult: ${read.problem}`,
    );
  return read.data.QueryResult?.CargoTransaction ?? [];
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export function createArasClient({ baseUrl, username, password, customerCode, timeoutMs }: ArasClientConfig) {
  const soap = createSoapTransport({
    carrier: CARRIER,
    baseUrl,
    timeoutMs,
    namespace: SERVICE_NS,
    lists: LISTS,
    faultCodeElement: 'ResultCode',
    httpFailure,
  });
  const exchange = (path: string, soapAction: string, operation: string, body: Record<string, unknown>) =>
    soap.call(path, soapAction, operation, body);
  const parseReply = <T>(operation: string, reply: HttpReply, schema: z.ZodType<T>) =>
    soap.parseReply(operation, `${operation}Result`, reply, schema);

  const orderCall = (operation: string, body: Record<string, unknown>) =>
    exchange(ORDER_SERVICE_PATH, `${SERVICE_NS}${operation}`, operation, body);
  // The order service's credentials are parameters beside the operation's own, where its
  // signatures put them: after orderInfo for SetOrder, first everywhere else.
  const credentials = { userName: username, password };

  // The query service's login is an XML document sent as a string; built once.
  const loginInfo = xmlDocument({ LoginInfo: { UserName: username, Password: password, CustomerCode: customerCode } });

  return {
    /** Books one order; `created: false` when the carrier already holds the IntegrationCode (the caller's idempotent repeat). */
    async setOrder(order: ArasOrder): Promise<{ created: boolean }> {
      const reply = await orderCall('SetOrder', { orderInfo: { Order: order }, ...credentials });
      const [result] = parseReply('SetOrder', reply, SetOrderResultSchema).OrderResultInfo;
      if (result.ResultCode === ARAS_CODES.duplicateIntegrationCode) return { created: false };
      if (result.ResultCode !== ARAS_CODES.success)
        throw resultFailure('SetOrder', result.ResultCode, result.ResultMessage ?? 'no message');
      return { created: true };
    },

    /** Whether the carrier holds a (not cancelled) order under this IntegrationCode. */
    async hasOrder(integrationCode: string): Promise<boolean> {
      const reply = await orderCall('GetOrderWithIntegrationCode', { ...credentials, integrationCode });
      const orders = parseReply('GetOrderWithIntegrationCode', reply, OrderListSchema);
      return orders.some((o) => o.IntegrationCode === integrationCode);
    },

    /** Deletes the order; one the carrier does not hold (-1: never booked, or deleted already) counts as done. */
    async cancelDispatch(integrationCode: string): Promise<void> {
      const reply = await orderCall('CancelDispatch', { ...credentials, integrationCode });
      const { ResultCode: code, ResultMessage: message } = parseReply('CancelDispatch', reply, DispatchResultSchema);
      if (code === ARAS_CODES.success || code === ARAS_CODES.deleted || code === ARAS_CODES.notFound) return;
      throw resultFailure('CancelDispatch', code, message ?? 'no message');
    },

    /** Books a courier pickup; the carrier answers a repeated PickupCode with the first pickup. Returns its number. */
    async setPickupRequest(pickup: ArasPickup): Promise<string> {
      const reply = await orderCall('SetPickupRequest', { ...credentials, pickupInfo: pickup });
      const result = parseReply('SetPickupRequest', reply, PickupResultSchema);
      if (result.ResultCode !== ARAS_CODES.success)
        throw resultFailure('SetPickupRequest', result.ResultCode, result.ResultMessage ?? 'no message');
      if (!result.PickupNumber) throw malformedFailure('SetPickupRequest', 'SetPickupRequestResult: no PickupNumber with ResultCode 0');
      return result.PickupNumber;
    },

    /** Movements of every IntegrationCode, QUERY_BATCH_SIZE codes per call; a code the carrier has no movement for adds none. */
    async queryMovements(integrationCodes: string[]): Promise<ArasMovement[]> {
      const movements: ArasMovement[] = [];
      for (const batch of chunks(integrationCodes, QUERY_BATCH_SIZE)) {
        const queryInfo = xmlDocument({ QueryInfo: { QueryType: MOVEMENTS_QUERY_TYPE, IntegrationCode: batch } });
        const reply = await exchange(QUERY_SERVICE_PATH, `${SERVICE_NS}${QUERY_CONTRACT}/GetQueryJSON`, 'GetQueryJSON', {
          loginInfo,
          queryInfo,
        });
        movements.push(...parseMovements(parseReply('GetQueryJSON', reply, z.string().min(1))));
      }
      return movements;
    },
  };
}

export type ArasClient = ReturnType<typeof createArasClient>;
