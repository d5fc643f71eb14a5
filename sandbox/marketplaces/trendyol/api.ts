// Trendyol's order integration as marketplaces/trendyol/spec/ defines it, the operations the
// connector makes: getShipmentPackages (page/size ≤ 200, a window of epoch milliseconds, status,
// order by field and direction, package ids ≤ 50), updatePackageStatus (Picking, Invoiced with its
// invoice number), createCommonLabel and getCommonLabel (ZPL, for Trendyol-contracted TEX and Aras
// packages, after Picking or Invoiced), served under /integration as Trendyol's servers are; and
// updateTrackingNumber, which no definition we hold has (README: taken from public integrations).
//
// Every call passes the fault plan, then the Authorization guide's checks (a User-Agent of the form
// "{sellerId} - {name}", else 403; HTTP Basic with the seller's API key and secret, and the seller's
// own id in the path, else 401 ClientApiAuthenticationException), then the operation's rate limit
// (429 too.many.requests), then the guard (sandbox/openapi.ts) reading the locally generated subset
// (marketplaces/trendyol/spec/trendyol.subset.json) when it is there. Without it (a fresh clone:
// the definitions have no licence and are not vendored) the double checks what it reads itself and
// says once in its log that it runs unguarded. updateTrackingNumber is not in the subset: its body
// is always checked by hand (zod), never by the guard.
import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { sameSecret } from '../../auth';
import { CarrierError } from '../../errors';
import { recordedWrite } from '../recorded';
import { injectFaults } from '../../faults';
import { openApiGuard } from '../../openapi';
import { badRequest, notFound, sendTrendyolError, TRENDYOL_ERRORS, trendyolErrors } from './errors';
import { PACKAGE_STATUSES, type Push, type SandboxPackage, type TrendyolOperation, type TrendyolState } from './state';

export const TRENDYOL_SUBSET = path.join(__dirname, '..', '..', '..', 'marketplaces', 'trendyol', 'spec', 'trendyol.subset.json');

/** The carriers whose common label Trendyol makes ("TEX, Aras Kargo için Trendyol öder gönderilerde"). */
const COMMON_LABEL_CARRIERS = [/^trendyol express/i, /^tex\b/i, /^aras/i];
const LISTING_STATUSES = ['Awaiting', ...PACKAGE_STATUSES, 'AtCollectionPoint', 'UnSupplied'];
const MAX_SIZE = 200;
const MAX_PACKAGE_IDS = 50;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies checked by the guard, or by hand below

function addressJson(p: SandboxPackage) {
  const a = p.address;
  const fullName = `${a.firstName} ${a.lastName}`;
  const fullAddress = [a.address1, a.address2, a.district, a.city].filter(Boolean).join(' ');
  return { ...a, fullName, fullAddress };
}

/** A package as ShipmentPackage has it (its lastModifiedDate and orderDate are the guide example's, kept in the subset). */
export function packageJson(p: SandboxPackage) {
  const total = p.lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
  return {
    id: p.id,
    orderNumber: p.orderNumber,
    grossAmount: total,
    totalDiscount: 0,
    totalPrice: total,
    customerFirstName: p.address.firstName,
    customerLastName: p.address.lastName,
    shipmentAddress: addressJson(p),
    invoiceAddress: addressJson(p),
    status: p.status,
    shipmentPackageStatus: p.status,
    deliveryType: 'normal',
    agreedDeliveryDate: p.agreedDeliveryDate,
    ...(p.cargoTrackingNumber && { cargoTrackingNumber: p.cargoTrackingNumber }),
    ...(p.cargoProviderName && { cargoProviderName: p.cargoProviderName }),
    lines: p.lines.map((l) => ({
      id: l.id,
      merchantSku: l.merchantSku,
      sku: l.merchantSku,
      barcode: l.barcode,
      productName: l.productName,
      quantity: l.quantity,
      price: l.price,
      amount: l.price,
      discount: 0,
      currencyCode: p.currencyCode,
      orderLineItemStatusName: p.status,
    })),
    packageHistory: p.history,
    ...(p.invoiceNumber && { invoiceNumber: p.invoiceNumber }),
    currencyCode: p.currencyCode,
    orderDate: p.orderDate,
    lastModifiedDate: p.lastModifiedDate,
  };
}

function integerParameter(req: Request, name: string): number | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw badRequest(`${name} must be an integer`);
  return Number(value);
}

function enumParameter(req: Request, name: string, values: readonly string[]): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !values.includes(value)) throw badRequest(`${name} must be one of ${values.join(', ')}`);
  return value;
}

/**
 * getShipmentPackages. What startDate/endDate filter is not in the definition: the double filters
 * and sorts on the date orderByField names (PackageLastModifiedDate: the last change; CreatedDate,
 * the default: the order's date), newest first unless ASC (README).
 */
function getShipmentPackages(state: TrendyolState, req: Request, res: Response): void {
  const page = integerParameter(req, 'page') ?? 0;
  const size = integerParameter(req, 'size') ?? MAX_SIZE;
  if (page < 0) throw badRequest('page must not be negative');
  if (size < 1 || size > MAX_SIZE) throw badRequest(`size must be 1-${MAX_SIZE}`);
  const startDate = integerParameter(req, 'startDate');
  const endDate = integerParameter(req, 'endDate');
  const status = enumParameter(req, 'status', LISTING_STATUSES);
  const field = enumParameter(req, 'orderByField', ['PackageLastModifiedDate', 'CreatedDate']) ?? 'CreatedDate';
  const direction = enumParameter(req, 'orderByDirection', ['ASC', 'DESC']) ?? 'DESC';
  // The guard may have turned them into numbers (it coerces parameters as it checks them).
  const ids = (req.query.shipmentPackageIds as unknown[] | undefined)?.map(String);
  if (ids && ids.length > MAX_PACKAGE_IDS) throw badRequest(`shipmentPackageIds: at most ${MAX_PACKAGE_IDS}`);
  if (ids?.some((id) => !/^\d+$/.test(id))) throw badRequest('shipmentPackageIds must be integers');
  const orderNumber = req.query.orderNumber;
  const time = (p: SandboxPackage) => (field === 'PackageLastModifiedDate' ? p.lastModifiedDate : p.orderDate);
  const sign = direction === 'ASC' ? 1 : -1;
  const matching = [...state.packages.values()]
    .filter((p) => !ids || ids.includes(String(p.id)))
    .filter((p) => startDate === undefined || time(p) >= startDate)
    .filter((p) => endDate === undefined || time(p) <= endDate)
    .filter((p) => !status || p.status === status)
    .filter((p) => orderNumber === undefined || p.orderNumber === orderNumber)
    .sort((a, b) => sign * (time(a) - time(b) || a.id - b.id));
  res.json({
    page,
    size,
    totalPages: Math.ceil(matching.length / size),
    totalElements: matching.length,
    content: matching.slice(page * size, (page + 1) * size).map(packageJson),
  });
}

function packageOf(state: TrendyolState, req: Request): SandboxPackage {
  const id = String(req.params.packageId);
  const pkg = /^\d+$/.test(id) ? state.packages.get(Number(id)) : undefined;
  // No 404 in the definition for this operation: an unknown package is a bad request.
  if (!pkg) throw badRequest(`shipment package ${id} not found`);
  return pkg;
}

/**
 * updatePackageStatus. Picking from Created; Invoiced from Created or Picking, with
 * params.invoiceNumber "only for Invoiced". A repeat of the status the package has answers 200 and
 * changes nothing (the double's assumption: Trendyol does not say).
 */
function updatePackageStatus(state: TrendyolState, req: Request): void {
  const pkg = packageOf(state, req);
  const body = req.body as Json;
  if (typeof body?.status !== 'string' || !['Picking', 'Invoiced'].includes(body.status))
    throw badRequest('status must be Picking or Invoiced');
  const params = (body.params ?? {}) as Json;
  if (params.invoiceNumber !== undefined && body.status !== 'Invoiced') throw badRequest('params.invoiceNumber is only for Invoiced');
  for (const line of (body.lines ?? []) as Json[]) {
    const found = pkg.lines.find((l) => l.id === Number(line.lineId));
    if (!found) throw badRequest(`lineId ${line.lineId} is not a line of package ${pkg.id}`);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > found.quantity)
      throw badRequest(`quantity of line ${line.lineId} must be 1-${found.quantity}`);
  }
  if (pkg.status === body.status) return;
  const allowed = body.status === 'Picking' ? ['Created'] : ['Created', 'Picking'];
  if (!allowed.includes(pkg.status)) throw badRequest(`package ${pkg.id} is ${pkg.status}: it cannot become ${body.status}`);
  if (body.status === 'Invoiced' && typeof params.invoiceNumber === 'string') pkg.invoiceNumber = params.invoiceNumber;
  state.move(pkg, body.status as 'Picking' | 'Invoiced');
}

/**
 * updateTrackingNumber's body as the public integrations send it (`{"trackingNumber": "<string>"}`):
 * not in the subset, so checked here, strictly (an unknown field is refused, as the guard would).
 */
const TrackingNumberBody = z.strictObject({ trackingNumber: z.string().trim().min(1, 'must be a non-empty string') });

/**
 * updateTrackingNumber: the tracking number of the seller's own carrier contract, kept on the package
 * as its cargoTrackingNumber; the status does not move (Trendyol moves it on the carrier's scans). A
 * repeat answers 200 again. Refused: an unknown package (400, as updatePackageStatus), a Cancelled
 * one, and a body without a non-empty string trackingNumber. What Trendyol does with a
 * Trendyol-contracted package or a later status is not known: the double takes them.
 */
function updateTrackingNumber(state: TrendyolState, req: Request): void {
  const pkg = packageOf(state, req);
  const body = TrackingNumberBody.safeParse(req.body ?? {});
  if (!body.success) throw badRequest(body.error.issues.map((i) => `${i.path.join('.') || 'trackingNumber'}: ${i.message}`).join('; '));
  if (pkg.status === 'Cancelled') throw badRequest(`package ${pkg.id} is Cancelled: it takes no tracking number`);
  pkg.cargoTrackingNumber = body.data.trackingNumber;
}

const zpl = (pkg: SandboxPackage, box: number, boxes: number) =>
  `^XA^CI28^FO40,40^A0N,36,36^FD${pkg.cargoProviderName}^FS^FO40,100^BCN,120,Y,N,N^FD${pkg.cargoTrackingNumber}^FS` +
  `^FO40,270^A0N,28,28^FD${pkg.orderNumber} ${box}/${boxes}^FS^FO40,320^A0N,28,28^FD${pkg.address.city}^FS^XZ`;

/** createCommonLabel: the labels of a Trendyol-contracted TEX or Aras package, once it is Picking or Invoiced. */
function createCommonLabel(state: TrendyolState, req: Request): void {
  const trackingNumber = String(req.params.cargoTrackingNumber);
  const pkg = state.byTrackingNumber(trackingNumber);
  if (!pkg) throw notFound('Kargo takip numarasına ait gönderi bulunamamıştır');
  const body = req.body as Json;
  if (body?.format !== 'ZPL') throw badRequest('format must be ZPL');
  const boxes = body.boxQuantity === undefined ? 1 : Number(body.boxQuantity);
  if (!Number.isInteger(boxes) || boxes < 1) throw badRequest('boxQuantity must be a positive integer');
  if (pkg.contract !== 'trendyol' || !COMMON_LABEL_CARRIERS.some((c) => c.test(pkg.cargoProviderName ?? '')))
    throw badRequest('common label is only for Trendyol-paid TEX and Aras Kargo shipments');
  if (!['Picking', 'Invoiced'].includes(pkg.status)) throw badRequest(`package ${pkg.id} is ${pkg.status}: ask after Picking or Invoiced`);
  pkg.labels = Array.from({ length: boxes }, (_, i) => zpl(pkg, i + 1, boxes));
}

/** getCommonLabel: the labels made, none before createCommonLabel. */
function getCommonLabel(state: TrendyolState, req: Request, res: Response): void {
  const pkg = state.byTrackingNumber(String(req.params.cargoTrackingNumber));
  if (!pkg) throw badRequest('İletmiş olduğunuz kargo takip numarası değerini kontrol ediniz');
  res.json({ data: (pkg.labels ?? []).map((label) => ({ label, format: 'ZPL' })) });
}

/** "{sellerId} - {integrator name}" or "{sellerId} - SelfIntegration"; the name alphanumeric, at most 30 (the Authorization guide). */
const USER_AGENT = /^(\d+) - [A-Za-z0-9]{1,30}$/;

export function trendyolRouter(state: TrendyolState, logger: Logger): Router {
  const refuse = (res: Response, problem: { status: number; message: string }) =>
    sendTrendyolError(res, new CarrierError(problem.status, TRENDYOL_ERRORS.invalidRequest, problem.message));
  const guarded = fs.existsSync(TRENDYOL_SUBSET);
  if (!guarded)
    logger.info({ subset: TRENDYOL_SUBSET }, 'sandbox trendyol: no generated subset here, requests and replies are not checked against it');
  const guard: RequestHandler[] = guarded ? openApiGuard({ spec: TRENDYOL_SUBSET, refuse, logger }) : [express.json({ limit: '1mb' })];

  const authorized: RequestHandler = (req, res, next) => {
    const { credentials } = state;
    const agent = USER_AGENT.exec(req.header('user-agent') ?? '');
    if (!agent)
      return sendTrendyolError(
        res,
        new CarrierError(403, TRENDYOL_ERRORS.forbidden, 'User-Agent must be "{sellerId} - {integrator name}"'),
      );
    const [scheme, encoded = ''] = (req.header('authorization') ?? '').split(' ');
    const [key, ...secret] = Buffer.from(encoded, 'base64').toString('utf8').split(':');
    const valid =
      scheme === 'Basic' &&
      sameSecret(key, credentials.apiKey) &&
      sameSecret(secret.join(':'), credentials.apiSecret) &&
      req.params.sellerId === credentials.sellerId;
    if (!valid) return sendTrendyolError(res, new CarrierError(401, TRENDYOL_ERRORS.unauthenticated, 'Unauthorized'));
    next();
  };
  const throttled =
    (operation: TrendyolOperation): RequestHandler =>
    (_req, res, next) => {
      if (state.admit(operation)) return next();
      sendTrendyolError(res, new CarrierError(429, TRENDYOL_ERRORS.rateLimited, 'too.many.requests'));
    };
  /** shipmentPackageIds as a list whatever its count (Express reads one value as text), as the guard's array schema wants it. */
  const lists: RequestHandler = (req, _res, next) => {
    const ids = req.query.shipmentPackageIds;
    if (ids !== undefined) Object.defineProperty(req, 'query', { value: { ...req.query, shipmentPackageIds: [ids].flat().map(String) } });
    next();
  };
  const call = (operation: TrendyolOperation) => [
    injectFaults(state.faults, operation, trendyolErrors.sendInjected),
    authorized,
    throttled(operation),
    lists,
    ...guard,
  ];
  /** Every write is recorded with its answer for the admin API's /pushes; taken: 200, no body. */
  const recorded = (operation: Push['operation'], target: (req: Request) => string, apply: (req: Request) => void): RequestHandler =>
    recordedWrite(
      () => state.pushes,
      (req) => ({ operation, target: target(req) }),
      apply,
      { status: 200 },
    );

  const api = Router();
  api.get('/order/sellers/:sellerId/orders', ...call('getShipmentPackages'), (req, res) => getShipmentPackages(state, req, res));
  api.put(
    '/order/sellers/:sellerId/shipment-packages/:packageId',
    ...call('updatePackageStatus'),
    recorded(
      'updatePackageStatus',
      (req) => String(req.params.packageId),
      (req) => updatePackageStatus(state, req),
    ),
  );
  // Not in the subset: the guard would know no such operation, so the body is read and checked by hand.
  api.put(
    '/order/sellers/:sellerId/shipment-packages/:packageId/update-tracking-number',
    injectFaults(state.faults, 'updateTrackingNumber', trendyolErrors.sendInjected),
    authorized,
    throttled('updateTrackingNumber'),
    express.json({ limit: '1mb' }),
    recorded(
      'updateTrackingNumber',
      (req) => String(req.params.packageId),
      (req) => updateTrackingNumber(state, req),
    ),
  );
  api.post(
    '/sellers/:sellerId/common-label/:cargoTrackingNumber',
    ...call('createCommonLabel'),
    recorded(
      'createCommonLabel',
      (req) => String(req.params.cargoTrackingNumber),
      (req) => createCommonLabel(state, req),
    ),
  );
  api.get('/sellers/:sellerId/common-label/:cargoTrackingNumber', ...call('getCommonLabel'), (req, res) => getCommonLabel(state, req, res));

  const router = Router();
  router.use('/integration', api);
  router.use((req, res) =>
    sendTrendyolError(res, new CarrierError(404, TRENDYOL_ERRORS.notFound, `${req.method} ${req.path} is not served by the double`)),
  );
  router.use(trendyolErrors.handler(logger));
  return router;
}
