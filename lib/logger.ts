// Structured JSON logs. Personal data (names, addresses, emails, phones) is never logged:
// log order ids and statuses, not order bodies.
import pino from 'pino';

export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.SERVICE_NAME ?? 'order-engine' },
  redact: { paths: ['*.customer', '*.shippingAddress', '*.email', '*.phone', 'req.headers.authorization'], censor: '[redacted]' },
});

export type Logger = typeof logger;
