// The Aras-like carrier API, as carriers/aras/spec/ captures Aras Kargo's two SOAP services: the
// order service (arascargoservice.asmx: SetOrder, GetOrderWithIntegrationCode, CancelDispatch),
// every order keyed by the merchant's IntegrationCode, a resend updating it; and the query service
// (ArasCargoIntegrationService.svc: GetQueryJSON / GetQueryXML), with its own login, whose
// LoginInfo and QueryInfo are XML documents sent as strings. Each service's requests and replies
// are checked against its WSDL (sandbox/wsdl.ts), and the documents inside the query's against
// aras-query-info.xsd. Every call passes the fault plan first (a carrier's load balancer fails
// before its auth does).
import path from 'node:path';
import { Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { TURKISH_PROVINCES } from '../../domain/turkish-provinces';
import { sameSecret } from '../auth';
import { turkeyDottedDateTime } from '../turkey-time';
import { SoapFault, xmlOptional as Optional } from '../soap';
import { schemasOf, validateBodyElement, wsdlGuard } from '../wsdl';
import { ARAS_CODES, arasSoap, carrierMessage, sendResult } from './soap';
import {
  DELIVERY_STATUSES,
  MAX_SENDS,
  NON_DELIVERY_REASONS,
  TYPE_CODES,
  type ArasOrderOperation,
  type ArasQueryOperation,
  type ArasState,
  type OrderInput,
  type SandboxShipment,
} from './state';

export const ARAS_ORDER_SERVICE_PATH = '/arascargoservice/arascargoservice.asmx';
export const ARAS_QUERY_SERVICE_PATH = '/ArasCargoIntegrationService.svc';

const SPEC = path.resolve(__dirname, '../../carriers/aras/spec');
const ARAS_ORDER_WSDL = path.join(SPEC, 'aras-order-service.wsdl');
const ARAS_QUERY_WSDL = path.join(SPEC, 'aras-query-service.wsdl');
const ARAS_QUERY_XSD = path.join(SPEC, 'aras-query-info.xsd');

/** The QueryTypes the sandbox answers: one MÖK's state (1), several MÖKs' (11), with the last movement's time (39). */
const STATE_QUERY_TYPES = new Set(['1', '11', '39']);

/** The warehouse's branch, where a parcel starts (and a return ends). */
const WAREHOUSE_BRANCH = 'Tuzla Şube';

/** "İstanbul", "ISTANBUL" and "istanbul" name the same province. */
function provinceKey(name: string): string {
  const folded: Record<string, string> = { Ç: 'C', Ğ: 'G', İ: 'I', Ö: 'O', Ş: 'S', Ü: 'U' };
  return name
    .trim()
    .toLocaleUpperCase('tr-TR')
    .replace(/[ÇĞİÖŞÜ]/g, (c) => folded[c]);
}

/** The carrier routes only to Turkey's 81 provinces (il), matched without case or diacritics. */
const PROVINCES = new Set(TURKISH_PROVINCES.map(provinceKey));

// --- request fields, as the handlers read them once the WSDL has checked the shapes (every value a string) ---
const Field = Optional(z.string().trim());
const Account = z.object({ userName: Field, password: Field });
const PieceSchema = z.object({ BarcodeNumber: Field });
const OrderSchema = z.object({
  UserName: Field,
  Password: Field,
  TradingWaybillNumber: Field,
  ReceiverName: Field,
  ReceiverAddress: Field,
  ReceiverPhone1: Field,
  ReceiverCityName: Field,
  ReceiverTownName: Field,
  PieceCount: Field,
  CodAmount: Field,
  CodCollectionType: Field,
  IntegrationCode: Field,
  PayorTypeCode: Field,
  IsCod: Field,
  PieceDetails: Optional(z.object({ PieceDetail: z.array(PieceSchema) })),
  SenderAccountAddressId: Field,
});
type Order = z.infer<typeof OrderSchema>;

const SetOrderSchema = Account.extend({ orderInfo: z.object({ Order: z.array(OrderSchema).min(1) }) });
const ByCodeSchema = Account.extend({ integrationCode: Field });
const QuerySchema = z.object({ loginInfo: Field, queryInfo: Field });
const LoginInfoSchema = z.object({ LoginInfo: z.object({ UserName: Field, Password: Field, CustomerCode: Field }) });
const QueryInfoSchema = z.object({ QueryInfo: z.object({ QueryType: z.string().trim(), IntegrationCode: Field }) });

const { parse, parseXml, buildXml } = arasSoap;

/** A result with its carrier message. */
const result = (code: string, message = carrierMessage(code)) => ({ ResultCode: code, ResultMessage: message });

/** The first of SetOrder's published checks an order fails, in the document's order; undefined when it passes. */
function orderRefusal(order: Order, state: ArasState): string | undefined {
  const pieces = order.PieceDetails?.PieceDetail ?? [];
  const barcodes = pieces.map((p) => p.BarcodeNumber);
  const checks: Array<[boolean, string]> = [
    [!order.IntegrationCode, ARAS_CODES.integrationCodeMissing],
    [!order.ReceiverAddress, ARAS_CODES.addressMissing],
    [!order.ReceiverName, ARAS_CODES.receiverNameMissing],
    [!/^\d+$/.test(order.ReceiverPhone1 ?? ''), ARAS_CODES.phoneNotDigits],
    // An unknown province has no published code: the sandbox answers it as a missing one.
    [!order.ReceiverCityName || !PROVINCES.has(provinceKey(order.ReceiverCityName)), ARAS_CODES.cityMissing],
    [!order.ReceiverTownName, ARAS_CODES.townMissing],
    [pieces.length > 0 && !order.PieceCount, ARAS_CODES.pieceCountMissing],
    [pieces.length > 0 && Number(order.PieceCount) !== pieces.length, ARAS_CODES.pieceCountMismatch],
    [barcodes.some((b) => !b), ARAS_CODES.barcodeMissing],
    [new Set(barcodes).size !== barcodes.length, ARAS_CODES.duplicateBarcode],
    [barcodes.some((b) => state.barcodeTaken(b!, order.IntegrationCode!)), ARAS_CODES.barcodeUsedBefore],
    [order.IsCod === '1' && order.PayorTypeCode === '2', ARAS_CODES.receiverPaysCod],
    [
      !!order.SenderAccountAddressId && !state.credentials.senderAddressIds.includes(order.SenderAccountAddressId),
      ARAS_CODES.senderAddressNotFound,
    ],
  ];
  return checks.find(([fails]) => fails)?.[1];
}

/** What a resend of a known IntegrationCode cannot do: change an order whose waybill is issued, or change it a 21st time. */
function resendRefusal(existing: SandboxShipment | undefined, state: ArasState): string | undefined {
  if (!existing) return undefined;
  if (state.waybillIssued(existing)) return ARAS_CODES.waybillIssued;
  if (existing.sends >= MAX_SENDS) return ARAS_CODES.tooManyUpdates;
  return undefined;
}

function orderInput(order: Order, kind: OrderInput['kind']): OrderInput {
  return {
    integrationCode: order.IntegrationCode!,
    waybillNumber: order.TradingWaybillNumber ?? '',
    kind,
    customer: { cityName: order.ReceiverCityName!, townName: order.ReceiverTownName! },
    pieceCount: Number(order.PieceCount ?? 1),
    barcodes: (order.PieceDetails?.PieceDetail ?? []).map((p) => p.BarcodeNumber!),
    codAmount: order.IsCod === '1' && order.CodAmount ? Number(order.CodAmount.replace(',', '.')) : undefined,
    codCollection: order.IsCod === '1' ? (order.CodCollectionType === '1' ? 'card' : 'cash') : undefined,
  };
}

/** What GetOrderWithIntegrationCode gives back, in the Order sequence's order, without the personal data the sandbox never keeps. */
function orderRecord(shipment: SandboxShipment) {
  return {
    TradingWaybillNumber: shipment.waybillNumber,
    ReceiverCityName: shipment.customer.cityName,
    ReceiverTownName: shipment.customer.townName,
    PieceCount: shipment.pieceCount,
    CodAmount: shipment.codAmount?.toFixed(2),
    IntegrationCode: shipment.integrationCode,
    IsCod: shipment.codAmount === undefined ? '0' : '1',
  };
}

/** One state record (QueryResult/Cargo) with the columns the QueryType gives; only QueryType 39 has the last movement's time. */
function cargoRecord(shipment: SandboxShipment, queryType: string) {
  const scans = shipment.scans;
  const { statusCode, typeCode, reason, at } = scans[scans.length - 1];
  const [origin, destination] =
    shipment.kind === 'shipment'
      ? [WAREHOUSE_BRANCH, `${shipment.customer.townName} Şube`]
      : [`${shipment.customer.townName} Şube`, WAREHOUSE_BRANCH];
  const [date, time] = turkeyDottedDateTime(at).split(' ');
  return {
    MUSTERI_OZEL_KODU: shipment.integrationCode,
    IRSALIYE_NUMARA: shipment.waybillNumber,
    KARGO_TAKIP_NO: shipment.trackingNumber,
    CIKIS_SUBE: origin,
    VARIS_SUBE: destination,
    CIKIS_TARIH: turkeyDottedDateTime(scans[0].at).split(' ')[0],
    ADET: String(shipment.pieceCount),
    TUTAR: shipment.codAmount?.toFixed(2),
    TIP_KODU: String(typeCode),
    DURUM_KODU: String(statusCode),
    DURUMU: DELIVERY_STATUSES[statusCode] ?? '',
    DEVIR_KODU: reason === undefined ? undefined : String(reason),
    ...(statusCode === 6 && { TESLIM_TARIHI: date, TESLIM_SAATI: time }),
    ...(queryType === '39' && { ISLEM_TARIHI: `${date} ${time}` }),
  };
}
type CargoRecord = ReturnType<typeof cargoRecord>;

/** A record carrying a code the published tables lack, which only the admin API puts there (to test 'unknown'). */
const offTable = (r: CargoRecord) =>
  !(Number(r.DURUM_KODU) in DELIVERY_STATUSES) ||
  !(Number(r.TIP_KODU) in TYPE_CODES) ||
  (r.DEVIR_KODU !== undefined && !NON_DELIVERY_REASONS.includes(Number(r.DEVIR_KODU)));

export function arasRouter(state: ArasState, logger: Logger): Router {
  const router = Router();
  const querySchemas = schemasOf(ARAS_QUERY_WSDL, [ARAS_QUERY_XSD]);

  const sameAccount = (userName: string | undefined, password: string | undefined, [user, pass]: [string, string]) =>
    sameSecret(userName ?? '', user) && sameSecret(password ?? '', pass);
  /** Which order-service account the credentials are: the shipping one, the return agreement's, or none. */
  function accountOf(userName?: string, password?: string): OrderInput['kind'] | undefined {
    const c = state.credentials;
    if (sameAccount(userName, password, [c.orderUserName, c.orderPassword])) return 'shipment';
    if (sameAccount(userName, password, [c.returnUserName, c.returnPassword])) return 'return';
    return undefined;
  }
  /** The account's live order under the code; another account's is none of its business. */
  const liveOn = (kind: OrderInput['kind'], code: string | undefined) => {
    const shipment = code ? state.live(code) : undefined;
    return shipment?.kind === kind ? shipment : undefined;
  };

  /** One OrderResultInfo: the account must be the parameters' and the Order's own; a known IntegrationCode updates its order. */
  function orderResult(order: Order, kind: OrderInput['kind'] | undefined) {
    if (!kind || accountOf(order.UserName, order.Password) !== kind) return result(ARAS_CODES.wrongCredentials);
    const refusal = orderRefusal(order, state) ?? resendRefusal(liveOn(kind, order.IntegrationCode), state);
    if (refusal) return result(refusal);
    state.send(orderInput(order, kind));
    return result(ARAS_CODES.success);
  }

  function setOrder(element: unknown) {
    const body = parse(SetOrderSchema, element, 'SetOrder request');
    const kind = accountOf(body.userName, body.password);
    return { OrderResultInfo: body.orderInfo.Order.map((order) => orderResult(order, kind)) };
  }

  /** Zero or one order: a cancelled one is deleted as far as the carrier's API goes. */
  function getOrderWithIntegrationCode(element: unknown) {
    const body = parse(ByCodeSchema, element, 'GetOrderWithIntegrationCode request');
    const kind = accountOf(body.userName, body.password);
    if (!kind) throw new SoapFault('Client', ARAS_CODES.wrongCredentials, carrierMessage(ARAS_CODES.wrongCredentials));
    const shipment = liveOn(kind, body.integrationCode);
    return { Order: shipment ? [orderRecord(shipment)] : [] };
  }

  function cancelDispatch(element: unknown) {
    const body = parse(ByCodeSchema, element, 'CancelDispatch request');
    const kind = accountOf(body.userName, body.password);
    if (!kind) return result(ARAS_CODES.cancelWrongCredentials);
    const shipment = liveOn(kind, body.integrationCode);
    if (!shipment) return result(ARAS_CODES.notFound);
    if (state.waybillIssued(shipment)) return result(ARAS_CODES.notCancellable);
    state.cancel(shipment);
    return result(ARAS_CODES.deleted, `${shipment.integrationCode} başarılı bir şekilde silindi`);
  }

  /** A document sent as a string, checked against aras-query-info.xsd: a Client fault naming what is wrong. */
  async function queryDocument<T>(text: string | undefined, schema: z.ZodType<T>, what: string, code: string): Promise<T> {
    const problems = await validateBodyElement(querySchemas, text ?? '');
    if (problems.length > 0) throw new SoapFault('Client', code, `invalid ${what}: ${problems.join('; ')}`);
    return parse(schema, parseXml(text!, code, what), what, code);
  }

  /** The query membership's login (customer code included), then the states of the QueryInfo's MÖKs the carrier has a waybill for. */
  async function states(element: unknown): Promise<CargoRecord[]> {
    const { loginInfo, queryInfo } = parse(QuerySchema, element, 'query request', ARAS_CODES.queryInvalid);
    const { LoginInfo: login } = await queryDocument(loginInfo, LoginInfoSchema, 'loginInfo', ARAS_CODES.queryLoginRefused);
    const c = state.credentials;
    if (
      !sameAccount(login.UserName, login.Password, [c.queryUserName, c.queryPassword]) ||
      !sameSecret(login.CustomerCode ?? '', c.customerCode)
    )
      throw new SoapFault('Client', ARAS_CODES.queryLoginRefused, 'invalid LoginInfo: user, password or customer code');
    const { QueryInfo: query } = await queryDocument(queryInfo, QueryInfoSchema, 'queryInfo', ARAS_CODES.queryInvalid);
    if (!STATE_QUERY_TYPES.has(query.QueryType))
      throw new SoapFault('Client', ARAS_CODES.queryInvalid, `QueryType ${query.QueryType} is not offered by the sandbox`);
    // QueryType 1 takes one MÖK; 11 and 39 several, comma-separated in the one element.
    const codes = query.QueryType === '1' ? [query.IntegrationCode ?? ''] : (query.IntegrationCode ?? '').split(',');
    const records = codes.flatMap((code) => {
      const shipment = state.live(code.trim());
      return shipment && state.waybillIssued(shipment) ? [cargoRecord(shipment, query.QueryType)] : [];
    });
    await checkReply(records);
    return records;
  }

  /** The records as GetQueryXML sends them, checked against QueryResult (GetQueryJSON's keys are the same); drift is the sandbox's bug. */
  async function checkReply(records: CargoRecord[]): Promise<void> {
    if (records.some(offTable)) return;
    const problems = await validateBodyElement(querySchemas, queryResultXml(records));
    if (problems.length === 0) return;
    logger.error({ problems }, 'aras sandbox query result does not match aras-query-info.xsd');
    throw new SoapFault(
      'Server',
      ARAS_CODES.unexpected,
      `the sandbox's query result does not match aras-query-info.xsd: ${problems.join('; ')}`,
    );
  }

  const queryResultXml = (records: CargoRecord[]) => buildXml({ QueryResult: { Cargo: records } });

  const orderHandlers: Record<ArasOrderOperation, (element: unknown) => unknown> = {
    SetOrder: setOrder,
    GetOrderWithIntegrationCode: getOrderWithIntegrationCode,
    CancelDispatch: cancelDispatch,
  };
  const queryHandlers: Record<ArasQueryOperation, (element: unknown) => Promise<unknown>> = {
    // One record is an object, several an array; nothing is null.
    GetQueryJSON: async (element) => {
      const records = await states(element);
      return JSON.stringify({ QueryResult: records.length === 0 ? null : { Cargo: records.length === 1 ? records[0] : records } });
    },
    GetQueryXML: async (element) => queryResultXml(await states(element)),
  };

  router.post(ARAS_ORDER_SERVICE_PATH, ...wsdlGuard({ wsdl: ARAS_ORDER_WSDL, logger }), ...soapService(state, orderHandlers));
  router.post(ARAS_QUERY_SERVICE_PATH, ...wsdlGuard({ wsdl: ARAS_QUERY_WSDL, logger }), ...soapService(state, queryHandlers));

  router.use((req) => {
    throw new SoapFault('Client', ARAS_CODES.invalidRequest, `no endpoint for ${req.method} ${req.path}`, 404);
  });
  router.use(arasSoap.errorHandler(logger));
  return router;
}

/**
 * One SOAP endpoint: the envelope is read, the operation named by SOAPAction (a URI ending in
 * it, e.g. "http://tempuri.org/SetOrder") or, when that is empty, by the Body's element; then the
 * fault plan, then the operation.
 */
function soapService<Op extends string>(state: ArasState, handlers: Record<Op, (element: unknown) => unknown>): RequestHandler[] {
  const known = (name: string): name is Op => Object.hasOwn(handlers, name);
  return [
    (req, res, next) => {
      const body = arasSoap.envelopeOf(req);
      const action = (req.header('SOAPAction') ?? '').replace(/"/g, '').split('/').pop() ?? '';
      const operation = action || Object.keys(body)[0] || '';
      if (!known(operation)) throw new SoapFault('Client', ARAS_CODES.invalidRequest, `unknown operation ${operation || '(none)'}`);
      const element = body[operation];
      if (element === undefined) throw new SoapFault('Client', ARAS_CODES.invalidRequest, `the Body holds no ${operation} element`);
      res.locals.operation = operation;
      res.locals.element = element;
      next();
    },
    (req, res, next) => arasSoap.injectFaults(state.faults, res.locals.operation as string)(req, res, next),
    (_req, res, next) => {
      const operation = res.locals.operation as Op;
      Promise.resolve()
        .then(() => handlers[operation](res.locals.element))
        .then((answer) => sendResult(res, operation, answer), next);
    },
  ];
}
