// The UPS sandbox pushes every scan to a subscribed URL, as a carrier's tracking webhook does:
// signed, retried with backoff until the receiver answers 2xx, the same event id on every
// retry, so the receiver can drop repeats. The scheme (carriers/ups/README.md):
//   X-Ups-Event-Id: <uuid>   X-Ups-Timestamp: <unix seconds>
//   X-Ups-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { hmacSha256 } from '../../lib/hmac';
import { activityJson } from './api';
import type { Scan } from './state';

export interface WebhookSubscription {
  url: string;
  secret: string;
}

export interface WebhookDelivery {
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

export function signUpsWebhook(secret: string, body: string, timestamp: number): string {
  return `v1=${hmacSha256(secret, `${timestamp}.${body}`).toString('hex')}`;
}

export class UpsWebhookSender {
  subscription?: WebhookSubscription;
  private readonly deliveries = new Map<string, WebhookDelivery & { body: string }>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Pushes one scan, when someone subscribed. */
  scanned(trackingNumber: string, scan: Scan): void {
    if (!this.subscription) return;
    const eventId = randomUUID();
    const body = JSON.stringify({ trackingNumber, activity: activityJson(scan) });
    this.deliveries.set(eventId, { eventId, trackingNumber, code: scan.code, attempts: 0, state: 'pending', body });
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
      delivery.last = await this.post(subscription, delivery.eventId, delivery.body);
      if (typeof delivery.last === 'number' && delivery.last < 300) {
        delivery.state = 'delivered';
        return;
      }
      if (attempt >= RETRY_DELAYS_MS.length) break;
      await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
    }
    delivery.state = 'failed';
    this.logger.warn({ eventId, attempts: delivery.attempts, last: delivery.last }, 'webhook delivery failed');
  }

  private async post({ url, secret }: WebhookSubscription, eventId: string, body: string): Promise<number | string> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Ups-Event-Id': eventId,
          'X-Ups-Timestamp': String(timestamp),
          'X-Ups-Signature': signUpsWebhook(secret, body, timestamp),
        },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch (err) {
      return (err as Error).message;
    }
  }
}
