// The Aras-like carrier API, modelled on the public shape of Aras Kargo's two SOAP services: the
// order service (arascargoservice.asmx: SetOrder, GetOrderWithIntegrationCode, CancelDispatch,
// and the sandbox's SetPickupRequest), every order keyed by the merchant's IntegrationCode; and
// the query service (ArasCargoIntegrationService.svc: GetQueryJSON / GetQueryXML), which takes
// its own LoginInfo (user, password, customer code) and a QueryInfo, each an XML document sent
// as a string. Every call passes the fault plan first (a carrier's load balancer fails before
// its auth does).
import { TURKISH_PROVINCES } from '../../domain/turkish-provinces';
import { Router, type Request, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { sameSecret } from '../auth';
import { issuesOf } from '../errors';
import { turkeyDottedDateTime, turkeyLocal } from '../turkey-time';
import { SoapFault, xmlDecimal, xmlMatching, xmlOptional as Optional, xmlText as Text } from '../soap';
import { ARAS_CODES, arasSoap, carrierMessage, sendResult } from './soap';
import {
  DELIVERY_STATUSES,
  TYPE_CODES,
  type ArasOrderOperation,
  type ArasQueryOperation,
  type ArasState,
  type SandboxShipment,
  type Scan,
} from './state';

export const ARAS_ORDER_SERVICE_PATH = '/arascargoservice/arascargoservice.asmx';
export const ARAS_QUERY_SERVICE_PATH = '/ArasCargoIntegrationService.svc';

/** The one query the sandbox answers: movements (KARGO HAREKETLERİ) of one or more IntegrationCodes. */
const MOVEMENTS_QUERY_TYPE = '9';
/** IntegrationCodes one QueryInfo may name (the sandbox's limit). */
const MAX_QUERY_CODES = 50;

/** The carrier routes only to Turkey's 81 provinces (il), matched without case or diacritics. */
const PROVINCES = new Set(TURKISH_PROVINCES.map(provinceKey));

/** "İstanbul", "ISTANBUL" and "istanbul" name the same province. */
function provinceKey(name: string): string {
  const folded: Record<string, string> = { Ç: 'C', Ğ: 'G', İ: 'I', Ö: 'O', Ş: 'S', Ü: 'U' };
  return name
    .trim()
    .toLocaleUpperCase('tr-TR')
    .replace(/[ÇĞİÖŞÜ]/g, (c) => folded[c]);
}

// --- request shapes (sandbox/soap.ts's XML fields: every value arrives as a string) ---
const Code = xmlMatching(/^[A-Za-z0-9_-]{2,32}$/, 'must be 2–32 letters, digits, - or _');
/** Weights: up to three decimals. */
const Decimal = (max: number) => xmlDecimal(max, /^\d+(\.\d{1,3})?$/);
const Count = xmlMatching(/^[1-9]\d?$/, 'must be 1–99').transform(Number);

const Credentials = z.object({ userName: z.string(), password: z.string() });
const PieceSchema = z.object({ BarcodeNumber: Text(64), Weight: Optional(Decimal(30)), VolumetricWeight: Optional(Decimal(300)) });
const OrderSchema = z
  .object({
    IntegrationCode: Code,
    TradingWaybillNumber: Text(16),
    InvoiceNumber: Optional(z.string().trim().max(20)),
    ReceiverName: Text(100),
    ReceiverAddress: Text(250),
    ReceiverPhone1: xmlMatching(/^\d{10}$/, 'must be 10 digits'),
    ReceiverCityName: Text(40),
    ReceiverTownName: Text(32),
    Weight: Optional(Decimal(30)), // the carrier's parcel limit, kg
    VolumetricWeight: Optional(Decimal(300)), // desi
    PieceCount: Count,
    PieceDetails: z.object({ PieceDetail: z.array(PieceSchema).min(1).max(99) }),
    IsCod: Optional(z.enum(['0', '1'])),
    CodAmount: Optional(xmlMatching(/^\d+(\.\d{1,2})?$/).transform(Number)),
    CodCollectionType: Optional(z.enum(['0', '1'])), // 0 cash, 1 card
    PayorTypeCode: Optional(z.enum(['1', '2'])), // 1 sender pays (the default), 2 receiver
    IsWorldWide: z.literal('0', { error: 'the sandbox carries domestic orders only' }),
    /** The sandbox's field: 1 books a return, collected at the receiver's address for the merchant. */
    IsReturn: Optional(z.enum(['0', '1'])),
  })
  .refine((o) => o.PieceDetails.PieceDetail.length === o.PieceCount, { path: ['PieceDetails'], message: 'must list PieceCount pieces' })
  .refine((o) => o.IsCod !== '1' || o.CodAmount !== undefined, { path: ['CodAmount'], message: 'required when IsCod is 1' });
type Order = z.infer<typeof OrderSchema>;

const SetOrderSchema = Credentials.extend({ orderInfo: z.object({ Order: z.array(z.unknown()).min(1).max(100) }) });
const ByCodeSchema = Credentials.extend({ integrationCode: Code });
const PickupSchema = Credentials.extend({
  pickupInfo: z.object({
    PickupCode: Code,
    AddressId: Text(32),
    PickupDate: xmlMatching(/^\d{2}\.\d{2}\.\d{4}$/, 'must be dd.MM.yyyy'),
    PieceCount: Count,
  }),
});
const QuerySchema = z.object({ loginInfo: Text(2_000), queryInfo: Text(10_000) });
const LoginInfoSchema = z.object({ LoginInfo: z.object({ UserName: z.string(), Password: z.string(), CustomerCode: z.string() }) });
const QueryInfoSchema = z.object({
  QueryInfo: z.object({ QueryType: z.string().trim(), IntegrationCode: z.array(Code).min(1).max(MAX_QUERY_CODES) }),
});

const { parse, parseXml, buildXml } = arasSoap;

/** `dd.MM.yyyy` → `yyyy-MM-dd`, or undefined when it is no calendar date. */
function isoDate(dotted: string): string | undefined {
  const iso = `${dotted.slice(6, 10)}-${dotted.slice(3, 5)}-${dotted.slice(0, 2)}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso) ? iso : undefined;
}

function movementRecord(shipment: SandboxShipment, scan: Scan) {
  return {
    ENTEGRASYON_KODU: shipment.integrationCode,
    KARGO_TAKIP_NO: shipment.trackingNumber,
    HAREKET_NO: scan.movementNo,
    ISLEM_TARIHI: turkeyDottedDateTime(scan.at),
    BIRIM: scan.unitName,
    IL: scan.cityName,
    DURUM_KODU: scan.statusCode,
    DURUMU: DELIVERY_STATUSES[scan.statusCode] ?? `DURUM ${scan.statusCode}`,
    TIP_KODU: scan.typeCode,
    TIPI: TYPE_CODES[scan.typeCode] ?? `TİP ${scan.typeCode}`,
  };
}

/** What GetOrderWithIntegrationCode gives back: the order as stored, without the personal data the sandbox never keeps. */
function orderRecord(shipment: SandboxShipment) {
  return {
    IntegrationCode: shipment.integrationCode,
    TradingWaybillNumber: shipment.waybillNumber,
    ReceiverCityName: shipment.customer.cityName,
    ReceiverTownName: shipment.customer.townName,
    PieceCount: shipment.pieceCount,
    IsCod: shipment.codAmount === undefined ? '0' : '1',
    CodAmount: shipment.codAmount,
    IsReturn: shipment.kind === 'return' ? '1' : '0',
  };
}

export function arasRouter(state: ArasState, logger: Logger): Router {
  const router = Router();
  router.use(arasSoap.bodyParser);

  const orderServiceUser = ({ userName, password }: z.infer<typeof Credentials>) =>
    sameSecret(userName, state.credentials.username) && sameSecret(password, state.credentials.password);

  /** Duplicate first (the IntegrationCode is the idempotency key), then the address, then the amount to collect. */
  function refusalFor(order: Order, seen: Set<string>): string | undefined {
    if (state.live(order.IntegrationCode) || seen.has(order.IntegrationCode)) return ARAS_CODES.duplicateIntegrationCode;
    if (!PROVINCES.has(provinceKey(order.ReceiverCityName))) return ARAS_CODES.cityNotFound;
    if (order.IsCod === '1' && (order.CodAmount! < 5 || order.CodAmount! > 5000)) return ARAS_CODES.codAmountOutOfRange;
    return undefined;
  }

  /** One OrderResultInfo: the carrier answers each order in the request on its own. */
  function orderResult(raw: unknown, authorised: boolean, seen: Set<string>) {
    const result = (code: string, message = carrierMessage(code), invoiceKey?: string) => ({
      ResultCode: code,
      ResultMessage: message,
      InvoiceKey: invoiceKey,
    });
    if (!authorised) return result(ARAS_CODES.wrongCredentials);
    const parsed = OrderSchema.safeParse(raw);
    if (!parsed.success) return result(ARAS_CODES.invalidOrder, `invalid order: ${issuesOf(parsed.error)}`);
    const order = parsed.data;
    const refusal = refusalFor(order, seen);
    seen.add(order.IntegrationCode);
    if (refusal) return result(refusal, carrierMessage(refusal), order.IntegrationCode);
    state.create({
      integrationCode: order.IntegrationCode,
      waybillNumber: order.TradingWaybillNumber,
      kind: order.IsReturn === '1' ? 'return' : 'shipment',
      customer: { cityName: order.ReceiverCityName, townName: order.ReceiverTownName },
      pieceCount: order.PieceCount,
      codAmount: order.IsCod === '1' ? order.CodAmount : undefined,
    });
    return result(ARAS_CODES.success, carrierMessage(ARAS_CODES.success), order.IntegrationCode);
  }

  function setOrder(element: unknown) {
    const body = parse(SetOrderSchema, element, 'SetOrder request');
    const authorised = orderServiceUser(body);
    const seen = new Set<string>();
    return { OrderResultInfo: body.orderInfo.Order.map((raw) => orderResult(raw, authorised, seen)) };
  }

  /** Zero or one order: a cancelled one is deleted as far as the carrier's API goes. */
  function getOrderWithIntegrationCode(element: unknown) {
    const body = parse(ByCodeSchema, element, 'GetOrderWithIntegrationCode request');
    if (!orderServiceUser(body)) throw new SoapFault('Client', ARAS_CODES.wrongCredentials, carrierMessage(ARAS_CODES.wrongCredentials));
    const shipment = state.live(body.integrationCode);
    return { Order: shipment ? [orderRecord(shipment)] : [] };
  }

  function cancelDispatch(element: unknown) {
    const body = parse(ByCodeSchema, element, 'CancelDispatch request');
    const result = (code: string, message = carrierMessage(code)) => ({ ResultCode: code, ResultMessage: message });
    if (!orderServiceUser(body)) return result(ARAS_CODES.cancelWrongCredentials);
    const shipment = state.live(body.integrationCode);
    if (!shipment) return result(ARAS_CODES.notFound);
    if (!state.cancellable(shipment)) return result(ARAS_CODES.notCancellable);
    state.cancel(shipment);
    return result(ARAS_CODES.deleted, `${shipment.integrationCode} başarılı bir şekilde silindi`);
  }

  function setPickupRequest(element: unknown) {
    const { pickupInfo, ...credentials } = parse(PickupSchema, element, 'SetPickupRequest request');
    const result = (code: string, pickupNumber?: string) => ({
      ResultCode: code,
      ResultMessage: carrierMessage(code),
      PickupNumber: pickupNumber,
    });
    if (!orderServiceUser(credentials)) return result(ARAS_CODES.wrongCredentials);
    const date = isoDate(pickupInfo.PickupDate);
    if (!date)
      throw new SoapFault(
        'Client',
        ARAS_CODES.invalidRequest,
        'invalid SetPickupRequest request: pickupInfo.PickupDate: not a calendar date',
      );
    if (date < turkeyLocal(new Date()).date) return result(ARAS_CODES.pickupDateRefused);
    const pickup = state.pickup({
      pickupCode: pickupInfo.PickupCode,
      addressId: pickupInfo.AddressId,
      date,
      pieceCount: pickupInfo.PieceCount,
    });
    return result(ARAS_CODES.success, pickup.pickupNumber);
  }

  /** The query service checks its own LoginInfo (customer code included), then answers QueryType 9 only. */
  function movements(element: unknown): Array<ReturnType<typeof movementRecord>> {
    const { loginInfo, queryInfo } = parse(QuerySchema, element, 'query request', ARAS_CODES.queryInvalid);
    const { LoginInfo: login } = parse(
      LoginInfoSchema,
      parseXml(loginInfo, ARAS_CODES.queryLoginRefused, 'loginInfo'),
      'loginInfo',
      ARAS_CODES.queryLoginRefused,
    );
    const { username, password, customerCode } = state.credentials;
    if (!sameSecret(login.UserName, username) || !sameSecret(login.Password, password) || !sameSecret(login.CustomerCode, customerCode)) {
      throw new SoapFault('Client', ARAS_CODES.queryLoginRefused, 'invalid LoginInfo: user, password or customer code');
    }
    const { QueryInfo: query } = parse(
      QueryInfoSchema,
      parseXml(queryInfo, ARAS_CODES.queryInvalid, 'queryInfo'),
      'queryInfo',
      ARAS_CODES.queryInvalid,
    );
    if (query.QueryType !== MOVEMENTS_QUERY_TYPE)
      throw new SoapFault('Client', ARAS_CODES.queryInvalid, `QueryType ${query.QueryType} is not offered`);
    // A code the carrier does not hold (or holds without a movement yet) adds nothing.
    return query.IntegrationCode.flatMap((code) => {
      const shipment = state.live(code);
      return shipment ? shipment.scans.map((scan) => movementRecord(shipment, scan)) : [];
    });
  }

  const orderHandlers: Record<ArasOrderOperation, (element: unknown) => unknown> = {
    SetOrder: setOrder,
    GetOrderWithIntegrationCode: getOrderWithIntegrationCode,
    CancelDispatch: cancelDispatch,
    SetPickupRequest: setPickupRequest,
  };
  const queryHandlers: Record<ArasQueryOperation, (element: unknown) => unknown> = {
    GetQueryJSON: (element) => {
      const records = movements(element);
      return JSON.stringify({ QueryResult: records.length > 0 ? { CargoTransaction: records } : null });
    },
    GetQueryXML: (element) => buildXml({ QueryResult: { CargoTransaction: movements(element) } }),
  };

  router.post(ARAS_ORDER_SERVICE_PATH, ...soapService(state, orderHandlers));
  router.post(ARAS_QUERY_SERVICE_PATH, ...soapService(state, queryHandlers));

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
      if (!element || typeof element !== 'object')
        throw new SoapFault('Client', ARAS_CODES.invalidRequest, `the Body holds no ${operation} element`);
      res.locals.operation = operation;
      res.locals.element = element;
      next();
    },
    (req: Request, res, next) => arasSoap.injectFaults(state.faults, res.locals.operation as string)(req, res, next),
    (_req, res) => {
      const operation = res.locals.operation as Op;
      sendResult(res, operation, handlers[operation](res.locals.element));
    },
  ];
}
