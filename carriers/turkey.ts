// What the Turkish carriers share: billable weight in desi, national phone numbers, local times
// without an offset, and contract tariffs for carriers with no rating call.
import type { Address } from '../domain/order';
import type { Parcel, Quote, ShipmentRequest } from '../domain/shipment';
import type { CarrierCapabilities } from './adapter';

/**
 * What the domestic carriers share: the standard service within Turkey up to 30 kg, cash on
 * delivery, return labels, tracking we poll (none pushes that public material shows), and a barcode
 * number only, from which we render the PDF and ZPL labels.
 */
export const DOMESTIC_CAPABILITIES: CarrierCapabilities = {
  services: ['standard'],
  countries: ['TR'],
  maxWeightGrams: 30_000,
  // Only Sürat's adapter books several boxes in one call so far.
  maxPieces: 1,
  cashOnDelivery: true,
  // Public material shows a card collection type for Sürat and Aras only: they say so themselves.
  cardOnDelivery: false,
  pushTracking: false,
  returns: true,
  pickups: false,
  labelFormats: [],
  // Yurtiçi, Aras, Sürat and PTT have no rating operation: their prices are the contract's tariff.
  pricesByContract: true,
};

/** Volumetric weight as Turkish carriers count it: L×W×H cm / 3000. */
export function desi({ lengthCm, widthCm, heightCm }: Parcel): number {
  return (lengthCm * widthCm * heightCm) / 3000;
}

/** Whole kilograms billed: the greater of weight and desi, at least 1. */
function billableKg(parcel: Parcel): number {
  return Math.max(1, Math.ceil(Math.max(parcel.weightGrams / 1000, desi(parcel))));
}

/** The 10-digit national number (+90 555 000 0000 → 5550000000); undefined when it is no Turkish number. */
export function nationalPhone(phone: string | undefined): string | undefined {
  const national = (phone ?? '').replace(/\D/g, '').replace(/^(90|0)(?=\d{10}$)/, '');
  return /^\d{10}$/.test(national) ? national : undefined;
}

/** A receiver as the domestic carriers route it: name, street, province (il) and district (ilçe), phone. */
export interface DomesticReceiver {
  name: string;
  street: string;
  province: string;
  district: string;
  phone?: string;
}

/**
 * The address cut to what the domestic carriers take: the name to 100 characters, the street lines
 * without province and district (those have their own fields), both to 40, a missing district as the
 * province's centre (Merkez), the phone as 10 national digits (none when it is no Turkish number:
 * the carrier refuses it, an address problem).
 */
export function domesticReceiver(a: Address): DomesticReceiver {
  return {
    name: a.name.slice(0, 100),
    street: [a.line1, a.line2].filter(Boolean).join(', '),
    province: a.city.slice(0, 40),
    district: (a.district ?? 'Merkez').slice(0, 40),
    phone: nationalPhone(a.phone),
  };
}

/** `dd.MM.yyyy HH:mm:ss` in Turkey's local time (UTC+3 all year, sent without an offset) as an ISO timestamp. */
export function turkeyIso(value: string): string {
  const [date, time] = value.split(' ');
  const [day, month, year] = date.split('.');
  return `${year}-${month}-${day}T${time}+03:00`;
}

/** A carrier's contract prices in TRY, for carriers whose services have no rating call; updated from the signed contract. */
export interface ContractTariff {
  baseTry: number;
  perKgTry: number;
  cashOnDeliveryFeeTry: number;
  transitDays: number;
}

export function contractQuote(carrier: string, tariff: ContractTariff, request: ShipmentRequest): Quote {
  const amount = tariff.baseTry + tariff.perKgTry * billableKg(request.parcel) + (request.cashOnDelivery ? tariff.cashOnDeliveryFeeTry : 0);
  return { carrier, service: 'standard', amount, currency: 'TRY', transitDays: tariff.transitDays };
}

/**
 * What a domestic carrier cannot take, refused before any call: a destination abroad, a service
 * it lacks, cash collected in another currency or by a card the carrier cannot take and, unless
 * the carrier is left to refuse it itself, a heavier parcel.
 */
export function checkDomestic(
  operation: string,
  request: ShipmentRequest,
  capabilities: CarrierCapabilities,
  refusal: (operation: string, message: string) => Error,
  { weighs = true } = {},
): void {
  if (request.to.countryCode !== 'TR') throw refusal(operation, `no service to ${request.to.countryCode}: domestic Turkey only`);
  if (!capabilities.services.includes(request.service)) throw refusal(operation, `no ${request.service} service`);
  if ((request.parcel.pieces ?? 1) > capabilities.maxPieces)
    throw refusal(operation, `${request.parcel.pieces} boxes: at most ${capabilities.maxPieces} per booking`);
  if (weighs && request.parcel.weightGrams > capabilities.maxWeightGrams)
    throw refusal(operation, `parcel over ${capabilities.maxWeightGrams / 1000} kg`);
  if (request.cashOnDelivery && request.cashOnDelivery.currency !== 'TRY')
    throw refusal(operation, 'cash on delivery is collected in TRY only');
  if (request.cashOnDelivery?.collectionType === 'card' && !capabilities.cardOnDelivery)
    throw refusal(operation, 'cash on delivery is collected in cash only: no card at the door');
}
