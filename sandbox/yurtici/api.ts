// The Yurtiçi-like carrier API, modelled on the public shape of ShippingOrderDispatcherServices:
// one SOAP 1.1 endpoint, operations createShipment / queryShipment / cancelShipment, every
// shipment keyed by the merchant's cargoKey. Every call passes the fault plan first (a carrier's
// load balancer fails before its auth does); credentials travel in the body.
import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { sameSecret } from '../auth';
import { turkeyLocal } from '../turkey-time';
import { SoapFault, xmlDecimal, xmlMatching, xmlOptional as Optional, xmlText as Text } from '../soap';
import { YURTICI_CODES, carrierMessage, resultText, sendResult, yurticiSoap } from './soap';
import { YURTICI_OPERATIONS, type SandboxShipment, type Scan, type YurticiOperation, type YurticiState } from './state';

export const YURTICI_SERVICE_PATH = '/KOPSWebServices/ShippingOrderDispatcherServices';

// --- request shapes (sandbox/soap.ts's XML fields: every value arrives as a string) ---
const Key = xmlMatching(/^[A-Za-z0-9_-]{1,20}$/, 'must be 1–20 letters, digits, - or _');
/** Weights and amounts: any number of decimals. */
const Decimal = (max: number) => xmlDecimal(max, /^\d+(\.\d+)?$/);
const Language = z.enum(['TR', 'EN']);
const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const Credentials = z.object({ wsUserName: z.string(), wsPassword: z.string() });
const OrderSchema = z.object({
  cargoKey: Key,
  invoiceKey: Key,
  receiverCustName: Text(200),
  receiverAddress: Text(500),
  cityName: Text(100),
  townName: Text(100),
  receiverPostalCode: Optional(z.string().trim().max(10)),
  receiverPhone1: Optional(z.string().trim().max(32)),
  /** Sandbox's choice: RETURN books a parcel collected at the receiver* address for orgReceiverCustId. */
  shipmentType: Optional(z.enum(['OUTBOUND', 'RETURN'])),
  orgReceiverCustId: Optional(z.string().trim().max(64)),
  cargoCount: Optional(z.string().regex(/^[1-9]\d{0,2}$/)),
  kg: Decimal(30), // the carrier's parcel limit
  desi: Optional(Decimal(300)),
  ttInvoiceAmount: Optional(Decimal(100_000)), // cash on delivery, TRY
  ttCollectionType: Optional(z.enum(['0', '1'])), // 0 cash, 1 card
});
type Order = z.infer<typeof OrderSchema>;
const CreateSchema = Credentials.extend({ userLanguage: Language, ShippingOrderVO: z.array(OrderSchema).min(1).max(100) });
const QuerySchema = Credentials.extend({
  wsLanguage: Language,
  keys: z.array(Key).min(1).max(100),
  keyType: z.enum(['0', '1']).default('0'), // 0 cargoKey, 1 invoiceKey
  addHistoricalData: Bool.default(true),
  onlyTracking: Bool.default(false),
});
const CancelSchema = Credentials.extend({ userLanguage: Language, cargoKeys: z.array(Key).min(1).max(100) });

/** The operation's request as the schema reads it, or a Client fault naming the bad fields. */
function parse<T>(schema: z.ZodType<T>, value: unknown, operation: YurticiOperation): T {
  return yurticiSoap.parse(schema, value, `${operation} request`);
}

/** SOAPAction names the operation ("createShipment" or a URI ending in it); the body's element decides when it is absent. */
function operationOf(req: Request): YurticiOperation {
  const action = (req.header('SOAPAction') ?? '').replace(/"/g, '').split(/[/#]/).pop() ?? '';
  const known = (name: string): name is YurticiOperation => (YURTICI_OPERATIONS as readonly string[]).includes(name);
  if (known(action)) return action;
  const element = Object.keys(yurticiSoap.envelopeOf(req))[0] ?? '';
  if (known(element)) return element;
  throw new SoapFault('Client', YURTICI_CODES.invalidRequest, 'unknown operation');
}

/** Turkey's local time as the carrier writes it: `yyyyMMdd` and `HHmmss`. */
function turkeyTime(at: Date): { eventDate: string; eventTime: string } {
  const { date, time } = turkeyLocal(at);
  return { eventDate: date.replaceAll('-', ''), eventTime: time.replaceAll(':', '') };
}

function scanXml(scan: Scan) {
  return {
    eventNo: scan.eventNo,
    operationCode: scan.operationCode,
    operationStatus: scan.operationStatus,
    eventName: scan.message,
    unitName: scan.unitName,
    cityName: scan.cityName,
    ...turkeyTime(scan.at),
  };
}

export function yurticiRouter(state: YurticiState, logger: Logger): Router {
  const router = Router();
  router.use(yurticiSoap.bodyParser);

  /** The operation's element from the body, after the credentials in it are checked. */
  function request(req: Request, operation: YurticiOperation): unknown {
    const element = yurticiSoap.envelopeOf(req)[operation];
    if (!element || typeof element !== 'object')
      throw new SoapFault('Client', YURTICI_CODES.invalidRequest, `the Body holds no ${operation} element`);
    const { wsUserName, wsPassword } = parse(Credentials, element, operation);
    const { username, password } = state.credentials;
    if (!sameSecret(wsUserName, username) || !sameSecret(wsPassword, password)) {
      throw new SoapFault('Client', YURTICI_CODES.invalidCredentials, 'invalid wsUserName or wsPassword');
    }
    return element;
  }

  /** The one address rule: postal code 00000 does not exist. */
  function refusalFor(order: Order, seen: Set<string>): string | undefined {
    if (state.get(order.cargoKey) || seen.has(order.cargoKey)) return YURTICI_CODES.duplicateCargoKey;
    if (order.receiverPostalCode === '00000') return YURTICI_CODES.addressNotFound;
    return undefined;
  }

  function createShipment(req: Request) {
    const body = parse(CreateSchema, request(req, 'createShipment'), 'createShipment');
    const seen = new Set<string>();
    const details = body.ShippingOrderVO.map((order) => {
      const errCode = refusalFor(order, seen);
      seen.add(order.cargoKey);
      if (errCode)
        return { cargoKey: order.cargoKey, invoiceKey: order.invoiceKey, errCode, errMessage: carrierMessage(errCode, body.userLanguage) };
      const shipment = state.create({
        cargoKey: order.cargoKey,
        invoiceKey: order.invoiceKey,
        kind: order.shipmentType === 'RETURN' ? 'return' : 'shipment',
        customer: { cityName: order.cityName, townName: order.townName },
        codAmount: order.ttInvoiceAmount,
      });
      return { cargoKey: shipment.cargoKey, invoiceKey: shipment.invoiceKey, jobId: shipment.jobId };
    });
    const ok = details.every((d) => !('errCode' in d));
    return { outFlag: ok ? 0 : 1, outResult: resultText(ok, body.userLanguage), count: details.length, shippingOrderDetailVO: details };
  }

  function deliveryDetail(shipment: SandboxShipment, history: boolean) {
    const current = state.current(shipment);
    return {
      cargoKey: shipment.cargoKey,
      invoiceKey: shipment.invoiceKey,
      jobId: shipment.jobId,
      operationCode: current.operationCode,
      operationStatus: current.operationStatus,
      operationMessage: current.message,
      shippingDeliveryItemDetailVO: {
        docId: shipment.docId,
        cargoEventExplanation: current.message,
        invDocCargoVOArray: history ? shipment.scans.map(scanXml) : [scanXml(current)],
      },
    };
  }

  function queryShipment(req: Request) {
    const body = parse(QuerySchema, request(req, 'queryShipment'), 'queryShipment');
    const details = body.keys.flatMap((key): object[] => {
      const found =
        body.keyType === '0'
          ? [state.get(key)].filter((s): s is SandboxShipment => Boolean(s))
          : state.list().filter((s) => s.invoiceKey === key);
      if (found.length === 0)
        return [
          {
            cargoKey: key,
            errCode: YURTICI_CODES.cargoKeyNotFound,
            errMessage: carrierMessage(YURTICI_CODES.cargoKeyNotFound, body.wsLanguage),
          },
        ];
      return found.map((s) => deliveryDetail(s, body.addHistoricalData));
    });
    const ok = details.every((d) => !('errCode' in d));
    return { outFlag: ok ? 0 : 1, outResult: resultText(ok, body.wsLanguage), count: details.length, shippingDeliveryDetailVO: details };
  }

  /** Cancelling a cancelled shipment succeeds again, so a retried cancel is harmless. */
  function cancelOne(cargoKey: string, language: 'TR' | 'EN') {
    const shipment = state.get(cargoKey);
    const refused = (errCode: string) => ({ cargoKey, errCode, errMessage: carrierMessage(errCode, language) });
    if (!shipment) return refused(YURTICI_CODES.cargoKeyNotFound);
    const current = state.current(shipment);
    if (current.operationCode !== 3) {
      if (!state.cancellable(shipment)) return refused(YURTICI_CODES.notCancellable);
      state.cancel(shipment);
    }
    const now = state.current(shipment);
    return {
      cargoKey,
      invoiceKey: shipment.invoiceKey,
      operationCode: now.operationCode,
      operationStatus: now.operationStatus,
      operationMessage: now.message,
    };
  }

  function cancelShipment(req: Request) {
    const body = parse(CancelSchema, request(req, 'cancelShipment'), 'cancelShipment');
    const details = body.cargoKeys.map((key) => cancelOne(key, body.userLanguage));
    const ok = details.every((d) => !('errCode' in d));
    return { outFlag: ok ? 0 : 1, outResult: resultText(ok, body.userLanguage), count: details.length, shippingCancelDetailVO: details };
  }

  const handlers: Record<YurticiOperation, { result: string; run: (req: Request) => unknown }> = {
    createShipment: { result: 'ShippingOrderResultVO', run: createShipment },
    queryShipment: { result: 'ShippingDeliveryVO', run: queryShipment },
    cancelShipment: { result: 'ShippingOrderResultVO', run: cancelShipment },
  };

  router.post(
    YURTICI_SERVICE_PATH,
    (req, res, next) => {
      res.locals.operation = operationOf(req);
      next();
    },
    (req, res, next) => yurticiSoap.injectFaults(state.faults, res.locals.operation as string)(req, res, next),
    (req, res) => {
      const operation = res.locals.operation as YurticiOperation;
      const { result, run } = handlers[operation];
      sendResult(res, operation, result, run(req));
    },
  );

  router.use((req) => {
    throw new SoapFault('Client', YURTICI_CODES.invalidRequest, `no endpoint for ${req.method} ${req.path}`, 404);
  });
  router.use(yurticiSoap.errorHandler(logger));
  return router;
}
