// Yurtiçi Kargo (domestic Turkey, SOAP) behind the CarrierAdapter interface. The protocol lives
// in client.ts, failures in errors.ts, tracking codes in statuses.ts; this file maps the engine's
// shapes to the carrier's and back, and keeps one live booking per key (README.md, "Lost answers").
import type { Address } from '../../domain/order';
import type { Booking, ShipmentRequest, TrackingEvent } from '../../domain/shipment';
import { logger } from '../../lib/logger';
import type { CarrierAdapter, CarrierCapabilities } from '../adapter';
import { byOccurrence, scanLocation, trackingEvent } from '../events';
import { barcodeBooking, hashedKey, readableKey } from '../keys';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { checkDomestic, DOMESTIC_CAPABILITIES, contractQuote, desi, domesticReceiver, type ContractTariff } from '../turkey';
import {
  createYurticiClient,
  type YurticiCancel,
  type YurticiClientConfig,
  type YurticiDelivery,
  type YurticiMovement,
  type YurticiOrder,
  type YurticiUser,
} from './client';
import { CARRIER, YURTICI_CODES as CODES, malformedFailure, refusal } from './errors';
import { pairCode, rawCode, YURTICI_STATUSES } from './statuses';

export const YURTICI = CARRIER;

export const YURTICI_CAPABILITIES: CarrierCapabilities = DOMESTIC_CAPABILITIES;

/**
 * The contract tariff, in TRY. Yurtiçi prices by contract and ShippingOrderDispatcherServices has
 * no rating operation, so quotes are computed here; update these from the signed contract.
 */
export const YURTICI_TARIFF: ContractTariff = { baseTry: 75, perKgTry: 11, cashOnDeliveryFeeTry: 25, transitDays: 2 };

export interface YurticiAdapterConfig extends YurticiClientConfig {
  /** The standard user (sender pays). */
  username: string;
  password: string;
  /** The cash-on-delivery user: the carrier binds the payment type to the user (spec README, "Cash on delivery"). */
  codUsername: string;
  codPassword: string;
  /** The contract's special field for return codes: 16 in production (integrations). */
  returnFieldName?: string;
  /** How long a return code stays usable, in days (the engine's return label lasts 30). */
  returnCodeDays?: number;
  /** Where unmapped tracking codes are reported; the process logger by default. */
  log?: StatusLog;
}

/** The carrier keys every shipment by the merchant's cargoKey (at most 20 characters) and refuses a reused one (60020). */
export const cargoKeyFor = hashedKey;

/** The invoiceKey is for people: our shipment id when it fits the carrier's 20 characters. */
export const invoiceKeyFor = (shipmentId: string): string => readableKey(shipmentId, 20);

/** Our cash-on-delivery document number for a booking: up to 12 digits (a Java long), never 0, the same on every retry. */
export const codDocumentFor = (idempotencyKey: string): string =>
  ((BigInt(`0x${hashedKey(idempotencyKey)}`) % (10n ** 12n - 1n)) + 1n).toString();

/** Without a phone (ten digits with the area code) the carrier refuses it (82516), an address problem. */
function receiver(a: Address): Pick<YurticiOrder, 'receiverCustName' | 'receiverAddress' | 'cityName' | 'townName' | 'receiverPhone1'> {
  const { name, street, province, district, phone } = domesticReceiver(a);
  return { receiverCustName: name, receiverAddress: street, cityName: province, townName: district, receiverPhone1: phone };
}

/** Cash in TRY, on the same invoice; the card fields stay 0 (we never collect by card). */
function cashOnDelivery(
  request: ShipmentRequest,
  idempotencyKey: string,
): Pick<YurticiOrder, 'ttInvoiceAmount' | 'ttDocumentId' | 'ttCollectionType' | 'ttDocumentSaveType'> {
  if (!request.cashOnDelivery) return { ttDocumentId: '0' };
  const amount = request.cashOnDelivery.amount.toFixed(2);
  return { ttInvoiceAmount: amount, ttDocumentId: codDocumentFor(idempotencyKey), ttCollectionType: '0', ttDocumentSaveType: '0' };
}

function toOrder(request: ShipmentRequest, cargoKey: string, idempotencyKey: string): YurticiOrder {
  const { ttInvoiceAmount, ttDocumentId, ttCollectionType, ttDocumentSaveType } = cashOnDelivery(request, idempotencyKey);
  // In the schema's order: the service reads a sequence.
  return {
    cargoKey,
    invoiceKey: invoiceKeyFor(request.shipmentId),
    ...receiver(request.to),
    taxOfficeId: 0,
    desi: desi(request.parcel).toFixed(3),
    kg: (request.parcel.weightGrams / 1000).toFixed(3),
    cargoCount: 1,
    ttInvoiceAmount,
    ttDocumentId,
    ttCollectionType,
    ttDocumentSaveType,
    dcSelectedCredit: 0,
    dcCreditRule: 0,
  };
}

/** What the carrier cannot take is refused here, before a call. */
const checkCarriable = (operation: string, request: ShipmentRequest) => checkDomestic(operation, request, YURTICI_CAPABILITIES, refusal);

/** The carrier writes Turkey's local time (UTC+3 all year), yyyyMMdd and HHmmss, without an offset. */
function turkeyIso(date: string, time: string): string {
  return `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}+03:00`;
}

/** yyyyMMdd in Turkey (UTC+3), `days` from now. */
function turkeyDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 3 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

const CANCELLED_PAIRS = new Set(['CNL/3', 'ISC/4']);
const REGISTERED = 'NOP/0';

export function createYurticiAdapter(config: YurticiAdapterConfig): CarrierAdapter {
  new URL(config.baseUrl); // a bad URL fails at start-up, not on the first parcel
  const client = createYurticiClient(config);
  const toStatus = createStatusMapper('yurtici', YURTICI_STATUSES, config.log ?? logger);
  const standard: YurticiUser = { username: config.username, password: config.password };
  const cod: YurticiUser = { username: config.codUsername, password: config.codPassword };
  /** Query and cancel find a shipment only for the user that booked it: ours are tried in turn. */
  const users = cod.username === standard.username ? [standard] : [standard, cod];
  const returnCode = (idempotencyKey: string) => ({ fieldName: config.returnFieldName ?? '16', returnCode: cargoKeyFor(idempotencyKey) });

  /**
   * The shipment as events: each movement (where and when) and the current status, which the
   * carrier reports for the shipment only. Movements carry the status the carrier reported when we
   * read them (the engine keeps an event's first reading); the status itself is one event per code,
   * at the newest movement's time, so the newest event always says what the carrier says now.
   */
  function toEvents(delivery: YurticiDelivery): TrackingEvent[] {
    const item = delivery.shippingDeliveryItemDetailVO;
    const raw = rawCode(pairCode(delivery.operationStatus ?? '', delivery.operationCode), item);
    const status = toStatus(raw);
    const { cargoKey } = delivery;
    const movements = (item?.invDocCargoVOArray ?? []).map((m) => ({ m, at: turkeyIso(m.eventDate, m.eventTime) }));
    movements.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const event = (eventId: string, occurredAt: string, m: YurticiMovement | undefined) =>
      trackingEvent(
        { eventId, trackingNumber: cargoKey, status, occurredAt, rawCode: raw, location: scanLocation(m?.unitName, m?.cityName) },
        (problem) => malformedFailure('queryShipment', `${cargoKey} ${raw}: ${problem}`),
      );
    const newest = movements.at(-1);
    const documented = item?.documentDate && item.documentTime ? turkeyIso(item.documentDate, item.documentTime) : undefined;
    const events = movements.map(({ m, at }) =>
      event(`${cargoKey}:${m.eventDate}${m.eventTime}:${m.unitId ?? ''}:${m.eventId ?? ''}`, at, m),
    );
    // Registered and untouched (NOP/0) is no news: the booking itself said so.
    if (raw === REGISTERED) return events;
    return [...events, event(`${cargoKey}:status:${raw}`, newest?.at ?? documented ?? new Date().toISOString(), newest?.m)];
  }

  /**
   * Books under the key's cargoKey. A repeat (a retry after a lost answer, or a second call) is
   * refused by the carrier as a duplicate (60020): the shipment it already holds is the booking,
   * unless it was cancelled (a cargoKey books once, ever).
   */
  async function bookOnce(request: ShipmentRequest, idempotencyKey: string): Promise<Booking> {
    checkCarriable('book', request);
    const cargoKey = cargoKeyFor(idempotencyKey);
    const user = request.cashOnDelivery ? cod : standard;
    const { created } = await client.createShipment(user, toOrder(request, cargoKey, idempotencyKey));
    if (!created) {
      // A new shipment may take minutes to become queryable ([E]): not finding it yet is no doubt about 60020.
      const [held] = await client.queryShipments(user, [cargoKey]);
      const pair = held && pairCode(held.operationStatus ?? '', held.operationCode);
      if (pair && CANCELLED_PAIRS.has(pair))
        throw refusal('book', `cargoKey ${cargoKey} was booked and cancelled (${pair}): it cannot book again`);
    }
    return barcodeBooking(YURTICI, cargoKey, idempotencyKey);
  }

  /** The cancel answer judged by its pair: CNL/3 cancelled now, ISC/4 (82520) before; any other pair is the state that prevented it. */
  function cancelled(answer: YurticiCancel): boolean {
    const pair = pairCode(answer.operationStatus ?? '', answer.operationCode);
    if (CANCELLED_PAIRS.has(pair) || answer.errCode === CODES.alreadyCancelled) return true;
    if (answer.errCode === CODES.cargoKeyNotFound) return false;
    const why = answer.errCode === CODES.success ? `the carrier reports ${pair}` : `carrier code ${answer.errCode}`;
    throw refusal(
      'cancel',
      `cancelShipment ${answer.cargoKey}: not cancelled, ${why}: ${answer.operationMessage ?? answer.errMessage ?? ''}`,
    );
  }

  return {
    name: YURTICI,
    capabilities: YURTICI_CAPABILITIES,

    async quote(request) {
      checkCarriable('quote', request);
      return contractQuote(YURTICI, YURTICI_TARIFF, request);
    },

    book: bookOnce,

    /**
     * A return is a return code the customer quotes at any Yurtiçi branch (saveReturnShipmentCode),
     * keyed like a booking: saved again it answers 82655, our repeat. The carrier books nothing
     * until the customer hands the parcel in; we print the code as the label's barcode.
     */
    async createReturn(request, idempotencyKey) {
      checkCarriable('return', request);
      const days = config.returnCodeDays ?? 30;
      await client.saveReturnCode(standard, { ...returnCode(idempotencyKey), startDate: turkeyDate(0), endDate: turkeyDate(days) });
      return barcodeBooking(YURTICI, cargoKeyFor(idempotencyKey), idempotencyKey);
    },

    /** Cancels the key's shipment for whichever user holds it; a key with none is a return code, withdrawn (or nothing at all). */
    async cancel(idempotencyKey) {
      const cargoKey = cargoKeyFor(idempotencyKey);
      for (const user of users) if (cancelled(await client.cancelShipment(user, cargoKey))) return;
      await client.cancelReturnCode(standard, returnCode(idempotencyKey));
    },

    async track(trackingNumbers) {
      const deliveries: YurticiDelivery[] = [];
      let missing = trackingNumbers;
      for (const user of users) {
        if (missing.length === 0) break;
        const found = await client.queryShipments(user, missing);
        deliveries.push(...found);
        missing = missing.filter((key) => !found.some((d) => d.cargoKey === key));
      }
      return deliveries.flatMap(toEvents).sort(byOccurrence);
    },
  };
}
