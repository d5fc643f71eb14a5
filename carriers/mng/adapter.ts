// MNG Kargo (DHL eCommerce Turkey; domestic, REST/JSON) behind the CarrierAdapter interface. The
// protocol lives in client.ts, failures in errors.ts, tracking codes in statuses.ts; this file
// maps the engine's shapes to the carrier's and back, and keys every booking by a referenceId
// derived from our idempotency key, looked up (getorder) before anything is created again.
import type { Address } from '../../domain/order';
import type { Booking, Parcel, ShipmentRequest, TrackingEvent } from '../../domain/shipment';
import { logger } from '../../lib/logger';
import type { CarrierAdapter, CarrierCapabilities } from '../adapter';
import { byOccurrence, scanLocation, trackingEvent } from '../events';
import { hashedKey, readableKey } from '../keys';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { checkDomestic, DOMESTIC_CAPABILITIES, desi, nationalPhone } from '../turkey';
import {
  createMngClient,
  mngTime,
  type MngClientConfig,
  type MngCustomer,
  type MngMovement,
  type MngPiece,
  type MngPlaces,
} from './client';
import { CARRIER, malformedFailure, refusal } from './errors';
import { ownZplLabel, zplDataUrl } from './label';
import { foldText, MNG_STATUSES, rawCodeOf } from './statuses';

export const MNG = CARRIER;

// An express service too, and its own ZPL label (createbarcode).
// MNG prices by its calculate operation: a call to the carrier.
export const MNG_CAPABILITIES: CarrierCapabilities = {
  ...DOMESTIC_CAPABILITIES,
  services: ['standard', 'express'],
  labelFormats: ['zpl'],
  pricesByContract: false,
};

/** The carrier's numeric codes (spec: every integration sends 1, 3, 1, 1; express = 2 is unpublished). */
const SERVICE_TYPES: Record<string, number> = { standard: 1, express: 2 };
const PACKAGING_PARCEL = 3; // PAKET
const SENDER_PAYS = 1;
const TO_ADDRESS = 1; // ADRESE_TESLIM
/** The placeholder tax number integrations send for a private person (an empty one is refused, 26056). */
const PRIVATE_PERSON_TAX_NUMBER = '11111111110';
/** Bookings remembered per process: MNG has no call that returns an existing shipment's label again. */
const REMEMBERED = 1000;

export interface MngAdapterConfig extends MngClientConfig {
  /** Where unmapped tracking codes are reported; the process logger by default. */
  log?: StatusLog;
}

/**
 * MNG keys an order by the merchant's referenceId (≤ 30, upper-case) and refuses a reused one: ours
 * is `R` and 20 hex digits of the idempotency key's hash. The leading letter tells it apart from
 * MNG's all-digit shipment ids, so a return can be tracked by it.
 */
export const referenceIdFor = (idempotencyKey: string) => `R${hashedKey(idempotencyKey)}`;

/** The waybill number is for people (ops, the carrier's call centre): our shipment id, or a hash of it when it is long. */
const billOfLandingIdFor = (shipmentId: string) => readableKey(shipmentId, 30);

/** The carrier counts whole kilograms and desi (L×W×H cm / 3000), at least 1 of each. */
function weights(parcel: Parcel): Pick<MngPiece, 'kg' | 'desi'> {
  return { kg: Math.max(1, Math.ceil(parcel.weightGrams / 1000)), desi: Math.max(1, Math.ceil(desi(parcel))) };
}

/** One parcel is one piece; its barcode is ours to choose, "<referenceId>_PARCA1" as integrations do. */
const pieces = (referenceId: string, parcel: Parcel): MngPiece[] => [
  { barcode: `${referenceId}_PARCA1`, ...weights(parcel), content: 'Parcel' },
];

type MngPlace = Pick<MngCustomer, 'cityCode' | 'cityName' | 'districtCode' | 'districtName'>;

/** Province and district by name with codes 0, as integrations send them (quotes; places MNG's lists lack). */
const place = (a: Address): MngPlace => ({ cityCode: 0, cityName: a.city, districtCode: 0, districtName: a.district ?? '' });

function customer(a: Address, codes: MngPlace): MngCustomer {
  const phone = nationalPhone(a.phone);
  return {
    ...codes,
    fullName: a.name,
    address: [a.line1, a.line2].filter(Boolean).join(', '),
    taxNumber: PRIVATE_PERSON_TAX_NUMBER,
    ...(phone ? { mobilePhoneNumber: phone } : {}),
  };
}

function charges(request: ShipmentRequest): { isCOD: 0 | 1; codAmount: number } {
  return request.cashOnDelivery ? { isCOD: 1, codAmount: request.cashOnDelivery.amount } : { isCOD: 0, codAmount: 0 };
}

function order(request: ShipmentRequest, referenceId: string, content: string) {
  return {
    ...charges(request),
    referenceId,
    barcode: referenceId, // every integration sends the referenceId here
    billOfLandingId: billOfLandingIdFor(request.shipmentId),
    shipmentServiceType: SERVICE_TYPES[request.service],
    packagingType: PACKAGING_PARCEL,
    paymentType: SENDER_PAYS,
    deliveryType: TO_ADDRESS,
    content,
    description: `Order ${request.orderId}`,
    smsPreference1: 0 as const,
    smsPreference2: 0 as const,
    smsPreference3: 0 as const,
  };
}

/** Taken, yet getorder does not list it: an order cancelled under this key. A new key is needed. */
const takenByCancelled = (operation: string, referenceId: string) =>
  refusal(operation, `referenceId ${referenceId} is taken by an order MNG no longer lists (cancelled)`);

/** What the carrier cannot take is refused here, before a call (MNG publishes no refusal code for weight). */
const checkCarriable = (operation: string, request: ShipmentRequest) => checkDomestic(operation, request, MNG_CAPABILITIES, refusal);

/** Names compared without case, Turkish letters, spacing or the plate code MNG appends to city names ("ADANA  11"). */
const PLATE_CODE = /\s+\d+$/;
const findPlace = (places: MngPlaces, name: string) => places.find((p) => foldText(p.name.replace(PLATE_CODE, '')) === foldText(name));

/** Runs `drop` and rethrows: a cached promise that failed is dropped, so the next call asks again. */
const forget =
  (drop: () => unknown) =>
  (err: unknown): never => {
    drop();
    throw err;
  };

export function createMngAdapter(config: MngAdapterConfig): CarrierAdapter {
  new URL(config.baseUrl); // a bad URL fails at start-up, not on the first parcel
  const client = createMngClient(config);
  const toStatus = createStatusMapper('mng', MNG_STATUSES, config.log ?? logger);
  const remembered = new Map<string, Booking>();

  // MNG's CBS lists, fetched once per process (they change with Turkey's administrative map); a failed fetch is not kept.
  let cityList: Promise<MngPlaces> | undefined;
  const districtLists = new Map<number, Promise<MngPlaces>>();
  const cities = () => (cityList ??= client.cities().catch(forget(() => (cityList = undefined))));
  function districts(cityCode: number): Promise<MngPlaces> {
    const list = districtLists.get(cityCode) ?? client.districts(cityCode).catch(forget(() => districtLists.delete(cityCode)));
    districtLists.set(cityCode, list);
    return list;
  }

  /** The customer's CBS codes (an integration reports "no destination" without them); 0 with the name where MNG's list has none, for MNG to refuse or place. */
  async function codesOf(a: Address): Promise<MngPlace> {
    const city = findPlace(await cities(), a.city);
    if (!city) return place(a);
    const district = a.district ? findPlace(await districts(city.code), a.district) : undefined;
    return { ...place(a), cityCode: city.code, districtCode: district?.code ?? 0 };
  }

  function remember(booking: Booking): Booking {
    remembered.set(booking.bookingId, booking);
    if (remembered.size > REMEMBERED) remembered.delete(remembered.keys().next().value!);
    return booking;
  }

  function toEvent(trackingNumber: string, movement: MngMovement): TrackingEvent {
    const rawCode = rawCodeOf(movement.eventStatus);
    const occurredAt = mngTime(movement.eventDateTime);
    const malformed = (problem: string) => malformedFailure('trackshipment', `movement ${movement.eventSequence}: ${problem}`);
    if (!occurredAt) throw malformed(`eventDateTime in an unknown format`);
    const event = {
      eventId: `${trackingNumber}:${movement.eventSequence}`,
      trackingNumber,
      status: toStatus(rawCode),
      occurredAt,
      rawCode,
      location: scanLocation(movement.location),
    };
    return trackingEvent(event, malformed);
  }

  /** A shipment whose createbarcode answer was lost: MNG has it, but gives its label only once, so we print one with its barcode. */
  const recovered = (request: ShipmentRequest, referenceId: string, shipmentId: string, idempotencyKey: string): Booking => ({
    carrier: MNG,
    bookingId: referenceId,
    trackingNumber: shipmentId,
    labelRef: zplDataUrl(
      ownZplLabel({
        barcode: shipmentId,
        referenceId,
        title: request.service === 'express' ? 'EKSPRES' : 'STANDART',
        from: request.warehouseId,
        to: request.to,
        codAmount: request.cashOnDelivery?.amount,
      }),
    ),
    idempotencyKey,
  });

  return {
    name: MNG,
    capabilities: MNG_CAPABILITIES,

    async quote(request) {
      checkCarriable('calculate', request);
      const { finalTotal, estimatedDeliveryDays } = await client.calculate({
        ...charges(request),
        shipmentServiceType: SERVICE_TYPES[request.service],
        packagingType: PACKAGING_PARCEL,
        paymentType: SENDER_PAYS,
        recipient: place(request.to),
        orderPieceList: [weights(request.parcel)],
      });
      return { carrier: MNG, service: request.service, amount: finalTotal, currency: 'TRY', transitDays: estimatedDeliveryDays };
    },

    /**
     * getorder first: a shipment under our referenceId is this key's booking (its label from memory,
     * or printed by us); an order without one gets its createbarcode; none is created. One live
     * booking however many answers were lost.
     */
    async book(request, idempotencyKey) {
      checkCarriable('book', request);
      const referenceId = referenceIdFor(idempotencyKey);
      const found = await client.order(referenceId);
      if (found.exists && found.shipmentId) {
        return remembered.get(referenceId) ?? recovered(request, referenceId, found.shipmentId, idempotencyKey);
      }
      const orderPieceList = pieces(referenceId, request.parcel);
      if (!found.exists) {
        const created = await client.createOrder({
          order: order(request, referenceId, 'Order'),
          orderPieceList,
          recipient: customer(request.to, await codesOf(request.to)),
        });
        if (created === 'exists') throw takenByCancelled('createOrder', referenceId);
      }
      const { isCOD, codAmount } = charges(request);
      const billOfLandingId = billOfLandingIdFor(request.shipmentId);
      const barcode = {
        referenceId,
        billOfLandingId,
        isCOD,
        codAmount,
        packagingType: PACKAGING_PARCEL,
        printReferenceBarcodeOnError: 0 as const,
      };
      const { shipmentId, zpl } = await client.createBarcode({ ...barcode, orderPieceList });
      return remember({ carrier: MNG, bookingId: referenceId, trackingNumber: shipmentId, labelRef: zplDataUrl(zpl), idempotencyKey });
    },

    /**
     * createReturnOrder with the customer as the shipper; MNG answers with a link for the customer,
     * not a label, so we print one with the referenceId, which tracks the return until the branch
     * gives it a shipment id. A retry finds the order by getorder (or as "already there").
     */
    async createReturn(request, idempotencyKey) {
      checkCarriable('return', request);
      const referenceId = referenceIdFor(idempotencyKey);
      const found = await client.order(referenceId);
      if (!found.exists) {
        const created = await client.createReturnOrder({
          order: order(request, referenceId, 'Return'),
          orderPieceList: pieces(referenceId, request.parcel),
          shipper: customer(request.to, await codesOf(request.to)),
        });
        if (created === 'exists') throw takenByCancelled('createReturnOrder', referenceId);
      }
      const label = ownZplLabel({ barcode: referenceId, referenceId, title: 'İADE', from: request.to.name, to: request.warehouseId });
      return { carrier: MNG, bookingId: referenceId, trackingNumber: referenceId, labelRef: zplDataUrl(label), idempotencyKey };
    },

    /** An order without a shipment is cancelled as an order, one with a shipment as a shipment; none (or cancelled already) is a no-op. */
    async cancel(idempotencyKey) {
      const referenceId = referenceIdFor(idempotencyKey);
      const found = await client.order(referenceId);
      if (!found.exists) return;
      if (found.shipmentId) await client.cancelShipment(referenceId, found.shipmentId);
      else await client.cancelOrder(referenceId);
    },

    /** One call per parcel (MNG has no batch query), one after another so the carrier's rate limit holds. */
    async track(trackingNumbers) {
      const events: TrackingEvent[] = [];
      for (const trackingNumber of trackingNumbers) {
        for (const movement of await client.movements(trackingNumber)) events.push(toEvent(trackingNumber, movement));
      }
      return events.sort(byOccurrence);
    },

    /** Checks the province and district against the carrier's CBS lists; a province with no district list is judged on the province. */
    async validateAddress(address) {
      if (address.countryCode !== 'TR') return { valid: false, reason: 'MNG Kargo delivers within Turkey only' };
      const city = findPlace(await cities(), address.city);
      if (!city) return { valid: false, reason: `no province named ${address.city}` };
      if (!address.district) return { valid: true };
      const list = await districts(city.code);
      if (list.length === 0 || findPlace(list, address.district)) return { valid: true };
      return { valid: false, reason: `no district named ${address.district} in ${city.name.replace(PLATE_CODE, '')}` };
    },
  };
}
