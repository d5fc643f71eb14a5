// SOAP 1.1 calls to Aras Kargo's two services, each at its own URL with its own login, as
// carriers/aras/spec/ captures them: the order service (SetOrder, GetOrderWithIntegrationCode,
// CancelDispatch), whose user name and password travel as parameters and again inside each Order;
// and the query service (GetQueryJSON), whose LoginInfo (user, password, customer code) and
// QueryInfo are XML documents sent as strings. Timeouts and dropped connections are the shared
// transport's; zod checks every parsed result, and the JSON inside the query's.
import { z } from 'zod';
import { NOT_JSON, readJson, type HttpReply } from '../transport/http';
import { createSoapTransport, Opt, xmlDocument } from '../transport/soap';
import { ARAS_CODES, CARRIER, httpFailure, malformedFailure, resultFailure } from './errors';

const SERVICE_NS = 'http://tempuri.org/';
/** The query service is WCF: its SOAPAction names the contract as well as the operation. */
const QUERY_ACTION = `${SERVICE_NS}IArasCargoIntegrationService/GetQueryJSON`;
/** QueryType 39: the state of several MÖKs (IntegrationCodes, comma-separated) with the time of the last movement. */
const STATES_QUERY_TYPE = 39;
/** IntegrationCodes asked for in one query call (our choice: no limit is published); more are split over several calls. */
const QUERY_BATCH_SIZE = 50;

/** One order-service account: the shipping one, or the one returns are booked on. */
export interface ArasAccount {
  userName: string;
  password: string;
}

export interface ArasClientConfig {
  /** The order service, e.g. https://customerws.araskargo.com.tr/arascargoservice.asmx */
  orderUrl: string;
  /** The query service, e.g. https://customerservices.araskargo.com.tr/ArasCargoCustomerIntegrationService/ArasCargoIntegrationService.svc */
  queryUrl: string;
  /** The query membership ("XML Servisleri", JSON format): not the order service's user. */
  queryUserName: string;
  queryPassword: string;
  customerCode: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
}

// --- what the adapter sends, in the order of the WSDL's Order sequence (.NET reads a sequence in order) ---
export interface ArasPiece {
  VolumetricWeight: string;
  Weight: string;
  BarcodeNumber: string;
}

/** An order (the WSDL's Order) without the account, which the client adds; amounts and weights are decimal strings. */
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
  PieceCount: string;
  /** Cash on delivery in TRY, collected in cash (CodCollectionType 0) or by card (1); CodBillingType always 0, as the document asks. */
  CodAmount?: string;
  CodCollectionType?: '0' | '1';
  CodBillingType?: '0';
  IntegrationCode: string;
  /** 1: the sender (our contract) pays. */
  PayorTypeCode: '1' | '2';
  IsWorldWide: '0';
  IsCod: '0' | '1';
  PieceDetails: { PieceDetail: ArasPiece[] };
  /** The carrier's id of the warehouse we ship from; absent: the account's own address. */
  SenderAccountAddressId?: string;
}

// --- what the carrier answers (every XML value is a string; an empty element is '') ---
const Result = z.object({ ResultCode: z.string().trim().min(1).max(20), ResultMessage: Opt(z.string().max(1000)) });
export type ArasResult = z.infer<typeof Result>;

const SetOrderResultSchema = z.object({ OrderResultInfo: z.array(Result).min(1) });
// An ArrayOfOrder: an empty one arrives as an empty element.
const OrderListSchema = z.union([
  z.literal('').transform(() => []),
  z.object({ Order: z.array(z.object({ IntegrationCode: z.string().min(1) })) }).transform((list) => list.Order),
]);

// GetQueryJSON's result is JSON text: string values in the integrations' fixtures, numbers tolerated.
const Value = z.union([z.string(), z.number()]).transform(String);
const CargoSchema = z.object({
  MUSTERI_OZEL_KODU: Value.pipe(z.string().trim().min(1).max(64)),
  DURUM_KODU: Value.pipe(
    z
      .string()
      .trim()
      .regex(/^\d{1,3}$/),
  ),
  TIP_KODU: Value.pipe(
    z
      .string()
      .trim()
      .regex(/^\d{1,3}$/),
  ),
  DEVIR_KODU: Value.nullish(),
  ISLEM_TARIHI: z.string().regex(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/, 'must be dd.MM.yyyy HH:mm:ss'),
  CIKIS_SUBE: z.string().max(100).nullish(),
  VARIS_SUBE: z.string().max(100).nullish(),
});
export type ArasCargo = z.infer<typeof CargoSchema>;
// One record is an object, several an array; nothing matched is null.
const QueryJsonSchema = z.object({
  QueryResult: z.object({ Cargo: z.union([CargoSchema.transform((c) => [c]), z.array(CargoSchema)]) }).nullable(),
});

/** The query's JSON text, parsed and checked. */
export function parseCargoStates(text: string): ArasCargo[] {
  const read = readJson(text, QueryJsonSchema);
  if ('problem' in read)
    throw malformedFailure(
      'GetQueryJSON',
      read.problem === NOT_JSON ? 'GetQueryJSONResult is not valid JSON' : `GetQueryJSONResult: ${read.problem}`,
    );
  return read.data.QueryResult?.Cargo ?? [];
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export function createArasClient({ orderUrl, queryUrl, queryUserName, queryPassword, customerCode, timeoutMs }: ArasClientConfig) {
  const service = (baseUrl: string) =>
    createSoapTransport({
      carrier: CARRIER,
      baseUrl,
      timeoutMs,
      namespace: SERVICE_NS,
      lists: ['OrderResultInfo', 'Order'],
      faultCodeElement: 'ResultCode',
      httpFailure,
    });
  const [orderService, queryService] = [service(orderUrl), service(queryUrl)];
  const parseReply = <T>(soap: typeof orderService, operation: string, reply: HttpReply, schema: z.ZodType<T>) =>
    soap.parseReply(operation, `${operation}Result`, reply, schema);

  /** An order-service call; the account's credentials come first in every signature but SetOrder's. */
  async function orderCall<T>(operation: string, body: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    const reply = await orderService.call('', `${SERVICE_NS}${operation}`, operation, body);
    return parseReply(orderService, operation, reply, schema);
  }

  // The query membership's login is an XML document sent as a string; built once.
  const loginInfo = xmlDocument({ LoginInfo: { UserName: queryUserName, Password: queryPassword, CustomerCode: customerCode } });

  return {
    /** Sends one order: a new IntegrationCode books it, a known one updates it. The result is the adapter's to read. */
    async setOrder({ userName, password }: ArasAccount, order: ArasOrder): Promise<ArasResult> {
      const orderInfo = { Order: { UserName: userName, Password: password, ...order } };
      const { OrderResultInfo } = await orderCall('SetOrder', { orderInfo, userName, password }, SetOrderResultSchema);
      return OrderResultInfo[0];
    },

    /** Whether the account holds an order under this IntegrationCode. */
    async hasOrder({ userName, password }: ArasAccount, integrationCode: string): Promise<boolean> {
      const orders = await orderCall('GetOrderWithIntegrationCode', { userName, password, integrationCode }, OrderListSchema);
      return orders.some((o) => o.IntegrationCode === integrationCode);
    },

    /** Deletes the order: `deleted`, or `notFound` (never booked on this account, or deleted already); anything else fails. */
    async cancelDispatch({ userName, password }: ArasAccount, integrationCode: string): Promise<'deleted' | 'notFound'> {
      const { ResultCode: code, ResultMessage: message } = await orderCall(
        'CancelDispatch',
        { userName, password, integrationCode },
        Result,
      );
      if (code === ARAS_CODES.success || code === ARAS_CODES.deleted) return 'deleted';
      if (code === ARAS_CODES.notFound) return 'notFound';
      throw resultFailure('CancelDispatch', code, message ?? 'no message');
    },

    /** The state of every IntegrationCode the carrier has a waybill for, QUERY_BATCH_SIZE codes per call. */
    async queryStates(integrationCodes: string[]): Promise<ArasCargo[]> {
      const states: ArasCargo[] = [];
      for (const batch of chunks(integrationCodes, QUERY_BATCH_SIZE)) {
        const queryInfo = xmlDocument({ QueryInfo: { QueryType: STATES_QUERY_TYPE, IntegrationCode: batch.join(',') } });
        const reply = await queryService.call('', QUERY_ACTION, 'GetQueryJSON', { loginInfo, queryInfo });
        states.push(...parseCargoStates(parseReply(queryService, 'GetQueryJSON', reply, z.string().min(1))));
      }
      return states;
    },
  };
}

export type ArasClient = ReturnType<typeof createArasClient>;
