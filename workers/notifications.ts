// How the worker reaches customers, from configuration. The templates are loaded and checked
// here, at start-up: a broken template stops the worker before it takes any work.
import { createEmailSender } from '../activities/notifications/email';
import type { NotificationChannels } from '../activities/notifications';
import { createSmsSender } from '../activities/notifications/sms';
import { DEFAULT_TEMPLATES_DIR, loadTemplates } from '../activities/notifications/templates';
import type { Config } from '../lib/config';
import { signRatingToken } from '../lib/rating-token';

export function notificationChannels(config: Config): NotificationChannels {
  const use = new Set(config.NOTIFY_CHANNELS);
  return {
    templates: loadTemplates(config.NOTIFICATION_TEMPLATES_DIR ?? DEFAULT_TEMPLATES_DIR),
    email: use.has('email')
      ? createEmailSender({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, idempotencyHeader: config.SMTP_IDEMPOTENCY_HEADER })
      : undefined,
    sms: use.has('sms')
      ? createSmsSender({ baseUrl: config.SMS_BASE_URL, apiKey: config.SMS_API_KEY, sender: config.SMS_SENDER })
      : undefined,
    shopName: config.SHOP_NAME,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    ratingToken: (shipmentId) => signRatingToken(config.RATING_TOKEN_SECRET, shipmentId),
  };
}
