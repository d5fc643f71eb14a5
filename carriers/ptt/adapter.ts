// PTT Kargo (domestic Turkey, SOAP) behind the CarrierAdapter interface. The protocol lives in client.ts,
// failures in errors.ts, event codes in statuses.ts, il/ilçe codes in places.ts; this file maps the engine's
// shapes to the carrier's and back, and keeps one live booking per key (README.md, "Lost answers").
import type { Address } from '../../domain/order';
import type { Booking, ShipmentRequest, TrackingEvent } from '../../domain/shipment';
import { logger } from '../../lib/logger';
import type { CarrierAdapter, CarrierCapabilities } from '../adapter';
import { byOccurrence, trackingEvent } from '../events';
import { barcodeBooking, hashedKey } from '../keys';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { checkDomestic, DOMESTIC_CAPABILITIES, contractQuote, desi, nationalPhone, turkeyIso, type ContractTariff } from '../turkey';
import { createPttClient, type PttAccount, type PttClientConfig, type PttEvent, type PttParcel, type PttSender } from './client';
import { addressRefusal, CARRIER, malformedFailure, refusal } from './errors';
import { pttPlace, type PttPlace } from './places';
import { PTT_STATUSES } from './statuses';

export const PTT = CARRIER;

export const PTT_CAPABILITIES: CarrierCapabilities = DOMESTIC_CAPABILITIES;

/**
 * The contract tariff, in TRY. PTT prices by contract and the services we call have no rating operation, so
 * quotes are computed here; update these from the signed contract. Slower than the private carriers (3 days).
 */
export const PTT_TARIFF: ContractTariff = { baseTry: 80, perKgTry: 12, cashOnDeliveryFeeTry: 20, transitDays: 3 };

/** Where returns go: the warehouse's address as PTT routes it. */
export interface PttReturnAddress {
  name: string;
  street: string;
  city: string;
  district: string;
  phone?: string;
}

export interface PttAdapterConfig extends PttClientConfig {
  /** The shipping account (müşteri no and password). */
  customerId: string;
  password: string;
  /** Returns book on their own account, with its own credentials. */
  returnCustomerId: string;
  returnPassword: string;
  returnTo: PttReturnAddress;
  /** Where unmapped event codes are reported; the process logger by default. */
  log?: StatusLog;
}

/** Our reference for a key: PTT's musteriReferansNo and the upload's dosyaAdi, the record's identity at PTT. */
export const referenceFor = hashedKey;

/** The engine's address in PTT's terms; an address that cannot be coded is refused before the call, naming the field. */
function placeOf(operation: string, address: Pick<Address, 'city' | 'district'>): PttPlace {
  const place = pttPlace(address);
  if ('field' in place) throw addressRefusal(operation, place.field, place.message);
  return place;
}

/** Ten digits for PTT's SMS and phone fields; none when the address has no Turkish number (PTT then sends no SMS). */
const phone = (value: string | undefined) => nationalPhone(value);

interface Receiver {
  name: string;
  street: string;
  phone?: string;
  place: PttPlace;
}

/** The parcel's fields, in the schema's order, to a receiver at `place`; a return names its sender (the customer). */
function parcelOf(request: ShipmentRequest, reference: string, receiver: Receiver, sender?: PttSender): PttParcel {
  const { parcel } = request;
  const cod = request.cashOnDelivery?.amount ?? 0;
  const number = phone(receiver.phone);
  return {
    aAdres: receiver.street,
    aIlKodu: receiver.place.ilKodu,
    aIlceKodu: receiver.place.ilceKodu,
    agirlik: parcel.weightGrams,
    aliciAdi: receiver.name.slice(0, 100),
    aliciIlAdi: receiver.place.ilAdi,
    aliciIlceAdi: receiver.place.ilceAdi,
    aliciSms: number,
    aliciTel: number,
    boy: Math.ceil(parcel.lengthCm),
    deger_ucreti: 0,
    desi: Number(desi(parcel).toFixed(2)),
    ekhizmet: cod > 0 ? 'OS' : undefined,
    en: Math.ceil(parcel.widthCm),
    gondericibilgi: sender,
    musteriReferansNo: reference,
    odeme_sart_ucreti: cod,
    yukseklik: Math.ceil(parcel.heightCm),
  };
}

/** Where returns go, coded once: a warehouse PTT cannot route fails at start-up, not on the first return. */
function returnPlace(returnTo: PttReturnAddress): PttPlace {
  const place = pttPlace(returnTo);
  if ('field' in place) throw new Error(`invalid PTT return address: ${place.message}`);
  return place;
}

const street = (a: Address) => [a.line1, a.line2].filter(Boolean).join(', ');

export function createPttAdapter(config: PttAdapterConfig): CarrierAdapter {
  new URL(config.baseUrl); // a bad URL fails at start-up, not on the first parcel
  const client = createPttClient(config);
  const toStatus = createStatusMapper(PTT, PTT_STATUSES, config.log ?? logger);
  const shipping: PttAccount = { customerId: config.customerId, password: config.password };
  const returns: PttAccount = { customerId: config.returnCustomerId, password: config.returnPassword };
  /** Deletion and tracking find a record only on the account that uploaded it: ours are tried in turn. */
  const accounts = returns.customerId === shipping.customerId ? [shipping] : [shipping, returns];
  const warehouse: Receiver = { ...config.returnTo, place: returnPlace(config.returnTo) };

  const checkCarriable = (operation: string, request: ShipmentRequest) => checkDomestic(operation, request, PTT_CAPABILITIES, refusal);

  /**
   * Uploads the parcel under the key's reference. A repeat (a retry after a lost answer) is answered by PTT as
   * the reference it already holds, with the barcode it gave then: the same booking.
   */
  async function upload(account: PttAccount, parcel: PttParcel, idempotencyKey: string): Promise<Booking> {
    const { barcode } = await client.kabulEkle2(account, parcel);
    return barcodeBooking(PTT, barcode, idempotencyKey);
  }

  function toEvent(barcode: string, e: PttEvent): TrackingEvent {
    const occurredAt = turkeyIso(`${e.ITARIH.replaceAll('/', '.')} ${e.ISAAT}`);
    const eventId = `${barcode}:${e.siraNo ?? `${e.ITARIH}${e.ISAAT}`}:${e.IKODU}`;
    const fields = { eventId, trackingNumber: barcode, status: toStatus(e.IKODU), occurredAt, rawCode: e.IKODU, location: e.IMERK };
    return trackingEvent(fields, (problem) => malformedFailure('barkodSorgu', `${barcode} ${e.IKODU}: ${problem}`));
  }

  /** The barcode's events on whichever account uploaded it; none when neither knows it (yet). */
  async function eventsOf(barcode: string): Promise<TrackingEvent[]> {
    for (const account of accounts) {
      const events = await client.barkodSorgu(account, barcode);
      if (events.length > 0) return events.map((e) => toEvent(barcode, e));
    }
    return [];
  }

  return {
    name: PTT,
    capabilities: PTT_CAPABILITIES,

    /** An address PTT cannot route is refused here too, so rate shopping leaves PTT out rather than book it to fail. */
    async quote(request) {
      checkCarriable('quote', request);
      placeOf('quote', request.to);
      return contractQuote(PTT, PTT_TARIFF, request);
    },

    async book(request, idempotencyKey) {
      checkCarriable('book', request);
      const to = { name: request.to.name, street: street(request.to), phone: request.to.phone, place: placeOf('book', request.to) };
      return upload(shipping, parcelOf(request, referenceFor(idempotencyKey), to), idempotencyKey);
    },

    /** A return is a parcel from the customer to the warehouse, uploaded on the returns account under its own key. */
    async createReturn(request, idempotencyKey) {
      checkCarriable('return', request);
      const customer = placeOf('return', request.to);
      const sender: PttSender = {
        gonderici_adi: request.to.name.slice(0, 100),
        gonderici_adresi: street(request.to),
        gonderici_il_ad: customer.ilAdi,
        gonderici_ilce_ad: customer.ilceAdi,
        gonderici_sms: phone(request.to.phone),
        gonderici_telefonu: phone(request.to.phone),
      };
      return upload(returns, parcelOf(request, referenceFor(idempotencyKey), warehouse, sender), idempotencyKey);
    },

    /**
     * Deletes the key's record on whichever account holds it, which PTT allows only before an office has
     * accepted the parcel: after, its refusal names the parcel's state. A key with no record is nothing to do.
     */
    async cancel(idempotencyKey) {
      const reference = referenceFor(idempotencyKey);
      for (const account of accounts) if (await client.referansVeriSil(account, reference)) return;
    },

    async track(trackingNumbers) {
      const events: TrackingEvent[] = [];
      for (const barcode of trackingNumbers) events.push(...(await eventsOf(barcode)));
      return events.sort(byOccurrence);
    },
  };
}
