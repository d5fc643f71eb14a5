// Aras Kargo (domestic Turkey, SOAP) behind the CarrierAdapter interface. The protocol lives in
// client.ts, failures in errors.ts, tracking codes in statuses.ts; this file maps the engine's
// shapes to the carrier's and back.
import type { Address } from '../../domain/order';
import type { Booking, ShipmentRequest, TrackingEvent } from '../../domain/shipment';
import { logger } from '../../lib/logger';
import type { CarrierAdapter, CarrierCapabilities } from '../adapter';
import { byOccurrence, scanLocation, trackingEvent } from '../events';
import { barcodeBooking, hashedKey, readableKey } from '../keys';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { checkDomestic, DOMESTIC_CAPABILITIES, contractQuote, desi, nationalPhone, turkeyIso, type ContractTariff } from '../turkey';
import { createArasClient, type ArasClientConfig, type ArasMovement, type ArasOrder } from './client';
import { CARRIER, inconsistentFailure, malformedFailure, refusal } from './errors';
import { ARAS_STATUSES, rawCode } from './statuses';

export const ARAS = CARRIER;

// Courier pickups too (SetPickupRequest).
export const ARAS_CAPABILITIES: CarrierCapabilities = { ...DOMESTIC_CAPABILITIES, pickups: true };

/**
 * The contract tariff, in TRY. Aras prices by contract and its services have no rating
 * operation, so quotes are computed here; update these from the signed contract.
 */
export const ARAS_TARIFF: ContractTariff = { baseTry: 72, perKgTry: 10.5, cashOnDeliveryFeeTry: 22, transitDays: 2 };

/** What the carrier collects on delivery: CodAmount must lie between 5 and 5000 TRY (its code 70026). */
export const ARAS_COD_LIMITS_TRY = { min: 5, max: 5_000 } as const;

export interface ArasAdapterConfig extends ArasClientConfig {
  /** Where unmapped tracking codes are reported; the process logger by default. */
  log?: StatusLog;
}

/** The carrier keys every order by the merchant's IntegrationCode (2–32 characters) and refuses a reused one; it is also the parcel's barcode. */
export const integrationCodeFor = hashedKey;

/** TradingWaybillNumber (at most 16 characters) is for people: our shipment id when it fits. */
export const waybillNumberFor = (shipmentId: string): string => readableKey(shipmentId, 16);

/** ReceiverPhone1 is 10 digits, the national number without its 0 or +90. */
export const receiverPhone = nationalPhone;

function receiver(
  a: Address,
): Pick<ArasOrder, 'ReceiverName' | 'ReceiverAddress' | 'ReceiverPhone1' | 'ReceiverCityName' | 'ReceiverTownName'> {
  return {
    ReceiverName: a.name,
    ReceiverAddress: [a.line1, a.line2].filter(Boolean).join(', '),
    ReceiverPhone1: receiverPhone(a.phone)!, // checkCarriable made sure there is one
    // The carrier routes by province (il) and district (ilçe); without a district, the province's centre.
    ReceiverCityName: a.city,
    ReceiverTownName: a.district ?? 'Merkez',
  };
}

/** One piece per parcel, its barcode the IntegrationCode: the number on the label we print. */
function toOrder(request: ShipmentRequest, integrationCode: string, isReturn: boolean): ArasOrder {
  const weight = (request.parcel.weightGrams / 1000).toFixed(3);
  const volumetric = desi(request.parcel).toFixed(3);
  const cod = request.cashOnDelivery; // in TRY (checkCarriable), collected in cash
  return {
    TradingWaybillNumber: waybillNumberFor(request.shipmentId),
    ...receiver(request.to),
    VolumetricWeight: volumetric,
    Weight: weight,
    PieceCount: 1,
    CodAmount: cod?.amount.toFixed(2),
    CodCollectionType: cod ? '0' : undefined,
    IntegrationCode: integrationCode,
    PayorTypeCode: '1',
    IsWorldWide: '0',
    IsCod: cod ? '1' : '0',
    IsReturn: isReturn ? '1' : '0',
    PieceDetails: { PieceDetail: [{ VolumetricWeight: volumetric, Weight: weight, BarcodeNumber: integrationCode }] },
  };
}

/** What the carrier cannot take is refused here, before a call: no route, no other currency or amount, no heavier parcel, no receiver without a phone. */
function checkCarriable(operation: string, request: ShipmentRequest): void {
  const { min, max } = ARAS_COD_LIMITS_TRY;
  checkDomestic(operation, request, ARAS_CAPABILITIES, refusal);
  if (request.cashOnDelivery && (request.cashOnDelivery.amount < min || request.cashOnDelivery.amount > max)) {
    throw refusal(operation, `cash on delivery must be ${min}–${max} TRY`);
  }
  if (!receiverPhone(request.to.phone))
    throw refusal(operation, 'the carrier needs a Turkish phone number for the receiver (ReceiverPhone1)');
}

export function createArasAdapter(config: ArasAdapterConfig): CarrierAdapter {
  new URL(config.baseUrl); // a bad URL fails at start-up, not on the first parcel
  const client = createArasClient(config);
  const toStatus = createStatusMapper(ARAS, ARAS_STATUSES, config.log ?? logger);

  function toEvent(movement: ArasMovement): TrackingEvent {
    const raw = rawCode(movement.DURUM_KODU, movement.TIP_KODU);
    const event = {
      eventId: `${movement.ENTEGRASYON_KODU}:${movement.HAREKET_NO}`,
      trackingNumber: movement.ENTEGRASYON_KODU,
      status: toStatus(raw),
      occurredAt: turkeyIso(movement.ISLEM_TARIHI),
      rawCode: raw,
      location: scanLocation(movement.BIRIM, movement.IL),
    };
    return trackingEvent(event, (problem) => malformedFailure('GetQueryJSON', `movement ${raw} at ${movement.ISLEM_TARIHI}: ${problem}`));
  }

  /**
   * Books under the key's IntegrationCode. A repeat (a retry after a lost reply, or a second
   * call) is refused by the carrier as a duplicate: the order it already holds is the booking,
   * confirmed by reading it back.
   */
  async function bookOnce(operation: string, request: ShipmentRequest, idempotencyKey: string, isReturn: boolean): Promise<Booking> {
    checkCarriable(operation, request);
    const integrationCode = integrationCodeFor(idempotencyKey);
    const { created } = await client.setOrder(toOrder(request, integrationCode, isReturn));
    if (!created && !(await client.hasOrder(integrationCode))) throw inconsistentFailure(operation, integrationCode);
    return barcodeBooking(ARAS, integrationCode, idempotencyKey);
  }

  return {
    name: ARAS,
    capabilities: ARAS_CAPABILITIES,

    async quote(request) {
      checkCarriable('quote', request);
      return contractQuote(ARAS, ARAS_TARIFF, request);
    },

    book: (request, idempotencyKey) => bookOnce('book', request, idempotencyKey, false),

    // A return is an order in the reverse direction, collected at request.to, with its own key.
    createReturn: (request, idempotencyKey) => bookOnce('return', request, idempotencyKey, true),

    async cancel(idempotencyKey) {
      await client.cancelDispatch(integrationCodeFor(idempotencyKey));
    },

    // Several IntegrationCodes per query call (client.ts batches them).
    async track(trackingNumbers) {
      if (trackingNumbers.length === 0) return [];
      const movements = await client.queryMovements(trackingNumbers);
      return movements.map(toEvent).sort(byOccurrence);
    },

    // The pickup code is derived from the key as the IntegrationCode is, so a retried request books one pickup.
    async schedulePickup({ warehouseId, date, parcels, idempotencyKey }) {
      if (!Number.isInteger(parcels) || parcels < 1 || parcels > 99) throw refusal('pickup', 'a pickup takes 1–99 parcels');
      const [year, month, day] = date.split('-');
      const pickupId = await client.setPickupRequest({
        PickupCode: integrationCodeFor(idempotencyKey),
        AddressId: warehouseId,
        PickupDate: `${day}.${month}.${year}`,
        PieceCount: parcels,
      });
      return { carrier: ARAS, pickupId, date };
    },
  };
}
