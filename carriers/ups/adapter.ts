// UPS (international, REST/JSON) behind the CarrierAdapter interface. The protocol lives in
// client.ts, failures in errors.ts, tracking codes in statuses.ts; this file maps the engine's
// shapes to the carrier's and back.
import type { Address } from '../../domain/order';
import { type Booking, type Parcel, type ShipmentRequest, type TrackingEvent } from '../../domain/shipment';
import { logger } from '../../lib/logger';
import type { CarrierAdapter, CarrierCapabilities } from '../adapter';
import {
  createUpsClient,
  type UpsActivity,
  type UpsAddress,
  type UpsClientConfig,
  type UpsPackage,
  type UpsShipment,
  type UpsTrackReply,
} from './client';
import { malformedFailure, refusal } from './errors';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { upsTrackingEvent, UPS_STATUSES } from './statuses';

export const UPS = 'ups';

const EU = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
];

export const UPS_CAPABILITIES: CarrierCapabilities = {
  services: ['standard', 'express'],
  countries: ['TR', ...EU],
  maxWeightGrams: 70_000,
  cashOnDelivery: false,
  // Scans come by signed webhook (./webhook.ts); the workflow still polls now and then in case one is lost.
  pushTracking: true,
  returns: true,
  pickups: false,
  labelFormats: ['pdf'],
};

export interface UpsAdapterConfig extends UpsClientConfig {
  /** Where unmapped tracking codes are reported; the process logger by default. */
  log?: StatusLog;
}

function toUpsAddress(a: Address): UpsAddress {
  const addressLines = [a.line1, a.line2, a.district].filter((l): l is string => Boolean(l));
  return { name: a.name, addressLines, city: a.city, postalCode: a.postalCode, countryCode: a.countryCode, phone: a.phone };
}

function toUpsPackage({ weightGrams, lengthCm, widthCm, heightCm }: Parcel): UpsPackage {
  return { weightGrams, lengthCm, widthCm, heightCm };
}

function toBooking(shipment: UpsShipment, idempotencyKey: string): Booking {
  return {
    carrier: UPS,
    bookingId: shipment.id,
    trackingNumber: shipment.trackingNumber,
    labelRef: `data:application/pdf;base64,${shipment.label.data}`,
    idempotencyKey,
  };
}

/** What an outbound and a return booking share: the service, the package and our references. */
function parcelOf(request: ShipmentRequest) {
  return { service: request.service, package: toUpsPackage(request.parcel), references: [request.orderId, request.shipmentId] };
}

/** The carrier does not collect cash; refused here rather than booked without it. */
function refuseCashOnDelivery(operation: string, request: ShipmentRequest): void {
  if (request.cashOnDelivery) throw refusal(operation, 'cash on delivery is not offered');
}

export function createUpsAdapter(config: UpsAdapterConfig): CarrierAdapter {
  new URL(config.baseUrl); // a bad URL fails at start-up, not on the first parcel
  const client = createUpsClient(config);
  const toStatus = createStatusMapper('ups', UPS_STATUSES, config.log ?? logger);

  function toEvent(trackingNumber: string, activity: UpsActivity): TrackingEvent {
    const parsed = upsTrackingEvent(trackingNumber, activity, toStatus);
    if (!parsed.success)
      throw malformedFailure(
        'track',
        `activity ${activity.status.type} at ${activity.gmtDate} ${activity.gmtTime}: ${parsed.error.issues[0].message}`,
      );
    return parsed.data;
  }

  const toEvents = (reply: UpsTrackReply): TrackingEvent[] =>
    reply.trackResponse.shipment.flatMap((s) => s.package.flatMap((p) => p.activity.map((a) => toEvent(p.trackingNumber, a))));

  return {
    name: UPS,
    capabilities: UPS_CAPABILITIES,

    async quote(request) {
      const rates = await client.rate({
        shipTo: { postalCode: request.to.postalCode, countryCode: request.to.countryCode },
        package: toUpsPackage(request.parcel),
      });
      const rate = rates.find((r) => r.service === request.service);
      if (!rate) throw refusal('rate', `no ${request.service} service to ${request.to.countryCode}`);
      const { monetaryValue, currencyCode } = rate.totalCharges;
      return { carrier: UPS, service: rate.service, amount: monetaryValue, currency: currencyCode, transitDays: rate.transitDays };
    },

    // A retry after a lost reply ("created but response lost") sends the same key, and the
    // carrier answers with the shipment it already made: one live booking, never two.
    async book(request, idempotencyKey) {
      refuseCashOnDelivery('ship', request);
      const shipTo = toUpsAddress(request.to);
      return toBooking(
        await client.ship({ ...parcelOf(request), shipper: { reference: request.warehouseId }, shipTo }, idempotencyKey),
        idempotencyKey,
      );
    },

    async createReturn(request, idempotencyKey) {
      const collectFrom = toUpsAddress(request.to);
      return toBooking(
        await client.createReturn({ ...parcelOf(request), returnTo: { reference: request.warehouseId }, collectFrom }, idempotencyKey),
        idempotencyKey,
      );
    },

    async cancel(idempotencyKey) {
      const shipments = await client.findByKey(idempotencyKey);
      for (const shipment of shipments.filter((s) => s.status === 'active')) await client.voidShipment(shipment.id);
    },

    async track(trackingNumbers) {
      const replies = await Promise.all(trackingNumbers.map((n) => client.track(n)));
      // UPS times are UTC, so text order is time order; scans at the same second keep the carrier's order.
      return replies.flatMap(toEvents).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    },
  };
}
