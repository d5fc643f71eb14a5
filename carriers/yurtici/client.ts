// SOAP 1.1 calls to Yurtiçi Kargo's ShippingOrderDispatcherServices as its WSDL defines them
// (spec/ShippingOrderDispatcherServices.wsdl): one endpoint, SOAPAction "" (the Body's element
// names the operation), credentials and language in every body, elements in the schema's order;
// replies read by element name (public samples do not keep the sequence), zod on every one.
import { z } from 'zod';
import { createSoapTransport, Opt } from '../transport/soap';
import { YURTICI_CODES as CODES, CARRIER, httpFailure, malformedFailure, resultFailure } from './errors';

export const SERVICE_PATH = '/KOPSWebServices/ShippingOrderDispatcherServices';
const SERVICE_NS = 'http://yurticikargo.com.tr/ShippingOrderDispatcherServices';

export interface YurticiUser {
  username: string;
  password: string;
}

export interface YurticiClientConfig {
  /** The carrier's root, e.g. https://ws.yurticikargo.com or the sandbox's http://127.0.0.1:4010/yurtici; the service path is appended. */
  baseUrl: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
  /** The language of the carrier's messages; English keeps failure messages readable for ops. */
  language?: 'TR' | 'EN';
}

// --- what the adapter sends: ShippingOrderVO in the schema's order (undefined fields are left out) ---
export interface YurticiOrder {
  cargoKey: string;
  invoiceKey: string;
  receiverCustName: string;
  receiverAddress: string;
  cityName: string;
  townName: string;
  receiverPhone1?: string;
  emailAddress?: string;
  /** Required by the schema (a Java long): 0, we send no tax office. */
  taxOfficeId: 0;
  desi: string;
  kg: string;
  cargoCount: 1;
  /** Cash on delivery in TRY: the amount, our ≤12-digit document number, cash (0), on the same invoice (0). */
  ttInvoiceAmount?: string;
  ttDocumentId: string;
  ttCollectionType?: '0';
  ttDocumentSaveType?: '0';
  /** Card collection only, required by the schema: 0. */
  dcSelectedCredit: 0;
  dcCreditRule: 0;
}

// --- what the carrier answers (every XML value is a string; an empty element is '') ---
const Int = z
  .string()
  .trim()
  .regex(/^-?\d+$/)
  .transform(Number);
const Text = Opt(z.string().max(1000));
/** A record's errCode: 0 (or absent) is success. */
const ErrCode = Opt(Int).transform((code) => String(code ?? 0));
const ResultFields = { outFlag: Int, outResult: Text, errCode: Opt(z.string()) };
const DetailFields = { cargoKey: z.string().min(1).max(40), errCode: ErrCode, errMessage: Text, invoiceKey: Text };

const CreateResultSchema = z.object({ ...ResultFields, shippingOrderDetailVO: z.array(z.object(DetailFields)).default([]) });

const MovementSchema = z.object({
  unitId: Text,
  unitName: Text,
  eventId: Text,
  eventName: Text,
  reasonId: Text,
  reasonName: Text,
  eventDate: z.string().regex(/^\d{8}$/),
  eventTime: z.string().regex(/^\d{6}$/),
  cityName: Text,
  townName: Text,
});
export type YurticiMovement = z.infer<typeof MovementSchema>;
const ItemDetailSchema = z.object({
  docId: Text,
  trackingUrl: Text,
  documentDate: Text,
  documentTime: Text,
  rejectStatus: Opt(Int),
  returnStatus: Opt(Int),
  invDocCargoVOArray: z.array(MovementSchema).default([]),
});
const PairFields = { operationCode: Opt(Int), operationStatus: Text, operationMessage: Text };
const DeliveryDetailSchema = z.object({ ...DetailFields, ...PairFields, shippingDeliveryItemDetailVO: Opt(ItemDetailSchema) });
export type YurticiDelivery = z.infer<typeof DeliveryDetailSchema>;
const QueryResultSchema = z.object({ ...ResultFields, shippingDeliveryDetailVO: z.array(DeliveryDetailSchema).default([]) });

const CancelDetailSchema = z.object({ ...DetailFields, ...PairFields });
export type YurticiCancel = z.infer<typeof CancelDetailSchema>;
const CancelResultSchema = z.object({ ...ResultFields, shippingCancelDetailVO: z.array(CancelDetailSchema).default([]) });

const BaseResultSchema = z.object(ResultFields);

// Lists come back as arrays even with one member.
const LISTS = ['shippingOrderDetailVO', 'shippingDeliveryDetailVO', 'shippingCancelDetailVO', 'invDocCargoVOArray'];

type Result = { outFlag: number; outResult?: string; errCode?: string };

/** A result the carrier refused as a whole, or one record's refusal (its errCode and message). */
function outcomeFailure(operation: string, result: Result, detail?: { errCode: string; errMessage?: string }): Error {
  const code = detail?.errCode ?? result.errCode ?? 'none';
  return resultFailure(operation, result.outFlag, { code, message: detail?.errMessage ?? result.outResult ?? 'no message' });
}

export function createYurticiClient({ baseUrl, timeoutMs, language = 'EN' }: YurticiClientConfig) {
  const { call, parseReply } = createSoapTransport({
    carrier: CARRIER,
    baseUrl,
    timeoutMs,
    namespace: SERVICE_NS,
    prefix: 'ship',
    lists: LISTS,
    faultCodeElement: 'YurticikargoWSException.errorCode',
    httpFailure,
  });
  /** One operation as `user`; SOAPAction is "" for every operation (the WSDL's binding). */
  const exchange = (user: YurticiUser, operation: string, body: Record<string, unknown>) =>
    call(SERVICE_PATH, '', operation, { wsUserName: user.username, wsPassword: user.password, ...body });

  /** The one record a single-record call answers about, or a malformed failure. */
  function recordFor<T extends { cargoKey: string }>(operation: string, records: T[], cargoKey: string): T {
    const record = records.find((r) => r.cargoKey === cargoKey);
    if (!record) throw malformedFailure(operation, `no record for the cargoKey sent`);
    return record;
  }

  return {
    /** Books one order; `created: false` when the carrier already holds the cargoKey (60020): a repeat of ours. */
    async createShipment(user: YurticiUser, order: YurticiOrder): Promise<{ created: boolean }> {
      const reply = await exchange(user, 'createShipment', { userLanguage: language, ShippingOrderVO: order });
      const result = parseReply('createShipment', 'ShippingOrderResultVO', reply, CreateResultSchema);
      const record = result.shippingOrderDetailVO.find((d) => d.cargoKey === order.cargoKey);
      if (record?.errCode === CODES.duplicateCargoKey) return { created: false };
      if (record && record.errCode !== CODES.success) throw outcomeFailure('createShipment', result, record);
      if (result.outFlag !== 0) throw outcomeFailure('createShipment', result);
      recordFor('createShipment', result.shippingOrderDetailVO, order.cargoKey);
      return { created: true };
    },

    /** The current pair and movements of each cargoKey the user holds; keys the carrier does not know are left out. */
    async queryShipments(user: YurticiUser, cargoKeys: string[]): Promise<YurticiDelivery[]> {
      const reply = await exchange(user, 'queryShipment', {
        wsLanguage: language,
        keys: cargoKeys,
        keyType: 0,
        addHistoricalData: true,
        onlyTracking: false,
      });
      const result = parseReply('queryShipment', 'ShippingDeliveryVO', reply, QueryResultSchema);
      const records = result.shippingDeliveryDetailVO;
      if (records.length === 0 && result.outFlag !== 0) throw outcomeFailure('queryShipment', result);
      const failed = records.find((d) => d.errCode !== CODES.success && d.errCode !== CODES.cargoKeyNotFound);
      if (failed) throw outcomeFailure('queryShipment', result, failed);
      return records.filter((d) => d.errCode === CODES.success);
    },

    /** Asks to cancel one cargoKey; the answer's pair (or errCode) says what happened, and the caller judges it. */
    async cancelShipment(user: YurticiUser, cargoKey: string): Promise<YurticiCancel> {
      const reply = await exchange(user, 'cancelShipment', { userLanguage: language, cargoKeys: cargoKey });
      const result = parseReply('cancelShipment', 'ShippingOrderResultVO', reply, CancelResultSchema);
      return recordFor('cancelShipment', result.shippingCancelDetailVO, cargoKey);
    },

    /** Saves a return code the customer quotes at a branch; `created: false` when it was saved before (82655): a repeat of ours. */
    async saveReturnCode(
      user: YurticiUser,
      code: { fieldName: string; returnCode: string; startDate: string; endDate: string },
    ): Promise<{ created: boolean }> {
      const reply = await exchange(user, 'saveReturnShipmentCode', { wsLanguage: language, ...code, maxCount: 1 });
      const result = parseReply('saveReturnShipmentCode', 'ExtendedBaseResultVO', reply, BaseResultSchema);
      if (result.errCode === CODES.returnCodeExists) return { created: false };
      if (result.outFlag !== 0) throw outcomeFailure('saveReturnShipmentCode', result);
      return { created: true };
    },

    /** Withdraws a return code; one the carrier does not hold (82656) counts as done. */
    async cancelReturnCode(user: YurticiUser, code: { fieldName: string; returnCode: string }): Promise<void> {
      const reply = await exchange(user, 'cancelReturnShipmentCode', { wsLanguage: language, ...code });
      const result = parseReply('cancelReturnShipmentCode', 'ExtendedBaseResultVO', reply, BaseResultSchema);
      if (result.outFlag !== 0 && result.errCode !== CODES.returnCodeUnknown) throw outcomeFailure('cancelReturnShipmentCode', result);
    },
  };
}

export type YurticiClient = ReturnType<typeof createYurticiClient>;
