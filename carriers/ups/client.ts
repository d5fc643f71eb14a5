// HTTP calls to the UPS API as UPS's OpenAPI definitions describe them (spec/ups-openapi.yaml):
// an OAuth client-credentials token (cached until shortly before it expires), a timeout on every
// call, zod on the parts of each reply the adapter reads. Request bodies keep UPS's PascalCase
// names; the sandbox double validates every one against the spec, so a misspelt name fails a test.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { bearerAuth, createHttpTransport, jsonCall, jsonReplies, type Exchange } from '../transport/http';
import { CARRIER, httpFailure } from './errors';

export interface UpsClientConfig {
  /** The carrier's root, e.g. https://onlinetools.ups.com (CIE: https://wwwcie.ups.com) or the sandbox's http://127.0.0.1:4010/ups. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
  /** The 6-character UPS account (ShipperNumber): who ships, who pays, whose references we search. */
  accountNumber: string;
}

/** Rating, Shipping and Pickup are versioned in the path; v2409 is the only version their definitions list. */
const VERSION = 'v2409';
/** Landed Cost's version: v1, its path parameter's default and the only one LandedCost.yaml names. */
const LANDED_COST_VERSION = 'v1';
/** Tracking, Track Alert and Landed Cost ask every caller to name itself (`transactionSrc`) and each request (`transId`, 32 characters). */
const TRANSACTION_SRC = 'order-engine';

// --- what the carrier answers (only what the adapter reads; UPS sends numbers as strings) ---
const TokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
});
const Money = z.object({
  CurrencyCode: z.string().regex(/^[A-Z]{3}$/),
  MonetaryValue: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number),
});
const RatedShipmentSchema = z.object({
  Service: z.object({ Code: z.string() }),
  TotalCharges: Money,
  NegotiatedRateCharges: z.object({ TotalCharge: Money.optional() }).optional(),
  TimeInTransit: z
    .object({ ServiceSummary: z.object({ EstimatedArrival: z.object({ BusinessDaysInTransit: z.coerce.number().int().min(0) }) }) })
    .optional(),
  GuaranteedDelivery: z.object({ BusinessDaysInTransit: z.coerce.number().int().min(0).optional() }).optional(),
});
export type UpsRatedShipment = z.infer<typeof RatedShipmentSchema>;
const RateReplySchema = z.object({ RateResponse: z.object({ RatedShipment: z.array(RatedShipmentSchema) }) });

const LabelSchema = z.object({ ImageFormat: z.object({ Code: z.string() }), GraphicImage: z.base64().min(1) });
const ShipReplySchema = z.object({
  ShipmentResponse: z.object({
    ShipmentResults: z.object({
      ShipmentIdentificationNumber: z.string().min(1),
      PackageResults: z.array(z.object({ TrackingNumber: z.string().min(1), ShippingLabel: LabelSchema })).min(1),
    }),
  }),
});
/** A booked (or recovered) shipment: the 1Z numbers and its first package's label. */
export interface UpsShipment {
  shipmentId: string;
  trackingNumber: string;
  label: { format: string; data: string };
}

const LabelRecoveryReplySchema = z.object({
  LabelRecoveryResponse: z.object({
    ShipmentIdentificationNumber: z.string().min(1).optional(),
    LabelResults: z
      .array(
        z.object({
          TrackingNumber: z.string().min(1),
          LabelImage: z.object({ LabelImageFormat: z.object({ Code: z.string() }), GraphicImage: z.base64().min(1) }),
        }),
      )
      .min(1),
  }),
});
const VoidReplySchema = z.object({
  VoidShipmentResponse: z.object({ SummaryResult: z.object({ Status: z.object({ Code: z.string(), Description: z.string() }) }) }),
});

const Address = z.object({ city: z.string().optional(), countryCode: z.string().optional(), country: z.string().optional() });
export const ActivitySchema = z.object({
  status: z.object({ type: z.string().min(1).max(8), code: z.string().max(8).optional(), description: z.string().optional() }),
  location: z.object({ address: Address.optional() }).optional(),
  gmtDate: z.string().optional(),
  gmtTime: z.string().optional(),
  date: z.string().optional(),
  time: z.string().optional(),
  gmtOffset: z.string().optional(),
});
export type UpsActivity = z.infer<typeof ActivitySchema>;
// No field of UPS's Tracking schemas is required: a shipment without packages (only warnings) is a valid reply.
const TrackPackageSchema = z.object({ trackingNumber: z.string().min(1), activity: z.array(ActivitySchema).default([]) });
export type UpsTrackedPackage = z.infer<typeof TrackPackageSchema>;
const TrackReplySchema = z.object({
  trackResponse: z.object({ shipment: z.array(z.object({ package: z.array(TrackPackageSchema).default([]) })) }),
});
/** Pickup Creation's PRN is optional in Pickup.yaml ("generated ... when a successful pickup is scheduled"): a success without one is malformed. */
const PickupReplySchema = z.object({ PickupCreationResponse: z.object({ PRN: z.string().min(1) }) });
const PickupCancelReplySchema = z.object({ PickupCancelResponse: z.object({ PickupType: z.string() }) });
const SubscriptionReplySchema = z.object({
  validTrackingNumbers: z.array(z.string()).default([]),
  invalidTrackingNumbers: z.array(z.string()).default([]),
});

/** Landed Cost: what the merchant pays to import the goods (grandTotal: duties, taxes and brokerage fees), in the reply's currency. */
const LandedCostReplySchema = z.object({
  shipment: z.object({ currencyCode: z.string().regex(/^[A-Z]{3}$/), grandTotal: z.number().min(0) }),
});

const parseReply = jsonReplies(CARRIER, httpFailure);
const transaction = () => ({ transId: randomUUID().replaceAll('-', ''), transactionSrc: TRANSACTION_SRC });

export function createUpsClient({ baseUrl, clientId, clientSecret, timeoutMs, accountNumber }: UpsClientConfig) {
  const exchange = createHttpTransport({ carrier: CARRIER, baseUrl, timeoutMs });
  // The API's calls ask for JSON; the token call is a form post answered in JSON either way.
  const asJson: Exchange = (operation, path, call) =>
    exchange(operation, path, { ...call, headers: { Accept: 'application/json', ...call.headers } });
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  const authorized = bearerAuth(asJson, async () => {
    const reply = await exchange('token', '/security/v1/oauth/token', {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const { access_token, expires_in } = parseReply('token', reply, TokenSchema);
    return { value: access_token, expiresAt: Date.now() + expires_in * 1000 };
  });
  const post = (body: unknown, headers: Record<string, string> = {}) => jsonCall('POST', body, headers);
  const toShipment = (shipmentId: string, trackingNumber: string, format: string, data: string): UpsShipment => ({
    shipmentId,
    trackingNumber,
    label: { format, data },
  });

  return {
    /**
     * Every service's price and transit time in one call: `Shop` with `additionalinfo=timeintransit`
     * (the path's own `Shoptimeintransit` is 17 characters, past the parameter's documented maxLength of 10).
     */
    async rate(request: object): Promise<UpsRatedShipment[]> {
      const reply = await authorized('rate', `/api/rating/${VERSION}/Shop?additionalinfo=timeintransit`, post(request));
      return parseReply('rate', reply, RateReplySchema).RateResponse.RatedShipment;
    },

    /** Books one shipment (a return too: the body says so with ReturnService); UPS has no idempotency key. */
    async ship(operation: 'ship' | 'return', request: object): Promise<UpsShipment> {
      const reply = await authorized(operation, `/api/shipments/${VERSION}/ship`, post(request));
      const results = parseReply(operation, reply, ShipReplySchema).ShipmentResponse.ShipmentResults;
      const [pkg] = results.PackageResults;
      return toShipment(
        results.ShipmentIdentificationNumber,
        pkg.TrackingNumber,
        pkg.ShippingLabel.ImageFormat.Code,
        pkg.ShippingLabel.GraphicImage,
      );
    },

    /** The tracking numbers of our shipments carrying this reference (Track by reference); none is a 404. */
    async findByReference(reference: string): Promise<string[]> {
      const query = new URLSearchParams({ shipperNum: accountNumber, refNumType: 'SmallPackage' });
      const path = `/api/track/v1/reference/details/${encodeURIComponent(reference)}?${query.toString()}`;
      const reply = await authorized('lookup', path, { method: 'GET', headers: transaction() });
      if (reply.status === 404) return [];
      const { shipment } = parseReply('lookup', reply, TrackReplySchema).trackResponse;
      return [...new Set(shipment.flatMap((s) => s.package.map((p) => p.trackingNumber)))];
    },

    /** The label of a shipment booked earlier (its answer lost), by tracking number and our reference. */
    async recoverLabel(trackingNumber: string, reference: string): Promise<UpsShipment> {
      const request = {
        LabelRecoveryRequest: {
          Request: { RequestOption: 'Non_Validate' },
          TrackingNumbers: [trackingNumber],
          ReferenceValues: { ReferenceNumber: { Value: reference }, ShipperNumber: accountNumber },
        },
      };
      const reply = await authorized('lookup', '/api/labels/v1/recovery', post(request));
      const recovered = parseReply('lookup', reply, LabelRecoveryReplySchema).LabelRecoveryResponse;
      const [label] = recovered.LabelResults;
      const { LabelImageFormat, GraphicImage } = label.LabelImage;
      return toShipment(
        recovered.ShipmentIdentificationNumber ?? label.TrackingNumber,
        label.TrackingNumber,
        LabelImageFormat.Code,
        GraphicImage,
      );
    },

    /** Voids a shipment; one voided already (an earlier attempt whose reply was lost) answers status 1 too. */
    async voidShipment(shipmentId: string): Promise<{ voided: boolean; description: string }> {
      const path = `/api/shipments/${VERSION}/void/cancel/${encodeURIComponent(shipmentId)}`;
      const reply = await authorized('void', path, { method: 'DELETE', headers: transaction() });
      const { Status } = parseReply('void', reply, VoidReplySchema).VoidShipmentResponse.SummaryResult;
      return { voided: Status.Code === '1', description: Status.Description };
    },

    async track(trackingNumber: string): Promise<UpsTrackedPackage[]> {
      const path = `/api/track/v1/details/${encodeURIComponent(trackingNumber)}?locale=en_US`;
      const reply = await authorized('track', path, { method: 'GET', headers: transaction() });
      return parseReply('track', reply, TrackReplySchema).trackResponse.shipment.flatMap((s) => s.package);
    },

    /**
     * An on-call pickup (Pickup Creation). UPS has no idempotency key for it; Pickup.yaml says the
     * same PRN comes back when a pickup already exists for the address, which keeps a repeat to one.
     */
    async schedulePickup(request: object): Promise<string> {
      const reply = await authorized('pickup', `/api/pickupcreation/${VERSION}/pickup`, post(request, transaction()));
      return parseReply('pickup', reply, PickupReplySchema).PickupCreationResponse.PRN;
    },

    /** Pickup Cancel by PRN (CancelBy 02, the PRN in the `Prn` header). */
    async cancelPickup(prn: string): Promise<void> {
      const headers = { ...transaction(), Prn: prn };
      const reply = await authorized('cancel-pickup', `/api/shipments/${VERSION}/pickup/02`, { method: 'DELETE', headers });
      parseReply('cancel-pickup', reply, PickupCancelReplySchema);
    },

    /** Landed Cost Quote: the duties and taxes of importing the goods; the body's transID is the header's transId. */
    async landedCost(request: object): Promise<{ amount: number; currency: string }> {
      const headers = transaction();
      const body = { ...request, transID: headers.transId };
      const reply = await authorized('landed-cost', `/api/landedcost/${LANDED_COST_VERSION}/quotes`, post(body, headers));
      const { grandTotal, currencyCode } = parseReply('landed-cost', reply, LandedCostReplySchema).shipment;
      return { amount: grandTotal, currency: currencyCode };
    },

    /** Track Alert: UPS pushes these parcels' scans to the webhook registered in its portal, for 14 days. */
    async subscribe(trackingNumbers: string[]) {
      const body = { locale: 'en_US', trackingNumberList: trackingNumbers };
      const reply = await authorized('subscribe', '/api/track/v2/subscription/standard/package', post(body, transaction()));
      return parseReply('subscribe', reply, SubscriptionReplySchema);
    },
  };
}

export type UpsClient = ReturnType<typeof createUpsClient>;
