// The MNG double: the calls the engine makes to MNG Kargo's REST API, as carriers/mng/spec/
// mng-openapi.yaml captures them, under /mngapi/api. The OpenAPI guard (sandbox/openapi.ts) checks
// every request against the spec (a wrong one gets a 400 ProblemDetails naming the field) and every
// JSON reply before it leaves (a reply the spec does not allow is a 500 and an error in the log).
// Then each call passes the fault plan (a carrier's load balancer fails before its gateway does),
// the gateway's client id and secret, and (except the token and CBS calls) the bearer token.
// Where the published material is silent, the double chose; README.md lists each choice.
import path from 'node:path';
import { Router, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { bearerToken, sameSecret } from '../auth';
import { CarrierError } from '../errors';
import { injectFaults } from '../faults';
import { openApiGuard } from '../openapi';
import { turkeyDottedDateTime } from '../turkey-time';
import { CITIES, districtsOf, resolvePlace } from './cbs';
import { GatewayRefusal, MNG_ERRORS, mngErrors } from './errors';
import { zplLabel } from './label';
import { ACCOUNT_ADDRESS, type Movement, type MngOperation, type MngState, type Piece, type SandboxOrder } from './state';

export const MNG_API_PATH = '/mngapi/api';
export const MNG_SPEC = path.join(__dirname, '../../carriers/mng/spec/mng-openapi.yaml');

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

/** The guard's refusals as ProblemDetails, the shape MNG's swagger is reported to document. */
function refuse(res: Response, problem: { status: number; message: string }): void {
  res.status(problem.status).json({ title: TITLES[problem.status] ?? 'Error', status: problem.status, detail: problem.message });
}

// calculate's body is described by no source (spec: `type: object`): this is the double's own shape.
const Flag = z.union([z.literal(0), z.literal(1)]);
const CalculateSchema = z.object({
  shipmentServiceType: z.number().int(),
  isCOD: Flag,
  codAmount: z.number().min(0),
  recipient: z.object({
    cityCode: z.number().int(),
    cityName: z.string().optional(),
    districtCode: z.number().int(),
    districtName: z.string().optional(),
  }),
  orderPieceList: z.array(z.object({ desi: z.number(), kg: z.number() })).min(1),
});

/** The parts of createOrder/createReturnOrder the double acts on (the guard has checked the whole against the spec). */
interface OrderBody {
  order: { referenceId: string; isCOD: 0 | 1; codAmount: number; shipmentServiceType: number };
  orderPieceList: Piece[];
}
interface CustomerBody {
  cityCode?: number;
  cityName?: string;
  districtCode?: number;
  districtName?: string;
  fullName?: string;
  address?: string;
  taxNumber?: string;
}

const notFound = (what: string) => new CarrierError(404, '', `${what} bulunamadı`);

/** The customer's place as MNG resolves it: by CBS code when given (not 0), else by name. The code 4001 is the double's. */
function placeOf(input: CustomerBody) {
  const place = resolvePlace({
    cityCode: input.cityCode ?? 0,
    cityName: input.cityName,
    districtCode: input.districtCode ?? 0,
    districtName: input.districtName,
  });
  if (!place) throw new CarrierError(400, MNG_ERRORS.addressNotFound, 'ALICI İL/İLÇE BULUNAMADI');
  return place;
}

function checkCustomer(customer: CustomerBody) {
  // Published (tcgunel/omniship-mng): an empty tax number is refused with 26056.
  if (!customer.taxNumber) throw new CarrierError(400, MNG_ERRORS.taxNumberMissing, 'Vergi numarası / TC kimlik numarası boş olamaz');
  const { city, district } = placeOf(customer);
  return { fullName: customer.fullName ?? '', address: customer.address ?? '', cityName: city.name, districtName: district?.name };
}

function checkCod({ isCOD, codAmount }: { isCOD: 0 | 1; codAmount: number }): void {
  if ((isCOD === 1) !== codAmount > 0) throw new CarrierError(400, '', 'codAmount must be above 0 exactly when isCOD is 1');
}

/** Prices in TRY (the double's): billable weight per piece max(kg, desi, 1), plus VAT (KDV, 20%). */
function price(body: z.infer<typeof CalculateSchema>) {
  const billable = body.orderPieceList.reduce((sum, p) => sum + Math.max(p.kg, p.desi, 1), 0);
  const standard = 55 + 8.5 * billable + (body.isCOD ? 18 : 0);
  const total = Math.round((body.shipmentServiceType === 2 ? standard * 1.6 : standard) * 100) / 100;
  const kdv = Math.round(total * 20) / 100;
  return { total, kdv, finalTotal: Math.round((total + kdv) * 100) / 100, estimatedDeliveryDays: body.shipmentServiceType === 2 ? 1 : 2 };
}

const movementJson = (order: SandboxOrder) => (m: Movement) => ({
  referenceId: order.referenceId,
  ...(order.shipment ? { shipmentId: order.shipment.shipmentId } : {}),
  eventSequence: m.sequence,
  eventStatus: m.text,
  eventDateTime: turkeyDottedDateTime(m.at),
  location: m.location,
});

function labels(order: SandboxOrder, shipmentId: string, pieces: Piece[], codAmount: number | undefined) {
  const { fullName: name, address, districtName, cityName } = order.customer;
  return pieces.map((piece, i) => ({
    pieceNumber: i + 1,
    barcode: piece.barcode,
    zpl: zplLabel({
      shipmentId,
      referenceId: order.referenceId,
      service: order.service,
      kind: order.kind,
      sender: ACCOUNT_ADDRESS,
      recipient: { name, address, districtName, cityName },
      piece,
      pieceNumber: i + 1,
      pieceCount: pieces.length,
      codAmount,
    }),
  }));
}

export function mngRouter(state: MngState, logger: Logger): Router {
  const router = Router();
  const api = Router();
  router.use(MNG_API_PATH, ...openApiGuard({ spec: MNG_SPEC, refuse, logger }), api);

  const gateway: RequestHandler = (req, _res, next) => {
    const id = req.header('X-IBM-Client-Id');
    const secret = req.header('X-IBM-Client-Secret');
    if (!id || !secret) throw new GatewayRefusal('The X-IBM-Client-Id and X-IBM-Client-Secret headers are required.');
    if (!sameSecret(id, state.credentials.clientId) || !sameSecret(secret, state.credentials.clientSecret))
      throw new GatewayRefusal('Invalid client id or secret.');
    // Each API product needs its own subscription (published text, tcgunel/omniship-mng README.md).
    if (state.unsubscribed.includes(req.path.split('/')[1]))
      throw new GatewayRefusal('Cannot find valid subscription for the incoming API request.');
    next();
  };
  const bearer: RequestHandler = (req, _res, next) => {
    const token = bearerToken(req);
    if (!token || !state.tokens.valid(token)) throw new CarrierError(401, '', 'Unauthorized: the token is invalid or expired');
    next();
  };
  const open = (operation: MngOperation) => [injectFaults(state.faults, operation, mngErrors.sendInjected), gateway];
  const guard = (operation: MngOperation) => [...open(operation), bearer];

  /** A live order by referenceId: a cancelled one is no longer found (the double's choice). */
  function orderOf(referenceId: string): SandboxOrder {
    const order = state.get(referenceId);
    if (!order || order.cancelled) throw notFound('Sipariş');
    return order;
  }

  /** createOrder and createReturnOrder: a used referenceId is refused with the published text, as HTTP 500 (the double's status). */
  function register(body: OrderBody, kind: SandboxOrder['kind'], customer: CustomerBody): SandboxOrder {
    const { order } = body;
    if (state.get(order.referenceId)) throw new CarrierError(500, '', 'BU SİPARİS NUMARASINA AİT KAYIT ZATEN VAR!');
    const party = checkCustomer(customer);
    checkCod(order);
    const service = order.shipmentServiceType === 2 ? 'express' : 'standard';
    return state.createOrder({ referenceId: order.referenceId, kind, service, customer: party });
  }

  api.post('/token', ...open('token'), (req, res) => {
    const body = req.body as { customerNumber: string; password: string };
    const { customerNumber, password } = state.credentials;
    if (!sameSecret(body.customerNumber, customerNumber) || !sameSecret(body.password, password)) {
      throw new CarrierError(401, '', 'Unauthorized: the customer number or password is wrong');
    }
    const { token, expiresAt } = state.issueToken();
    res.json({
      jwt: token,
      refreshToken: token.split('.')[2],
      jwtExpireDate: turkeyDottedDateTime(expiresAt),
      refreshTokenExpireDate: turkeyDottedDateTime(new Date(expiresAt.getTime() + 86_400_000)),
    });
  });

  api.post('/standardqueryapi/calculate', ...guard('calculate'), (req, res) => {
    const body = mngErrors.parse(CalculateSchema, req.body, 'calculate request');
    placeOf(body.recipient);
    checkCod(body);
    res.json(price(body));
  });

  api.post('/standardcmdapi/createOrder', ...guard('createOrder'), (req, res) => {
    const body = req.body as OrderBody & { recipient: CustomerBody };
    const order = register(body, 'shipment', body.recipient);
    const orderInvoiceId = String(order.orderInvoiceId);
    res.json([{ referenceId: order.referenceId, orderInvoiceId, orderInvoiceDetailId: `${orderInvoiceId}1`, shipperBranchCode: '034' }]);
  });

  api.post('/standardcmdapi/createReturnOrder', ...guard('createReturnOrder'), (req, res) => {
    const body = req.body as OrderBody & { shipper: CustomerBody };
    const order = register(body, 'return', body.shipper);
    const returnOrderLabelURL = `${req.protocol}://${req.get('host')}/mng/iade/${order.referenceId}`;
    res.json([{ referenceId: order.referenceId, orderInvoiceId: String(order.orderInvoiceId), returnOrderLabelURL }]);
  });

  /** No body in the reply (the spec describes none). An order with a shipment is cancelled with cancelshipment. */
  api.put('/standardcmdapi/cancelorder/:referenceId', ...guard('cancelorder'), (req, res) => {
    const order = orderOf(String(req.params.referenceId));
    if (order.shipment) throw new CarrierError(400, '', 'Barkodu oluşmuş sipariş cancelshipment ile iptal edilir');
    order.cancelled = true;
    res.status(200).send(); // send, not end: a lost-response fault replaces send
  });

  /** Once per order: no public source says what a repeat answers, so the double refuses it (the adapter asks getorder first). */
  api.post('/barcodecmdapi/createbarcode', ...guard('createbarcode'), (req, res) => {
    const body = req.body as { referenceId: string; isCOD?: 0 | 1; codAmount?: number; orderPieceList: Piece[] };
    // Published text (OmerKilic0/MngKargoIntegration MngClientTest.java); the status 500 too.
    if (state.barcodeIpRefused) throw new CarrierError(500, '', `${req.ip} IP adresi için tek barkod yetkiniz yoktur`);
    const order = orderOf(body.referenceId);
    if (order.kind === 'return') throw new CarrierError(400, '', 'İade siparişi için barkod oluşturulamaz');
    if (order.shipment) throw new CarrierError(400, '', 'Bu sipariş için barkod zaten oluşturulmuş');
    checkCod({ isCOD: body.isCOD ?? 0, codAmount: body.codAmount ?? 0 });
    const codAmount = body.isCOD ? body.codAmount : undefined;
    const shipment = state.addShipment(order, (shipmentId) => ({
      invoiceId: `FM${order.orderInvoiceId}`,
      codAmount,
      labels: labels(order, shipmentId, body.orderPieceList, codAmount),
    }));
    const barcodes = shipment.labels.map((l) => ({ pieceNumber: l.pieceNumber, barcode: l.barcode, value: l.zpl }));
    res.json([{ referenceId: order.referenceId, invoiceId: shipment.invoiceId, shipmentId: shipment.shipmentId, barcodes }]);
  });

  /** Until a branch accepts the parcel (published: "until the branch accepts it, the same day"; the day is not modelled). */
  api.put('/barcodecmdapi/cancelshipment', ...guard('cancelshipment'), (req, res) => {
    const body = req.body as { referenceId: string; shipmentId: string };
    const order = orderOf(body.referenceId);
    if (order.shipment?.shipmentId !== body.shipmentId) throw notFound('Gönderi');
    if (!state.cancellable(order)) throw new CarrierError(400, MNG_ERRORS.notCancellable, 'Gönderi şubede kabul edildi, iptal edilemez');
    order.cancelled = true;
    res.status(200).send(); // send, not end: a lost-response fault replaces send
  });

  api.get('/standardqueryapi/getorder/:referenceId', ...guard('getorder'), (req, res) => {
    const order = orderOf(String(req.params.referenceId));
    const { referenceId, shipment, createdAt } = order;
    const record = {
      referenceId,
      barcode: referenceId,
      orderType: order.kind === 'return' ? 'IADE' : 'STANDART',
      isTransformedToShipment: shipment ? 1 : 0,
      shipmentId: shipment?.shipmentId ?? null,
      orderDate: turkeyDottedDateTime(createdAt),
    };
    res.json([{ order: record, orderPieceList: [], recipient: {} }]);
  });

  const track = (order: SandboxOrder | undefined, res: Response) => {
    if (!order) throw notFound('Gönderi');
    res.json(order.movements.map(movementJson(order)));
  };
  api.get('/standardqueryapi/trackshipment/:referenceId', ...guard('trackshipment'), (req, res) => {
    track(state.get(String(req.params.referenceId)), res);
  });
  api.get('/standardqueryapi/trackshipmentByShipmentId/:shipmentId', ...guard('trackshipment'), (req, res) => {
    const order = state.byShipment(String(req.params.shipmentId));
    track(order?.shipment ? order : undefined, res);
  });

  api.get('/cbsinfoapi/getcities', ...open('getcities'), (_req, res) => {
    res.json(CITIES);
  });

  api.get('/cbsinfoapi/getdistricts/:cityCode', ...open('getdistricts'), (req, res) => {
    const cityCode = Number(req.params.cityCode);
    const city = CITIES.find((c) => c.code === cityCode);
    if (!city) throw notFound('İl');
    res.json(districtsOf(cityCode).map((d) => ({ cityCode, cityName: city.name, ...d })));
  });

  // In the spec but not modelled by the double (getshipment, getshipmentstatus…): the engine does not call them.
  api.use((req) => {
    throw new CarrierError(404, '', `the double does not model ${req.method} ${req.path}`);
  });
  router.use((req, res) => refuse(res, { status: 404, message: `no route for ${req.method} ${req.path}` }));
  router.use(mngErrors.handler(logger));
  return router;
}
