// Aras Kargo (domestic Turkey, SOAP, two services) behind the CarrierAdapter interface. The
// protocol lives in client.ts, failures in errors.ts, tracking codes in statuses.ts; this file maps
// the engine's shapes to the carrier's and back, and keeps one live order per key.
import type { Address } from '../../domain/order';
import type { Booking, ShipmentRequest, TrackingEvent } from '../../domain/shipment';
import { logger } from '../../lib/logger';
import type { CarrierAdapter, CarrierCapabilities } from '../adapter';
import { byOccurrence, scanLocation, trackingEvent } from '../events';
import { barcodeBooking, hashedKey, readableKey } from '../keys';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { checkDomestic, DOMESTIC_CAPABILITIES, contractQuote, desi, nationalPhone, turkeyIso, type ContractTariff } from '../turkey';
import { createArasClient, type ArasAccount, type ArasCargo, type ArasClientConfig, type ArasOrder } from './client';
import { ARAS_CODES, CARRIER, inconsistentFailure, malformedFailure, refusal, resultFailure } from './errors';
import { ARAS_STATUSES, rawCode } from './statuses';

export const ARAS = CARRIER;

/** No courier pickups: the call the old sandbox offered (SetPickupRequest) is in no public source. */
/** Collects at the door in cash or by card (CodCollectionType 0 or 1). */
export const ARAS_CAPABILITIES: CarrierCapabilities = { ...DOMESTIC_CAPABILITIES, cardOnDelivery: true };

/**
 * The contract tariff, in TRY. Aras prices by contract and its services have no rating
 * operation, so quotes are computed here; update these from the signed contract.
 */
export const ARAS_TARIFF: ContractTariff = { baseTry: 72, perKgTry: 10.5, cashOnDeliveryFeeTry: 22, transitDays: 2 };

export interface ArasAdapterConfig extends ArasClientConfig {
  /** The order-service account parcels are shipped on (the "SetOrder user"). */
  orderUserName: string;
  orderPassword: string;
  /** The account returns are booked on (Aras's return agreement); the shipping account's when absent. */
  returnUserName?: string;
  returnPassword?: string;
  /** SenderAccountAddressId per warehouse id: the carrier's id of each address we ship from; absent, the account's own. */
  senderAddressIds?: Record<string, string>;
  /** Where unmapped tracking codes are reported; the process logger by default. */
  log?: StatusLog;
}

/** The carrier keys every order by the merchant's IntegrationCode (at most 32); it is also the parcel's barcode. */
export const integrationCodeFor = hashedKey;

/** TradingWaybillNumber (at most 16 characters) is for people: our shipment id when it fits. */
export const waybillNumberFor = (shipmentId: string): string => readableKey(shipmentId, 16);

/** ReceiverPhone1 is 10 digits, the national number without its 0 or +90. */
export const receiverPhone = nationalPhone;

/**
 * SetOrder's answers that mean the order is there under the IntegrationCode although this resend
 * changed nothing: its waybill is issued (60020, 70029) or it is being processed (70031).
 */
const ALREADY_WITH_CARRIER = new Set([ARAS_CODES.waybillIssued, ARAS_CODES.waybillIssuedNoUpdate, ARAS_CODES.processed]);
/** Answers to a resend that say the update failed (936) or is one too many (70035): whether the order is there, GetOrderWithIntegrationCode says. */
const ASK_WHETHER_HELD = new Set([ARAS_CODES.errorOccurred, ARAS_CODES.tooManyUpdates]);

/** Weights and desi: PieceDetail's are String(6), so two decimals (up to 999.99). */
const decimal = (value: number) => value.toFixed(2);

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

/** What the adapter refuses before a call: no route, no other currency, no heavier parcel, no receiver without a phone. */
function checkCarriable(operation: string, request: ShipmentRequest): void {
  checkDomestic(operation, request, ARAS_CAPABILITIES, refusal);
  if (!receiverPhone(request.to.phone))
    throw refusal(operation, 'the carrier needs a Turkish phone number for the receiver (ReceiverPhone1)');
}

export function createArasAdapter(config: ArasAdapterConfig): CarrierAdapter {
  new URL(config.orderUrl); // a bad URL fails at start-up, not on the first parcel
  new URL(config.queryUrl);
  const client = createArasClient(config);
  const toStatus = createStatusMapper(ARAS, ARAS_STATUSES, config.log ?? logger);
  const shipping: ArasAccount = { userName: config.orderUserName, password: config.orderPassword };
  const returns: ArasAccount = {
    userName: config.returnUserName ?? shipping.userName,
    password: config.returnPassword ?? shipping.password,
  };
  const accounts = returns.userName === shipping.userName ? [shipping] : [shipping, returns];

  /** One piece per parcel, its barcode the IntegrationCode: the number on the label we print. */
  function toOrder(request: ShipmentRequest, integrationCode: string): ArasOrder {
    const weight = decimal(request.parcel.weightGrams / 1000);
    const volumetric = decimal(desi(request.parcel));
    const cod = request.cashOnDelivery; // in TRY (checkCarriable)
    return {
      TradingWaybillNumber: waybillNumberFor(request.shipmentId),
      ...receiver(request.to),
      VolumetricWeight: volumetric,
      Weight: weight,
      PieceCount: '1',
      ...(cod && { CodAmount: cod.amount.toFixed(2), CodCollectionType: cod.collectionType === 'card' ? '1' : '0', CodBillingType: '0' }),
      IntegrationCode: integrationCode,
      PayorTypeCode: '1',
      IsWorldWide: '0',
      IsCod: cod ? '1' : '0',
      PieceDetails: { PieceDetail: [{ VolumetricWeight: volumetric, Weight: weight, BarcodeNumber: integrationCode }] },
      SenderAccountAddressId: config.senderAddressIds?.[request.warehouseId],
    };
  }

  function toEvent(cargo: ArasCargo): TrackingEvent {
    const raw = rawCode(cargo.DURUM_KODU, cargo.TIP_KODU, cargo.DEVIR_KODU ?? undefined);
    const event = {
      // One event per state the parcel reaches: polling the same state again gives the same id.
      eventId: `${cargo.MUSTERI_OZEL_KODU}:${raw}:${cargo.ISLEM_TARIHI}`,
      trackingNumber: cargo.MUSTERI_OZEL_KODU,
      status: toStatus(raw),
      occurredAt: turkeyIso(cargo.ISLEM_TARIHI),
      rawCode: raw,
      // Up to "on the way" the parcel is at or leaving its origin branch; from then on, at or from its delivery branch.
      location: scanLocation(Number(cargo.DURUM_KODU) <= 2 ? cargo.CIKIS_SUBE : cargo.VARIS_SUBE),
    };
    return trackingEvent(event, (problem) => malformedFailure('GetQueryJSON', `state ${raw} at ${cargo.ISLEM_TARIHI}: ${problem}`));
  }

  /**
   * Books under the key's IntegrationCode. The carrier has no duplicate refusal: the same code
   * sent again updates the order it holds, so a resend after a lost answer leaves one order. A
   * resend it cannot apply either finds the order already with the carrier, or makes us ask.
   */
  async function bookOnce(operation: string, account: ArasAccount, request: ShipmentRequest, idempotencyKey: string): Promise<Booking> {
    checkCarriable(operation, request);
    const integrationCode = integrationCodeFor(idempotencyKey);
    const { ResultCode: code, ResultMessage: message } = await client.setOrder(account, toOrder(request, integrationCode));
    const booked = barcodeBooking(ARAS, integrationCode, idempotencyKey);
    if (code === ARAS_CODES.success || ALREADY_WITH_CARRIER.has(code)) return booked;
    if (!ASK_WHETHER_HELD.has(code)) throw resultFailure('SetOrder', code, message ?? 'no message');
    if (await client.hasOrder(account, integrationCode)) return booked;
    throw inconsistentFailure(operation, integrationCode, code);
  }

  return {
    name: ARAS,
    capabilities: ARAS_CAPABILITIES,

    async quote(request) {
      checkCarriable('quote', request);
      return contractQuote(ARAS, ARAS_TARIFF, request);
    },

    book: (request, idempotencyKey) => bookOnce('book', shipping, request, idempotencyKey),

    // A return is an order on the return account, under its own key; the customer brings it to a branch quoting its code.
    createReturn: (request, idempotencyKey) => bookOnce('return', returns, request, idempotencyKey),

    // The key's order is on one of the accounts: deleted where found; found on none, nothing to do.
    async cancel(idempotencyKey) {
      const integrationCode = integrationCodeFor(idempotencyKey);
      for (const account of accounts) if ((await client.cancelDispatch(account, integrationCode)) === 'deleted') return;
    },

    // Several IntegrationCodes per query call (client.ts batches them); each parcel's current state is one event.
    async track(trackingNumbers) {
      if (trackingNumbers.length === 0) return [];
      const states = await client.queryStates(trackingNumbers);
      return states.map(toEvent).sort(byOccurrence);
    },
  };
}
