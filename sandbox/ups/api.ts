// The UPS-like carrier API, modelled on public UPS/DHL REST shapes: OAuth client credentials,
// rating, shipping and returns keyed by Idempotency-Key, void, lookup by key, tracking.
// Every call passes the fault plan first (a carrier's load balancer fails before its auth does).
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { bearerToken, sameSecret } from '../auth';
import { CarrierError } from '../errors';
import { injectFaults } from '../faults';
import { UPS_ERRORS, upsErrors } from './errors';
import type { SandboxShipment, Scan, UpsOperation, UpsState } from './state';

const CountryCode = z.string().regex(/^[A-Z]{2}$/);
const Service = z.enum(['standard', 'express']);
const Reference = z.string().trim().min(1).max(64);
const PackageSchema = z.object({
  weightGrams: z.number().int().positive().max(70_000),
  lengthCm: z.number().positive().max(300),
  widthCm: z.number().positive().max(300),
  heightCm: z.number().positive().max(300),
});
const AddressSchema = z.object({
  name: z.string().trim().min(1).max(200),
  addressLines: z.array(z.string().trim().min(1).max(200)).min(1).max(3),
  city: z.string().trim().min(1).max(100),
  postalCode: z.string().trim().min(1).max(20),
  countryCode: CountryCode,
  phone: z.string().trim().max(32).optional(),
});
type Address = z.infer<typeof AddressSchema>;
/** What a first booking reads from its body: the service, and the customer's address in its role. */
type Booking = { service: string; address: Address; role: string };

const TokenRequestSchema = z.object({ grant_type: z.literal('client_credentials') });
const RateRequestSchema = z.object({
  shipTo: z.object({ postalCode: z.string().trim().min(1).max(20), countryCode: CountryCode }),
  package: PackageSchema,
});
// A shipment and a return are booked alike: the merchant's account by reference, the customer's
// address, the parcel. Only the two parties' names differ (shipper/shipTo, returnTo/collectFrom).
const MerchantSchema = z.object({ reference: Reference });
const PARCEL_FIELDS = { package: PackageSchema, references: z.array(Reference).max(5).default([]) };
const ShipRequestSchema = z.object({
  service: Service,
  shipper: MerchantSchema,
  shipTo: AddressSchema,
  ...PARCEL_FIELDS,
});
const ReturnRequestSchema = z.object({
  service: Service,
  returnTo: MerchantSchema,
  collectFrom: AddressSchema,
  ...PARCEL_FIELDS,
});
const LookupQuerySchema = z.object({ idempotencyKey: z.string().min(1).max(200) });
const IdempotencyKeySchema = z.string().min(1).max(200);

const { parse } = upsErrors;

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** Prices in TRY (the account's billing currency), by weight and whether the parcel leaves Turkey. */
function ratesFor(countryCode: string, weightGrams: number) {
  const domestic = countryCode === 'TR';
  const kg = Math.ceil(weightGrams / 1000);
  const standard = (domestic ? 90 : 450) + kg * (domestic ? 15 : 60);
  const money = (amount: number) => ({ monetaryValue: amount.toFixed(2), currencyCode: 'TRY' });
  return [
    { service: 'standard', totalCharges: money(standard), transitDays: domestic ? 2 : 5 },
    { service: 'express', totalCharges: money(standard * 1.8), transitDays: domestic ? 1 : 2 },
  ];
}

function shipmentJson(s: SandboxShipment) {
  return {
    id: s.id,
    kind: s.kind,
    status: s.status,
    trackingNumber: s.trackingNumber,
    service: s.service,
    createdAt: s.createdAt.toISOString(),
    label: { format: 'PDF', data: s.label.toString('base64') },
  };
}

/** One scan as UPS reports it: gmtDate YYYYMMDD, gmtTime HH:MM:SS (tracking replies and webhooks alike). */
export function activityJson(scan: Scan) {
  const iso = scan.at.toISOString();
  return {
    status: { type: scan.code, description: scan.description },
    location: { address: { city: scan.city, countryCode: scan.countryCode } },
    gmtDate: iso.slice(0, 10).replaceAll('-', ''),
    gmtTime: iso.slice(11, 19),
  };
}

function trackJson(s: SandboxShipment) {
  const activity = [...s.scans].reverse().map(activityJson);
  return { trackResponse: { shipment: [{ package: [{ trackingNumber: s.trackingNumber, activity }] }] } };
}

export function upsRouter(state: UpsState, logger: Logger): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  const requireToken: RequestHandler = (req, _res, next) => {
    const token = bearerToken(req);
    if (!token || !state.tokens.valid(token)) throw new CarrierError(401, UPS_ERRORS.invalidToken, 'Invalid Authentication Information');
    next();
  };
  const faults = (operation: UpsOperation) => injectFaults(state.faults, operation, upsErrors.sendInjected);
  const guard = (operation: UpsOperation) => [faults(operation), requireToken];

  router.post('/oauth/token', faults('token'), express.urlencoded({ extended: false }), (req, res) => {
    const client = basicCredentials(req.headers.authorization);
    const { clientId, clientSecret } = state.credentials;
    if (!client || !sameSecret(client.id, clientId) || !sameSecret(client.secret, clientSecret)) {
      throw new CarrierError(401, UPS_ERRORS.invalidClient, 'Invalid client credentials');
    }
    parse(TokenRequestSchema, req.body ?? {}, 'token request');
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

  router.post('/api/rating', ...guard('rate'), (req, res) => {
    const body = parse(RateRequestSchema, req.body, 'rate request');
    res.json({ rates: ratesFor(body.shipTo.countryCode, body.package.weightGrams) });
  });

  /**
   * Ship and return share one key space: a key books once, whatever it was first used for. The
   * body is read only for a first booking: `read` gives its service and the customer's address.
   */
  function bookOnce(req: Request, res: Response, kind: SandboxShipment['kind'], read: () => Booking): void {
    const key = parse(IdempotencyKeySchema, req.header('Idempotency-Key'), 'Idempotency-Key header');
    const first = state.byIdempotencyKey(key);
    if (first && first.kind !== kind) throw new CarrierError(409, UPS_ERRORS.keyReused, `Idempotency-Key already used for a ${first.kind}`);
    if (first) {
      res.status(200).json({ shipment: shipmentJson(first) }); // the FIRST booking, never a second
      return;
    }
    const { service, address, role } = read();
    // The sandbox's one address rule: postal code 00000 does not exist.
    if (address.postalCode === '00000') {
      throw new CarrierError(422, UPS_ERRORS.addressInvalid, `The ${role} address could not be validated`);
    }
    const { city, postalCode, countryCode } = address;
    const created = state.create({ kind, idempotencyKey: key, service, customer: { city, postalCode, countryCode } });
    res.status(201).json({ shipment: shipmentJson(created) });
  }

  router.post('/api/shipments', ...guard('ship'), (req, res) => {
    bookOnce(req, res, 'shipment', () => {
      const { service, shipTo } = parse(ShipRequestSchema, req.body, 'shipment request');
      return { service, address: shipTo, role: 'ship-to' };
    });
  });

  router.post('/api/returns', ...guard('return'), (req, res) => {
    bookOnce(req, res, 'return', () => {
      const { service, collectFrom } = parse(ReturnRequestSchema, req.body, 'return request');
      return { service, address: collectFrom, role: 'collect-from' };
    });
  });

  router.get('/api/shipments', ...guard('lookup'), (req, res) => {
    const { idempotencyKey } = parse(LookupQuerySchema, req.query, 'query');
    const found = state.byIdempotencyKey(idempotencyKey);
    res.json({ shipments: found ? [shipmentJson(found)] : [] });
  });

  router.delete('/api/shipments/:id', ...guard('void'), (req, res) => {
    const shipment = state.get(String(req.params.id));
    if (!shipment) throw new CarrierError(404, UPS_ERRORS.notFound, 'Shipment not found');
    if (shipment.status === 'voided') throw new CarrierError(409, UPS_ERRORS.alreadyVoided, 'The shipment has already been voided');
    if (!state.voidable(shipment)) {
      throw new CarrierError(409, UPS_ERRORS.notVoidable, 'The package has been scanned by the carrier and can no longer be voided');
    }
    state.void(shipment);
    res.json({ shipment: { id: shipment.id, status: shipment.status } });
  });

  router.get('/api/track/:trackingNumber', ...guard('track'), (req, res) => {
    const shipment = state.byTrackingNumber(String(req.params.trackingNumber));
    if (!shipment) throw new CarrierError(404, UPS_ERRORS.trackingNotFound, 'No tracking information available');
    res.json(trackJson(shipment));
  });

  router.use((req) => {
    throw new CarrierError(404, UPS_ERRORS.invalidRequest, `no route for ${req.method} ${req.path}`);
  });
  router.use(upsErrors.handler(logger));
  return router;
}
