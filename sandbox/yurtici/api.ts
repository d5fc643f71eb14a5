// The Yurtiçi carrier double: ShippingOrderDispatcherServices as the spec capture describes it
// (carriers/yurtici/spec/): one SOAP 1.1 endpoint, SOAPAction "", the operation named by the Body's
// element, credentials and language in every body. Every request and every reply is validated
// against the captured WSDL (sandbox/wsdl.ts); the rules the schema cannot express (lengths, cash on
// delivery, duplicates) answer per record with the carrier's published errCode. Every call passes
// the fault plan first (a carrier's load balancer fails before its auth does).
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { sameSecret } from '../auth';
import { turkeyLocal } from '../turkey-time';
import { wsdlEndpoint } from '../wsdl';
import { SoapFault, xmlOptional as Optional } from '../soap';
import { YURTICI_CODES as CODES, YURTICI_WSDL, carrierMessage, resultText, sendResult, yurticiSoap, type Language } from './soap';
import {
  CANCELLED,
  OPERATION_CODES,
  currentScan,
  YURTICI_OPERATIONS,
  type Movement,
  type SandboxShipment,
  type YurticiOperation,
  type YurticiState,
} from './state';

export const YURTICI_SERVICE_PATH = '/KOPSWebServices/ShippingOrderDispatcherServices';

/** The sender's customer number at the carrier, the same for both users (sandbox's). */
const SENDER_CUST_ID = 1_010_954;

// --- request shapes: the WSDL guard has checked names, order and XML types; these read the values ---
const Text = Optional(z.string());
const LanguageSchema = z.enum(['TR', 'EN']).catch('TR');
const Credentials = z.object({ wsUserName: Text, wsPassword: Text });
const OrderSchema = z.object({
  cargoKey: Text,
  invoiceKey: Text,
  receiverCustName: Text,
  receiverAddress: Text,
  cityName: Text,
  townName: Text,
  receiverPhone1: Text,
  emailAddress: Text,
  ttInvoiceAmount: Optional(z.coerce.number()),
  ttDocumentId: Optional(z.coerce.number()),
  ttCollectionType: Text,
  ttDocumentSaveType: Text,
});
type Order = z.infer<typeof OrderSchema>;
const CreateSchema = Credentials.extend({ userLanguage: LanguageSchema, ShippingOrderVO: z.array(OrderSchema).default([]) });
const QuerySchema = Credentials.extend({
  wsLanguage: LanguageSchema,
  keys: z.array(z.string()).default([]),
  keyType: Text,
  addHistoricalData: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
});
const CancelSchema = Credentials.extend({ userLanguage: LanguageSchema, cargoKeys: z.array(z.string()).default([]) });
const ReturnCodeSchema = Credentials.extend({
  wsLanguage: LanguageSchema,
  fieldName: Text,
  returnCode: Text,
  startDate: Text,
  endDate: Text,
  maxCount: Optional(z.coerce.number()),
});

/** The special field the sandbox's contract holds return codes in (production's is 16, per integrations). */
const RETURN_FIELD_NAME = '16';

/** yyyyMMdd and HHmmss in Turkey's local time, as the carrier writes every date and time. */
function turkeyDateTime(at: Date): { date: string; time: string } {
  const { date, time } = turkeyLocal(at);
  return { date: date.replaceAll('-', ''), time: time.replaceAll(':', '') };
}

/** The per-record refusal of an order the schema accepted, in the carrier's order of checks; undefined when it books. */
function orderRefusal(order: Order, cod: boolean): string | undefined {
  const length = (value: string | undefined) => value?.trim().length ?? 0;
  if (!order.cargoKey) return CODES.cargoKeyMissing;
  if (order.cargoKey.length > 20) return CODES.cargoKeyTooLong;
  if (!order.invoiceKey) return CODES.invoiceKeyMissing;
  if (order.invoiceKey.length > 20) return CODES.invoiceKeyTooLong;
  if (!order.receiverCustName) return CODES.receiverNameMissing;
  if (length(order.receiverCustName) > 100) return CODES.receiverNameTooLong;
  if (!order.receiverAddress) return CODES.addressMissing;
  if (length(order.receiverAddress) < 10 || length(order.receiverAddress) > 500) return CODES.addressLength;
  if (!/^0?\d{10}$/.test(order.receiverPhone1 ?? '')) return CODES.phoneInvalid;
  if (order.emailAddress && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(order.emailAddress)) return CODES.emailInvalid;
  return cod ? codRefusal(order) : order.ttCollectionType || order.ttInvoiceAmount ? CODES.collectionTypeMismatch : undefined;
}

/** Cash on delivery, for the user whose contract collects it: amount, document number, collection and save types. */
function codRefusal(order: Order): string | undefined {
  if (!order.ttInvoiceAmount) return CODES.codAmountMissing;
  if (!order.ttDocumentId) return CODES.codDocumentMissing;
  if (String(order.ttDocumentId).length > 12) return CODES.codDocumentTooLong;
  if (order.ttCollectionType !== '0') return order.ttCollectionType === '1' ? CODES.collectionTypeMismatch : CODES.collectionTypeInvalid;
  if (!['0', '1'].includes(order.ttDocumentSaveType ?? '')) return CODES.documentSaveTypeInvalid;
  return undefined;
}

function movementXml(movement: Movement) {
  const { date, time } = turkeyDateTime(movement.at);
  const { unitId, unitName, eventId, eventName, reasonId, reasonName, cityName, townName } = movement;
  return { unitId, unitName, eventId, eventName, reasonId, reasonName, eventDate: date, eventTime: time, cityName, townName };
}

/** The carrier's document for a processed parcel (ShippingDeliveryItemDetailVO), fields in the schema's order. */
function itemDetail(shipment: SandboxShipment, history: boolean) {
  const first = shipment.movements[0];
  const last = shipment.movements.at(-1)!;
  const document = turkeyDateTime(first.at);
  const delivered = currentScan(shipment).operationCode === 5 ? turkeyDateTime(last.at) : undefined;
  return {
    cargoKey: shipment.cargoKey,
    docId: shipment.docId,
    documentDate: document.date,
    documentTime: document.time,
    trackingUrl: `https://www.yurticikargo.com/tr/online-servisler/gonderi-sorgula?code=${shipment.docId}`,
    deliveryDate: delivered?.date,
    deliveryTime: delivered?.time,
    arrivalUnitName: last.unitName,
    departureUnitName: first.unitName,
    cargoEventId: last.eventId,
    cargoEventExplanation: last.eventName,
    cargoReasonId: last.reasonId,
    cargoReasonExplanation: last.reasonName,
    rejectStatus: shipment.rejectStatus,
    returnStatus: shipment.returnStatus,
    invDocCargoVOArray: history ? shipment.movements.map(movementXml) : undefined,
  };
}

/** The status pair as the carrier reports it, in the caller's language. */
function pair(shipment: SandboxShipment, language: Language) {
  const { operationCode, operationStatus } = currentScan(shipment);
  return { operationCode, operationMessage: OPERATION_CODES[operationCode]?.message[language] ?? operationStatus, operationStatus };
}

type Detail = { errCode?: string | number };
const outFlag = (details: Detail[]) => (details.every((d) => !d.errCode || d.errCode === '0') ? 0 : 1);

/** A result with a list, fields in the schema's order: outFlag, outResult, errCode, count, then its type's own. */
function listResult(details: Detail[], language: Language, own: Record<string, unknown>, flag = outFlag(details)) {
  return { outFlag: flag, outResult: resultText(flag === 0, language), errCode: CODES.success, count: details.length, ...own };
}

export function yurticiRouter(state: YurticiState, logger: Logger): Router {
  const router = Router();
  router.use(yurticiSoap.bodyParser);

  /** The user the credentials name, and whether its contract collects cash on delivery; a Client fault when they are wrong. */
  function userOf(credentials: { wsUserName?: string; wsPassword?: string }): { name: string; cod: boolean } {
    const { wsUserName = '', wsPassword = '' } = credentials;
    const { username, password, codUsername, codPassword } = state.credentials;
    if (sameSecret(wsUserName, username) && sameSecret(wsPassword, password)) return { name: username, cod: false };
    if (sameSecret(wsUserName, codUsername) && sameSecret(wsPassword, codPassword)) return { name: codUsername, cod: true };
    throw new SoapFault('Client', CODES.invalidCredentials, 'invalid wsUserName or wsPassword');
  }

  /** The operation's element from the Body, read by `schema`. */
  function request<T>(req: Request, operation: YurticiOperation, schema: z.ZodType<T>): T {
    return yurticiSoap.parse(schema, yurticiSoap.envelopeOf(req)[operation], `${operation} request`);
  }

  function createShipment(req: Request) {
    const body = request(req, 'createShipment', CreateSchema);
    const user = userOf(body);
    const language = body.userLanguage;
    const jobId = state.newJob();
    const details = body.ShippingOrderVO.map((order) => {
      const errCode = (order.cargoKey && state.get(order.cargoKey) ? CODES.duplicateCargoKey : undefined) ?? orderRefusal(order, user.cod);
      if (!errCode) {
        const customer = { cityName: order.cityName ?? '', townName: order.townName ?? '' };
        state.create({
          cargoKey: order.cargoKey!,
          invoiceKey: order.invoiceKey!,
          owner: user.name,
          kind: 'shipment',
          jobId,
          customer,
          codAmount: order.ttInvoiceAmount,
        });
      }
      const code = errCode ?? CODES.success;
      return { cargoKey: order.cargoKey, errCode: code, errMessage: carrierMessage(code, language), invoiceKey: order.invoiceKey };
    });
    return listResult(details, language, { jobId, shippingOrderDetailVO: details });
  }

  /** A shipment the user may query: its own, and a return only once a branch has made a parcel of it. */
  function visible(key: string, user: string): SandboxShipment | undefined {
    const shipment = state.get(key);
    if (shipment?.owner !== user) return undefined;
    return shipment.kind === 'shipment' || shipment.movements.length > 0 ? shipment : undefined;
  }

  function queryShipment(req: Request) {
    const body = request(req, 'queryShipment', QuerySchema);
    const user = userOf(body);
    const language = body.wsLanguage;
    const failed = (errCode: string) => ({
      outFlag: 1,
      outResult: carrierMessage(errCode, language),
      errCode,
      count: 0,
      senderCustId: SENDER_CUST_ID,
    });
    if (body.keys.length === 0) return failed(CODES.keysMissing);
    if (body.keyType !== '0' && body.keyType !== '1') return failed(CODES.keyTypeMissing);
    const details = body.keys.map((key) => {
      const found =
        body.keyType === '0' ? visible(key, user.name) : state.list().find((s) => s.invoiceKey === key && visible(s.cargoKey, user.name));
      if (!found) {
        const errCode = CODES.cargoKeyNotFound; // what the carrier answers here is unpublished (spec README, item 40)
        return { cargoKey: key, errCode, errMessage: carrierMessage(errCode, language), jobId: 0 };
      }
      return {
        cargoKey: found.cargoKey,
        errCode: CODES.success,
        invoiceKey: found.invoiceKey,
        jobId: found.jobId,
        ...pair(found, language),
        // Absent until a branch has processed the parcel (NOP), as integrations report.
        shippingDeliveryItemDetailVO: found.movements.length > 0 ? itemDetail(found, body.addHistoricalData) : undefined,
      };
    });
    return listResult(details, language, { senderCustId: SENDER_CUST_ID, shippingDeliveryDetailVO: details });
  }

  /** The outcome is the pair: CNL/3 cancelled now, ISC/4 (82520) cancelled before, any other pair the state that prevented it. */
  function cancelOne(cargoKey: string, user: string, language: Language) {
    const shipment = state.find(cargoKey, user);
    if (!shipment) {
      const errCode = CODES.cargoKeyNotFound;
      return { cargoKey, docId: 0, errCode, errMessage: carrierMessage(errCode, language), jobId: 0 };
    }
    const before = currentScan(shipment).operationCode;
    if (before !== CANCELLED && state.cancellable(shipment)) state.cancel(shipment);
    const result =
      before === CANCELLED
        ? { operationCode: 4, operationMessage: OPERATION_CODES[4].message[language], operationStatus: 'ISC' }
        : pair(shipment, language);
    const errCode = before === CANCELLED ? CODES.alreadyCancelled : CODES.success;
    const { invoiceKey, jobId } = shipment;
    return {
      cargoKey,
      docId: Number(shipment.docId ?? 0),
      errCode,
      errMessage: carrierMessage(errCode, language),
      invoiceKey,
      jobId,
      ...result,
    };
  }

  function cancelShipment(req: Request) {
    const body = request(req, 'cancelShipment', CancelSchema);
    const user = userOf(body);
    const details = body.cargoKeys.map((key) => cancelOne(key, user.name, body.userLanguage));
    // Already cancelled is not an error of the call: the pair says what happened.
    const flag = outFlag(details.filter((d) => d.errCode !== CODES.alreadyCancelled));
    return listResult(details, body.userLanguage, { senderCustId: SENDER_CUST_ID, shippingCancelDetailVO: details }, flag);
  }

  const baseResult = (errCode: string, language: Language) => ({
    outFlag: errCode === CODES.success ? 0 : 1,
    outResult: errCode === CODES.success ? resultText(true, language) : carrierMessage(errCode, language),
    errCode,
  });

  /** The checks both return-code operations make, in the carrier's order. */
  function returnCodeRefusal(body: z.infer<typeof ReturnCodeSchema>): string | undefined {
    if (!body.fieldName) return CODES.returnFieldNameMissing;
    if (body.fieldName !== RETURN_FIELD_NAME) return CODES.returnFieldNameInvalid;
    if (!body.returnCode) return CODES.returnCodeMissing;
    return undefined;
  }

  function saveReturnShipmentCode(req: Request) {
    const body = request(req, 'saveReturnShipmentCode', ReturnCodeSchema);
    const user = userOf(body);
    const dates = !/^\d{8}$/.test(body.startDate ?? '')
      ? CODES.returnStartDateMissing
      : !/^\d{8}$/.test(body.endDate ?? '')
        ? CODES.returnEndDateMissing
        : undefined;
    const refused = returnCodeRefusal(body) ?? dates ?? (body.maxCount ? undefined : CODES.returnCountMissing);
    const errCode = refused ?? (state.get(body.returnCode!) ? CODES.returnCodeExists : CODES.success);
    if (errCode === CODES.success) {
      const customer = { cityName: 'Ankara', townName: 'Çankaya' }; // where the customer hands it in: unknown until then
      state.create({
        cargoKey: body.returnCode!,
        invoiceKey: body.returnCode!,
        owner: user.name,
        kind: 'return',
        jobId: state.newJob(),
        customer,
      });
    }
    return baseResult(errCode, body.wsLanguage);
  }

  function cancelReturnShipmentCode(req: Request) {
    const body = request(req, 'cancelReturnShipmentCode', ReturnCodeSchema);
    const user = userOf(body);
    const saved = state.find(body.returnCode ?? '', user.name, 'return');
    const errCode = returnCodeRefusal(body) ?? (saved ? CODES.success : CODES.returnCodeUnknown);
    if (saved && errCode === CODES.success) state.withdraw(saved);
    return baseResult(errCode, body.wsLanguage);
  }

  const handlers: Record<YurticiOperation, { result: string; run: (req: Request) => unknown }> = {
    createShipment: { result: 'ShippingOrderResultVO', run: createShipment },
    queryShipment: { result: 'ShippingDeliveryVO', run: queryShipment },
    cancelShipment: { result: 'ShippingOrderResultVO', run: cancelShipment },
    saveReturnShipmentCode: { result: 'ExtendedBaseResultVO', run: saveReturnShipmentCode },
    cancelReturnShipmentCode: { result: 'ExtendedBaseResultVO', run: cancelReturnShipmentCode },
  };

  // SOAPAction is "" for every operation: the Body's element names it.
  const answer = (operation: YurticiOperation, req: Request, res: Response) => {
    const { result, run } = handlers[operation];
    sendResult(res, operation, result, run(req));
  };
  router.post(
    YURTICI_SERVICE_PATH,
    ...wsdlEndpoint({ dialect: yurticiSoap, operations: YURTICI_OPERATIONS, faults: state.faults, wsdl: YURTICI_WSDL, logger, answer }),
  );

  router.use((req) => {
    throw new SoapFault('Client', CODES.invalidRequest, `no endpoint for ${req.method} ${req.path}`, 404);
  });
  router.use(yurticiSoap.errorHandler(logger));
  return router;
}
