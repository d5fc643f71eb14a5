// Hepsiburada's order integration as marketplaces/hepsiburada/spec/ defines it, the calls a
// merchant-shipped package needs: the package listing (begindate/enddate window, limit at most 10,
// Offset), one package's carriage, one order's detail, and intransit, deliver and undeliver.
//
// Every call passes the fault plan first, then the credentials (HTTP Basic merchantId:serviceKey
// and the integrator's User-Agent), then the merchant's calls of the last minute (429), then the
// guard (sandbox/openapi.ts) when the definition has been generated locally: it has no licence, so
// it is not in git (spec/README.md), and without it (CI, a fresh clone) the double runs unguarded
// and says so in its log. Errors are bare strings, as the definition documents them.
import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { sameSecret } from '../../auth';
import { CarrierError } from '../../errors';
import { recordedWrite } from '../recorded';
import { injectFaults } from '../../faults';
import { openApiGuard } from '../../openapi';
import { turkeyLocal } from '../../turkey-time';
import { badRequest, hepsiburadaErrors, HEPSIBURADA_ERRORS, notFound, sendHepsiburadaError, unauthorized } from './errors';
import type { HepsiburadaOperation, HepsiburadaState, PackageStatus, Push, SandboxPackage } from './state';

/** The subset build.mjs generates; absent on a fresh clone. */
export const HEPSIBURADA_SPEC = path.join(__dirname, '..', '..', '..', 'marketplaces', 'hepsiburada', 'spec', 'oms-external.subset.json');

/** "At most and by default 10 packages" (the listing's limit). */
const MAX_PAGE = 10;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies the guard has validated against the spec

/**
 * The double writes its times as Turkey's local time without an offset (yyyy-MM-ddTHH:mm:ss): the
 * definition gives no format, and this is the reading the connector must survive (README).
 */
const hepsiburadaTime = (at: Date) => {
  const { date, time } = turkeyLocal(at);
  return `${date}T${time}`;
};

/** A time as the double reads one: with its zone when named, else Turkey's. */
function timeParameter(req: Request, name: string): Date | undefined {
  const value = req.query[name];
  if (value === undefined || value === '') return undefined;
  const text = typeof value === 'string' ? value : '';
  const zoned = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(text) ? `${text.replace(' ', 'T')}+03:00` : text;
  const date = new Date(zoned);
  // ISO 8601 only: JavaScript would read 05.12.2026 as the twelfth of May.
  if (!/^\d{4}-\d\d-\d\d/.test(text) || Number.isNaN(date.getTime())) throw badRequest(`${name} is not a date`);
  return date;
}

function integerParameter(req: Request, name: string, fallback: number): number {
  const value = req.query[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw badRequest(`${name} must be a whole number`);
  return n;
}

const money = (currency: string, amount: number) => ({ amount: Math.round(amount * 100) / 100, currency });

function packageJson(p: SandboxPackage, merchantId: string) {
  const orderDate = hepsiburadaTime(p.orderedAt ?? p.createdAt);
  return {
    id: p.packageNumber,
    packageNumber: p.packageNumber,
    barcode: p.packageNumber,
    status: p.status,
    cargoCompany: p.cargoCompany,
    isCargoChangable: false,
    dueDate: hepsiburadaTime(p.dueDate),
    orderDate,
    recipientName: p.address.name,
    ...(p.address.phoneNumber && { phoneNumber: p.address.phoneNumber }),
    shippingAddressDetail: p.address.address,
    shippingCity: p.address.city,
    shippingTown: p.address.town,
    ...(p.address.district && { shippingDistrict: p.address.district }),
    shippingCountryCode: p.address.countryCode,
    customerName: p.address.name,
    totalPrice: money(
      p.currency,
      p.items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0),
    ),
    items: p.items.map((i) => ({
      lineItemId: i.lineItemId,
      merchantId,
      merchantSku: i.merchantSku,
      hbSku: `HB${i.merchantSku.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`,
      quantity: i.quantity,
      orderNumber: p.orderNumber,
      orderDate,
      price: money(p.currency, i.unitPrice),
      totalPrice: money(p.currency, i.unitPrice * i.quantity),
    })),
  };
}

function orderJson(packages: SandboxPackage[]) {
  const [first] = packages;
  const { address } = first;
  return {
    orderNumber: first.orderNumber,
    orderId: first.orderNumber,
    orderDate: hepsiburadaTime(first.orderedAt ?? first.createdAt),
    createdDate: hepsiburadaTime(first.createdAt),
    paymentStatus: 'Paid',
    deliveryAddress: {
      name: address.name,
      address: address.address,
      city: address.city,
      town: address.town,
      ...(address.district && { district: address.district }),
      ...(address.postalCode && { postalCode: address.postalCode }),
      countryCode: address.countryCode,
      ...(address.phoneNumber && { phoneNumber: address.phoneNumber }),
    },
  };
}

/**
 * The listing: the merchant's packages waiting for their carrier (Packaged; the others have their
 * own lists), made in the window, oldest first, `limit` (at most 10; below 1 refused) from `Offset`.
 */
function listPackages(state: HepsiburadaState, req: Request, res: Response): void {
  const limit = Math.min(integerParameter(req, 'limit', MAX_PAGE), MAX_PAGE);
  if (limit < 1) throw badRequest('limit must be at least 1');
  const offset = integerParameter(req, 'Offset', 0);
  if (offset < 0) throw badRequest('Offset must not be negative');
  const timespan = integerParameter(req, 'timespan', 0);
  const begin = timeParameter(req, 'begindate');
  const end = timeParameter(req, 'enddate');
  const since = timespan > 0 ? new Date(Date.now() - timespan * 3600_000) : undefined;
  const listed = [...state.packages.values()]
    .filter((p) => p.status === 'Packaged' && (!since || p.createdAt >= since))
    // The definition: begindate selects "the items added from" it, enddate "the packages added before" it.
    .filter((p) => (!begin || (p.orderedAt ?? p.createdAt) >= begin) && (!end || p.createdAt < end))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.packageNumber.localeCompare(b.packageNumber));
  res.json(listed.slice(offset, offset + limit).map((p) => packageJson(p, state.credentials.merchantId)));
}

function packageOf(state: HepsiburadaState, req: Request, missing: (what: string) => CarrierError = notFound): SandboxPackage {
  const pkg = state.packages.get(String(req.params.packagenumber));
  if (!pkg) throw missing(`package ${String(req.params.packagenumber)}`);
  return pkg;
}

/** The definition documents no 404 for these reads: an unknown number is a bad request. */
const unknownAsBadRequest = (what: string) => badRequest(`${what} not found`);

/**
 * intransit: a Packaged package takes its carrier's tracking number. A repeat with the number it
 * already has answers 200 and changes nothing; another number for a package in transit is refused
 * (Hepsiburada says neither: the double's assumptions, README).
 */
function inTransit(state: HepsiburadaState, req: Request): void {
  const pkg = packageOf(state, req);
  const body = req.body as Json;
  if (typeof body.trackingNumber !== 'string' || !body.trackingNumber) throw badRequest('trackingNumber is required');
  if (pkg.status === 'InTransit' && pkg.trackingNumber === body.trackingNumber) return;
  if (pkg.status !== 'Packaged') throw badRequest(`package is ${pkg.status}`);
  Object.assign(pkg, { status: 'InTransit', trackingNumber: body.trackingNumber, trackingUrl: body.trackingUrl as string | undefined });
}

/** deliver and undeliver: a package in transit reaches its end; a repeat of the same end answers 200. */
function delivery(state: HepsiburadaState, req: Request, end: PackageStatus): void {
  const pkg = packageOf(state, req);
  if (pkg.status === end) return;
  if (pkg.status !== 'InTransit') throw badRequest(`package is ${pkg.status}`);
  pkg.status = end;
}

const basicCredentials = (req: Request): [string, string] | undefined => {
  const encoded = /^Basic\s+(\S+)$/i.exec(req.header('Authorization') ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
};

export function hepsiburadaRouter(state: HepsiburadaState, logger: Logger): Router {
  const refuse = (res: Response, problem: { status: number; message: string }) => sendHepsiburadaError(res, problem);
  const guarded = fs.existsSync(HEPSIBURADA_SPEC);
  if (!guarded) logger.warn({ spec: HEPSIBURADA_SPEC }, 'sandbox hepsiburada: no generated definition, requests and replies unchecked');
  const guard: RequestHandler[] = guarded ? openApiGuard({ spec: HEPSIBURADA_SPEC, refuse, logger }) : [express.json({ limit: '1mb' })];

  /** Basic merchantId:serviceKey for the path's merchant, and the integrator in User-Agent. */
  const authorized: RequestHandler = (req, res, next) => {
    const { merchantId, serviceKey, userAgent } = state.credentials;
    const given = basicCredentials(req);
    if (!given || given[0] !== merchantId || !sameSecret(given[1], serviceKey)) return sendHepsiburadaError(res, unauthorized());
    if (req.params.merchantId !== merchantId)
      return sendHepsiburadaError(res, unauthorized('merchantId is not the authenticated merchant'));
    const agent = req.header('User-Agent');
    if (!agent) return sendHepsiburadaError(res, badRequest('User-Agent header is required'));
    if (agent !== userAgent) return sendHepsiburadaError(res, unauthorized('User-Agent is not the integrator of this service key'));
    next();
  };
  const throttled: RequestHandler = (_req, res, next) => {
    if (state.admit()) return next();
    sendHepsiburadaError(res, new CarrierError(429, HEPSIBURADA_ERRORS.rateLimited, 'Too Many Requests'));
  };
  const call = (operation: HepsiburadaOperation) => [
    injectFaults(state.faults, operation, hepsiburadaErrors.sendInjected),
    authorized,
    throttled,
    ...guard,
  ];
  /** Every write is recorded with its answer for the admin API's /pushes; taken: 200 and a bare string, as the definition answers. */
  const recorded = (operation: Push['operation'], apply: (req: Request) => void): RequestHandler =>
    recordedWrite(
      () => state.pushes,
      (req) => ({ operation, packageNumber: String(req.params.packagenumber) }),
      apply,
      {
        status: 200,
        body: 'OK',
      },
    );

  const packages = '/packages/merchantid/:merchantId';
  const router = Router();
  router.get(packages, ...call('listPackages'), (req, res) => listPackages(state, req, res));
  router.get(`${packages}/packagenumber/:packagenumber`, ...call('getPackage'), (req, res) => {
    const pkg = packageOf(state, req, unknownAsBadRequest);
    res.json({
      packageNumber: pkg.packageNumber,
      barcode: pkg.packageNumber,
      cargoCompany: pkg.cargoCompany,
      status: pkg.status,
      ...(pkg.trackingNumber && { trackingInfoCode: pkg.trackingNumber }),
      ...(pkg.trackingUrl && { trackingInfoUrl: pkg.trackingUrl }),
    });
  });
  router.get('/orders/merchantid/:merchantId/ordernumber/:orderNumber', ...call('getOrder'), (req, res) => {
    const orderNumber = String(req.params.orderNumber);
    const found = [...state.packages.values()].filter((p) => p.orderNumber === orderNumber);
    if (found.length === 0) throw unknownAsBadRequest(`order ${orderNumber}`);
    res.json(orderJson(found));
  });
  router.post(
    `${packages}/packagenumber/:packagenumber/intransit`,
    ...call('intransit'),
    recorded('intransit', (req) => inTransit(state, req)),
  );
  router.post(
    `${packages}/packagenumber/:packagenumber/deliver`,
    ...call('deliver'),
    recorded('deliver', (req) => delivery(state, req, 'Delivered')),
  );
  router.post(
    `${packages}/packagenumber/:packagenumber/undeliver`,
    ...call('undeliver'),
    recorded('undeliver', (req) => delivery(state, req, 'UnDelivered')),
  );
  router.use((req, res) => sendHepsiburadaError(res, notFound(`${req.method} ${req.path}`)));
  router.use(hepsiburadaErrors.handler(logger));
  return router;
}
