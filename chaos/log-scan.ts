// No personal data and no secrets in the logs: after the run, every engine log line is searched
// for the customers' names, emails and phone numbers of the orders it drove, and for the secrets
// the stack ran with.
import type { OrderInput } from '../domain/order';
import { carrierSecrets } from '../carriers/registry';
import { loadConfig } from '../lib/config';
import { readLogFrom } from './processes';

export interface LogLeak {
  log: string;
  what: string;
  /** The line, cut short, with the leaked value masked. */
  line: string;
}

export function scanLogs(logs: Record<string, string>, orders: OrderInput[], secrets: string[]): { lines: number; leaks: LogLeak[] } {
  const needles = new Map<string, string>();
  for (const o of orders) {
    needles.set(o.customer.email, 'an email address');
    needles.set(o.customer.name, 'a customer name');
    if (o.customer.phone) needles.set(o.customer.phone, 'a phone number');
    needles.set(o.shippingAddress.line1, 'a street address');
  }
  for (const secret of secrets) needles.set(secret, 'a secret');
  let lines = 0;
  const leaks: LogLeak[] = [];
  for (const [log, file] of Object.entries(logs)) {
    for (const line of readLogFrom(file, 0).split('\n')) {
      lines += 1;
      for (const [needle, what] of needles) {
        if (line.includes(needle)) leaks.push({ log, what, line: line.replaceAll(needle, '[…]').slice(0, 200) });
      }
    }
  }
  return { lines, leaks };
}

/** The secrets a stack with this environment holds: carrier credentials, webhook secrets, payload keys. */
export function secretsOf(env: NodeJS.ProcessEnv): string[] {
  const c = loadConfig(env);
  return [
    ...carrierSecrets(env),
    c.SMS_API_KEY,
    c.SHOPIFY_WEBHOOK_SECRET,
    c.WOOCOMMERCE_WEBHOOK_SECRET,
    ...c.PAYLOAD_KEYS.split(',').map((entry) => entry.slice(entry.indexOf(':') + 1)),
    ...c.WEBHOOK_SUBSCRIBERS.map((s) => (s.kind === 'webhook' ? s.secret : s.kind === 'shopify' ? s.accessToken : s.consumerSecret)),
  ];
}
