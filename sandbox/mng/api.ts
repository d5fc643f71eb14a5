// The MNG-like carrier API, modelled on the public shape of MNG Kargo's REST services
// (/mngapi/api/...): an identity call for a bearer token, createOrder keyed by the merchant's
// referenceId, createbarcode for the shipment number and ZPL labels, status queries, cancelling,
// price calculation and the city/district ("CBS") lists. Every call passes the fault plan first
// (a carrier's load balancer fails before its gateway does), then the gateway's client id and
// secret, then (except the token and CBS calls) the bearer token.
import { randomBytes } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { bearerToken, sameSecret } from '../auth';
import { CarrierError } from '../errors';
import { injectFaults } from '../faults';
import { turkeyDottedDateTime } from '../turkey-time';
import { CITIES, districtsOf, resolvePlace } from './cbs';
import { GatewayRefusal, MNG_ERRORS, mngErrors } from './errors';
import { zplLabel } from './label';
import {
  ACCOUNT_ADDRESS,
  CANCELLED,
  STATUS_CODES,
  type Movement,
  type MngOperation,
  type MngState,
  type Piece,
  type SandboxOrder,
} from './state';

export const MNG_API_PATH = '/mngapi/api';

/** The heaviest piece the carrier takes, in kg. */
const MAX_PIECE_KG = 30;

// --- request shapes ---
const Flag = z.union([z.literal(0), z.literal(1)]);
/** Sandbox's limit: the real carrier's length limit for referenceId was not found. */
const ReferenceId = z.string().regex(/^[A-Z0-9_-]{1,32}$/, 'must be 1–32 upper-case letters, digits, - or _');
const Text = (max: number) => z.string().trim().min(1).max(max);
const Optional = (max: number) => z.string().trim().max(max).optional();
const ServiceType = z.union([z.literal(1), z.literal(2)]); // 1 STANDART_TESLIMAT, 2 ONCELIKLI (sandbox's)
/** Codes from the CBS lists, or 0 with the names instead. */
const PlaceSchema = z.object({
  cityCode: z.number().int().min(0),
  cityName: Optional(50),
  districtCode: z.number().int().min(0),
  districtName: Optional(50),
});
const PieceSchema = z.object({
  barcode: Text(64),
  desi: z.number().int().min(0).max(1000),
  kg: z.number().int().min(1).max(1000),
  content: z.string().trim().max(200).default(''),
});
const Cod = { isCOD: Flag, codAmount: z.number().min(0).max(100_000) };

const TokenRequestSchema = z.object({ customerNumber: z.string(), password: z.string(), identityType: z.literal(1) });
const CalculateSchema = z.object({
  shipmentServiceType: ServiceType,
  packagingType: z.number().int().min(1).max(4),
  paymentType: z.number().int().min(1).max(3),
  ...Cod,
  recipient: PlaceSchema,
  orderPieceList: z
    .array(PieceSchema.pick({ desi: true, kg: true }))
    .min(1)
    .max(50),
});
const CreateOrderSchema = z.object({
  order: z
    .object({
      referenceId: ReferenceId,
      barcode: z.string(),
      billOfLandingId: Optional(30),
      ...Cod,
      shipmentServiceType: ServiceType,
      packagingType: z.number().int().min(1).max(4),
      content: Optional(200),
      description: Optional(500),
      paymentType: z.number().int().min(1).max(3),
      deliveryType: z.number().int().min(1).max(2),
      smsPreference1: Flag.default(0),
      smsPreference2: Flag.default(0),
      smsPreference3: Flag.default(0),
      isReturn: Flag.default(0), // sandbox's: a return is collected at the recipient's address for the merchant
    })
    .refine((o) => o.barcode === o.referenceId, { path: ['barcode'], message: 'must be the same as referenceId' }),
  orderPieceList: z.array(PieceSchema).min(1).max(50),
  recipient: PlaceSchema.extend({
    fullName: Text(200),
    address: Text(500),
    mobilePhoneNumber: z
      .string()
      .regex(/^\d{10}$/)
      .optional(),
    email: z.string().max(200).optional(),
  }),
});
const CreateBarcodeSchema = z.object({
  referenceId: ReferenceId,
  billOfLandingId: Optional(30),
  ...Cod,
  packagingType: z.number().int().min(1).max(4).optional(),
  printReferenceBarcodeOnError: Flag.default(0),
  message: Optional(200),
  orderPieceList: z.array(PieceSchema).min(1).max(50),
});
const CancelShipmentSchema = z.object({ referenceId: ReferenceId, shipmentId: Text(32) });
const StatusBatchSchema = z.object({ shipmentIds: z.array(Text(32)).min(1).max(50) });
const CityCodeSchema = z.coerce.number().int().min(1).max(999);

const { parse } = mngErrors;

/** The recipient's place as the carrier resolves it; an unknown province or district is refused. */
function placeOf(input: z.infer<typeof PlaceSchema>) {
  const place = resolvePlace(input);
  if (!place) {
    throw new CarrierError(422, MNG_ERRORS.addressNotFound, 'ALICI İL/İLÇE BULUNAMADI: the recipient province or district is unknown');
  }
  return place;
}

function checkWeight(pieces: Array<{ kg: number }>): void {
  if (pieces.some((p) => p.kg > MAX_PIECE_KG)) throw new CarrierError(422, MNG_ERRORS.overWeight, `a piece is over ${MAX_PIECE_KG} kg`);
}

function checkCod({ isCOD, codAmount }: { isCOD: 0 | 1; codAmount: number }): void {
  if ((isCOD === 1) !== codAmount > 0) {
    throw new CarrierError(400, MNG_ERRORS.invalidRequest, 'invalid request: codAmount must be above 0 exactly when isCOD is 1');
  }
}

/** Prices in TRY: billable weight is the greater of kg and desi per piece, plus VAT (KDV, 20%). */
function price(body: z.infer<typeof CalculateSchema>) {
  const billable = body.orderPieceList.reduce((sum, p) => sum + Math.max(p.kg, p.desi, 1), 0);
  const standard = 55 + 8.5 * billable + (body.isCOD ? 18 : 0);
  const total = Math.round((body.shipmentServiceType === 2 ? standard * 1.6 : standard) * 100) / 100;
  const kdv = Math.round(total * 20) / 100;
  return {
    shipmentServiceType: body.shipmentServiceType,
    total,
    kdv,
    finalTotal: Math.round((total + kdv) * 100) / 100,
    estimatedDeliveryDays: body.shipmentServiceType === 2 ? 1 : 2,
  };
}

function movementJson(m: Movement) {
  return {
    eventSequence: m.sequence,
    eventStatusCode: m.code,
    eventStatus: STATUS_CODES[m.code] ?? 'Durum güncellendi',
    eventDateTime: turkeyDottedDateTime(m.at),
    unitName: m.unitName,
    cityName: m.cityName,
    districtName: m.districtName,
  };
}

export function mngRouter(state: MngState, logger: Logger): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  const gateway: RequestHandler = (req, _res, next) => {
    const id = req.header('X-IBM-Client-Id');
    const secret = req.header('X-IBM-Client-Secret');
    if (!id || !secret) throw new GatewayRefusal('The X-IBM-Client-Id and X-IBM-Client-Secret headers are required.');
    if (!sameSecret(id, state.credentials.clientId) || !sameSecret(secret, state.credentials.clientSecret))
      throw new GatewayRefusal('Invalid client id or secret.');
    next();
  };
  const bearer: RequestHandler = (req, _res, next) => {
    const token = bearerToken(req);
    if (!token || !state.tokens.valid(token)) throw new CarrierError(401, MNG_ERRORS.invalidToken, 'Token geçersiz veya süresi dolmuş');
    next();
  };
  const open = (operation: MngOperation) => [injectFaults(state.faults, operation, mngErrors.sendInjected), gateway];
  const guard = (operation: MngOperation) => [...open(operation), bearer];

  /** An order and its shipment as the status queries (and cancels) answer them. */
  function statusJson(order: SandboxOrder) {
    const code = state.statusCode(order);
    const last = order.movements.at(-1);
    return {
      referenceId: order.referenceId,
      shipmentId: order.shipment?.shipmentId ?? null,
      invoiceId: order.shipment?.invoiceId ?? null,
      shipmentStatusCode: code,
      shipmentStatus: STATUS_CODES[code] ?? 'Durum güncellendi',
      statusDateTime: turkeyDottedDateTime(last?.at ?? order.createdAt),
      movements: order.movements.map(movementJson),
    };
  }

  function orderOf(referenceId: string): SandboxOrder {
    const order = state.get(referenceId);
    if (!order) throw new CarrierError(404, MNG_ERRORS.orderNotFound, 'Bu referans numarasına ait sipariş bulunamadı');
    return order;
  }

  /** Cancelling twice is no error; once the carrier has the parcel it is refused. */
  function cancel(order: SandboxOrder): void {
    if (state.statusCode(order) === CANCELLED) return;
    if (!state.cancellable(order)) throw new CarrierError(409, MNG_ERRORS.notCancellable, 'Gönderi kargoya verildi, iptal edilemez');
    state.cancel(order);
  }

  router.post(`${MNG_API_PATH}/token`, ...open('token'), (req, res) => {
    const body = parse(TokenRequestSchema, req.body, 'token request');
    const { customerNumber, password } = state.credentials;
    if (!sameSecret(body.customerNumber, customerNumber) || !sameSecret(body.password, password)) {
      throw new CarrierError(401, MNG_ERRORS.invalidCredentials, 'Müşteri numarası veya şifre hatalı');
    }
    const { token, expiresAt } = state.issueToken();
    // A refresh token comes back as from the carrier; the sandbox has no refresh call (a new token call does the same).
    res.json({
      jwt: token,
      refreshToken: randomBytes(24).toString('base64url'),
      jwtExpireDate: turkeyDottedDateTime(expiresAt),
      refreshTokenExpireDate: turkeyDottedDateTime(new Date(expiresAt.getTime() + 86_400_000)),
    });
  });

  router.post(`${MNG_API_PATH}/standardqueryapi/calculate`, ...guard('calculate'), (req, res) => {
    const body = parse(CalculateSchema, req.body, 'calculate request');
    placeOf(body.recipient);
    checkWeight(body.orderPieceList);
    checkCod(body);
    res.json(price(body));
  });

  router.post(`${MNG_API_PATH}/standardcmdapi/createOrder`, ...guard('createOrder'), (req, res) => {
    const { order, orderPieceList, recipient } = parse(CreateOrderSchema, req.body, 'createOrder request');
    // As the real carrier does, a used referenceId is refused with HTTP 500 and code 3002, whatever the body.
    if (state.get(order.referenceId)) {
      throw new CarrierError(500, MNG_ERRORS.duplicateReference, 'BU SİPARİS NUMARASINA AİT KAYIT ZATEN VAR!');
    }
    const { city, district } = placeOf(recipient);
    checkWeight(orderPieceList);
    checkCod(order);
    const created = state.createOrder({
      referenceId: order.referenceId,
      kind: order.isReturn ? 'return' : 'shipment',
      service: order.shipmentServiceType === 2 ? 'express' : 'standard',
      recipient: { fullName: recipient.fullName, address: recipient.address, cityName: city.name, districtName: district?.name },
    });
    res.json([
      {
        referenceId: created.referenceId,
        orderInvoiceId: String(created.orderInvoiceId),
        orderInvoiceDetailId: String(created.orderInvoiceId + 400_000),
        shipperBranchCode: '034',
      },
    ]);
  });

  router.put(`${MNG_API_PATH}/standardcmdapi/cancelorder/:referenceId`, ...guard('cancelorder'), (req, res) => {
    const order = orderOf(String(req.params.referenceId));
    cancel(order);
    res.json(statusJson(order));
  });

  function labels(order: SandboxOrder, shipmentId: string, pieces: Piece[], codAmount: number | undefined) {
    const customer = {
      name: order.recipient.fullName,
      address: order.recipient.address,
      districtName: order.recipient.districtName,
      cityName: order.recipient.cityName,
    };
    const [sender, recipient] = order.kind === 'return' ? [customer, ACCOUNT_ADDRESS] : [ACCOUNT_ADDRESS, customer];
    return pieces.map((piece, i) => ({
      pieceNumber: i + 1,
      barcode: piece.barcode,
      zpl: zplLabel({
        shipmentId,
        referenceId: order.referenceId,
        service: order.service,
        kind: order.kind,
        sender,
        recipient,
        piece,
        pieceNumber: i + 1,
        pieceCount: pieces.length,
        codAmount,
      }),
    }));
  }

  /** A repeat for an order that has its shipment answers with that shipment (sandbox's choice). */
  router.post(`${MNG_API_PATH}/barcodecmdapi/createbarcode`, ...guard('createbarcode'), (req, res) => {
    const body = parse(CreateBarcodeSchema, req.body, 'createbarcode request');
    const order = orderOf(body.referenceId);
    if (state.statusCode(order) === CANCELLED) throw new CarrierError(409, MNG_ERRORS.orderCancelled, 'Sipariş iptal edilmiş');
    checkWeight(body.orderPieceList);
    checkCod(body);
    const codAmount = body.isCOD ? body.codAmount : undefined;
    const shipment =
      order.shipment ??
      state.addShipment(order, (shipmentId) => ({
        invoiceId: `MNG${order.orderInvoiceId}`,
        codAmount,
        labels: labels(order, shipmentId, body.orderPieceList, codAmount),
      }));
    const barcodes = shipment.labels.map((l) => ({ pieceNumber: l.pieceNumber, barcode: l.barcode, value: l.zpl }));
    res.json([{ referenceId: order.referenceId, invoiceId: shipment.invoiceId, shipmentId: shipment.shipmentId, barcodes }]);
  });

  router.put(`${MNG_API_PATH}/barcodecmdapi/cancelshipment`, ...guard('cancelshipment'), (req, res) => {
    const body = parse(CancelShipmentSchema, req.body, 'cancelshipment request');
    const order = orderOf(body.referenceId);
    if (order.shipment?.shipmentId !== body.shipmentId) {
      throw new CarrierError(404, MNG_ERRORS.orderNotFound, 'Bu referans numarasına ait gönderi bulunamadı');
    }
    cancel(order);
    res.json(statusJson(order));
  });

  router.get(`${MNG_API_PATH}/standardqueryapi/getshipmentstatus/:referenceId`, ...guard('getshipmentstatus'), (req, res) => {
    res.json(statusJson(orderOf(String(req.params.referenceId))));
  });

  /** Sandbox's batch form, by shipment number: numbers it does not hold are left out. */
  router.post(`${MNG_API_PATH}/standardqueryapi/getshipmentstatus`, ...guard('getshipmentstatus'), (req, res) => {
    const { shipmentIds } = parse(StatusBatchSchema, req.body, 'getshipmentstatus request');
    const orders = shipmentIds.map((id) => state.byShipment(id)).filter((o): o is SandboxOrder => o !== undefined);
    res.json(orders.map(statusJson));
  });

  router.get(`${MNG_API_PATH}/cbsinfoapi/getcities`, ...open('getcities'), (_req, res) => {
    res.json(CITIES);
  });

  router.get(`${MNG_API_PATH}/cbsinfoapi/getdistricts/:cityCode`, ...open('getdistricts'), (req, res) => {
    const cityCode = parse(CityCodeSchema, req.params.cityCode, 'cityCode');
    if (!CITIES.some((c) => c.code === cityCode)) throw new CarrierError(404, MNG_ERRORS.addressNotFound, 'İl bulunamadı');
    res.json(districtsOf(cityCode).map((d) => ({ ...d, cityCode })));
  });

  router.use((req) => {
    throw new CarrierError(404, MNG_ERRORS.invalidRequest, `no route for ${req.method} ${req.path}`);
  });
  router.use(mngErrors.handler(logger));
  return router;
}
