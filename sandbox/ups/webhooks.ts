// Track Alert as the UPS sandbox plays it: each scan of a subscribed parcel is POSTed to the URL
// registered in UPS's portal ("Manage Webhook Credentials"; here the admin API's PUT /webhook) as a
// flat TrackingEventRequest (spec/ups-openapi.yaml, webhook TrackingEvent). UPS authenticates with
// the credential we registered: it fetches a bearer token from our token URL (client credentials,
// HTTP Basic: `UPSTrackAlert.clientOauth2`) and sends it with `x-api-key: <client id>` and
// `User-Agent: UPSPubSubTrackingService`. No event id, no signature: the receiver dedupes on content.
// Retries after a non-2xx are the sandbox's choice (UPS documents none).
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Scan } from './state';

/** What is registered with UPS for pushed events: where to, and the OAuth client UPS gets its tokens with. */
export interface WebhookSubscription {
  url: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface WebhookDelivery {
  /** The sandbox's own id for a delivery (admin API only: UPS sends none). */
  eventId: string;
  trackingNumber: string;
  code: string;
  attempts: number;
  state: 'pending' | 'delivered' | 'failed';
  /** The receiver's last HTTP status, or the network error. */
  last?: number | string;
}

/** Backoff between attempts (ms); after the last, the delivery is failed (ops can redeliver). */
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000];
const USER_AGENT = 'UPSPubSubTrackingService';

const ymd = (iso: string) => iso.slice(0, 10).replaceAll('-', '');
const hms = (iso: string) => iso.slice(11, 19).replaceAll(':', '');

/** One scan as Track Alert pushes it; local time is Turkey's (UTC+3), where the sandbox's scans happen. */
export function trackingEventJson(trackingNumber: string, scan: Scan) {
  const utc = scan.at.toISOString();
  const local = new Date(scan.at.getTime() + 3 * 3600_000).toISOString();
  return {
    trackingNumber,
    localActivityDate: ymd(local),
    localActivityTime: hms(local),
    activityLocation: { city: scan.city, country: scan.countryCode },
    activityStatus: { type: scan.type, ...(scan.code && { code: scan.code }), description: scan.description },
    gmtActivityDate: ymd(utc),
    gmtActivityTime: hms(utc),
    gmtOffset: '+03.00',
  };
}

export class UpsWebhookSender {
  subscription?: WebhookSubscription;
  private readonly deliveries = new Map<string, WebhookDelivery & { body: string }>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Pushes one scan, when a webhook is registered. */
  scanned(trackingNumber: string, scan: Scan): void {
    if (!this.subscription) return;
    const eventId = randomUUID();
    const body = JSON.stringify(trackingEventJson(trackingNumber, scan));
    this.deliveries.set(eventId, { eventId, trackingNumber, code: scan.raw, attempts: 0, state: 'pending', body });
    this.track(this.deliver(eventId));
  }

  /** Sends a delivery again (a receiver that lost it, or a duplicate on purpose). */
  redeliver(eventId: string): boolean {
    const delivery = this.deliveries.get(eventId);
    if (!delivery) return false;
    delivery.state = 'pending';
    this.track(this.deliver(eventId));
    return true;
  }

  list(): WebhookDelivery[] {
    return [...this.deliveries.values()].map(({ body: _body, ...delivery }) => delivery);
  }

  /** Resolves once nothing is being delivered (tests wait on it). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  reset(): void {
    this.deliveries.clear();
  }

  private track(sending: Promise<void>): void {
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  private async deliver(eventId: string): Promise<void> {
    const delivery = this.deliveries.get(eventId)!;
    for (let attempt = 0; ; attempt++) {
      const subscription = this.subscription;
      if (!subscription) return;
      delivery.attempts += 1;
      delivery.last = await this.post(subscription, delivery.body);
      if (typeof delivery.last === 'number' && delivery.last < 300) {
        delivery.state = 'delivered';
        return;
      }
      if (attempt >= RETRY_DELAYS_MS.length) break;
      await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
    }
    delivery.state = 'failed';
    this.logger.warn({ eventId, attempts: delivery.attempts, last: delivery.last }, 'Track Alert delivery failed');
  }

  private async post(subscription: WebhookSubscription, body: string): Promise<number | string> {
    try {
      const res = await pushTrackAlert(subscription, body);
      await res.arrayBuffer();
      return res.status;
    } catch (err) {
      return (err as Error).message;
    }
  }
}

/** A token from the receiver's token URL, as an OAuth client with the registered credential; the token call's response when refused. */
async function trackAlertToken({ tokenUrl, clientId, clientSecret }: WebhookSubscription): Promise<string | Response> {
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': USER_AGENT,
    },
    body: 'grant_type=client_credentials',
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) return res;
  const { access_token } = (await res.json()) as { access_token?: unknown };
  return typeof access_token === 'string' ? access_token : res;
}

/**
 * One Track Alert delivery as UPS makes it: a token from the receiver first, then the event with
 * it (the sandbox fetches a token per delivery; UPS's own caching is not documented). The bench
 * and chaos runs push scans through here too.
 */
export async function pushTrackAlert(subscription: WebhookSubscription, body: string): Promise<Response> {
  const token = await trackAlertToken(subscription);
  if (typeof token !== 'string') return token;
  return fetch(subscription.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
      'x-api-key': subscription.clientId,
      'User-Agent': USER_AGENT,
    },
    body,
    signal: AbortSignal.timeout(5_000),
  });
}
