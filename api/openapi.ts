// The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with,
// so the contract the OMS codes against never drifts from what the API accepts.
import { z } from 'zod';
import { OrderInputSchema, ReturnRequestSchema } from '../domain/order';
import { SuppliedCustomsSchema } from '../domain/customs';
import { StockBody, StockParams, StockQuery } from './inventory';
import { AddressBody, CancelBody } from './order-actions';
import { BatchBody, IdempotencyKeyHeader, ListQuery, OrderIdParams } from './orders';
import { PackedBody, RetryBody, ShipmentParams } from './shipments';
import { ProductBody, ProductParams } from './products';
import { LabelQuery } from './label-formats';
import { BatchParams, MAX_BATCH_LABELS, PrintBatchBody } from './label-batch';
import { ShopifyHeaders, WooHeaders } from './storefront-webhooks';
import { ShopifyOrderSchema } from './storefronts/shopify';
import { CarrierWebhookParams } from './carrier-webhooks';
import { CodecBody } from './codec-server';
import { KpiQuery } from './kpis';
import { CloseBody, HandoverParams, HandoverQuery } from './handovers';
import { PickupBody, PickupParams, PickupQuery, RescheduleBody } from './pickups';
import { WooOrderSchema } from './storefronts/woocommerce';
import { TrackingHeaders, TrackingParams } from './tracking-page';
import { RatingBody, RatingToken } from './rating-page';
import { OptOutBody } from './opt-outs';
import { SubscriberParams } from './webhook-subscribers';
import { ConnectAccountBody, MarketplaceAccountParams, PauseBody, PushParams } from './marketplace-accounts';

type Schema = z.ZodType;

interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string; // OpenAPI style: /v1/orders/{orderId}
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: Schema;
  responses: Record<number, string>;
  /** Routes without an API key: webhooks prove their sender by a signature, public pages need nothing. Default: the API key. */
  auth?: 'signature' | 'none';
  /** What a successful answer is sent as; JSON unless said. */
  produces?: string[];
  /** Answered without Temporal or PostgreSQL (never a 503). */
  standalone?: true;
}

/** What the rating page answers: the link is checked before anything else. */
const RATING_RESPONSES = {
  200: 'the form (GET) or the thanks page (POST); as JSON the rating and until when it can be changed',
  403: 'invalid_token: forged, malformed, or for another parcel',
  409: 'not_delivered, or rating_closed (rated more than 7 days ago)',
  410: 'token_expired',
};

/** What an ops-scoped route answers a caller without the key or the scope. */
const OPS_ONLY = { 401: 'unauthorized', 403: 'forbidden (ops scope)' };

/** A signal to a shipment's workflow: POST /v1/shipments/{shipmentId}/<action>, 202 once signalled; 409 once the parcel has ended. */
function shipmentSignal(action: string, summary: string, body?: Schema): Operation {
  return {
    method: 'post',
    path: `/v1/shipments/{shipmentId}/${action}`,
    summary,
    params: ShipmentParams,
    ...(body && { body }),
    responses: {
      202: 'signalled',
      404: 'shipment_not_found',
      409: 'shipment_finished (delivered, returned, lost or cancelled), with its status',
    },
  };
}

/** A storefront's order webhook: signed by the storefront, mapped and started like POST /v1/orders. */
function storefrontWebhook(storefront: string, summary: string, headers: z.ZodObject, body: Schema, resent: string): Operation {
  return {
    method: 'post',
    path: `/v1/webhooks/storefronts/${storefront}`,
    summary: `${summary}: the order is mapped and started like POST /v1/orders (idempotent: a resend is 200)`,
    auth: 'signature',
    headers,
    body,
    responses: {
      202: 'order started, or another topic acknowledged and ignored',
      200: resent,
      401: 'invalid_signature',
      409: 'order_conflict',
      422: 'unmappable_order (e.g. a line without a SKU)',
    },
  };
}

/** One half of the Temporal UI's remote codec (ops scope). */
function codecOperation(direction: 'decode' | 'encode', summary: string, answer: string): Operation {
  return {
    method: 'post',
    path: `/codec/${direction}`,
    summary: `Ops: the Temporal UI's remote codec: ${summary}`,
    body: CodecBody,
    responses: { 200: answer, 400: 'invalid', ...OPS_ONLY },
  };
}

/** A customer's channel opted out (PUT) or in again (DELETE). */
function optOut(method: 'put' | 'delete', summary: string, answer: string): Operation {
  return {
    method,
    path: '/v1/notification-opt-outs',
    summary,
    body: OptOutBody,
    responses: { 200: answer, 400: 'not an email address or phone number' },
  };
}

export const operations: Operation[] = [
  {
    method: 'post',
    path: '/v1/orders',
    summary: 'Start an order (idempotent by orderId, and by Idempotency-Key)',
    headers: z.object({ 'Idempotency-Key': IdempotencyKeyHeader }),
    body: OrderInputSchema,
    responses: { 202: 'started', 200: 'the same order again', 400: 'invalid', 409: 'order_conflict' },
  },
  {
    method: 'post',
    path: '/v1/orders/batch',
    summary: 'Start up to 500 orders; a result per order (created, duplicate, invalid, rejected)',
    body: BatchBody,
    responses: { 200: 'per-order results', 400: 'not a batch' },
  },
  {
    method: 'get',
    path: '/v1/orders',
    summary: 'List orders from the records',
    query: ListQuery,
    responses: { 200: 'a page of orders', 400: 'invalid query' },
  },
  {
    method: 'get',
    path: '/v1/orders/{orderId}',
    summary: 'The order: live status, shipments, timeline',
    params: OrderIdParams,
    responses: { 200: 'the order', 404: 'order_not_found' },
  },
  {
    method: 'post',
    path: '/v1/orders/{orderId}/cancel',
    summary: 'Cancel before hand-over',
    params: OrderIdParams,
    body: CancelBody,
    responses: {
      200: 'cancelled',
      404: 'order_not_found',
      409: 'not_cancellable',
      504: 'update_pending: accepted, not finished within 30 s (a carrier slow to void); the order goes on; or update_not_accepted: the order did not take it within 30 s (busy, or its worker down), it may still take it',
    },
  },
  {
    method: 'put',
    path: '/v1/orders/{orderId}/shipping-address',
    summary: 'Correct the address before hand-over',
    params: OrderIdParams,
    body: AddressBody,
    responses: {
      200: 'accepted',
      404: 'order_not_found',
      409: 'address_not_changeable',
      504: 'update_pending: accepted, not finished within 30 s; the order goes on; or update_not_accepted: the order did not take it within 30 s (busy, or its worker down), it may still take it',
    },
  },
  {
    method: 'put',
    path: '/v1/orders/{orderId}/customs',
    summary:
      "Supply the customs data a parcel across a border waits for (the fields its carrier named): the order's terms and each SKU's fields, kept over the order's own; the order's waiting parcels book again",
    params: OrderIdParams,
    body: SuppliedCustomsSchema,
    responses: {
      200: '{orderId, supplied (all supplied so far), rebooking: the parcels booked again}',
      404: 'order_not_found, or line_not_found (lines.N.sku is not a line of the order)',
    },
  },
  {
    method: 'post',
    path: '/v1/orders/{orderId}/returns',
    summary: 'Ask for a return inside the window',
    params: OrderIdParams,
    body: ReturnRequestSchema,
    responses: {
      202: 'return labels; or, when the carrier takes over 20 s, status return_requested with no labels yet (the order shows them when booked)',
      404: 'order_not_found',
      409: 'return_window_closed, not_returnable or return_already_requested',
      422: 'return_refused (no carrier issues a label), or return_lines_invalid (a line names a SKU not delivered, or more than was delivered: issues names lines.N.sku or lines.N.quantity)',
      504: 'update_not_accepted: the order did not take the request within 20 s (busy, or its worker down); it may still take it',
    },
  },
  {
    method: 'get',
    path: '/v1/shipments/{shipmentId}/label',
    summary: 'The shipping label',
    params: ShipmentParams,
    query: LabelQuery,
    responses: {
      200: 'label bytes (application/pdf, application/zpl or image/png), rendered from the carrier label on the first request and kept',
      404: 'label_not_found, or label_format_unavailable (a label booked before renditions existed, from a carrier that gave ZPL only)',
    },
    produces: ['application/pdf', 'application/zpl', 'image/png'],
  },
  {
    method: 'post',
    path: '/v1/labels/print-batch',
    summary: `Wave printing: up to ${MAX_BATCH_LABELS} labels, listed (shipmentIds) or chosen by a filter, as one PDF or one ZPL stream sorted by carrier, order and parcel; each once`,
    body: PrintBatchBody,
    responses: {
      201: '{batchId, document, contentType, expiresAt, printed: [{shipmentId, orderId, carrier, trackingNumber}] in print order, errors: [{shipmentId, error, message}]}; the document at the Location (and `document`) URL for an hour',
      404: 'nothing_to_print: no listed or matching parcel can print (errors: why each could not)',
      409: `batch_too_large: the filter matches over ${MAX_BATCH_LABELS} parcels (matched: how many); narrow it`,
    },
  },
  {
    method: 'get',
    path: '/v1/labels/print-batch/{batchId}',
    summary: "A print batch's document: one PDF, or one ZPL stream, to send to the printer as it is",
    params: BatchParams,
    responses: { 200: 'the document (application/pdf or application/zpl)', 404: 'batch_not_found (unknown, or over an hour old)' },
    produces: ['application/pdf', 'application/zpl'],
  },
  {
    method: 'get',
    path: '/v1/shipments/{shipmentId}/documents/commercial-invoice',
    summary: 'The commercial invoice of a parcel across a customs border (outside Turkey and the EU): three A4 copies, rendered at booking',
    params: ShipmentParams,
    responses: { 200: 'the invoice (application/pdf)', 404: 'document_not_found: no such parcel, or one that needs no invoice' },
    produces: ['application/pdf'],
  },
  shipmentSignal('retry-booking', 'Ops: book again, optionally with one carrier', RetryBody),
  shipmentSignal('poll-tracking', 'Ops: ask the carrier for scans now instead of at the next scheduled poll'),
  shipmentSignal('packed', 'WMS: the parcel is packed', PackedBody),
  {
    method: 'put',
    path: '/v1/inventory/{warehouseId}/{sku}',
    summary: 'WMS stock sync; wakes backordered orders',
    params: StockParams,
    body: StockBody,
    responses: { 200: 'stock', 404: 'warehouse_not_found', 409: 'below_reserved' },
  },
  { method: 'get', path: '/v1/inventory', summary: 'Stock of a SKU per warehouse', query: StockQuery, responses: { 200: 'stock' } },
  {
    method: 'post',
    path: '/v1/handovers/close',
    summary:
      "WMS/ops: close a carrier's day at a warehouse: its handover list takes every parcel labelled before the warehouse's cut-off (or before now, closed early) and on no list yet; closing again answers the same list",
    body: CloseBody,
    responses: {
      201: 'the list, closed now: parcels (order, tracking number, pieces, weight, cash on delivery), totals, pdfUrl',
      200: 'the list, closed before (unchanged)',
      404: 'carrier_not_found (not a registered carrier) or warehouse_not_found',
      409: "day_not_started (a day after the warehouse's today)",
    },
  },
  {
    method: 'get',
    path: '/v1/handovers',
    summary: 'WMS/ops: handover lists, newest day first (at most 100), with their totals, without their parcels',
    query: HandoverQuery,
    responses: { 200: '{handovers: [...]}' },
  },
  {
    method: 'get',
    path: '/v1/handovers/not-accepted',
    summary:
      "WMS/ops: parcels of handover lists the carrier had not scanned by the next day's cut-off (not accepted by the carrier; each raised an ops alert), newest first",
    query: HandoverQuery,
    responses: { 200: '{parcels: [{handoverId, carrier, warehouseId, trackingNumber, acceptBy, firstScanAt, ...}]}' },
  },
  {
    method: 'get',
    path: '/v1/handovers/{handoverId}',
    summary: 'WMS/ops: a handover list with its parcels and totals',
    params: HandoverParams,
    responses: { 200: 'the list', 404: 'handover_not_found' },
  },
  {
    method: 'get',
    path: '/v1/handovers/{handoverId}/pdf',
    summary: 'WMS/ops: the handover list as the A4 PDF the driver and the warehouse sign',
    params: HandoverParams,
    responses: { 200: 'application/pdf', 404: 'handover_not_found' },
    produces: ['application/pdf'],
  },
  {
    method: 'post',
    path: '/v1/pickups',
    summary:
      "WMS/ops: book the carrier's courier pickup for a warehouse's day (the day's first label books one otherwise); the day's pickup already scheduled or being booked is answered as it is",
    body: PickupBody,
    responses: {
      201: 'the pickup, booked now: {pickupId, carrier, warehouseId, date, status: scheduled, carrierPickupId (UPS: the PRN), readyTime, closeTime, parcels, ...}',
      200: 'the pickup the day has already (scheduled, or being booked)',
      400: 'validation_failed, or closeTime not after readyTime (a relation of two fields, or of one to the warehouse cut-off: no schema says it)',
      404: 'carrier_not_found (not a registered carrier) or warehouse_not_found',
      409: "date_past (a day past at the warehouse), or pickup_refused (the carrier's reason in the message; the pickup, failed, in `pickup`)",
      422: 'pickups_not_offered: the carrier publishes no pickup call (every carrier but UPS)',
      503: 'carrier_unavailable (see Retry-After; the pickup, failed, is asked again by the scheduled close), or Temporal/PostgreSQL out of reach',
    },
  },
  {
    method: 'get',
    path: '/v1/pickups',
    summary: 'WMS/ops: courier pickups, newest day first (at most 200)',
    query: PickupQuery,
    responses: { 200: '{pickups: [...]}' },
  },
  {
    method: 'get',
    path: '/v1/pickups/{pickupId}',
    summary: 'WMS/ops: a courier pickup',
    params: PickupParams,
    responses: { 200: 'the pickup', 404: 'pickup_not_found' },
  },
  {
    method: 'delete',
    path: '/v1/pickups/{pickupId}',
    summary:
      'WMS/ops: cancel a courier pickup at the carrier (a cancelled one is answered as it is; a failed one is only marked cancelled)',
    params: PickupParams,
    responses: {
      200: 'the pickup, cancelled',
      404: 'pickup_not_found',
      409: 'pickup_booking (being booked now: ask again shortly), or pickup_refused',
      503: 'carrier_unavailable (see Retry-After: the pickup stands), or Temporal/PostgreSQL out of reach',
    },
  },
  {
    method: 'post',
    path: '/v1/pickups/{pickupId}/reschedule',
    summary:
      'WMS/ops: move a courier pickup to another day or window: cancelled at the carrier, then booked for the new day (if that booking fails, the day has none: the answer says why)',
    params: PickupParams,
    body: RescheduleBody,
    responses: {
      200: 'the pickup of the new day, booked',
      400: 'validation_failed, or closeTime not after readyTime',
      404: 'pickup_not_found',
      409: 'date_past, pickup_exists (the new day has a pickup already), pickup_booking, or pickup_refused',
      503: 'carrier_unavailable (see Retry-After), or Temporal/PostgreSQL out of reach',
    },
  },
  {
    method: 'put',
    path: '/v1/products/{sku}',
    summary: "A SKU's customs defaults (description, HS code, origin, unit value and currency, unit weight); order lines may override each",
    params: ProductParams,
    body: ProductBody,
    responses: { 200: 'the product as stored' },
  },
  {
    method: 'get',
    path: '/v1/products/{sku}',
    summary: "A SKU's customs defaults",
    params: ProductParams,
    responses: { 200: 'the product', 404: 'product_not_found' },
  },
  optOut('put', 'A customer stops hearing from us on a channel (email, or SMS by phone number)', 'opted out'),
  optOut('delete', 'A customer hears from us on a channel again', 'opted in again'),
  {
    method: 'get',
    path: '/metrics',
    summary:
      'Ops: Prometheus metrics of the API (request latency by route, orders by status, webhook deliveries waiting, notifications); the worker serves its own on WORKER_METRICS_ADDRESS',
    responses: { 200: 'Prometheus text format' },
    produces: ['text/plain'],
  },
  {
    method: 'get',
    path: '/v1/webhook-subscribers',
    summary: 'Ops: outbound webhook subscribers, paused or not, with their undelivered events and last error',
    responses: { 200: 'subscribers' },
  },
  {
    method: 'post',
    path: '/v1/webhook-subscribers/{subscriberId}/resume',
    summary: 'Ops: resume a paused subscriber; the events that waited are delivered in order',
    params: SubscriberParams,
    responses: { 202: 'signalled', 404: 'subscriber_not_found', 409: 'not_paused' },
  },
  {
    method: 'get',
    path: '/v1/marketplace-accounts',
    summary:
      'Ops: the connected marketplace accounts, each with its pull schedule (paused and its note, last and next run), the cursor and when a page last moved it, and its packages by state (unmappable ones wait for a SKU mapping or a corrected address)',
    responses: { 200: 'accounts', ...OPS_ONLY },
  },
  {
    method: 'post',
    path: '/v1/marketplace-accounts',
    summary:
      "Ops: connect a seller account (its settings checked by the marketplace's schema, credentials from MARKETPLACE_CREDENTIALS under its id, deployed first in production): its schedule and its pushback start at once on the running workers. Repeating it answers the same; a disconnected account connects again under its id; a seller has one account per marketplace site",
    body: ConnectAccountBody,
    responses: {
      200: 'the account, already connected with these details (or connected again)',
      201: 'the account, with its schedule',
      400: 'validation_failed',
      409: 'account_exists, seller_connected (the seller is another account: its id is named)',
      422: 'credentials_missing (production: none under the account id)',
      ...OPS_ONLY,
    },
  },
  {
    method: 'delete',
    path: '/v1/marketplace-accounts/{accountId}',
    summary:
      'Ops: disconnect an account: no more pulls or pushes; its packages, orders and undelivered news stay. Repeating it answers the same',
    params: MarketplaceAccountParams,
    responses: { 200: 'disabled', 404: 'account_not_found', ...OPS_ONLY },
  },
  {
    method: 'post',
    path: '/v1/marketplace-accounts/{accountId}/pause',
    summary: "Ops: pause an account's intake (its schedule is paused with the reason as its note); pushbacks go on",
    params: MarketplaceAccountParams,
    body: PauseBody,
    responses: { 200: 'the account, paused', 404: 'account_not_found', 409: 'account_disabled', ...OPS_ONLY },
  },
  {
    method: 'post',
    path: '/v1/marketplace-accounts/{accountId}/resume',
    summary: "Ops: resume an account's intake; its next run reads everything from the cursor on",
    params: MarketplaceAccountParams,
    responses: { 200: 'the account, resumed', 404: 'account_not_found', 409: 'account_disabled', ...OPS_ONLY },
  },
  {
    method: 'post',
    path: '/v1/marketplace-accounts/{accountId}/pull',
    summary: "Ops: run the account's pull now instead of at the schedule's next tick (skipped while one runs)",
    params: MarketplaceAccountParams,
    responses: { 202: 'triggered', 404: 'account_not_found', 409: 'account_paused, account_disabled or no_schedule', ...OPS_ONLY },
  },
  {
    method: 'get',
    path: '/v1/marketplace-accounts/{accountId}/pushes',
    summary:
      "Ops: what the account's marketplace refused (held, with the reason; the order's later events wait behind it) and the last 100 pushes it took",
    params: MarketplaceAccountParams,
    responses: { 200: 'refused and pushed', 404: 'account_not_found', 409: 'account_disabled', ...OPS_ONLY },
  },
  {
    method: 'post',
    path: '/v1/marketplace-accounts/{accountId}/pushes/{eventId}/retry',
    summary: "Ops: send a refused push again (after fixing what the marketplace objected to); the order's events behind it follow",
    params: PushParams,
    responses: {
      200: 'back in line',
      404: 'push_not_found or account_not_found',
      409: 'push_not_refused or account_disabled',
      ...OPS_ONLY,
    },
  },
  {
    method: 'post',
    path: '/v1/marketplace-accounts/{accountId}/pushes/{eventId}/drop',
    summary: "Ops: give up a refused push (the marketplace was told by hand, or never needs to be); the order's events behind it follow",
    params: PushParams,
    responses: { 200: 'dropped', 404: 'push_not_found or account_not_found', 409: 'push_not_refused or account_disabled', ...OPS_ONLY },
  },
  {
    method: 'post',
    path: '/v1/webhooks/carriers/{carrier}',
    summary:
      'A carrier pushes a tracking scan (ups: a Track Alert TrackingEventRequest with Authorization: Bearer <token from /token> and x-api-key: <our client id>); verified, deduplicated by event id (ups: its content), signalled to the shipment',
    auth: 'signature',
    params: CarrierWebhookParams,
    body: z.record(z.string(), z.unknown()),
    responses: {
      200: 'accepted, duplicate or ignored (the shipment has finished)',
      400: 'malformed_payload',
      401: 'invalid_signature, stale_timestamp or invalid_credentials',
      404: 'unknown_carrier or unknown_tracking_number (the carrier retries)',
    },
  },
  {
    method: 'post',
    path: '/v1/webhooks/carriers/{carrier}/token',
    summary:
      'OAuth client-credentials token for a carrier that pushes as our client (ups Track Alert: HTTP Basic with UPS_WEBHOOK_CLIENT_ID and UPS_WEBHOOK_SECRET, form body grant_type=client_credentials)',
    auth: 'signature',
    params: CarrierWebhookParams,
    responses: {
      200: '{access_token, token_type, expires_in}',
      400: 'unsupported_grant_type',
      401: 'invalid_client',
      404: 'unknown_carrier (no token endpoint)',
    },
  },
  storefrontWebhook('shopify', 'Shopify orders/create', ShopifyHeaders, ShopifyOrderSchema, 'the same order again'),
  storefrontWebhook(
    'woocommerce',
    'WooCommerce order.created',
    WooHeaders,
    WooOrderSchema,
    "the same order again, or WooCommerce's unsigned form-encoded ping (webhook_id=N) answered",
  ),
  {
    method: 'get',
    path: '/track/{trackingNumber}',
    summary:
      'Public tracking page: HTML (English, or Turkish by Accept-Language), or JSON with Accept: application/json; no personal data beyond the destination city',
    auth: 'none',
    params: TrackingParams,
    headers: TrackingHeaders,
    responses: {
      200: 'the parcel: carrier, status, timeline, estimated delivery',
      400: 'not a tracking number',
      404: 'tracking_not_found',
    },
    produces: ['text/html', 'application/json'],
  },
  {
    method: 'get',
    path: '/track/{trackingNumber}/rating',
    summary:
      "The rating form a delivered notice links to (the token names the parcel and expires after 30 days); HTML in the customer's language, or the current rating as JSON",
    auth: 'none',
    params: TrackingParams,
    query: RatingToken,
    responses: RATING_RESPONSES,
    produces: ['text/html', 'application/json'],
  },
  {
    method: 'post',
    path: '/track/{trackingNumber}/rating',
    summary:
      'Rates a delivered parcel, 1-5 stars with optional reasons and a plain-text comment (a form post or JSON); changeable for 7 days from the first rating. 1-2 stars alert ops and publish shipment.rated',
    auth: 'none',
    params: TrackingParams,
    body: RatingBody,
    responses: RATING_RESPONSES,
    produces: ['text/html', 'application/json'],
  },
  codecOperation('decode', 'encrypted payloads in clear (CORS for the UI origin)', 'the payloads decoded'),
  codecOperation('encode', 'payloads encrypted', 'the payloads encoded'),
  {
    method: 'get',
    path: '/v1/kpis',
    summary:
      'Ops: carrier KPIs per carrier and per day for the parcels of orders placed from..to (UTC): on-time delivery, order-to-delivery, transit and first-scan hours (p50/p90), exception, shipping error and return rates, cost per parcel (definitions: docs/operations.md)',
    query: KpiQuery,
    responses: {
      200: '{from, to, carrier, channel, timeZone, total, carriers: [{carrier, ...}], daily: [{day, carrier, ...}]}',
      400: 'invalid query (the field is named), or a period no schema of one parameter can refuse: `to` before `from`, or more than 367 days after it',
      ...OPS_ONLY,
    },
  },
  {
    method: 'get',
    path: '/dashboard',
    summary: 'Ops: the carrier KPI dashboard (HTML and charts; it calls /v1/kpis with the ops key typed into it)',
    auth: 'none',
    responses: { 200: 'the dashboard page' },
    produces: ['text/html'],
    standalone: true,
  },
  { method: 'get', path: '/healthz', summary: 'The process is up', auth: 'none', responses: { 200: 'ok' }, standalone: true },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Temporal and PostgreSQL answer',
    auth: 'none',
    responses: { 200: 'ready', 503: 'not_ready' },
  },
  { method: 'get', path: '/openapi.json', summary: 'This document', auth: 'none', responses: { 200: 'OpenAPI 3.1' }, standalone: true },
];

const jsonSchema = (schema: Schema) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

function parameters(where: 'path' | 'query' | 'header', schema?: z.ZodObject) {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !(field as Schema).safeParse(undefined).success,
    schema: jsonSchema(field as Schema),
  }));
}

const ErrorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
};

/**
 * What any operation may answer besides its own outcomes, from the middleware in front of every
 * route (api/app.ts): the input checks, authentication, the body parser, the rate limits and the
 * dependencies. Failed authentication is limited per address on every route, hence 429 everywhere.
 */
function commonResponses(op: Operation): Record<number, string> {
  const responses: Record<number, string> = { 429: 'rate_limited (see Retry-After)' };
  if (op.params || op.query || op.headers || op.body) responses[400] = 'validation_failed (issues name each field), or invalid_json';
  if (!op.auth) Object.assign(responses, { 401: 'unauthorized: no API key, or an unknown one', 403: 'forbidden: the key lacks the scope' });
  if (op.body)
    Object.assign(responses, { 413: "body_too_large (over the route's limit)", 415: 'unsupported_media_type: send application/json' });
  if (!op.standalone) responses[503] = 'service_unavailable: Temporal or PostgreSQL is out of reach; retry later';
  return responses;
}

function response(status: string, description: string, produces: string[]) {
  const error = Number(status) >= 400;
  // Pages for browsers (the tracking page) answer their errors as pages too.
  const errorTypes = produces.includes('text/html') ? { 'text/html': {} } : {};
  const content = error
    ? { 'application/json': { schema: { $ref: '#/components/schemas/Error' } }, ...errorTypes }
    : Object.fromEntries(produces.map((type) => [type, {}]));
  return { description, content };
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const responses = { ...commonResponses(op), ...op.responses };
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      summary: op.summary,
      ...(!op.auth && { security: [{ apiKey: [] }] }),
      parameters: [...parameters('path', op.params), ...parameters('query', op.query), ...parameters('header', op.headers)],
      ...(op.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } }),
      responses: Object.fromEntries(
        Object.entries(responses).map(([status, description]) => [
          status,
          response(status, description, op.produces ?? ['application/json']),
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'order-engine API', version: '1', description: 'Orders from intake to delivery, run by Temporal workflows.' },
    paths,
    components: {
      schemas: { Error: ErrorSchema },
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key with the scope the route needs: orders, ops or wms' },
      },
    },
  };
}
