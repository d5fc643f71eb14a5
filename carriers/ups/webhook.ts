// UPS Track Alert pushes: each event is a flat TrackingEventRequest (spec/ups-openapi.yaml, webhook
// TrackingEvent), authenticated as UPS does it with the credential we register in its portal
// ("Manage Webhook Credentials"): UPS is an OAuth client of ours (`clientOauth2`, client_secret_basic),
// fetches a bearer token from our token endpoint (`token` below, served by the API) and sends it
// with `x-api-key: <client id>`. Our tokens are stateless (an expiry signed with a key derived from
// the client secret), so any API instance checks any token. Events carry no id: they are deduped
// on content (tracking number, raw code, time), which is also the event id polling gives.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { logger } from '../../lib/logger';
import { hmacSha256, signatureMatches } from '../../lib/hmac';
import { WebhookRejected, type CarrierWebhook } from '../adapter';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { CARRIER as UPS } from './errors';
import { upsTrackingEvent, UPS_STATUSES } from './statuses';

const TrackingEventSchema = z.object({
  trackingNumber: z.string().regex(/^1[ZR][0-9A-Z]{14,26}$/),
  activityStatus: z.object({ type: z.string().min(1).max(8), code: z.string().max(8).optional(), description: z.string().optional() }),
  activityLocation: z.object({ city: z.string().optional(), country: z.string().optional() }).optional(),
  gmtActivityDate: z.string().optional(),
  gmtActivityTime: z.string().optional(),
  localActivityDate: z.string().optional(),
  localActivityTime: z.string().optional(),
  gmtOffset: z.string().optional(),
});

export interface UpsWebhookConfig {
  /** The OAuth client registered with UPS for Track Alert: UPS fetches tokens from us with it. */
  clientId: string;
  clientSecret: string;
  /** How long a token we issue lives; an hour. */
  tokenTtlSeconds?: number;
  log?: StatusLog;
}

const header = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** `Basic <base64 id:secret>` → its parts. */
function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const decoded = encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** Constant time, whatever the lengths: both sides hashed first. */
const sameSecret = (given: string, expected: string) =>
  signatureMatches(hmacSha256('ups-track-alert', expected), hmacSha256('ups-track-alert', given).toString('hex'), 'hex');

export function createUpsWebhook({ clientId, clientSecret, tokenTtlSeconds = 3600, log = logger }: UpsWebhookConfig): CarrierWebhook {
  const toStatus = createStatusMapper(UPS, UPS_STATUSES, log);
  // Tokens are signed with a key of their own, derived from the secret: a token never reveals or equals the secret.
  const signingKey = createHmac('sha256', clientSecret).update('ups-track-alert-token').digest();
  const sign = (expires: string) => createHmac('sha256', signingKey).update(`${clientId}.${expires}`).digest('base64url');

  function checkToken(authorization: string | undefined, receivedAt: number): void {
    const [expires, signature] = /^Bearer\s+(\d{1,12})\.([\w-]{43})$/i.exec(authorization ?? '')?.slice(1) ?? [];
    if (!expires || !signatureMatches(Buffer.from(sign(expires), 'base64url'), signature, 'base64')) {
      throw new WebhookRejected('invalid_credentials', 'no bearer token issued by our token endpoint');
    }
    if (Number(expires) * 1000 < receivedAt) throw new WebhookRejected('invalid_credentials', 'the bearer token has expired');
  }

  return {
    carrier: UPS,

    token({ authorization, grantType }) {
      const client = basicCredentials(authorization);
      if (!client || client.id !== clientId || !sameSecret(client.secret, clientSecret)) {
        return {
          status: 401,
          body: { error: 'invalid_client', message: 'HTTP Basic with the client id and secret registered for Track Alert' },
        };
      }
      if (grantType !== 'client_credentials')
        return { status: 400, body: { error: 'unsupported_grant_type', message: 'grant_type must be client_credentials' } };
      const expires = String(Math.floor(Date.now() / 1000) + tokenTtlSeconds);
      return { status: 200, body: { access_token: `${expires}.${sign(expires)}`, token_type: 'Bearer', expires_in: tokenTtlSeconds } };
    },

    receive({ headers, rawBody, receivedAt }) {
      checkToken(header(headers, 'authorization'), receivedAt);
      // "x-api-key holds the clientID of the OAUTH token used for authentication" (UPSTrackAlert.yaml).
      if (header(headers, 'x-api-key') !== clientId) throw new WebhookRejected('invalid_credentials', 'x-api-key is not our client id');
      let event: z.infer<typeof TrackingEventSchema>;
      try {
        event = TrackingEventSchema.parse(JSON.parse(rawBody.toString('utf8')));
      } catch (err) {
        const problem =
          err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (err as Error).message;
        throw new WebhookRejected('malformed_payload', `not a UPS Track Alert event: ${problem}`);
      }
      const parsed = upsTrackingEvent(
        {
          trackingNumber: event.trackingNumber,
          type: event.activityStatus.type,
          code: event.activityStatus.code,
          gmtDate: event.gmtActivityDate,
          gmtTime: event.gmtActivityTime,
          localDate: event.localActivityDate,
          localTime: event.localActivityTime,
          gmtOffset: event.gmtOffset,
          city: event.activityLocation?.city,
          country: event.activityLocation?.country,
        },
        toStatus,
      );
      if (!parsed.success) throw new WebhookRejected('malformed_payload', `activity: ${parsed.error.issues[0].message}`);
      return { deliveryId: parsed.data.eventId, events: [parsed.data] };
    },
  };
}
