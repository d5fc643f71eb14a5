// UPS (international, REST/JSON) behind the CarrierAdapter interface. The protocol lives in
// client.ts, failures in errors.ts, tracking codes in statuses.ts; this file maps the engine's
// shapes to UPS's RateRequest/ShipmentRequest and back, and keys every booking by a reference of
// ours set on the shipment, since UPS has no idempotency key (README: "Lost answers").
import { ISO_COUNTRIES } from '../../domain/countries';
import type { Address } from '../../domain/order';
import { whyNotSubdivision } from '../../domain/subdivisions';
import type { Booking, Parcel, Quote, ShipmentRequest, TrackingEvent } from '../../domain/shipment';
import { logger } from '../../lib/logger';
import type { CarrierAdapter, CarrierCapabilities, PickupRequest } from '../adapter';
import { hashedKey, readableKey } from '../keys';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { createUpsClient, type UpsActivity, type UpsClientConfig, type UpsShipment, type UpsTrackedPackage } from './client';
import {
  completeCustoms,
  internationalForms,
  invoiceLineTotal,
  iossShipFrom,
  landedCostRequest,
  shipmentCharges,
  type UpsParty,
} from './customs';
import { addressRejected, malformedFailure, refusal } from './errors';
import { upsTrackingEvent, UPS_STATUSES } from './statuses';

export const UPS = 'ups';

/** The engine's services → UPS service codes (Shipping.Shipment_Service.Code): 11 UPS Standard, 07 UPS Worldwide Express. */
export const UPS_SERVICE_CODES: Readonly<Record<string, string>> = { standard: '11', express: '07' };

/**
 * Destinations under comprehensive US sanctions (Cuba, Iran, North Korea, Syria), left out on the
 * assumption that UPS, a US carrier, does not serve them: nothing captured says so; confirm with
 * the account manager, as the rest of the list.
 */
const UNSERVED = new Set(['CU', 'IR', 'KP', 'SY']);

export const UPS_CAPABILITIES: CarrierCapabilities = {
  services: Object.keys(UPS_SERVICE_CODES),
  // The world: outside Turkey and the EU with international forms (./customs.ts), refused when the customs data is incomplete.
  countries: ISO_COUNTRIES.filter((c) => !UNSERVED.has(c)),
  maxWeightGrams: 70_000,
  maxPieces: 1,
  cashOnDelivery: false,
  cardOnDelivery: false,
  // Scans come by Track Alert (./webhook.ts) once the parcel is subscribed (by book(), best-effort, and by the
  // workflow's retried subscribeTracking); the workflow still polls now and then, hourly when no subscription took.
  pushTracking: true,
  returns: true,
  // On-call pickups at the shipper's address (Pickup Creation and Cancel, README "Pickups").
  pickups: true,
  labelFormats: ['zpl'],
};

/** Return Service 9: Print Return Label (PRL), the label comes back in the reply like any other. */
const PRINT_RETURN_LABEL = '9';
/** Pickup.yaml's PickupPiece.ServiceCode is three characters (its examples: 001, 012): our service codes zero-padded. */
const PICKUP_SERVICE = UPS_SERVICE_CODES.standard.padStart(3, '0');
/** Pickup.yaml: at most 999 pieces per service line. */
const MAX_PICKUP_PIECES = 999;
/** Track Alert subscriptions last 14 days; one renewed a day early never lapses between two polls 12 hours apart. */
const RENEW_AFTER_MS = 13 * 86_400_000;
/** Statuses after which UPS sends nothing more worth a subscription. */
const FINAL = new Set(['delivered', 'cancelled', 'returned']);

/** Who ships (the UPS account holder): the warehouse every parcel leaves from, and every return goes back to. */
export interface UpsShipper {
  name: string;
  phone: string;
  addressLines: string[];
  city: string;
  postalCode: string;
  countryCode: string;
}

/** The sandbox's shipper: the settings' defaults (index.ts), and what tests build adapters with. */
export const SANDBOX_SHIPPER: UpsShipper = {
  name: 'Order Engine Istanbul Tuzla',
  phone: '+90 216 000 0000',
  addressLines: ['Aydinli Mah. Birlik Cad. 1'],
  city: 'Istanbul',
  postalCode: '34953',
  countryCode: 'TR',
};

export interface UpsAdapterConfig extends UpsClientConfig {
  /** The sandbox's unless given. */
  shipper?: UpsShipper;
  /** The goods, as UPS asks for them across a customs border (Shipment.Description, 50 characters). */
  goodsDescription?: string;
  /** Where unmapped tracking codes and failed subscriptions are reported; the process logger by default. */
  log?: StatusLog;
}

type PartyAddress = Pick<Address, 'line1' | 'line2' | 'district' | 'city' | 'stateCode' | 'postalCode' | 'countryCode'>;

/** UPS's limits on a party (Shipping.yaml): name 35, three address lines of 35, city 30, state 5, postal code 9, phone 15 digits. */
function upsAddress(operation: string, a: PartyAddress) {
  const lines = wrap([a.line1, a.line2, a.district].filter((l): l is string => Boolean(l)).join(', '), 35);
  if (lines.length > 3) throw refusal(operation, 'the address is longer than UPS takes (3 lines of 35 characters)');
  if (a.city.length > 30) throw refusal(operation, 'the city is longer than UPS takes (30 characters)');
  const state = upsStateCode(a);
  return {
    AddressLine: lines,
    City: a.city,
    ...(state && { StateProvinceCode: state }),
    PostalCode: a.postalCode,
    CountryCode: a.countryCode,
  };
}

/**
 * StateProvinceCode as UPS reads it: the code as it is, Vietnam's as its whole ISO 3166-2 code
 * (Shipping.yaml's example: VN-44). Ireland's county goes as its code too (IE-D → D): UPS says the
 * field "must contain the county" there, without saying in what form.
 */
function upsStateCode({ stateCode, countryCode }: Pick<Address, 'stateCode' | 'countryCode'>): string | undefined {
  if (!stateCode) return undefined;
  return countryCode === 'VN' ? `VN-${stateCode}` : stateCode;
}

/** Rating's ShipTo takes a state of exactly 2 characters (Rating.ShipTo_Address); a quote goes without any other. */
function rateAddress(a: PartyAddress) {
  const { StateProvinceCode, ...address } = upsAddress('rate', a);
  return StateProvinceCode?.length === 2 ? { ...address, StateProvinceCode } : address;
}

/** Where UPS requires the consignee's state (Shipping.ShipTo_Address.StateProvinceCode: "Required for US, Canada, and Vietnam"). */
const STATE_REQUIRED = new Set(['US', 'CA', 'VN']);

/**
 * The customer's state, checked before any call where UPS requires it: missing, or not one of the
 * country's codes, the address is rejected as UPS would reject it (code 120206), and the parcel waits
 * for a corrected address, the field named as the API names it.
 */
function requireState(operation: string, a: Pick<Address, 'stateCode' | 'countryCode'>): void {
  if (!STATE_REQUIRED.has(a.countryCode)) return;
  if (!a.stateCode)
    throw addressRejected(operation, `shippingAddress.stateCode is missing: UPS needs the state or province for ${a.countryCode}`);
  const why = whyNotSubdivision(a.countryCode, a.stateCode);
  if (why) throw addressRejected(operation, `shippingAddress.stateCode ${why}`);
}

/** Words into lines of at most `width` characters (a longer word is cut). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(...(word.match(new RegExp(`.{1,${width}}`, 'g')) ?? []));
  }
  return lines;
}

const digits = (phone: string) => phone.replace(/\D/g, '').slice(-15);

/** The customer as a party, with what UPS asks for across a border (attention name, phone) whenever the address has it. */
function party(operation: string, a: Address, shipperCountry: string): UpsParty {
  if (!a.phone && a.countryCode !== shipperCountry) throw refusal(operation, "UPS needs the customer's phone number across a border");
  requireState(operation, a);
  const name = a.name.slice(0, 35);
  return { Name: name, AttentionName: name, ...(a.phone && { Phone: { Number: digits(a.phone) } }), Address: upsAddress(operation, a) };
}

function shipperParty({ name, phone, addressLines, city, postalCode, countryCode }: UpsShipper) {
  const shipper = { Name: name.slice(0, 35), AttentionName: name.slice(0, 35), Phone: { Number: digits(phone) } };
  return { ...shipper, Address: { AddressLine: addressLines, City: city, PostalCode: postalCode, CountryCode: countryCode } };
}

/** HH:MM as Pickup.yaml writes times (HHmm), YYYY-MM-DD as it writes dates (yyyyMMdd). */
const upsTime = (time: string) => time.replace(':', '');
const upsDate = (date: string) => date.replaceAll('-', '');

/**
 * An on-call pickup at the shipper's address (Pickup.yaml's PickupCreationRequest), paid by the
 * account: one piece line for the day's parcels, UPS Standard, to the shipper's country, since the
 * day's first label cannot know the destinations of the parcels after it (README "Pickups").
 */
function pickupCreation(accountNumber: string, shipper: UpsShipper, request: PickupRequest, reference: string) {
  const { name, phone, addressLines, city, postalCode, countryCode } = shipper;
  return {
    PickupCreationRequest: {
      Request: {},
      RatePickupIndicator: 'N',
      Shipper: { Account: { AccountNumber: accountNumber, AccountCountryCode: countryCode } },
      PickupDateInfo: { ReadyTime: upsTime(request.readyTime), CloseTime: upsTime(request.closeTime), PickupDate: upsDate(request.date) },
      PickupAddress: {
        CompanyName: name.slice(0, 27),
        ContactName: name.slice(0, 22),
        AddressLine: [addressLines.join(', ').slice(0, 73)], // "only one AddressLine is allowed"
        City: city,
        PostalCode: postalCode,
        CountryCode: countryCode,
        ResidentialIndicator: 'N',
        Phone: { Number: digits(phone) },
      },
      AlternateAddressIndicator: 'N',
      PickupPiece: [
        {
          ServiceCode: PICKUP_SERVICE,
          Quantity: String(Math.min(request.parcels, MAX_PICKUP_PIECES)),
          DestinationCountryCode: countryCode,
          ContainerCode: '01', // PACKAGE
        },
      ],
      PaymentMethod: '01', // the shipper's account
      ReferenceNumber: reference,
    },
  };
}

/** Centimetres and kilograms as UPS writes them: strings, dimensions at most 3 characters, weight at most 5 (never 0.0). */
function upsPackage({ weightGrams, lengthCm, widthCm, heightCm }: Parcel) {
  const cm = (n: number) => String(Math.ceil(n));
  const kg = Math.max(0.1, weightGrams / 1000);
  return {
    Dimensions: {
      UnitOfMeasurement: { Code: 'CM', Description: 'Centimeters' },
      Length: cm(lengthCm),
      Width: cm(widthCm),
      Height: cm(heightCm),
    },
    PackageWeight: { UnitOfMeasurement: { Code: 'KGS', Description: 'Kilograms' }, Weight: kg.toFixed(1) },
  };
}

/** Rate's InvoiceLineTotal where the parcel crosses a customs border and its goods' value is known. */
function withInvoiceTotal(request: ShipmentRequest) {
  const total = invoiceLineTotal(request);
  return total ? { InvoiceLineTotal: total } : {};
}

/** UPS activities as scans (statuses.ts reads polled and pushed ones alike). */
const scansOf = (pkg: UpsTrackedPackage) =>
  pkg.activity.map((a: UpsActivity) => ({
    trackingNumber: pkg.trackingNumber,
    type: a.status.type,
    code: a.status.code,
    gmtDate: a.gmtDate,
    gmtTime: a.gmtTime,
    localDate: a.date,
    localTime: a.time,
    gmtOffset: a.gmtOffset,
    city: a.location?.address?.city,
    country: a.location?.address?.countryCode ?? a.location?.address?.country,
  }));

export function createUpsAdapter(config: UpsAdapterConfig): CarrierAdapter {
  new URL(config.baseUrl); // a bad URL fails at start-up, not on the first parcel
  const client = createUpsClient(config);
  const log = config.log ?? logger;
  const toStatus = createStatusMapper(UPS, UPS_STATUSES, log);
  const { accountNumber, shipper = SANDBOX_SHIPPER, goodsDescription = 'Retail goods' } = config;

  function serviceCode(operation: string, service: string): string {
    const code = UPS_SERVICE_CODES[service];
    if (!code) throw refusal(operation, `no ${service} service`);
    return code;
  }

  /** The label as the engine keeps it: UPS issues ZPL as asked (LabelSpecification). */
  function toBooking(operation: string, shipment: UpsShipment, idempotencyKey: string): Booking {
    if (shipment.label.format !== 'ZPL') throw malformedFailure(operation, `label as ${shipment.label.format}, ZPL was asked for`);
    const { shipmentId: bookingId, trackingNumber } = shipment;
    return { carrier: UPS, bookingId, trackingNumber, labelRef: `data:application/zpl;base64,${shipment.label.data}`, idempotencyKey };
  }

  /** What an outbound and a return ShipmentRequest share (the account, the service, the parcel, our references, a ZPL label); `shipment` adds the parties. */
  function shipmentRequest(operation: string, request: ShipmentRequest, reference: string, shipment: object, pkg: object = {}) {
    const orderReference = readableKey(request.orderId, 35);
    return {
      ShipmentRequest: {
        Request: { RequestOption: 'nonvalidate' },
        Shipment: {
          Description: goodsDescription,
          ...shipment,
          PaymentInformation: shipmentCharges(accountNumber, request),
          Service: { Code: serviceCode(operation, request.service) },
          // The first reference is the key of the booking (found again by Track by reference); the second is for people.
          ReferenceNumber: [{ Value: reference }, { Value: orderReference }],
          Package: [{ Packaging: { Code: '02' }, ...upsPackage(request.parcel), ...pkg }],
        },
        LabelSpecification: { LabelImageFormat: { Code: 'ZPL' }, LabelStockSize: { Height: '6', Width: '4' } },
      },
    };
  }

  /**
   * The parcels' pushed scans: best-effort, polling stays the safety net, so a failure is logged and
   * the booking stands. True when every one took.
   */
  async function subscribe(trackingNumbers: string[]): Promise<boolean> {
    try {
      const { invalidTrackingNumbers } = await client.subscribe(trackingNumbers);
      if (invalidTrackingNumbers.length === 0) return true;
      log.warn({ carrier: UPS, invalidTrackingNumbers }, 'Track Alert refused tracking numbers');
      return false;
    } catch (err) {
      // Named: the workflow polls a carrier that pushes only 12 h apart, so ops may need to find these parcels.
      log.warn(
        { carrier: UPS, trackingNumbers, err: (err as Error).message },
        'Track Alert subscription failed; only polling covers the parcel',
      );
      return false;
    }
  }

  /**
   * Books once per key: the shipment carrying our reference is looked up first (Track by
   * reference), and when a lost answer left one behind, its label is recovered instead of booking
   * a second. Then the parcel is subscribed to Track Alert.
   */
  async function bookOnce(operation: 'ship' | 'return', idempotencyKey: string, build: (reference: string) => object): Promise<Booking> {
    const reference = hashedKey(idempotencyKey);
    const body = build(reference); // what UPS would refuse (service, phone, address) is refused before any call
    const [found] = await client.findByReference(reference);
    const shipment = found ? await client.recoverLabel(found, reference) : await client.ship(operation, body);
    const booking = toBooking(operation, shipment, idempotencyKey);
    return { ...booking, trackingSubscribed: await subscribe([booking.trackingNumber]) };
  }

  /**
   * A DDP parcel's quote with the duties the merchant will pay (Landed Cost). A duties estimate is
   * worth less than the quote: when Landed Cost fails, the quote goes without it, and the log says so.
   */
  async function withDuties(quote: Quote, request: ShipmentRequest): Promise<Quote> {
    const body = landedCostRequest(request, shipper.countryCode);
    if (!body) return quote;
    try {
      return { ...quote, duties: await client.landedCost(body) };
    } catch (err) {
      log.warn({ carrier: UPS, shipmentId: request.shipmentId, err: (err as Error).message }, 'Landed Cost failed; quoted without duties');
      return quote;
    }
  }

  /** Oldest first: UPS lists activities newest first, so reversed, then a stable sort keeps its order at equal times. */
  function toEvents(pkg: UpsTrackedPackage): TrackingEvent[] {
    return scansOf(pkg)
      .reverse()
      .map((scan) => {
        const parsed = upsTrackingEvent(scan, toStatus);
        if (!parsed.success)
          throw malformedFailure('track', `activity ${scan.type} at ${scan.gmtDate} ${scan.gmtTime}: ${parsed.error.issues[0].message}`);
        return parsed.data;
      });
  }

  /** Parcels still moving whose first scan is 13 days old: their 14-day subscription is renewed (each poll past then renews again). */
  function renewable(events: TrackingEvent[]): string[] {
    const numbers = [...new Set(events.map((e) => e.trackingNumber))];
    return numbers.filter((number) => {
      const scans = events.filter((e) => e.trackingNumber === number);
      return Date.now() - Date.parse(scans[0].occurredAt) > RENEW_AFTER_MS && !FINAL.has(scans.at(-1)!.status);
    });
  }

  return {
    name: UPS,
    capabilities: UPS_CAPABILITIES,

    async quote(request) {
      const code = serviceCode('rate', request.service);
      const rated = await client.rate({
        RateRequest: {
          Request: {},
          Shipment: {
            Shipper: { Name: shipper.name.slice(0, 35), ShipperNumber: accountNumber, Address: shipperParty(shipper).Address },
            ShipTo: { Address: rateAddress(request.to) },
            PaymentDetails: shipmentCharges(accountNumber, request),
            DeliveryTimeInformation: { PackageBillType: '03' }, // non-document: transit times come with the rates
            Package: [{ PackagingType: { Code: '02' }, ...upsPackage(request.parcel) }],
            ...withInvoiceTotal(request),
          },
        },
      });
      const rate = rated.find((r) => r.Service.Code === code);
      if (!rate) throw refusal('rate', `no ${request.service} service to ${request.to.countryCode}`);
      const { CurrencyCode, MonetaryValue } = rate.NegotiatedRateCharges?.TotalCharge ?? rate.TotalCharges;
      const transitDays =
        rate.TimeInTransit?.ServiceSummary.EstimatedArrival.BusinessDaysInTransit ?? rate.GuaranteedDelivery?.BusinessDaysInTransit;
      if (transitDays === undefined) throw malformedFailure('rate', `no transit time for service ${code}`);
      return withDuties({ carrier: UPS, service: request.service, amount: MonetaryValue, currency: CurrencyCode, transitDays }, request);
    },

    async book(request, idempotencyKey) {
      if (request.cashOnDelivery) throw refusal('ship', 'cash on delivery is not offered');
      return bookOnce('ship', idempotencyKey, (reference) => {
        const shipTo = party('ship', request.to, shipper.countryCode);
        const customs = completeCustoms('ship', request);
        return shipmentRequest('ship', request, reference, {
          Shipper: { ...shipperParty(shipper), ShipperNumber: accountNumber },
          ShipTo: shipTo,
          ...iossShipFrom(request, shipperParty(shipper)),
          ...(customs && { ShipmentServiceOptions: { InternationalForms: internationalForms('ship', customs, shipTo) } }),
        });
      });
    },

    // A return is a Ship call with ReturnService: collected from the customer (ShipFrom), delivered to us (ShipTo).
    async createReturn(request, idempotencyKey) {
      const shipment = {
        ReturnService: { Code: PRINT_RETURN_LABEL },
        Shipper: { ...shipperParty(shipper), ShipperNumber: accountNumber },
        ShipTo: shipperParty(shipper),
        ShipFrom: party('return', request.to, shipper.countryCode),
      };
      const goods = { Description: `Return of order ${request.orderId}`.slice(0, 35) }; // required with a return service
      return bookOnce('return', idempotencyKey, (reference) => shipmentRequest('return', request, reference, shipment, goods));
    },

    async cancel(idempotencyKey) {
      for (const shipmentId of await client.findByReference(hashedKey(idempotencyKey))) {
        const { voided, description } = await client.voidShipment(shipmentId);
        if (!voided) throw refusal('void', `UPS did not void ${shipmentId}: ${description}`);
      }
    },

    // The pickup is at the shipper's address, the one UPS_SHIPPER_* configures, whatever the warehouse id:
    // every UPS parcel ships from it too. Our key goes in ReferenceNumber, for the pending-pickup list.
    async schedulePickup(request) {
      const prn = await client.schedulePickup(pickupCreation(accountNumber, shipper, request, hashedKey(request.idempotencyKey)));
      return { carrier: UPS, pickupId: prn, date: request.date };
    },

    async cancelPickup(prn) {
      await client.cancelPickup(prn);
    },

    async subscribeTracking(trackingNumber) {
      const { invalidTrackingNumbers } = await client.subscribe([trackingNumber]);
      if (invalidTrackingNumbers.length > 0) throw refusal('subscribe', `Track Alert refused tracking number ${trackingNumber}`);
    },

    async track(trackingNumbers) {
      const packages = (await Promise.all(trackingNumbers.map((n) => client.track(n)))).flat();
      const events = packages.flatMap(toEvents).sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
      const renew = renewable(events);
      if (renew.length > 0) await subscribe(renew);
      return events;
    },
  };
}
