// SOAP 1.1 calls to Yurtiçi Kargo's ShippingOrderDispatcherServices, made as to the real carrier:
// one endpoint, the operation named by SOAPAction and the Body's element, credentials and
// language in every body, a timeout on every call, zod on every parsed envelope.
import { z } from 'zod';
import { createSoapTransport, Opt } from '../transport/soap';
import { YURTICI_CODES, CARRIER, httpFailure, malformedFailure, resultFailure } from './errors';

export const SERVICE_PATH = '/KOPSWebServices/ShippingOrderDispatcherServices';
const SERVICE_NS = 'http://yurticikargo.com.tr/ShippingOrderDispatcherServices';

export interface YurticiClientConfig {
  /** The carrier's root, e.g. the sandbox's http://127.0.0.1:4010/yurtici; the service path is appended. */
  baseUrl: string;
  username: string;
  password: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
  /** The language of the carrier's messages; English keeps failure messages readable for ops. */
  language?: 'TR' | 'EN';
}

// --- what the adapter sends (ShippingOrderVO) ---
export interface YurticiOrder {
  cargoKey: string;
  invoiceKey: string;
  receiverCustName: string;
  receiverAddress: string;
  cityName: string;
  townName: string;
  receiverPostalCode: string;
  receiverPhone1?: string;
  /** RETURN: collected at the receiver* address (the customer) for orgReceiverCustId (our warehouse). */
  shipmentType: 'OUTBOUND' | 'RETURN';
  orgReceiverCustId?: string;
  cargoCount: number;
  kg: string;
  desi: string;
  /** Cash on delivery in TRY, collected in cash (ttCollectionType 0). */
  ttInvoiceAmount?: string;
  ttCollectionType?: '0' | '1';
}

// --- what the carrier answers (every XML value is a string; an empty element is '') ---
const Int = z
  .string()
  .trim()
  .regex(/^-?\d+$/)
  .transform(Number);
const ErrorFields = { errCode: Opt(z.string().trim().max(20)), errMessage: Opt(z.string().max(1000)) };
const ResultFields = { outFlag: Int, outResult: Opt(z.string().max(1000)), ...ErrorFields };

const OrderDetailSchema = z.object({ cargoKey: z.string().min(1), invoiceKey: Opt(z.string()), jobId: Opt(z.string()), ...ErrorFields });
const CreateResultSchema = z.object({ ...ResultFields, shippingOrderDetailVO: z.array(OrderDetailSchema).default([]) });

const ScanSchema = z.object({
  eventNo: z.string().trim().min(1).max(40),
  operationCode: Int,
  operationStatus: z.string().trim().min(1).max(8),
  eventName: Opt(z.string().max(500)),
  unitName: Opt(z.string().max(100)),
  cityName: Opt(z.string().max(100)),
  eventDate: z.string().regex(/^\d{8}$/),
  eventTime: z.string().regex(/^\d{6}$/),
});
export type YurticiScan = z.infer<typeof ScanSchema>;
const DeliveryDetailSchema = z.object({
  cargoKey: z.string().min(1).max(40),
  invoiceKey: Opt(z.string()),
  operationCode: Opt(Int),
  operationStatus: Opt(z.string()),
  ...ErrorFields,
  shippingDeliveryItemDetailVO: Opt(z.object({ docId: Opt(z.string()), invDocCargoVOArray: z.array(ScanSchema).default([]) })),
});
export type YurticiDelivery = z.infer<typeof DeliveryDetailSchema>;
const QueryResultSchema = z.object({ ...ResultFields, shippingDeliveryDetailVO: z.array(DeliveryDetailSchema).default([]) });

const CancelDetailSchema = z.object({ cargoKey: z.string().min(1), operationStatus: Opt(z.string()), ...ErrorFields });
const CancelResultSchema = z.object({ ...ResultFields, shippingCancelDetailVO: z.array(CancelDetailSchema).default([]) });

// Lists come back as arrays even with one member.
const LISTS = ['shippingOrderDetailVO', 'shippingDeliveryDetailVO', 'shippingCancelDetailVO', 'invDocCargoVOArray'];

interface Refusable {
  outFlag: number;
  outResult?: string;
  errCode?: string;
  errMessage?: string;
}

/** The failure for a result with outFlag ≠ 0: the detail's code when one has it, the result's otherwise. */
function outcomeFailure(operation: string, result: Refusable, detail: { errCode?: string; errMessage?: string } | undefined): Error {
  const code = detail?.errCode ?? result.errCode ?? 'none';
  const message = detail?.errMessage ?? result.errMessage ?? result.outResult ?? 'no message';
  return resultFailure(operation, result.outFlag, { code, message });
}

export function createYurticiClient({ baseUrl, username, password, timeoutMs, language = 'EN' }: YurticiClientConfig) {
  const { call, parseReply } = createSoapTransport({
    carrier: CARRIER,
    baseUrl,
    timeoutMs,
    namespace: SERVICE_NS,
    prefix: 'ship',
    lists: LISTS,
    faultCodeElement: 'errCode',
    httpFailure,
  });
  const exchange = (operation: string, body: Record<string, unknown>) => call(SERVICE_PATH, `${SERVICE_NS}/${operation}`, operation, body);

  const credentials = { wsUserName: username, wsPassword: password };

  return {
    /** Books one order; `created: false` when the carrier already holds the cargoKey (60020), the caller's idempotent repeat. */
    async createShipment(order: YurticiOrder): Promise<{ created: boolean }> {
      const reply = await exchange('createShipment', { ...credentials, userLanguage: language, ShippingOrderVO: order });
      const result = parseReply('createShipment', 'ShippingOrderResultVO', reply, CreateResultSchema);
      const detail = result.shippingOrderDetailVO.find((d) => d.cargoKey === order.cargoKey);
      if (detail?.errCode === YURTICI_CODES.duplicateCargoKey) return { created: false };
      if (result.outFlag !== 0 || detail?.errCode) throw outcomeFailure('createShipment', result, detail);
      if (!detail) throw malformedFailure('createShipment', `no shippingOrderDetailVO for the cargoKey sent`);
      return { created: true };
    },

    /** Current state and scans of each cargoKey; an unknown key (80859) fails the call as a refusal. */
    async queryShipments(cargoKeys: string[]): Promise<YurticiDelivery[]> {
      const reply = await exchange('queryShipment', {
        ...credentials,
        wsLanguage: language,
        keys: cargoKeys,
        keyType: 0,
        addHistoricalData: true,
        onlyTracking: false,
      });
      const result = parseReply('queryShipment', 'ShippingDeliveryVO', reply, QueryResultSchema);
      const failed = result.shippingDeliveryDetailVO.find((d) => d.errCode);
      if (result.outFlag !== 0 || failed) throw outcomeFailure('queryShipment', result, failed);
      return result.shippingDeliveryDetailVO;
    },

    /** Cancels one cargoKey; one the carrier never booked (80859) counts as done: nothing to cancel. */
    async cancelShipment(cargoKey: string): Promise<void> {
      const reply = await exchange('cancelShipment', { ...credentials, userLanguage: language, cargoKeys: cargoKey });
      const result = parseReply('cancelShipment', 'ShippingOrderResultVO', reply, CancelResultSchema);
      const detail = result.shippingCancelDetailVO.find((d) => d.cargoKey === cargoKey);
      if (detail?.errCode === YURTICI_CODES.cargoKeyNotFound) return;
      if (result.outFlag !== 0 || detail?.errCode) throw outcomeFailure('cancelShipment', result, detail);
    },
  };
}

export type YurticiClient = ReturnType<typeof createYurticiClient>;
