// UPS tracking pushed by webhook: a delivery is accepted only with a valid signature made within
// the replay window, and read into the same events polling gives (statuses.ts).
//   X-Ups-Event-Id: <uuid, the same on every retry>   X-Ups-Timestamp: <unix seconds>
//   X-Ups-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
import { z } from 'zod';
import { logger } from '../../lib/logger';
import { hmacSha256, signatureMatches } from '../../lib/hmac';
import { WebhookRejected, type CarrierWebhook } from '../adapter';
import { createStatusMapper, type StatusLog } from '../status-mapper';
import { ActivitySchema } from './client';
import { CARRIER as UPS } from './errors';
import { upsTrackingEvent, UPS_STATUSES } from './statuses';

const PayloadSchema = z.object({ trackingNumber: z.string().min(1).max(64), activity: ActivitySchema });

export interface UpsWebhookConfig {
  secret: string;
  /** How old (or how far ahead) a signed timestamp may be; 5 minutes, as common practice has it. */
  toleranceSeconds?: number;
  log?: StatusLog;
}

const header = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function createUpsWebhook({ secret, toleranceSeconds = 300, log = logger }: UpsWebhookConfig): CarrierWebhook {
  const toStatus = createStatusMapper(UPS, UPS_STATUSES, log);
  return {
    carrier: UPS,
    receive({ headers, rawBody, receivedAt }) {
      const timestamp = header(headers, 'x-ups-timestamp') ?? '';
      const signature = /^v1=([0-9a-f]{64})$/.exec(header(headers, 'x-ups-signature') ?? '')?.[1];
      // The signature first: nothing about an unsigned request is worth reading.
      if (!signatureMatches(hmacSha256(secret, Buffer.concat([Buffer.from(`${timestamp}.`), rawBody])), signature, 'hex')) {
        throw new WebhookRejected('invalid_signature', 'X-Ups-Signature does not match the body and timestamp');
      }
      if (!/^\d{1,12}$/.test(timestamp) || Math.abs(receivedAt / 1000 - Number(timestamp)) > toleranceSeconds) {
        throw new WebhookRejected(
          'stale_timestamp',
          `X-Ups-Timestamp is outside the ${toleranceSeconds}-second window: a replay or a skewed clock`,
        );
      }
      const deliveryId = header(headers, 'x-ups-event-id');
      if (!deliveryId || deliveryId.length > 200) throw new WebhookRejected('malformed_payload', 'X-Ups-Event-Id is missing');
      let payload: z.infer<typeof PayloadSchema>;
      try {
        payload = PayloadSchema.parse(JSON.parse(rawBody.toString('utf8')));
      } catch (err) {
        throw new WebhookRejected(
          'malformed_payload',
          `not a UPS tracking event: ${err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (err as Error).message}`,
        );
      }
      const event = upsTrackingEvent(payload.trackingNumber, payload.activity, toStatus);
      if (!event.success) throw new WebhookRejected('malformed_payload', `activity: ${event.error.issues[0].message}`);
      return { deliveryId, events: [event.data] };
    },
  };
}
