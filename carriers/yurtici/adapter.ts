// Yurtiçi Kargo (domestic Turkey, SOAP) behind the CarrierAdapter interface. The protocol lives
// in client.ts, failures in errors.ts, tracking codes in statuses.ts; this file maps the engine's
// shapes to the carrier's and back.
import type { Address } from '../../domain/order';
import type { Booking, ShipmentRequest, TrackingEvent } from '../../domain/shipment';
import { logger } from '../../lib/logger';
import type { CarrierAdapter, CarrierCapabilities } from '../adapter';
import { byOccurrence, scanLocation, trackingEvent } from '../events';
import { barcodeBooking, hashedKey, readableKey } from '../keys';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { checkDomestic, DOMESTIC_CAPABILITIES, contractQuote, desi, type ContractTariff } from '../turkey';
import { createYurticiClient, type YurticiClientConfig, type YurticiDelivery, type YurticiOrder, type YurticiScan } from './client';
import { CARRIER, malformedFailure, refusal } from './errors';
import { rawCode, YURTICI_STATUSES } from './statuses';

export const YURTICI = CARRIER;

export const YURTICI_CAPABILITIES: CarrierCapabilities = DOMESTIC_CAPABILITIES;

/**
 * The contract tariff, in TRY. Yurtiçi prices by contract and ShippingOrderDispatcherServices has
 * no rating operation, so quotes are computed here; update these from the signed contract.
 */
export const YURTICI_TARIFF: ContractTariff = { baseTry: 75, perKgTry: 11, cashOnDeliveryFeeTry: 25, transitDays: 2 };

export interface YurticiAdapterConfig extends YurticiClientConfig {
  /** Where unmapped tracking codes are reported; the process logger by default. */
  log?: StatusLog;
}

/** The carrier keys every shipment by the merchant's cargoKey (at most 20 letters or digits) and refuses a reused one (60020). */
export const cargoKeyFor = hashedKey;

/** The invoiceKey is for people: our shipment id when it fits the carrier's 20 characters. */
export const invoiceKeyFor = (shipmentId: string): string => readableKey(shipmentId, 20);

function receiver(
  a: Address,
): Pick<YurticiOrder, 'receiverCustName' | 'receiverAddress' | 'cityName' | 'townName' | 'receiverPostalCode' | 'receiverPhone1'> {
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

/** What the carrier cannot take is refused here, before a call. */
const checkCarriable = (operation: string, request: ShipmentRequest) => checkDomestic(operation, request, YURTICI_CAPABILITIES, refusal);

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
    const event = {
      eventId: `${cargoKey}:${scan.eventNo}`,
      trackingNumber: cargoKey,
      status: toStatus(raw),
      occurredAt: occurredAt(scan),
      rawCode: raw,
      location: scanLocation(scan.unitName, scan.cityName),
    };
    return trackingEvent(event, (problem) =>
      malformedFailure('queryShipment', `scan ${raw} at ${scan.eventDate} ${scan.eventTime}: ${problem}`),
    );
  }

  const toEvents = (delivery: YurticiDelivery): TrackingEvent[] =>
    (delivery.shippingDeliveryItemDetailVO?.invDocCargoVOArray ?? []).map((scan) => toEvent(delivery.cargoKey, scan));

  /**
   * Books under the key's cargoKey. A repeat (a retry after a lost reply, or a second call) is
   * refused by the carrier as a duplicate (60020): the shipment it already holds is the booking.
   */
  async function bookOnce(
    operation: string,
    request: ShipmentRequest,
    idempotencyKey: string,
    shipmentType: YurticiOrder['shipmentType'],
  ): Promise<Booking> {
    checkCarriable(operation, request);
    const cargoKey = cargoKeyFor(idempotencyKey);
    const { created } = await client.createShipment(toOrder(request, cargoKey, shipmentType));
    if (!created) await client.queryShipments([cargoKey]); // confirms the carrier holds it; an unknown key fails here
    return barcodeBooking(YURTICI, cargoKey, idempotencyKey);
  }

  return {
    name: YURTICI,
    capabilities: YURTICI_CAPABILITIES,

    async quote(request) {
      checkCarriable('quote', request);
      return contractQuote(YURTICI, YURTICI_TARIFF, request);
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
      return deliveries.flatMap(toEvents).sort(byOccurrence);
    },
  };
}
