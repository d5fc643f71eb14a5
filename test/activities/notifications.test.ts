// Customer notifications against a real SMTP server (the sandbox's mail catcher, smtp-server in
// this process), the sandbox's SMS gateway over HTTP and the PostgreSQL ledger.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { errorHandler } from '../../api/errors';
import { optOutsRouter } from '../../api/opt-outs';
import type { Pool } from 'pg';
import { createNotificationActivities, type NotificationChannels } from '../../activities/notifications';
import { createEmailSender } from '../../activities/notifications/email';
import { NOTIFICATION_EVENTS, type NotificationEvent } from '../../activities/notifications/events';
import { createSmsSender } from '../../activities/notifications/sms';
import { toE164 } from '../../lib/phone';
import { DEFAULT_TEMPLATES_DIR, loadTemplates, TemplateError } from '../../activities/notifications/templates';
import { createOrderActivities } from '../../activities/orders';
import type { OrderInput } from '../../domain/order';
import { createPool } from '../../lib/db';
import { startSandbox, type RunningSandbox } from '../../sandbox/main';
import { SANDBOX_SMS_API_KEY } from '../../sandbox/sms';
import { TEST_DATABASE_URL } from '../helpers/env';
import { sampleOrder } from '../helpers/orders';
import { checkRatingToken, signRatingToken } from '../../lib/rating-token';

const RATING_SECRET = 'test-rating-token-secret';

let pool: Pool;
let sandbox: RunningSandbox;
let channels: NotificationChannels;
let logLines: string[];
let smtpPort: number;
let notifications: ReturnType<typeof createNotificationActivities>;

beforeAll(async () => {
  pool = createPool(TEST_DATABASE_URL, 5);
  sandbox = await startSandbox({ port: 0 });
  smtpPort = await sandbox.state.mail.listen(0);
  channels = {
    templates: loadTemplates(),
    email: createEmailSender({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: 'Demo Shop <orders@shop.example>' }),
    sms: createSmsSender({ baseUrl: `${sandbox.url}/sms`, apiKey: SANDBOX_SMS_API_KEY, sender: 'DEMOSHOP' }),
    shopName: 'Demo Shop',
    publicBaseUrl: 'https://track.shop.example',
    ratingToken: (shipmentId) => signRatingToken(RATING_SECRET, shipmentId),
  };
  logLines = [];
  const logs = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
  notifications = createNotificationActivities(pool, pino({ level: 'debug' }, logs), channels);
});
afterAll(async () => {
  channels.email?.close();
  await sandbox.state.mail.close();
  await sandbox.close();
  await pool.end();
});
beforeEach(() => sandbox.state.sms.reset());

async function placedOrder(overrides: Partial<OrderInput> = {}): Promise<OrderInput> {
  const order = sampleOrder(overrides);
  await createOrderActivities(pool).recordOrder({ order, workflowId: `order-${order.orderId}`, receivedAt: new Date().toISOString() });
  return order;
}

const mailsTo = (orderId: string) => sandbox.state.mail.messages.filter((m) => m.subject?.includes(orderId));
const smsAbout = (orderId: string) => sandbox.state.sms.messages.filter((m) => m.text.includes(orderId));
const parcel = (order: OrderInput, event: NotificationEvent) => ({
  orderId: order.orderId,
  shipmentId: `shipment-${order.orderId}-1`,
  event,
  trackingNumber: '1Z999AA10123456784',
  carrier: 'yurtici',
});

async function ledger(orderId: string) {
  const { rows } = await pool.query(
    'SELECT event, channel, status, attempts, last_error FROM notifications WHERE order_id = $1 ORDER BY event, channel',
    [orderId],
  );
  return rows;
}

test('a shipped order reaches a Turkish customer by email (HTML and text) and SMS, in Turkish, with the tracking link', async () => {
  const order = await placedOrder({ customer: { name: 'Ayşe Yılmaz', email: 'Ayse@Example.com', phone: '0532 123 45 67' } });

  await notifications.notifyCustomer(parcel(order, 'shipped'));

  const [mail] = mailsTo(order.orderId);
  expect(mail.to).toEqual(['ayse@example.com']);
  expect(mail.subject).toBe(`${order.orderId} numaralı siparişiniz yola çıktı`);
  expect(mail.text).toContain('Merhaba Ayşe Yılmaz');
  expect(mail.text).toContain('Yurtiçi Kargo');
  expect(mail.text).toContain('https://track.shop.example/track/1Z999AA10123456784');
  expect(mail.html).toContain('<a href="https://track.shop.example/track/1Z999AA10123456784">Kargonuzu izleyin</a>');
  expect(mail.html).toContain('<html lang="tr">');
  const [sms] = smsAbout(order.orderId);
  expect(sms.to).toBe('+905321234567');
  expect(sms.text).toContain('takip no 1Z999AA10123456784');
  expect(await ledger(order.orderId)).toEqual([
    { event: 'shipped', channel: 'email', status: 'sent', attempts: 1, last_error: null },
    { event: 'shipped', channel: 'sms', status: 'sent', attempts: 1, last_error: null },
  ]);
});

test('every event has its own message in English and in Turkish', async () => {
  for (const [locale, countryCode] of [
    ['en', 'DE'],
    ['tr', 'TR'],
  ] as const) {
    const order = await placedOrder({ shippingAddress: { ...sampleOrder().shippingAddress, countryCode, phone: undefined } });
    for (const event of NOTIFICATION_EVENTS) await notifications.notifyCustomer(parcel(order, event));
    const mails = mailsTo(order.orderId);
    expect(mails).toHaveLength(NOTIFICATION_EVENTS.length);
    expect(new Set(mails.map((m) => m.subject)).size).toBe(NOTIFICATION_EVENTS.length); // each event says something different
    for (const mail of mails) expect(mail.html).toContain(`<html lang="${locale}">`);
    expect(mails.every((m) => m.text!.startsWith(locale === 'tr' ? 'Merhaba' : 'Hello'))).toBe(true);
  }
});

test("the customer's own locale wins over the address country; names with markup are escaped in HTML", async () => {
  const order = await placedOrder({ customer: { name: '<b>Jane</b> & Co', email: 'jane@example.com', locale: 'en' } });

  await notifications.notifyCustomer(parcel(order, 'delivered'));

  const [mail] = mailsTo(order.orderId);
  expect(mail.subject).toBe(`Your order ${order.orderId} was delivered`);
  expect(mail.html).toContain('&lt;b&gt;Jane&lt;/b&gt; &amp; Co');
  expect(mail.text).toContain('Hello <b>Jane</b> & Co');
});

test('the delivered notice carries a one-tap rating link, signed for this parcel, by email and SMS (issue 26)', async () => {
  const order = await placedOrder();
  await notifications.notifyCustomer(parcel(order, 'delivered'));

  const [mail] = mailsTo(order.orderId);
  const link = /https:\/\/track\.shop\.example\/track\/1Z999AA10123456784\/rating\?token=([\w.%-]+)/.exec(mail.text!);
  expect(link).not.toBeNull();
  expect(checkRatingToken(RATING_SECRET, decodeURIComponent(link![1]))).toEqual({ ok: true, shipmentId: `shipment-${order.orderId}-1` });
  expect(mail.html!.replaceAll('&#x3D;', '=')).toContain(`href="${link![0]}"`); // Handlebars escapes = in HTML; browsers read it back
  expect(smsAbout(order.orderId).map((m) => m.text)).toEqual([expect.stringContaining(link![0])]);
});

test('the same event twice, or a retried activity, tells the customer once', async () => {
  const order = await placedOrder();

  await notifications.notifyCustomer(parcel(order, 'out_for_delivery'));
  await Promise.all([
    notifications.notifyCustomer(parcel(order, 'out_for_delivery')),
    notifications.notifyCustomer(parcel(order, 'out_for_delivery')),
  ]);

  expect(mailsTo(order.orderId)).toHaveLength(1);
  expect(smsAbout(order.orderId)).toHaveLength(1);
});

test('a parcel held by customs: the customer is told once that it is in customs, by email and SMS, in their language (issue 25)', async () => {
  const english = await placedOrder({ customer: { name: 'Jane Smith', email: 'jane@example.com', phone: '+905551112233', locale: 'en' } });
  const turkish = await placedOrder();
  for (const order of [english, turkish]) {
    await notifications.notifyCustomer({ ...parcel(order, 'in_customs'), carrier: 'ups' });
    await notifications.notifyCustomer({ ...parcel(order, 'in_customs'), carrier: 'ups' }); // a second hold scan: the ledger has it
  }

  const [mail] = mailsTo(english.orderId);
  expect(mailsTo(english.orderId)).toHaveLength(1);
  expect(mail.subject).toBe(`Your order ${english.orderId} is in customs`);
  expect(mail.text).toContain('UPS may get in touch if customs need papers from you or duties to be paid');
  expect(smsAbout(english.orderId).map((m) => m.text)).toEqual([expect.stringContaining('is in customs')]);
  expect(mailsTo(turkish.orderId).map((m) => m.subject)).toEqual([`${turkish.orderId} numaralı siparişiniz gümrükte`]);
  expect(smsAbout(turkish.orderId)).toHaveLength(1);
  expect(await ledger(english.orderId)).toEqual([
    { event: 'in_customs', channel: 'email', status: 'sent', attempts: 1, last_error: null },
    { event: 'in_customs', channel: 'sms', status: 'sent', attempts: 1, last_error: null },
  ]);
});

test('a failing SMS gateway fails the attempt for SMS only: the retry sends the SMS and not the email again', async () => {
  const order = await placedOrder();
  sandbox.state.sms.faults.add({ kind: 'error', status: 503, times: 1, probability: 1, seed: 1 });

  await expect(notifications.notifyCustomer(parcel(order, 'delivery_failed'))).rejects.toMatchObject({
    type: 'NotificationFailed',
    nonRetryable: false,
  });
  expect(await ledger(order.orderId)).toEqual([
    { event: 'delivery_failed', channel: 'email', status: 'sent', attempts: 1, last_error: null },
    { event: 'delivery_failed', channel: 'sms', status: 'failed', attempts: 1, last_error: expect.stringContaining('503') },
  ]);

  await notifications.notifyCustomer(parcel(order, 'delivery_failed')); // what Temporal does next: try again

  expect(mailsTo(order.orderId)).toHaveLength(1);
  expect(smsAbout(order.orderId)).toHaveLength(1);
  expect((await ledger(order.orderId)).map((r) => [r.channel, r.status, r.attempts])).toEqual([
    ['email', 'sent', 1],
    ['sms', 'sent', 2],
  ]);
});

test('an SMS whose answer was lost is not sent twice: the gateway knows the ledger key', async () => {
  const order = await placedOrder();
  sandbox.state.sms.faults.add({ kind: 'lose-response', times: 1, probability: 1, seed: 1 });

  await expect(notifications.notifyCustomer(parcel(order, 'ready_for_pickup'))).rejects.toMatchObject({ type: 'NotificationFailed' });
  await notifications.notifyCustomer(parcel(order, 'ready_for_pickup'));

  expect(smsAbout(order.orderId)).toHaveLength(1);
  expect((await ledger(order.orderId)).find((r) => r.channel === 'sms')).toMatchObject({ status: 'sent', attempts: 2 });
});

test('a mail server slow to accept a message is waited for, not sent the message twice (RFC 5321 §4.5.3.2.6)', async () => {
  const order = await placedOrder();
  // Short waits to connect and be greeted, as in production; the server stores the message and
  // then takes longer than those to say so, as a loaded server does.
  const email = createEmailSender({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: 'Demo Shop <orders@shop.example>', timeoutMs: 300 });
  const slowMail = createNotificationActivities(pool, pino({ level: 'silent' }), { ...channels, email, sms: undefined });
  sandbox.state.mail.replyDelayMs = 1_000;
  try {
    await slowMail.notifyCustomer(parcel(order, 'delivered')).catch(() => undefined);
  } finally {
    sandbox.state.mail.replyDelayMs = 0;
  }
  await slowMail.notifyCustomer(parcel(order, 'delivered')); // what Temporal does after a failed attempt
  email.close();

  expect(mailsTo(order.orderId)).toHaveLength(1);
  expect((await ledger(order.orderId)).find((r) => r.channel === 'email')).toMatchObject({ status: 'sent', attempts: 1 });
});

test("an email whose answer was lost is not sent twice: the mail provider knows the ledger key (Resend's idempotency header)", async () => {
  const order = await placedOrder();
  // The server stores the message, and the sender stops waiting before the server says so: what
  // a worker killed between the server's "250 OK" and the ledger's write leaves behind.
  const email = createEmailSender({
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    from: 'Demo Shop <orders@shop.example>',
    replyTimeoutMs: 300,
  });
  const lossy = createNotificationActivities(pool, pino({ level: 'silent' }), { ...channels, email, sms: undefined });
  sandbox.state.mail.replyDelayMs = 1_000;
  try {
    await expect(lossy.notifyCustomer(parcel(order, 'out_for_delivery'))).rejects.toMatchObject({ type: 'NotificationFailed' });
  } finally {
    sandbox.state.mail.replyDelayMs = 0;
  }
  await lossy.notifyCustomer(parcel(order, 'out_for_delivery')); // Temporal's retry
  email.close();

  expect(mailsTo(order.orderId)).toHaveLength(1);
  expect((await ledger(order.orderId)).find((r) => r.channel === 'email')).toMatchObject({ status: 'sent', attempts: 2 });
});

test('a customer opted out of SMS gets email only; the ledger says why', async () => {
  const order = await placedOrder({ customer: { name: 'Can Öztürk', email: 'can@example.com', phone: '+905339998877' } });
  await pool.query("INSERT INTO notification_opt_outs (channel, address) VALUES ('sms', '+905339998877') ON CONFLICT DO NOTHING");

  await notifications.notifyCustomer(parcel(order, 'shipped'));

  expect(mailsTo(order.orderId)).toHaveLength(1);
  expect(smsAbout(order.orderId)).toHaveLength(0);
  expect((await ledger(order.orderId)).find((r) => r.channel === 'sms')).toMatchObject({
    status: 'skipped',
    last_error: 'customer opted out',
  });
});

test('PUT /v1/notification-opt-outs stores the address as the ledger compares it (E.164, lower-case), and the next SMS is skipped; DELETE opts back in', async () => {
  const app = express()
    .use(express.json())
    .use('/v1/notification-opt-outs', optOutsRouter({ pool }))
    .use(errorHandler(pino({ level: 'silent' })));
  const order = await placedOrder({ customer: { name: 'Deniz Ak', email: 'Deniz@Example.com', phone: '0533 444 55 66' } });

  const put = await request(app)
    .put('/v1/notification-opt-outs')
    .send({ channel: 'sms', address: '0533 444 55 66', country: 'TR' })
    .expect(200);
  expect(put.body).toEqual({ channel: 'sms', address: '+905334445566', optedOut: true });
  await notifications.notifyCustomer(parcel(order, 'shipped'));
  expect(smsAbout(order.orderId)).toHaveLength(0);

  await request(app).delete('/v1/notification-opt-outs').send({ channel: 'sms', address: '+905334445566' }).expect(200);
  await notifications.notifyCustomer(parcel(order, 'out_for_delivery'));
  expect(smsAbout(order.orderId)).toHaveLength(1);

  const bad = await request(app).put('/v1/notification-opt-outs').send({ channel: 'sms', address: '12345' }).expect(400);
  expect(bad.body.issues).toEqual([{ path: 'address', message: 'not a valid phone number' }]);
});

test('phone numbers go out in E.164; a number that is not one is skipped, not guessed', async () => {
  expect(toE164('0532 123 45 67', 'TR')).toBe('+905321234567');
  expect(toE164('+49 30 901820', 'TR')).toBe('+4930901820');
  expect(toE164('12', 'TR')).toBeUndefined();
  const order = await placedOrder({ customer: { name: 'Ali Veli', email: 'ali@example.com', phone: '12345' } });

  await notifications.notifyCustomer(parcel(order, 'shipped'));

  expect((await ledger(order.orderId)).find((r) => r.channel === 'sms')).toMatchObject({
    status: 'skipped',
    last_error: 'no valid phone number',
  });
});

test('no name, email address or phone number reaches the logs', async () => {
  const order = await placedOrder({ customer: { name: 'Zeynep Kılıç', email: 'zeynep.kilic@example.com', phone: '+905447776655' } });
  sandbox.state.sms.faults.add({ kind: 'error', status: 500, times: 1, probability: 1, seed: 1 });
  await notifications.notifyCustomer(parcel(order, 'shipped')).catch(() => undefined);
  await notifications.notifyCustomer(parcel(order, 'shipped'));

  const logs = logLines.join('');
  expect(logs).toContain(order.orderId); // the logs do speak of the order
  for (const personal of ['Zeynep', 'zeynep.kilic@example.com', '+905447776655', '5447776655']) expect(logs).not.toContain(personal);
});

describe('templates are checked when the worker starts', () => {
  function brokenCopy(edit: (en: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'templates-'));
    cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'en.yaml'), edit(readFileSync(join(dir, 'en.yaml'), 'utf8')));
    return dir;
  }
  const problemsOf = (dir: string): string[] => {
    try {
      loadTemplates(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(TemplateError);
      return (err as TemplateError).problems;
    }
    throw new Error('the broken templates were accepted');
  };

  test('an unknown placeholder is named with its file, event and part', () => {
    const dir = brokenCopy((en) => en.replace('Tracking number: {{trackingNumber}}.', 'Tracking number: {{trackingNo}}.'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/^en\.yaml: shipped\.text: unknown placeholder \{\{trackingNo\}\}/)]);
  });

  test('a placeholder the event does not have (no tracking number for a cancelled order) is refused', () => {
    const dir = brokenCopy((en) =>
      en.replace('Your order {{orderId}} was cancelled"', 'Your order {{orderId}} ({{trackingNumber}}) was cancelled"'),
    );
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/^en\.yaml: cancelled\.subject: unknown placeholder \{\{trackingNumber\}\}/)]);
  });

  test('bad syntax and a missing part are both reported', () => {
    const dir = brokenCopy((en) =>
      en
        .replace('sms: "{{shopName}}: order {{orderId}} was delivered. How was the delivery? {{ratingUrl}}"', 'smss: "x"')
        .replace(
          'Hello {{customerName}},\n\n    Your order {{orderId}} was cancelled',
          'Hello {{customerName},\n\n    Your order {{orderId}} was cancelled',
        ),
    );
    const problems = problemsOf(dir);
    expect(problems).toContainEqual('en.yaml: delivered.sms: missing');
    expect(problems).toContainEqual(expect.stringMatching(/^en\.yaml: cancelled\.text: Parse error/));
  });

  test('the templates shipped with the engine load', () => {
    expect(() => loadTemplates()).not.toThrow();
  });
});
