// Yurtiçi Kargo (domestic Turkey, SOAP) behind the CarrierAdapter interface. The protocol lives
// in client.ts, failures in errors.ts, tracking codes in statuses.ts; this file maps the engine's
// shapes to the carrier's and back.
import { createHash } from 'node:crypto';
import type { Address } from '../../domain/order';
import { TrackingEventSchema, type Booking, type Parcel, type ShipmentRequest, type TrackingEvent } from '../../domain/shipment';
import { logger } from '../../lib/logger';
import type { CarrierAdapter, CarrierCapabilities } from '../adapter';
import { createYurticiClient, type YurticiClientConfig, type YurticiDelivery, type YurticiOrder, type YurticiScan } from './client';
import { CARRIER, malformedFailure, refusal } from './errors';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { rawCode, YURTICI_STATUSES } from './statuses';

export const YURTICI = CARRIER;

export const YURTICI_CAPABILITIES: CarrierCapabilities = {
  services: ['standard'],
  countries: ['TR'],
  maxWeightGrams: 30_000,
  cashOnDelivery: true,
  // No push from the carrier has been found: the shipment workflow polls queryShipment.
  pushTracking: false,
  returns: true,
  pickups: false,
  labelFormats: [],
};

/**
 * The contract tariff, in TRY. Yurtiçi prices by contract and ShippingOrderDispatcherServices has
 * no rating operation, so quotes are computed here; update these from the signed contract.
 */
export const YURTICI_TARIFF = { baseTry: 75, perKgTry: 11, cashOnDeliveryFeeTry: 25, transitDays: 2 } as const;

export interface YurticiAdapterConfig extends YurticiClientConfig {
  /** Where unmapped tracking codes are reported; the process logger by default. */
  log?: StatusLog;
}

/**
 * The carrier keys every shipment by the merchant's cargoKey (at most 20 letters or digits) and
 * refuses a reused one (60020), so the cargoKey is our idempotency key: the first 20 hex digits
 * of SHA-256(idempotencyKey), upper-case. 80 bits: a collision among a billion keys has odds
 * of about 4 in 10 million.
 */
export function cargoKeyFor(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20).toUpperCase();
}

/** The invoiceKey is for people (ops, the carrier's call centre): our shipment id when it fits the carrier's 20 characters, a hash of it otherwise. */
export function invoiceKeyFor(shipmentId: string): string {
  return /^[A-Za-z0-9_-]{1,20}$/.test(shipmentId) ? shipmentId : `S${createHash('sha256').update(shipmentId).digest('hex').slice(0, 19).toUpperCase()}`;
}

/** Billable weight as the carrier counts it: the greater of kilograms and desi (L×W×H cm / 3000). */
function desi({ lengthCm, widthCm, heightCm }: Parcel): number {
  return (lengthCm * widthCm * heightCm) / 3000;
}

function receiver(a: Address): Pick<YurticiOrder, 'receiverCustName' | 'receiverAddress' | 'cityName' | 'townName' | 'receiverPostalCode' | 'receiverPhone1'> {
  return {
    receiverCustName: a.name,
    receiverAddress: [a.line1, a.line2].filter(Boolean).join(', '),
    cityName: a.city,
    // The carrier routes by province (il) and district (ilçe); without a district, the province's centre.
    townName: a.district ?? 'Merkez',
    receiverPostalCode: a.postalCode,
    receiverPhone1: a.phone,
  };
}

function cashOnDelivery(request: ShipmentRequest): Pick<YurticiOrder, 'ttInvoiceAmount' | 'ttCollectionType'> {
  if (!request.cashOnDelivery) return {};
  return { ttInvoiceAmount: request.cashOnDelivery.amount.toFixed(2), ttCollectionType: '0' };
}

function toOrder(request: ShipmentRequest, cargoKey: string, shipmentType: YurticiOrder['shipmentType']): YurticiOrder {
  return {
    cargoKey,
    invoiceKey: invoiceKeyFor(request.shipmentId),
    ...receiver(request.to),
    shipmentType,
    orgReceiverCustId: shipmentType === 'RETURN' ? request.warehouseId : undefined,
    cargoCount: 1,
    kg: (request.parcel.weightGrams / 1000).toFixed(2),
    desi: desi(request.parcel).toFixed(2),
    ...cashOnDelivery(request),
  };
}

/** What the carrier cannot take is refused here, before a call: no route, no other currency, no heavier parcel. */
function checkCarriable(operation: string, request: ShipmentRequest): void {
  if (request.to.countryCode !== 'TR') throw refusal(operation, `no service to ${request.to.countryCode}: domestic Turkey only`);
  if (!YURTICI_CAPABILITIES.services.includes(request.service)) throw refusal(operation, `no ${request.service} service`);
  if (request.parcel.weightGrams > YURTICI_CAPABILITIES.maxWeightGrams) throw refusal(operation, `parcel over ${YURTICI_CAPABILITIES.maxWeightGrams / 1000} kg`);
  if (request.cashOnDelivery && request.cashOnDelivery.currency !== 'TRY') throw refusal(operation, 'cash on delivery is collected in TRY only');
}

/** There is no label from this carrier: the cargoKey is the barcode we print on our own. */
function toBooking(cargoKey: string, idempotencyKey: string): Booking {
  return { carrier: YURTICI, bookingId: cargoKey, trackingNumber: cargoKey, labelRef: `barcode:${cargoKey}`, idempotencyKey };
}

/** The carrier reports Turkey's local time (UTC+3 all year) without an offset. */
function occurredAt({ eventDate: d, eventTime: t }: YurticiScan): string {
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}+03:00`;
}

export function createYurticiAdapter(config: YurticiAdapterConfig): CarrierAdapter {
  new URL(config.baseUrl); // a bad URL fails at start-up, not on the first parcel
  const client = createYurticiClient(config);
  const toStatus = createStatusMapper('yurtici', YURTICI_STATUSES, config.log ?? logger);

  function toEvent(cargoKey: string, scan: YurticiScan): TrackingEvent {
    const raw = rawCode(scan.operationStatus, scan.operationCode);
    const location = [scan.unitName, scan.cityName].filter(Boolean).join(', ') || undefined;
    const event = { eventId: `${cargoKey}:${scan.eventNo}`, trackingNumber: cargoKey, status: toStatus(raw), occurredAt: occurredAt(scan), rawCode: raw, location };
    const parsed = TrackingEventSchema.safeParse(event);
    if (!parsed.success) throw malformedFailure('queryShipment', `scan ${raw} at ${scan.eventDate} ${scan.eventTime}: ${parsed.error.issues[0].message}`);
    return parsed.data;
  }

  const toEvents = (delivery: YurticiDelivery): TrackingEvent[] =>
    (delivery.shippingDeliveryItemDetailVO?.invDocCargoVOArray ?? []).map((scan) => toEvent(delivery.cargoKey, scan));

  /**
   * Books under the key's cargoKey. A repeat (a retry after a lost reply, or a second call) is
   * refused by the carrier as a duplicate (60020): the shipment it already holds is the booking.
   */
  async function bookOnce(operation: string, request: ShipmentRequest, idempotencyKey: string, shipmentType: YurticiOrder['shipmentType']): Promise<Booking> {
    checkCarriable(operation, request);
    const cargoKey = cargoKeyFor(idempotencyKey);
    const { created } = await client.createShipment(toOrder(request, cargoKey, shipmentType));
    if (!created) await client.queryShipments([cargoKey]); // confirms the carrier holds it; an unknown key fails here
    return toBooking(cargoKey, idempotencyKey);
  }

  return {
    name: YURTICI,
    capabilities: YURTICI_CAPABILITIES,

    async quote(request) {
      checkCarriable('quote', request);
      const billableKg = Math.max(1, Math.ceil(Math.max(request.parcel.weightGrams / 1000, desi(request.parcel))));
      const { baseTry, perKgTry, cashOnDeliveryFeeTry, transitDays } = YURTICI_TARIFF;
      const amount = baseTry + perKgTry * billableKg + (request.cashOnDelivery ? cashOnDeliveryFeeTry : 0);
      return { carrier: YURTICI, service: 'standard', amount, currency: 'TRY', transitDays };
    },

    book: (request, idempotencyKey) => bookOnce('book', request, idempotencyKey, 'OUTBOUND'),

    // A return is a shipment in the reverse direction, collected at request.to, with its own key.
    createReturn: (request, idempotencyKey) => bookOnce('return', request, idempotencyKey, 'RETURN'),

    async cancel(idempotencyKey) {
      await client.cancelShipment(cargoKeyFor(idempotencyKey));
    },

    async track(trackingNumbers) {
      if (trackingNumbers.length === 0) return [];
      const deliveries = await client.queryShipments(trackingNumbers);
      return deliveries.flatMap(toEvents).sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.eventId.localeCompare(b.eventId));
    },
  };
}
