// HTTP calls to the UPS API, made as to the real carrier: an OAuth client-credentials token
// (cached until shortly before it expires), a timeout on every call, zod on every response.
import { z } from 'zod';
import { bearerAuth, createHttpTransport, jsonCall, jsonReplies, type Exchange } from '../transport/http';
import { CARRIER, UPS_CODES, carrierError, httpFailure } from './errors';

export interface UpsClientConfig {
  /** The carrier's root, e.g. https://onlinetools.ups.com or the sandbox's http://127.0.0.1:4010/ups. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
}

// --- what the adapter sends ---
export interface UpsAddress {
  name: string;
  addressLines: string[];
  city: string;
  postalCode: string;
  countryCode: string;
  phone?: string;
}
export interface UpsPackage {
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
}
export interface RateRequest {
  shipTo: { postalCode: string; countryCode: string };
  package: UpsPackage;
}
export interface ShipRequest {
  service: string;
  shipper: { reference: string };
  shipTo: UpsAddress;
  package: UpsPackage;
  references: string[];
}
export interface ReturnRequest {
  service: string;
  returnTo: { reference: string };
  collectFrom: UpsAddress;
  package: UpsPackage;
  references: string[];
}

// --- what the carrier answers ---
const TokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(), // UPS sends it as a string
});
const RatesSchema = z.object({
  rates: z.array(
    z.object({
      service: z.string(),
      totalCharges: z.object({
        monetaryValue: z
          .string()
          .regex(/^\d+(\.\d+)?$/)
          .transform(Number),
        currencyCode: z.string().regex(/^[A-Z]{3}$/),
      }),
      transitDays: z.number().int().min(0),
    }),
  ),
});
const ShipmentSchema = z.object({
  id: z.string().min(1).max(200),
  status: z.enum(['active', 'voided']),
  trackingNumber: z.string().min(1).max(64),
  label: z.object({ format: z.literal('PDF'), data: z.base64().min(1) }),
});
export type UpsShipment = z.infer<typeof ShipmentSchema>;
const ShipmentReplySchema = z.object({ shipment: ShipmentSchema });
const LookupSchema = z.object({ shipments: z.array(ShipmentSchema) });
const VoidSchema = z.object({ shipment: z.object({ id: z.string(), status: z.literal('voided') }) });
export const ActivitySchema = z.object({
  status: z.object({ type: z.string().min(1).max(64), description: z.string().optional() }),
  location: z.object({ address: z.object({ city: z.string().optional(), countryCode: z.string().optional() }) }).optional(),
  gmtDate: z.string().regex(/^\d{8}$/),
  gmtTime: z.string().regex(/^\d{2}:\d{2}:\d{2}$/),
});
export type UpsActivity = z.infer<typeof ActivitySchema>;
const TrackSchema = z.object({
  trackResponse: z.object({
    shipment: z.array(z.object({ package: z.array(z.object({ trackingNumber: z.string().min(1), activity: z.array(ActivitySchema) })) })),
  }),
});
export type UpsTrackReply = z.infer<typeof TrackSchema>;

const parseReply = jsonReplies(CARRIER, httpFailure);

export function createUpsClient({ baseUrl, clientId, clientSecret, timeoutMs }: UpsClientConfig) {
  const exchange = createHttpTransport({ carrier: CARRIER, baseUrl, timeoutMs });
  // The API's calls ask for JSON; the token call is a form post answered in JSON either way.
  const asJson: Exchange = (operation, path, call) =>
    exchange(operation, path, { ...call, headers: { Accept: 'application/json', ...call.headers } });
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  const authorized = bearerAuth(asJson, async () => {
    const reply = await exchange('token', '/oauth/token', {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const { access_token, expires_in } = parseReply('token', reply, TokenSchema);
    return { value: access_token, expiresAt: Date.now() + expires_in * 1000 };
  });
  const post = (body: unknown, headers: Record<string, string> = {}) => jsonCall('POST', body, headers);

  return {
    async rate(request: RateRequest) {
      return parseReply('rate', await authorized('rate', '/api/rating', post(request)), RatesSchema).rates;
    },

    /** Books under the key; a repeated key returns the carrier's first shipment. */
    async ship(request: ShipRequest, idempotencyKey: string): Promise<UpsShipment> {
      const reply = await authorized('ship', '/api/shipments', post(request, { 'Idempotency-Key': idempotencyKey }));
      return parseReply('ship', reply, ShipmentReplySchema).shipment;
    },

    async createReturn(request: ReturnRequest, idempotencyKey: string): Promise<UpsShipment> {
      const reply = await authorized('return', '/api/returns', post(request, { 'Idempotency-Key': idempotencyKey }));
      return parseReply('return', reply, ShipmentReplySchema).shipment;
    },

    async findByKey(idempotencyKey: string): Promise<UpsShipment[]> {
      const reply = await authorized('lookup', `/api/shipments?idempotencyKey=${encodeURIComponent(idempotencyKey)}`);
      return parseReply('lookup', reply, LookupSchema).shipments;
    },

    /** Voids a label; one voided already (an earlier attempt whose reply was lost) counts as done. */
    async voidShipment(id: string): Promise<void> {
      const reply = await authorized('void', `/api/shipments/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (reply.status === 409 && carrierError(reply).code === UPS_CODES.alreadyVoided) return;
      parseReply('void', reply, VoidSchema);
    },

    async track(trackingNumber: string): Promise<UpsTrackReply> {
      return parseReply('track', await authorized('track', `/api/track/${encodeURIComponent(trackingNumber)}`), TrackSchema);
    },
  };
}

export type UpsClient = ReturnType<typeof createUpsClient>;
