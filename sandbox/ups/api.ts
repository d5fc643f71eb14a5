// The UPS API as its OpenAPI definitions describe it (carriers/ups/spec/): OAuth client
// credentials, Rating (Shop with time in transit), Shipping (ship, returns as ship with
// ReturnService, void, label recovery), Tracking (by number, by reference), Track Alert
// subscriptions, on-call pickups (creation, cancel by PRN) and Landed Cost quotes. Every call passes the fault plan first (a carrier's load balancer fails before its
// gateway does), then the gateway's token check, then the OpenAPI guard (sandbox/openapi.ts): a
// request the definition refuses gets UPS's error body naming the field, and a reply the definition
// does not allow becomes a 500 and a logged error, so the double cannot drift from UPS.
import express, { Router, type Request, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { bearerToken, sameSecret } from '../auth';
import { CarrierError } from '../errors';
import { injectFaults } from '../faults';
import { openApiGuard } from '../openapi';
import { turkeyLocal } from '../turkey-time';
import { whyNotSubdivision } from '../../domain/subdivisions';
import { sendUpsError, UPS_ERRORS, upsErrors } from './errors';
import { crossesBorder, crossesCustomsBorder, iossNumberOf, missingForms, receivedForms } from './customs';
import { landedCostQuote } from './landed-cost';
import { correctedUpsSpec } from './spec';
import type { SandboxPickup, SandboxShipment, Scan, UpsOperation, UpsState } from './state';

/** The sandbox's address rules: postal code 00000 does not exist; US, Canadian and Vietnamese addresses need their state (refusedState). */
const BAD_POSTAL_CODE = '00000';
const SUCCESS = { ResponseStatus: { Code: '1', Description: 'Success' } };
const KGS = { Code: 'KGS', Description: 'Kilograms' };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies the guard has validated against the spec

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

const money = (amount: number) => ({ CurrencyCode: 'TRY', MonetaryValue: amount.toFixed(2) });
const zero = money(0);

/** Prices in TRY (the account's billing currency) and business days, by service, weight and whether the parcel leaves Turkey. */
function tariff(service: string, countryCode: string, kg: number) {
  const domestic = countryCode === 'TR';
  const standard = (domestic ? 90 : 450) + Math.ceil(kg) * (domestic ? 15 : 60);
  return service === '07' ? { amount: standard * 1.8, days: domestic ? 1 : 2 } : { amount: standard, days: domestic ? 2 : 5 };
}
const SERVICES: Record<string, string> = { '11': 'UPS Standard', '07': 'UPS Worldwide Express' };

const yyyymmdd = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '');

/** One service's rate; transit times only when asked for (`additionalinfo=timeintransit`). */
function ratedShipment(service: string, countryCode: string, kg: number, transit: boolean) {
  const { amount, days } = tariff(service, countryCode, kg);
  const weight = { UnitOfMeasurement: KGS, Weight: kg.toFixed(1) };
  const today = new Date();
  return {
    Service: { Code: service, Description: SERVICES[service] },
    BillingWeight: weight,
    TransportationCharges: money(amount),
    ServiceOptionsCharges: zero,
    TotalCharges: money(amount),
    RatedPackage: [
      { TransportationCharges: money(amount), ServiceOptionsCharges: zero, TotalCharges: money(amount), Weight: weight.Weight },
    ],
    ...(transit && {
      TimeInTransit: {
        PickupDate: yyyymmdd(today),
        ServiceSummary: {
          Service: { Description: SERVICES[service] },
          EstimatedArrival: {
            Arrival: { Date: yyyymmdd(new Date(today.getTime() + days * 86_400_000)) },
            BusinessDaysInTransit: String(days),
            Pickup: { Date: yyyymmdd(today) },
            DayOfWeek: 'MON',
          },
        },
      },
    }),
  };
}

/** One scan as Track reports it: local date/time and UTC (`HHMMSS`), type and code, newest first in the list. */
function activityJson(scan: Scan) {
  const utc = scan.at.toISOString();
  const local = turkeyLocal(scan.at);
  return {
    location: { address: { city: scan.city, countryCode: scan.countryCode, country: scan.countryCode } },
    status: { type: scan.type, ...(scan.code && { code: scan.code }), description: scan.description },
    date: local.date.replaceAll('-', ''),
    time: local.time.replaceAll(':', ''),
    gmtDate: utc.slice(0, 10).replaceAll('-', ''),
    gmtTime: utc.slice(11, 19).replaceAll(':', ''),
    gmtOffset: '+03:00',
  };
}

function trackJson(inquiryNumber: string, shipments: SandboxShipment[]) {
  const packages = shipments.map((s) => ({ trackingNumber: s.id, activity: [...s.scans].reverse().map(activityJson) }));
  return { trackResponse: { shipment: [{ inquiryNumber, package: packages }] } };
}

function shipmentResults(s: SandboxShipment, kg: number, amount: number) {
  return {
    ShipmentResponse: {
      Response: SUCCESS,
      ShipmentResults: {
        ShipmentCharges: { TransportationCharges: money(amount), ServiceOptionsCharges: zero, TotalCharges: money(amount) },
        BillingWeight: { UnitOfMeasurement: KGS, Weight: kg.toFixed(1).padStart(8, '0') }, // Weight: exactly 8 characters in Shipping.yaml
        ShipmentIdentificationNumber: s.id,
        PackageResults: [
          {
            TrackingNumber: s.id,
            ShippingLabel: { ImageFormat: { Code: 'ZPL', Description: 'ZPL' }, GraphicImage: Buffer.from(s.label).toString('base64') },
          },
        ],
      },
    },
  };
}

const refusal = (code: string, message: string) => new CarrierError(400, code, message);

/**
 * What UPS says of the customer's StateProvinceCode (Shipping.ShipTo_Address: "Required for US,
 * Canada, and Vietnam (VN)"; a US or Canadian one "must be a valid US state or Canadian province
 * code"; Vietnam's is VN-<code>); undefined when it will do.
 */
function refusedState(party: 'ShipTo' | 'ShipFrom', address: Json): CarrierError | undefined {
  const { CountryCode: country, StateProvinceCode: state } = address;
  const valid = country === 'VN' ? /^VN-[A-Z0-9]{1,3}$/.test(state ?? '') : !whyNotSubdivision(country, state ?? '');
  const wording = party === 'ShipTo' ? 'ship to' : 'ship from';
  return valid ? undefined : refusal(UPS_ERRORS.stateInvalid, `Missing or invalid ${wording} StateProvinceCode`);
}

/**
 * The sandbox's pickup lead time: Pickup.yaml says CloseTime minus ReadyTime "must be greater than the
 * LeadTime", which "UPS pickup operation system" sets; an hour here, an assumption.
 */
const PICKUP_LEAD_MINUTES = 60;
const HHMM = /^([01]\d|2[0-3])([0-5]\d)$/;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(2, 4));

/**
 * UPS's pickup rules the double keeps (PickupDateInfo's descriptions): a real date, times HHmm, a
 * window past the lead time. It knows no address's time zone, so only a date past everywhere (before
 * today at UTC-12) is refused as past.
 */
function checkPickupDate({ PickupDate, ReadyTime, CloseTime }: Json): void {
  const date = `${PickupDate.slice(0, 4)}-${PickupDate.slice(4, 6)}-${PickupDate.slice(6, 8)}`;
  const parsed = Date.parse(`${date}T00:00:00Z`);
  const real = /^\d{8}$/.test(PickupDate) && !Number.isNaN(parsed) && new Date(parsed).toISOString().startsWith(date);
  const earliestToday = new Date(Date.now() - 12 * 3_600_000).toISOString().slice(0, 10);
  if (!real || date < earliestToday) throw refusal(UPS_ERRORS.pickupDateInvalid, 'PickupDate is not a date today or later');
  if (!HHMM.test(ReadyTime) || !HHMM.test(CloseTime)) throw refusal(UPS_ERRORS.pickupDateInvalid, 'ReadyTime and CloseTime must be HHmm');
  if (minutesOf(CloseTime) - minutesOf(ReadyTime) <= PICKUP_LEAD_MINUTES)
    throw refusal(
      UPS_ERRORS.pickupWindowTooShort,
      `CloseTime minus ReadyTime must be greater than the lead time (${PICKUP_LEAD_MINUTES} minutes)`,
    );
}

const pickupCreated = (pickup: SandboxPickup) => ({
  PickupCreationResponse: { Response: SUCCESS, PRN: pickup.prn, RateStatus: { Code: '04', Description: 'Rate not requested' } },
});
const referencesOf = (shipment: Json): string[] =>
  [...(shipment.ReferenceNumber ?? []), ...shipment.Package.flatMap((p: Json) => p.ReferenceNumber ?? [])].map((r: Json) =>
    String(r.Value),
  );

export function upsRouter(state: UpsState, logger: Logger): Router {
  const router = Router();
  const guard = openApiGuard({
    spec: correctedUpsSpec(),
    refuse: (res, { status, message }) => sendUpsError(res, new CarrierError(status, UPS_ERRORS.invalidRequest, message)),
    logger,
  });

  const requireToken: RequestHandler = (req, _res, next) => {
    const token = bearerToken(req);
    if (!token || !state.tokens.valid(token))
      throw new CarrierError(401, UPS_ERRORS.invalidAuthentication, 'Invalid Authentication Information');
    next();
  };
  const faults =
    (operation: UpsOperation | ((req: Request) => UpsOperation)): RequestHandler =>
    (req, res, next) => {
      const name = typeof operation === 'function' ? operation(req) : operation;
      return injectFaults(state.faults, name, upsErrors.sendInjected)(req, res, next);
    };
  const api = (operation: Parameters<typeof faults>[0]) => [faults(operation), requireToken, ...guard];
  const account = (number: unknown) => {
    if (number !== state.credentials.accountNumber) throw refusal(UPS_ERRORS.invalidShipperNumber, 'Missing or invalid shipper number');
  };

  router.post('/security/v1/oauth/token', faults('token'), ...guard, (req, res) => {
    const client = basicCredentials(req.headers.authorization);
    const { clientId, clientSecret } = state.credentials;
    if (!client || !sameSecret(client.id, clientId) || !sameSecret(client.secret, clientSecret)) {
      throw new CarrierError(401, UPS_ERRORS.invalidAuthentication, 'Invalid Authentication Information');
    }
    const { token, expiresIn } = state.issueToken();
    // As UPS does, numbers come back as strings.
    res.json({
      token_type: 'Bearer',
      access_token: token,
      expires_in: String(expiresIn),
      issued_at: String(Date.now()),
      client_id: clientId,
      status: 'approved',
    });
  });

  router.post('/api/rating/:version/:requestoption', ...api('rate'), (req, res) => {
    const { Shipment } = (req.body as Json).RateRequest;
    if (req.params.requestoption !== 'Shop') throw refusal(UPS_ERRORS.invalidRequest, 'the sandbox rates with Shop only');
    const kg = Number(Shipment.Package[0].PackageWeight?.Weight ?? 1);
    const country = Shipment.ShipTo.Address.CountryCode;
    const transit = req.query.additionalinfo === 'timeintransit';
    const RatedShipment = Object.keys(SERVICES).map((code) => ratedShipment(code, country, kg, transit));
    res.json({ RateResponse: { Response: SUCCESS, RatedShipment } });
  });

  // Ship and returns are one operation; the body says which (ReturnService), and so which fault applies.
  const shipOperation = (req: Request): UpsOperation => ((req.body as Json)?.ShipmentRequest?.Shipment?.ReturnService ? 'return' : 'ship');
  router.post('/api/shipments/:version/ship', express.json(), ...api(shipOperation), (req, res) => {
    const { Shipment } = (req.body as Json).ShipmentRequest;
    account(Shipment.Shipper.ShipperNumber);
    const kind = Shipment.ReturnService ? 'return' : 'shipment';
    const customer = kind === 'return' ? Shipment.ShipFrom : Shipment.ShipTo;
    if (!customer) throw refusal(UPS_ERRORS.invalidRequest, 'ShipFrom is required for a return shipment');
    const party = kind === 'return' ? 'ShipFrom' : 'ShipTo';
    const { City: city, PostalCode: postalCode = '', CountryCode: countryCode, StateProvinceCode: stateProvinceCode } = customer.Address;
    if (postalCode === BAD_POSTAL_CODE) throw refusal(UPS_ERRORS.addressInvalid, `Address Validation Error on ${party} address`);
    const badState = refusedState(party, customer.Address);
    if (badState) throw badState;
    const crossesCustoms = crossesCustomsBorder(Shipment);
    const missing = kind === 'shipment' && crossesCustoms ? missingForms(Shipment) : [];
    if (missing.length > 0)
      throw refusal(UPS_ERRORS.customsDataMissing, `International shipment without complete invoice data: missing ${missing.join(', ')}`);
    const created = state.create({
      kind,
      references: referencesOf(Shipment),
      service: Shipment.Service.Code,
      customer: { city, stateProvinceCode, postalCode, countryCode },
      customs: receivedForms(Shipment),
      iossNumber: iossNumberOf(Shipment),
      crossesCustoms,
    });
    const kg = Number(Shipment.Package[0].PackageWeight?.Weight ?? 1);
    res.json(shipmentResults(created, kg, tariff(created.service, countryCode, kg).amount));
  });

  router.delete('/api/shipments/:version/void/cancel/:id', ...api('void'), (req, res) => {
    const shipment = state.get(String(req.params.id));
    if (!shipment) throw refusal(UPS_ERRORS.noShipment, 'No shipment found within the allowed void period');
    if (shipment.status === 'active' && !state.voidable(shipment)) {
      throw refusal(UPS_ERRORS.notVoidable, 'The package has been picked up and can no longer be voided');
    }
    if (shipment.status === 'active') state.void(shipment);
    // Voided or already voided: both are status 1 (Shipping.yaml's PackageLevelResults.Status.Code).
    const Status = { Code: '1', Description: 'Voided' };
    res.json({
      VoidShipmentResponse: {
        Response: SUCCESS,
        SummaryResult: { Status },
        PackageLevelResults: [{ TrackingNumber: shipment.id, Status }],
      },
    });
  });

  router.post('/api/labels/:version/recovery', ...api('lookup'), (req, res) => {
    const { TrackingNumbers, ReferenceValues } = (req.body as Json).LabelRecoveryRequest;
    account(ReferenceValues.ShipperNumber);
    const shipment = state.get(String(TrackingNumbers[0]));
    if (!shipment || !shipment.references.includes(ReferenceValues.ReferenceNumber.Value)) {
      throw refusal(UPS_ERRORS.noLabel, 'No label found for the tracking number and reference');
    }
    const LabelImage = { LabelImageFormat: { Code: 'ZPL' }, GraphicImage: Buffer.from(shipment.label).toString('base64') };
    res.json({
      LabelRecoveryResponse: {
        Response: SUCCESS,
        ShipmentIdentificationNumber: shipment.id,
        LabelResults: [{ TrackingNumber: shipment.id, LabelImage }],
      },
    });
  });

  const notFound = () => new CarrierError(404, UPS_ERRORS.trackingNotFound, 'Tracking Information Not Found');
  router.get('/api/track/v1/details/:inquiryNumber', ...api('track'), (req, res) => {
    const shipment = state.get(String(req.params.inquiryNumber));
    if (!shipment) throw notFound();
    res.json(trackJson(shipment.id, [shipment]));
  });

  router.get('/api/track/v1/reference/details/:reference', ...api('lookup'), (req, res) => {
    account(req.query.shipperNum);
    const found = state.byReference(String(req.params.reference));
    if (found.length === 0) throw notFound();
    res.json(trackJson(String(req.params.reference), found));
  });

  router.post('/api/track/:version/subscription/:type/package', ...api('subscribe'), (req, res) => {
    const numbers: string[] = (req.body as Json).trackingNumberList;
    const valid = numbers.filter((n) => state.get(n));
    valid.forEach((n) => state.subscribe(n));
    res.json({ validTrackingNumbers: valid, invalidTrackingNumbers: numbers.filter((n) => !valid.includes(n)) });
  });

  router.post('/api/pickupcreation/:version/pickup', ...api('pickup'), (req, res) => {
    const creation = (req.body as Json).PickupCreationRequest;
    if (!creation) throw refusal(UPS_ERRORS.invalidRequest, 'the sandbox books on-call pickups only (PickupCreationRequest)');
    account(creation.Shipper?.Account?.AccountNumber);
    checkPickupDate(creation.PickupDateInfo);
    const { PickupDateInfo: when, PickupAddress: address } = creation;
    const pickup = state.schedulePickup({
      date: when.PickupDate,
      readyTime: when.ReadyTime,
      closeTime: when.CloseTime,
      address: { postalCode: address.PostalCode ?? '', countryCode: address.CountryCode, city: address.City },
      pieces: creation.PickupPiece.reduce((sum: number, piece: Json) => sum + Number(piece.Quantity), 0),
      reference: creation.ReferenceNumber,
    });
    res.json(pickupCreated(pickup));
  });

  // Cancel by PRN (02) only: by account number (01) would cancel every pickup of the account, which the engine never asks.
  router.delete('/api/shipments/:version/pickup/:cancelBy', ...api('cancel-pickup'), (req, res) => {
    if (req.params.cancelBy !== '02') throw refusal(UPS_ERRORS.invalidRequest, 'the sandbox cancels by PRN only (CancelBy 02)');
    const pickup = state.pickups.get(req.header('Prn') ?? '');
    if (!pickup) throw refusal(UPS_ERRORS.noPickup, 'No pickup found for the PRN');
    pickup.status = 'cancelled'; // a second cancel answers the same: an assumption, as Void's "Voided or Already Voided"
    res.json({ PickupCancelResponse: { Response: SUCCESS, PickupType: '01' } });
  });

  // Landed Cost: duties and taxes from the sandbox's own tables (./landed-cost.ts), for goods crossing a customs border only.
  router.post('/api/landedcost/:version/quotes', ...api('landed-cost'), (req, res) => {
    if (req.params.version !== 'v1') throw refusal(UPS_ERRORS.invalidRequest, 'the sandbox quotes landed cost in v1 only');
    const { exportCountryCode: from, importCountryCode: to } = (req.body as Json).shipment;
    if (!crossesBorder(from, to)) throw refusal(UPS_ERRORS.noCustomsBorder, `no customs border from ${from} to ${to}: no duties to quote`);
    res.json(landedCostQuote(req.body as Json));
  });

  // Unknown paths reach the guard, which refuses them with a 404 naming the path.
  router.use(...guard);
  router.use(upsErrors.handler(logger));
  return router;
}
