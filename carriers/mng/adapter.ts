// MNG Kargo (DHL eCommerce Turkey; domestic, REST/JSON) behind the CarrierAdapter interface. The
// protocol lives in client.ts, failures in errors.ts, tracking codes in statuses.ts; this file
// maps the engine's shapes to the carrier's and back.
import type { Address } from '../../domain/order';
import type { Booking, Parcel, ShipmentRequest, TrackingEvent } from '../../domain/shipment';
import { logger } from '../../lib/logger';
import type { CarrierAdapter, CarrierCapabilities } from '../adapter';
import { byOccurrence, scanLocation, trackingEvent } from '../events';
import { hashedKey, readableKey } from '../keys';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { checkDomestic, DOMESTIC_CAPABILITIES, desi, nationalPhone, turkeyIso } from '../turkey';
import {
  createMngClient,
  type CreateOrderRequest,
  type MngClientConfig,
  type MngMovement,
  type MngPiece,
  type MngPlace,
  type MngPlaces,
  type MngStatus,
} from './client';
import { CARRIER, malformedFailure, refusal } from './errors';
import { MNG_STATUSES } from './statuses';

export const MNG = CARRIER;

// An express service too, and its own ZPL label (createbarcode).
export const MNG_CAPABILITIES: CarrierCapabilities = { ...DOMESTIC_CAPABILITIES, services: ['standard', 'express'], labelFormats: ['zpl'] };

/** The carrier's numeric codes for what the adapter asks. */
const SERVICE_TYPES: Record<string, number> = { standard: 1, express: 2 }; // STANDART_TESLIMAT, priority (sandbox's)
const PACKAGING_PARCEL = 3; // PAKET
const SENDER_PAYS = 1; // GONDERICI_ODER
const TO_ADDRESS = 1; // ADRESE_TESLIM
/** Tracking calls carry at most this many shipment numbers. */
const TRACK_BATCH = 50;

export interface MngAdapterConfig extends MngClientConfig {
  /** Where unmapped tracking codes are reported; the process logger by default. */
  log?: StatusLog;
}

/** The carrier keys every order by the merchant's referenceId and refuses a reused one (3002). */
export const referenceIdFor = hashedKey;

/** The waybill number is for people (ops, the carrier's call centre): our shipment id, or a hash of it when it is long. */
function billOfLandingIdFor(shipmentId: string): string {
  // The field takes any characters, so only the length decides.
  return shipmentId.length <= 30 ? shipmentId : readableKey(shipmentId, 30);
}

/** The carrier counts whole kilograms and desi (L×W×H cm / 3000), at least 1 of each. */
function weights(parcel: Parcel): Pick<MngPiece, 'kg' | 'desi'> {
  return { kg: Math.max(1, Math.ceil(parcel.weightGrams / 1000)), desi: Math.max(1, Math.ceil(desi(parcel))) };
}

/** We send one parcel as one piece; its barcode is ours to choose, after the referenceId. */
function piece(referenceId: string, parcel: Parcel): MngPiece {
  return { barcode: `${referenceId}_PARCA1`, ...weights(parcel), content: 'Parcel' };
}

/** Names as they are typed: case, Turkish letters and spacing do not matter ("ISTANBUL" is İstanbul). */
function foldName(name: string): string {
  return name
    .toLocaleLowerCase('tr-TR')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .replace(/[^a-z0-9]/g, '');
}

const findPlace = (places: MngPlaces, name: string) => places.find((p) => foldName(p.name) === foldName(name));

/** Codes 0 with names: the carrier resolves the names itself, so quoting and booking need no CBS call. */
function place(a: Address): MngPlace {
  return { cityCode: 0, cityName: a.city, districtCode: 0, districtName: a.district };
}

function recipient(a: Address): CreateOrderRequest['recipient'] {
  return {
    ...place(a),
    fullName: a.name,
    address: [a.line1, a.line2].filter(Boolean).join(', '),
    mobilePhoneNumber: nationalPhone(a.phone),
  };
}

function charges(request: ShipmentRequest): { isCOD: 0 | 1; codAmount: number } {
  return request.cashOnDelivery ? { isCOD: 1, codAmount: request.cashOnDelivery.amount } : { isCOD: 0, codAmount: 0 };
}

/** What the carrier cannot take is refused here, before a call; weight is the carrier's to refuse (4002): canCarry keeps heavier parcels away already. */
const checkCarriable = (operation: string, request: ShipmentRequest) =>
  checkDomestic(operation, request, MNG_CAPABILITIES, refusal, { weighs: false });

export function createMngAdapter(config: MngAdapterConfig): CarrierAdapter {
  new URL(config.baseUrl); // a bad URL fails at start-up, not on the first parcel
  const client = createMngClient(config);
  const toStatus = createStatusMapper('mng', MNG_STATUSES, config.log ?? logger);

  function toEvent(shipmentId: string, movement: MngMovement): TrackingEvent {
    const rawCode = String(movement.eventStatusCode);
    const event = {
      eventId: `${shipmentId}:${movement.eventSequence}`,
      trackingNumber: shipmentId,
      status: toStatus(rawCode),
      occurredAt: turkeyIso(movement.eventDateTime),
      rawCode,
      location: scanLocation(movement.unitName, movement.cityName),
    };
    return trackingEvent(event, (problem) =>
      malformedFailure('getshipmentstatus', `movement ${rawCode} at ${movement.eventDateTime}: ${problem}`),
    );
  }

  const toEvents = ({ shipmentId, movements }: MngStatus): TrackingEvent[] =>
    shipmentId ? movements.map((m) => toEvent(shipmentId, m)) : [];

  /**
   * createOrder, then createbarcode for the shipment number and label. A repeat (a retry after a
   * lost reply, or a second call) finds the order taken (3002) and createbarcode answers with the
   * shipment already made: one live booking, never two.
   */
  async function bookOnce(operation: string, request: ShipmentRequest, idempotencyKey: string, isReturn: 0 | 1): Promise<Booking> {
    checkCarriable(operation, request);
    const referenceId = referenceIdFor(idempotencyKey);
    const billOfLandingId = billOfLandingIdFor(request.shipmentId);
    const pieces = [piece(referenceId, request.parcel)];
    const common = { ...charges(request), billOfLandingId, packagingType: PACKAGING_PARCEL };
    await client.createOrder({
      order: {
        ...common,
        referenceId,
        barcode: referenceId,
        shipmentServiceType: SERVICE_TYPES[request.service],
        paymentType: SENDER_PAYS,
        deliveryType: TO_ADDRESS,
        content: `Order ${request.orderId}`,
        isReturn,
      },
      orderPieceList: pieces,
      recipient: recipient(request.to),
    });
    const { shipmentId, zpl } = await client.createBarcode({ ...common, referenceId, orderPieceList: pieces });
    return {
      carrier: MNG,
      bookingId: referenceId,
      trackingNumber: shipmentId,
      labelRef: `data:application/zpl;base64,${Buffer.from(zpl).toString('base64')}`,
      idempotencyKey,
    };
  }

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

    book: (request, idempotencyKey) => bookOnce('book', request, idempotencyKey, 0),

    // A return is an order in the reverse direction: collected at request.to, with its own key.
    createReturn: (request, idempotencyKey) => bookOnce('return', request, idempotencyKey, 1),

    /** An order without a shipment yet is cancelled as an order, one with a shipment as a shipment; none, or cancelled already, is a no-op. */
    async cancel(idempotencyKey) {
      const referenceId = referenceIdFor(idempotencyKey);
      const order = await client.orderStatus(referenceId);
      if (!order || MNG_STATUSES.get(String(order.shipmentStatusCode)) === 'cancelled') return;
      if (order.shipmentId) await client.cancelShipment(referenceId, order.shipmentId);
      else await client.cancelOrder(referenceId);
    },

    async track(trackingNumbers) {
      const batches: string[][] = [];
      for (let i = 0; i < trackingNumbers.length; i += TRACK_BATCH) batches.push(trackingNumbers.slice(i, i + TRACK_BATCH));
      const statuses = (await Promise.all(batches.map((batch) => client.shipmentStatuses(batch)))).flat();
      return statuses.flatMap(toEvents).sort(byOccurrence);
    },

    /** Checks the province and district against the carrier's CBS lists; a province with no district list is judged on the province. */
    async validateAddress(address) {
      if (address.countryCode !== 'TR') return { valid: false, reason: 'MNG Kargo delivers within Turkey only' };
      const city = findPlace(await client.cities(), address.city);
      if (!city) return { valid: false, reason: `no province named ${address.city}` };
      if (!address.district) return { valid: true };
      const districts = await client.districts(city.code);
      if (districts.length === 0 || findPlace(districts, address.district)) return { valid: true };
      return { valid: false, reason: `no district named ${address.district} in ${city.name}` };
    },
  };
}
