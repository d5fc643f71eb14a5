// Sürat Kargo (domestic Turkey, SOAP) behind the CarrierAdapter interface. The protocol lives in
// client.ts, failures in errors.ts, status words in statuses.ts; this file maps the engine's shapes
// to the carrier's and back, and keeps one live booking per key (README.md, "Lost answers").
import type { Address } from '../../domain/order';
import type { Booking, Parcel, ShipmentRequest, TrackingEvent } from '../../domain/shipment';
import { logger } from '../../lib/logger';
import type { CarrierAdapter, CarrierCapabilities } from '../adapter';
import { byOccurrence, scanLocation, trackingEvent } from '../events';
import { barcodeBooking, hashedKey, readableKey } from '../keys';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { checkDomestic, contractQuote, desi, DOMESTIC_CAPABILITIES, domesticReceiver, turkeyIso, type ContractTariff } from '../turkey';
import { createSuratClient, type SuratClientConfig, type SuratGonderi, type SuratTracking } from './client';
import { CARRIER, malformedFailure, refusal } from './errors';
import { statusKey, SURAT_STATUS_TABLE } from './statuses';

export const SURAT = CARRIER;

/**
 * Collects at the door in cash or by card (KapidanOdemeTahsilatTipi 1 or 2), and books several boxes
 * in one Gonderi (Adet; no limit is published: ours is the packed call's 99).
 */
export const SURAT_CAPABILITIES: CarrierCapabilities = { ...DOMESTIC_CAPABILITIES, cardOnDelivery: true, maxPieces: 99 };

/** KapidanOdemeTahsilatTipi: 0 nothing to collect, 1 cash, 2 card on the courier's terminal (spec/, [O]). */
function collectionTypeOf(cod: ShipmentRequest['cashOnDelivery']): SuratGonderi['KapidanOdemeTahsilatTipi'] {
  if (!cod) return 0;
  return cod.collectionType === 'card' ? 2 : 1;
}

/**
 * The contract tariff, in TRY: Sürat is the economy choice, and its service has no rating
 * operation, so quotes are computed here; update these from the signed contract.
 */
export const SURAT_TARIFF: ContractTariff = { baseTry: 62, perKgTry: 9, cashOnDeliveryFeeTry: 20, transitDays: 3 };

export interface SuratAdapterConfig extends SuratClientConfig {
  /** Where unmapped status words are reported; the process logger by default. */
  log?: StatusLog;
}

/** The carrier keys a shipment by the merchant's OzelKargoTakipNo, tracked as WebSiparisKodu: our idempotency key, hashed. */
export const suratKeyFor = hashedKey;

/** Why we withdraw, as GonderiGeriCek requires one (IptalNeden). */
const WITHDRAW_REASON = 'Sipariş iptal edildi';
const WITHDRAWN = statusKey('İptal');

/** Without a mobile phone (ten digits) the carrier refuses it (462), an address problem. */
function receiver(a: Address): Pick<SuratGonderi, 'KisiKurum' | 'AliciAdresi' | 'Il' | 'Ilce' | 'TelefonCep'> {
  const { name, street, province, district, phone } = domesticReceiver(a);
  return { KisiKurum: name, AliciAdresi: street, Il: province, Ilce: district, TelefonCep: phone };
}

/**
 * Every box of the shipment in one Gonderi: Adet boxes, BirimDesi and BirimKg each box's share (a
 * unit's, as public integrations fill them), so the carrier bills the same total.
 */
function pieces(parcel: Parcel): Pick<SuratGonderi, 'Adet' | 'BirimDesi' | 'BirimKg'> {
  const count = parcel.pieces ?? 1;
  return { Adet: count, BirimDesi: (desi(parcel) / count).toFixed(2), BirimKg: (parcel.weightGrams / 1000 / count).toFixed(2) };
}

function toGonderi(request: ShipmentRequest, key: string, returning: boolean): SuratGonderi {
  const cod = request.cashOnDelivery;
  // In the schema's order: the service reads a sequence.
  return {
    ...receiver(request.to),
    KargoTuru: 3,
    OdemeTipi: 1,
    ReferansNo: readableKey(request.shipmentId, 20),
    OzelKargoTakipNo: key,
    ...pieces(request.parcel),
    KapidanOdemeTahsilatTipi: collectionTypeOf(cod),
    KapidanOdemeTutari: cod?.amount.toFixed(2),
    TeslimSekli: 1,
    TasimaSekli: 0,
    GonderiSekli: 0,
    Pazaryerimi: 0,
    Iademi: returning,
  };
}

/** What the carrier cannot take is refused here, before a call. */
const checkCarriable = (operation: string, request: ShipmentRequest) => checkDomestic(operation, request, SURAT_CAPABILITIES, refusal);

export function createSuratAdapter(config: SuratAdapterConfig): CarrierAdapter {
  new URL(config.baseUrl); // a bad URL fails at start-up, not on the first parcel
  const client = createSuratClient(config);
  const toStatus = createStatusMapper(SURAT, SURAT_STATUS_TABLE, config.log ?? logger);

  /** Each movement is an event with the status words it carries; the carrier's Turkey-local time gets +03:00. */
  function toEvents(key: string, tracking: SuratTracking): TrackingEvent[] {
    return (tracking.Hareketler?.Hareket ?? []).map((m) => {
      const rawCode = m.Durum.trim();
      const occurredAt = turkeyIso(m.IslemTarihi);
      const eventId = `${key}:${m.IslemTarihi.replace(/\D/g, '')}:${statusKey(rawCode)}`;
      return trackingEvent(
        { eventId, trackingNumber: key, status: toStatus(rawCode), occurredAt, rawCode, location: scanLocation(m.Birim, m.Il) },
        (problem) => malformedFailure('KargoTakipHareketDetayliV2', `${key} ${rawCode}: ${problem}`),
      );
    });
  }

  /**
   * Books under the key's OzelKargoTakipNo. A repeat (a retry after a lost answer) is refused by
   * the carrier as a duplicate: the shipment it holds is the booking, unless it was withdrawn.
   */
  async function bookOnce(operation: string, request: ShipmentRequest, idempotencyKey: string, returning: boolean): Promise<Booking> {
    checkCarriable(operation, request);
    const key = suratKeyFor(idempotencyKey);
    const { created } = await client.createShipment(toGonderi(request, key, returning));
    if (!created) {
      const held = await client.track(key);
      if (held?.Durum && statusKey(held.Durum) === WITHDRAWN)
        throw refusal(operation, `OzelKargoTakipNo ${key} was booked and withdrawn: it cannot book again`);
    }
    return barcodeBooking(SURAT, key, idempotencyKey);
  }

  return {
    name: SURAT,
    capabilities: SURAT_CAPABILITIES,

    async quote(request) {
      checkCarriable('quote', request);
      return contractQuote(SURAT, SURAT_TARIFF, request);
    },

    book: (request, idempotencyKey) => bookOnce('book', request, idempotencyKey, false),

    /** A return is a shipment flagged Iademi, collected from the customer under the return key (README, assumption 6). */
    createReturn: (request, idempotencyKey) => bookOnce('return', request, idempotencyKey, true),

    /** Withdraws the key's shipment; after pickup the carrier refuses, and the refusal names the status it reports. */
    async cancel(idempotencyKey) {
      const key = suratKeyFor(idempotencyKey);
      const answer = await client.withdraw(key, WITHDRAW_REASON);
      if (answer.outcome !== 'refused') return;
      const held = await client.track(key);
      throw refusal('cancel', `GonderiGeriCek ${key}: not withdrawn, the carrier reports ${held?.Durum ?? 'no status'}: ${answer.message}`);
    },

    async track(trackingNumbers) {
      const events: TrackingEvent[] = [];
      for (const key of trackingNumbers) {
        const tracking = await client.track(key);
        if (tracking) events.push(...toEvents(key, tracking));
      }
      return events.sort(byOccurrence);
    },
  };
}
