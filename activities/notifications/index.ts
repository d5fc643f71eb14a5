// Customer notifications (email, SMS) and ops alerts. Each message is entered in a ledger keyed
// by order, shipment, event and channel before it goes out and marked when it has, so a retried
// activity or a repeated event sends only what has not gone out yet. Personal data (names,
// addresses, emails, phones) is read from the order record here and never logged.
import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { Locale, OrderInput } from '../../domain/order';
import { carrierDisplayName } from '../../carriers/registry';
import { ratingUrl, trackingUrl } from '../../domain/shipment';
import type { Logger } from '../../lib/logger';
import { toE164 } from '../../lib/phone';
import { scrubContactData } from '../../lib/scrub';
import type { EmailSender } from './email';
import type { NotificationEvent, TemplateData } from './events';
import { SmsRejected, type SmsSender } from './sms';
import type { RenderedMessage, Templates } from './templates';

export type { NotificationEvent } from './events';

export interface Notification {
  orderId: string;
  shipmentId?: string;
  event: NotificationEvent;
  trackingNumber?: string;
  carrier?: string;
}

/** How customers are reached. A channel without a sender is recorded as skipped. */
export interface NotificationChannels {
  templates: Templates;
  email?: EmailSender;
  sms?: SmsSender;
  shopName: string;
  /** Where the public tracking page lives (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** Signs a parcel's rating link (RATING_TOKEN_SECRET); without it the delivered notice links the tracking page. */
  ratingToken?: (shipmentId: string) => string;
}

/** How a customer is reached, in the order a notice tries them. */
export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

interface Recipient {
  locale: Locale;
  data: TemplateData;
  addresses: Record<Channel, string | undefined>;
}

interface Outcome {
  channel: Channel;
  status: 'sent' | 'skipped' | 'failed' | 'already_sent';
  reason?: string;
  retryable?: boolean;
}

const MARK_SENT_WITHIN_MS = 45_000;

export function createNotificationActivities(pool: Pool, logger: Logger, channels?: NotificationChannels) {
  async function recipientOf(notification: Notification): Promise<Recipient | undefined> {
    const { rows } = await pool.query<{ request: OrderInput }>('SELECT request FROM orders WHERE order_id = $1', [notification.orderId]);
    const order = rows[0]?.request;
    if (!order) return undefined;
    const country = order.shippingAddress.countryCode;
    const phone = order.customer.phone ?? order.shippingAddress.phone;
    const { trackingNumber, carrier } = notification;
    return {
      locale: order.customer.locale ?? (country === 'TR' ? 'tr' : 'en'),
      addresses: { email: order.customer.email.toLowerCase(), sms: phone ? toE164(phone, country) : undefined },
      data: {
        customerName: order.customer.name,
        orderId: order.orderId,
        shopName: channels?.shopName ?? '',
        ...(carrier ? { carrierName: carrierDisplayName(carrier) } : {}),
        ...(trackingNumber ? { trackingNumber, trackingUrl: trackingUrl(channels?.publicBaseUrl ?? '', trackingNumber) } : {}),
        ...(notification.event === 'delivered' ? { ratingUrl: ratingLink(notification) } : {}),
      },
    };
  }

  /** The delivered notice's one-tap rating link; the tracking page when the parcel cannot be named. */
  function ratingLink({ shipmentId, trackingNumber }: Notification): string {
    const base = channels?.publicBaseUrl ?? '';
    if (!trackingNumber) return base;
    if (!shipmentId || !channels?.ratingToken) return trackingUrl(base, trackingNumber);
    return ratingUrl(base, trackingNumber, channels.ratingToken(shipmentId));
  }

  /** Claims the ledger row: false when this message already went out (or was settled as skipped). */
  async function claim(key: LedgerKey, payload: object): Promise<boolean> {
    const { rowCount } = await pool.query(
      `INSERT INTO notifications (order_id, shipment_id, event, channel, payload, status, attempts)
       VALUES ($1, $2, $3, $4, $5, 'sending', 1)
       ON CONFLICT (order_id, shipment_id, event, channel) DO UPDATE SET status = 'sending', attempts = notifications.attempts + 1
        WHERE notifications.status IN ('sending', 'failed')`,
      [key.orderId, key.shipmentId, key.event, key.channel, payload],
    );
    return rowCount === 1;
  }

  async function settle(
    key: LedgerKey,
    status: 'sent' | 'failed' | 'skipped',
    detail: { providerRef?: string; reason?: string },
  ): Promise<void> {
    await pool.query(
      `UPDATE notifications SET status = $5, provider_ref = coalesce($6, provider_ref), last_error = $7,
              sent_at = CASE WHEN $5 = 'sent' THEN now() END
        WHERE order_id = $1 AND shipment_id = $2 AND event = $3 AND channel = $4`,
      [key.orderId, key.shipmentId, key.event, key.channel, status, detail.providerRef ?? null, detail.reason ?? null],
    );
  }

  /**
   * The message is out: marking it so must not fail for a short database outage, or the retry would
   * send it again (SMTP has no idempotency key). Tries for up to 45 s, within the activity's 60 s timeout.
   */
  async function markSent(key: LedgerKey, providerRef: string): Promise<void> {
    const deadline = Date.now() + MARK_SENT_WITHIN_MS;
    for (;;) {
      try {
        return await settle(key, 'sent', { providerRef });
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  async function deliver(channel: Channel, to: string, ledgerKey: string, content: RenderedMessage): Promise<{ providerRef: string }> {
    if (channel === 'email') return channels!.email!.send({ to, ledgerKey, content });
    return channels!.sms!.send({ to, ledgerKey, text: content.sms });
  }

  /** Why a channel is not used for this customer, if it is not. */
  async function skipReason(channel: Channel, address: string | undefined): Promise<string | undefined> {
    if (!channels?.[channel]) return `${channel} is not configured`;
    if (!address) return channel === 'sms' ? 'no valid phone number' : 'no email address';
    const { rowCount } = await pool.query('SELECT 1 FROM notification_opt_outs WHERE channel = $1 AND address = $2', [channel, address]);
    return rowCount ? 'customer opted out' : undefined;
  }

  async function sendOne(notification: Notification, channel: Channel, recipient: Recipient): Promise<Outcome> {
    const key: LedgerKey = { orderId: notification.orderId, shipmentId: notification.shipmentId ?? '', event: notification.event, channel };
    const payload = {
      event: notification.event,
      locale: recipient.locale,
      trackingNumber: notification.trackingNumber,
      carrier: notification.carrier,
    };
    if (!(await claim(key, payload))) return { channel, status: 'already_sent' };
    const address = recipient.addresses[channel];
    const skip = await skipReason(channel, address);
    if (skip) {
      await settle(key, 'skipped', { reason: skip });
      return { channel, status: 'skipped', reason: skip };
    }
    const ledgerKey = `${key.orderId}/${key.shipmentId || '-'}/${key.event}/${channel}`;
    try {
      const content = channels!.templates(notification.event, recipient.locale, recipient.data);
      const { providerRef } = await deliver(channel, address!, ledgerKey, content);
      await markSent(key, providerRef);
      return { channel, status: 'sent' };
    } catch (err) {
      const reason = scrubContactData((err as Error).message); // the provider's text may quote the address: never in a log or the ledger
      await settle(key, 'failed', { reason });
      return { channel, status: 'failed', reason, retryable: !(err instanceof SmsRejected) || err.retryable };
    }
  }

  return {
    /**
     * Tells the customer by every channel they can be reached on (of `by`: the notice pump
     * sends each channel on its own), once per event. Throws (and so is retried with backoff) while
     * a channel fails; channels already sent are not sent again.
     */
    async notifyCustomer(notification: Notification, by: readonly Channel[] = CHANNELS): Promise<Outcome[]> {
      const recipient = await recipientOf(notification);
      if (!recipient) return [];
      const outcomes: Outcome[] = [];
      for (const channel of by) outcomes.push(await sendOne(notification, channel, recipient));
      const where = { orderId: notification.orderId, shipmentId: notification.shipmentId, event: notification.event };
      for (const o of outcomes.filter((o) => o.status === 'sent')) logger.info({ ...where, channel: o.channel }, 'customer notified');
      const failed = outcomes.filter((o) => o.status === 'failed');
      if (failed.length === 0) return outcomes;
      logger.warn({ ...where, failed: failed.map((f) => ({ channel: f.channel, reason: f.reason })) }, 'customer notification failed');
      const message = failed.map((f) => `${f.channel}: ${f.reason}`).join('; ');
      throw ApplicationFailure.create({ type: 'NotificationFailed', message, nonRetryable: failed.every((f) => !f.retryable) });
    },

    /** An alert for ops (late, lost, overdue packing): logged once and kept for the ops views. */
    async alertOps({
      orderId,
      shipmentId,
      kind,
      message,
    }: {
      orderId: string;
      shipmentId: string;
      kind: string;
      message: string;
    }): Promise<void> {
      const { rowCount } = await pool.query(
        `INSERT INTO ops_alerts (shipment_id, kind, order_id, message) VALUES ($1, $2, $3, $4)
         ON CONFLICT (shipment_id, kind) DO UPDATE SET message = $4, resolved_at = NULL WHERE ops_alerts.resolved_at IS NOT NULL`,
        [shipmentId, kind, orderId, message],
      );
      if (rowCount === 1) logger.warn({ orderId, shipmentId, kind, alert: message }, 'ops alert');
    },
  };
}

interface LedgerKey {
  orderId: string;
  shipmentId: string;
  event: NotificationEvent;
  channel: Channel;
}
