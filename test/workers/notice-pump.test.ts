// The notice pump (workers/notice-pump.ts) over the real queue and ledger in PostgreSQL and the
// sandbox's SMTP server: what a parcel queues with its record (activities/shipments.ts) reaches the
// customer once, in the order it was queued, through a mail server's outage, and is given up on
// (the ledger says so) only after its attempts.
import pino from 'pino';
import type { Pool } from 'pg';
import { createNotificationActivities, type NotificationChannels } from '../../activities/notifications';
import { createEmailSender, type EmailSender } from '../../activities/notifications/email';
import type { NotificationEvent } from '../../activities/notifications/events';
import type { SmsSender } from '../../activities/notifications/sms';
import { loadTemplates } from '../../activities/notifications/templates';
import { createOrderActivities } from '../../activities/orders';
import { createShipmentActivities } from '../../activities/shipments';
import type { ShipmentView } from '../../domain/shipment';
import { createPool } from '../../lib/db';
import { startSandbox, type RunningSandbox } from '../../sandbox/main';
import { startNoticePump, type NoticePump } from '../../workers/notice-pump';
import { TEST_DATABASE_URL } from '../helpers/env';
import { sampleOrder } from '../helpers/orders';
import { eventually } from '../helpers/api-harness';
import { noticesSettled } from '../helpers/records';
import { uniqueName } from '../helpers/stock';

const FAST = { initialMs: 20, maxMs: 100, maxAttempts: 4 };
const quiet = pino({ level: 'silent' });

let pool: Pool;
let sandbox: RunningSandbox;
let smtp: EmailSender;
const pumps: NoticePump[] = [];

beforeAll(async () => {
  pool = createPool(TEST_DATABASE_URL, 8);
  sandbox = await startSandbox({ port: 0 });
  const port = await sandbox.state.mail.listen(0);
  smtp = createEmailSender({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Demo Shop <orders@shop.example>' });
});
afterEach(async () => {
  await Promise.all(pumps.splice(0).map((p) => p.stop()));
});
afterAll(async () => {
  smtp.close();
  await sandbox.state.mail.close();
  await sandbox.close();
  await pool.end();
});

const channels = (email: EmailSender, sms?: SmsSender): NotificationChannels => ({
  templates: loadTemplates(),
  email,
  sms,
  shopName: 'Demo Shop',
  publicBaseUrl: 'https://track.shop.example',
});

async function pump(taskQueue: string, email: EmailSender = smtp, sweepMs = 60_000, sms?: SmsSender, retry = FAST): Promise<NoticePump> {
  const customers = createNotificationActivities(pool, quiet, channels(email, sms));
  const started = await startNoticePump({
    pool,
    taskQueue,
    send: (n, channel) => customers.notifyCustomer(n, [channel]),
    logger: quiet,
    retry,
    sweepMs,
  });
  pumps.push(started);
  return started;
}

/** An order placed and its parcel recorded at `status`, queueing `events` as a parcel's record does. */
async function parcelTelling(taskQueue: string, events: NotificationEvent[], status: ShipmentView['status'] = 'labelled') {
  const order = sampleOrder();
  await createOrderActivities(pool).recordOrder({ order, workflowId: `order-${order.orderId}`, receivedAt: new Date().toISOString() });
  const view: ShipmentView = {
    shipmentId: `shipment-${order.orderId}-1`,
    kind: 'outbound',
    warehouseId: 'IST-1',
    lines: order.lines,
    status,
    events: [],
    carrier: 'yurtici',
    trackingNumber: uniqueName('YK'),
  };
  const record = (more: NotificationEvent[]) =>
    createShipmentActivities(pool).recordShipment({ orderId: order.orderId, view, notices: { taskQueue, events: more } });
  await record(events);
  return { orderId: order.orderId, record };
}

const mailsAbout = (orderId: string) => sandbox.state.mail.messages.filter((m) => m.subject?.includes(orderId));

/** The order's email notices in the queue (each channel has its own row). */
async function queue(orderId: string) {
  const { rows } = await pool.query(
    "SELECT event, status, attempts FROM notice_queue WHERE order_id = $1 AND channel = 'email' ORDER BY seq",
    [orderId],
  );
  return rows.map((r) => [r.event, r.status, r.attempts]);
}

async function ledger(orderId: string) {
  const { rows } = await pool.query(
    "SELECT event, status FROM notifications WHERE order_id = $1 AND channel = 'email' ORDER BY created_at",
    [orderId],
  );
  return rows.map((r) => [r.event, r.status]);
}

test('a notice queued with the record is emailed at once (woken, not swept), and a retried record queues it once', async () => {
  const taskQueue = uniqueName('orders');
  await pump(taskQueue); // sweeps once a minute: only the database's notification can wake it in time
  const { orderId, record } = await parcelTelling(taskQueue, ['shipped']);
  await record(['shipped']); // the local activity retried after its write

  await noticesSettled(pool, orderId, 5);
  expect(mailsAbout(orderId)).toHaveLength(1);
  expect(await queue(orderId)).toEqual([['shipped', 'done', 1]]);
  expect(await ledger(orderId)).toEqual([['shipped', 'sent']]);
});

test("an order's notices go out in the order queued, though the first is slow; another order's are not held up behind it", async () => {
  const taskQueue = uniqueName('orders');
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const sent: string[] = [];
  const slowFirst: EmailSender = {
    async send(message) {
      if (message.ledgerKey.endsWith('/shipped/email') && sent.length === 0) await gate;
      sent.push(message.ledgerKey);
      return smtp.send(message);
    },
    close() {},
  };
  await pump(taskQueue, slowFirst);
  const slow = await parcelTelling(taskQueue, ['shipped']);
  const { record } = slow;
  await record(['out_for_delivery']);
  await record(['delivered']);
  const other = await parcelTelling(taskQueue, ['out_for_delivery', 'delivered']);

  await noticesSettled(pool, other.orderId, 5); // while the first order's "shipped" still waits
  expect(sent.filter((key) => key.startsWith(`${other.orderId}/`)).map((key) => key.split('/')[2])).toEqual([
    'out_for_delivery',
    'delivered',
  ]);
  expect(sent.some((key) => key.startsWith(`${slow.orderId}/`))).toBe(false);

  openGate();
  await noticesSettled(pool, slow.orderId, 5);
  expect(sent.filter((key) => key.startsWith(`${slow.orderId}/`)).map((key) => key.split('/')[2])).toEqual([
    'shipped',
    'out_for_delivery',
    'delivered',
  ]);
});

test('a mail server down is asked again with backoff; past the last attempt the notice is given up, the ledger says so, and the next goes out', async () => {
  const taskQueue = uniqueName('orders');
  let down = true;
  const attempts: number[] = [];
  const flaky: EmailSender = {
    async send(message) {
      attempts.push(Date.now());
      if (down && message.ledgerKey.endsWith('/shipped/email')) throw new Error('connect ECONNREFUSED 127.0.0.1:25');
      return smtp.send(message);
    },
    close() {},
  };
  await pump(taskQueue, flaky);
  const { orderId, record } = await parcelTelling(taskQueue, ['shipped']);
  await record(['delivered']);

  await noticesSettled(pool, orderId, 10);
  expect(await queue(orderId)).toEqual([
    ['shipped', 'given_up', FAST.maxAttempts],
    ['delivered', 'done', 1],
  ]);
  expect(await ledger(orderId)).toEqual([
    ['shipped', 'failed'],
    ['delivered', 'sent'],
  ]);
  // Backoff: the waits between the four attempts double from 20 ms, capped at 100 (a few ms of timer slack).
  const waits = attempts.slice(1, FAST.maxAttempts).map((at, i) => at - attempts[i]);
  expect(waits.map((ms, i) => ms >= Math.min(FAST.initialMs * 2 ** i, FAST.maxMs) - 3)).toEqual([true, true, true]);
  expect(mailsAbout(orderId).map((m) => m.subject)).toHaveLength(1);

  down = false; // nothing is sent again by itself: given up means ops decide
  const later = await parcelTelling(taskQueue, ['shipped']);
  await noticesSettled(pool, later.orderId, 5);
  expect(await queue(orderId)).toEqual([
    ['shipped', 'given_up', FAST.maxAttempts],
    ['delivered', 'done', 1],
  ]);
});

test('an SMS gateway down holds no email up: the emails go out in order while the SMS is asked again', async () => {
  const taskQueue = uniqueName('orders');
  let smsDown = true;
  const texts: string[] = [];
  const sms: SmsSender = {
    async send({ ledgerKey }) {
      if (smsDown) throw new Error('connect ECONNREFUSED (the SMS gateway is down)');
      texts.push(ledgerKey.split('/')[2]);
      return { providerRef: `sms-${texts.length}` };
    },
  };
  await pump(taskQueue, smtp, 60_000, sms, { initialMs: 200, maxMs: 400, maxAttempts: 20 }); // the gateway is back long before the SMS is given up
  const { orderId, record } = await parcelTelling(taskQueue, ['shipped']);
  await record(['delivered']);

  await eventually(
    () => queue(orderId),
    (rows) => rows.every(([, status]) => status === 'done'),
  );
  expect(await queue(orderId)).toEqual([
    ['shipped', 'done', 1],
    ['delivered', 'done', 1],
  ]);
  expect(texts).toEqual([]); // still being asked again

  smsDown = false;
  await noticesSettled(pool, orderId, 10);
  expect(texts).toEqual(['shipped', 'delivered']);
});

test('two pumps on one task queue send each notice once; a pump of another task queue sends none of them', async () => {
  const taskQueue = uniqueName('orders');
  const others = await pump(uniqueName('orders'));
  await Promise.all([pump(taskQueue), pump(taskQueue)]);
  const orders = await Promise.all(Array.from({ length: 6 }, () => parcelTelling(taskQueue, ['shipped', 'out_for_delivery', 'delivered'])));
  await others.drain();

  for (const { orderId } of orders) {
    await noticesSettled(pool, orderId, 10);
    expect(mailsAbout(orderId)).toHaveLength(3);
  }
});

test('a notice leased by a process that died is left alone while its lease runs, then sent by another, once', async () => {
  const taskQueue = uniqueName('orders');
  const { orderId } = await parcelTelling(taskQueue, ['shipped']);
  // Claimed by a process that died mid-send: leased, its lease still running.
  await pool.query("UPDATE notice_queue SET attempts = 1, leased_until = now() + interval '1 hour' WHERE order_id = $1", [orderId]);
  const survivor = await pump(taskQueue);
  await survivor.drain();
  expect(mailsAbout(orderId)).toHaveLength(0);

  await pool.query("UPDATE notice_queue SET leased_until = now() - interval '1 second' WHERE order_id = $1", [orderId]); // the lease ran out
  await survivor.drain();
  expect(mailsAbout(orderId)).toHaveLength(1);
  expect(await queue(orderId)).toEqual([['shipped', 'done', 2]]);
});

test('a listener connection lost is made again (a notice queued after it goes out at once), and none is left once stopped', async () => {
  const taskQueue = uniqueName('orders');
  const ours = `application_name = 'notice pump ' || $1`; // this pump's listener, whatever else listens
  const listening = async () => (await pool.query(`SELECT pid FROM pg_stat_activity WHERE ${ours}`, [taskQueue])).rows;
  const dropListeners = () => pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${ours}`, [taskQueue]);
  const listener = await pump(taskQueue); // sweeps once a minute: only a listener can send the notice in time
  await dropListeners();

  const { orderId } = await parcelTelling(taskQueue, ['shipped']);
  await noticesSettled(pool, orderId, 5);
  expect(await eventually(listening, (rows) => rows.length === 1, 5)).toHaveLength(1);

  await dropListeners();
  await listener.stop(); // while it waits to connect again
  pumps.splice(pumps.indexOf(listener), 1);
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the reconnect's delay
  expect(await listening()).toEqual([]);
});

test('stopping the workers sends what is due first: a notice queued as they stop is not left for the next start', async () => {
  const taskQueue = uniqueName('orders');
  const stopping = await pump(taskQueue);
  const { orderId } = await parcelTelling(taskQueue, ['delivered']);
  await stopping.stop(); // at once, before the database's notification may have reached it
  pumps.splice(pumps.indexOf(stopping), 1);

  expect(await queue(orderId)).toEqual([['delivered', 'done', 1]]);
});
