// The notice pump (workers/notice-pump.ts) over the real queue and ledger in PostgreSQL and the
// sandbox's SMTP server: what a parcel queues with its record (activities/shipments.ts) reaches the
// customer once, in the order it was queued, through a mail server's outage, and is given up on
// (the ledger says so) only after its attempts.
import pino from 'pino';
import type { Pool } from 'pg';
import { createNotificationActivities, type NotificationChannels } from '../../activities/notifications';
import { createEmailSender, type EmailSender } from '../../activities/notifications/email';
import type { NotificationEvent } from '../../activities/notifications/events';
import { loadTemplates } from '../../activities/notifications/templates';
import { createOrderActivities } from '../../activities/orders';
import { createShipmentActivities } from '../../activities/shipments';
import type { ShipmentView } from '../../domain/shipment';
import { createPool } from '../../lib/db';
import { startSandbox, type RunningSandbox } from '../../sandbox/main';
import { startNoticePump, type NoticePump } from '../../workers/notice-pump';
import { TEST_DATABASE_URL } from '../helpers/env';
import { sampleOrder } from '../helpers/orders';
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

const channels = (email: EmailSender): NotificationChannels => ({
  templates: loadTemplates(),
  email,
  shopName: 'Demo Shop',
  publicBaseUrl: 'https://track.shop.example',
});

async function pump(taskQueue: string, email: EmailSender = smtp, sweepMs = 60_000): Promise<NoticePump> {
  const customers = createNotificationActivities(pool, quiet, channels(email));
  const started = await startNoticePump({ pool, taskQueue, send: (n) => customers.notifyCustomer(n), logger: quiet, retry: FAST, sweepMs });
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

async function queue(orderId: string) {
  const { rows } = await pool.query('SELECT event, status, attempts FROM notice_queue WHERE order_id = $1 ORDER BY seq', [orderId]);
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
  expect(await queue(orderId)).toEqual([['shipped', 'sent', 1]]);
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
    ['delivered', 'sent', 1],
  ]);
  expect(await ledger(orderId)).toEqual([
    ['shipped', 'failed'],
    ['delivered', 'sent'],
  ]);
  // Backoff: each wait at least the one before (20, 40, 80 ms), never asked again at once.
  const waits = attempts.slice(1, FAST.maxAttempts).map((at, i) => at - attempts[i]);
  expect(waits.every((ms) => ms >= FAST.initialMs)).toBe(true);
  expect(mailsAbout(orderId).map((m) => m.subject)).toHaveLength(1);

  down = false; // nothing is sent again by itself: given up means ops decide
  const later = await parcelTelling(taskQueue, ['shipped']);
  await noticesSettled(pool, later.orderId, 5);
  expect(await queue(orderId)).toEqual([
    ['shipped', 'given_up', FAST.maxAttempts],
    ['delivered', 'sent', 1],
  ]);
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

test('stopping the workers sends what is due first: a notice queued as they stop is not left for the next start', async () => {
  const taskQueue = uniqueName('orders');
  const stopping = await pump(taskQueue);
  const { orderId } = await parcelTelling(taskQueue, ['delivered']);
  await stopping.stop(); // at once, before the database's notification may have reached it
  pumps.splice(pumps.indexOf(stopping), 1);

  expect(await queue(orderId)).toEqual([['delivered', 'sent', 1]]);
});
