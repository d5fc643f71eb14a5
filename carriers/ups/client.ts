// HTTP calls to the UPS API, made as to the real carrier: an OAuth client-credentials token
// (cached until shortly before it expires), a timeout on every call, zod on every response.
import { z } from 'zod';
import { UPS_CODES, carrierError, httpFailure, malformedFailure, transportFailure, type HttpReply } from './errors';

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
        monetaryValue: z.string().regex(/^\d+(\.\d+)?$/).transform(Number),
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

/** One HTTP call's method, headers and body (JSON already serialized). */
interface Call {
  method: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
}

/** Names what was wrong by path (never the values: they may be personal data). */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

/** A 2xx reply parsed against its schema; anything else becomes the matching failure. */
function parseReply<T>(operation: string, reply: HttpReply, schema: z.ZodType<T>): T {
  if (reply.status < 200 || reply.status >= 300) throw httpFailure(operation, reply);
  let json: unknown;
  try {
    json = JSON.parse(reply.text);
  } catch {
    throw malformedFailure(operation, 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw malformedFailure(operation, describeIssues(parsed.error));
  return parsed.data;
}

export function createUpsClient({ baseUrl, clientId, clientSecret, timeoutMs }: UpsClientConfig) {
  const root = baseUrl.replace(/\/+$/, '');

  async function exchange(operation: string, path: string, call: Call): Promise<HttpReply> {
    try {
      const res = await fetch(`${root}${path}`, { ...call, signal: AbortSignal.timeout(timeoutMs) });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
    } catch (err) {
      throw transportFailure(operation, err, timeoutMs);
    }
  }

  // --- the token: one fetch at a time, reused until a minute (or a tenth of its life) before expiry ---
  let token: { value: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const reply = await exchange('token', '/oauth/token', {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const { access_token, expires_in } = parseReply('token', reply, TokenSchema);
    const lifetimeMs = expires_in * 1000;
    token = { value: access_token, refreshAt: Date.now() + lifetimeMs - Math.min(60_000, lifetimeMs / 10) };
    return access_token;
  }

  function currentToken(): Promise<string> {
    if (token && Date.now() < token.refreshAt) return Promise.resolve(token.value);
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  /** A call with the bearer token; a 401 means it was revoked or expired early, so one fresh token and one more try. */
  async function authorized(operation: string, path: string, call: Call = { method: 'GET' }): Promise<HttpReply> {
    const send = async () => exchange(operation, path, { ...call, headers: { Accept: 'application/json', ...call.headers, Authorization: `Bearer ${await currentToken()}` } });
    const first = await send();
    if (first.status !== 401) return first;
    token = undefined;
    return send();
  }

  const post = (body: unknown, headers: Record<string, string> = {}): Call => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

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
