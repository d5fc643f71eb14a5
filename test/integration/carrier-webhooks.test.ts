// UPS pushes tracking by Track Alert: the adapter subscribes each parcel it books, and the carrier
// sandbox posts each scan to the API (real HTTP both ways) with a bearer token it fetched from the
// API's token endpoint as the OAuth client we registered; the API checks it, drops repeats (by
// content: UPS events carry no id) and signals the shipment workflow, on the real Temporal dev
// server. Forged, expired, unknown and malformed deliveries signal nothing.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import request from 'supertest';
import { createUpsAdapter } from '../../carriers/ups';
import { createUpsWebhook } from '../../carriers/ups/webhook';
import type { OrderView } from '../../domain/order';
import { SANDBOX_UPS_CREDENTIALS } from '../../sandbox/app';
import { startSandbox, type RunningSandbox } from '../../sandbox/main';
import { createTestApp, eventually, startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { stockedOrder } from '../helpers/stock';

let validToken: string;
const CLIENT_ID = 'test-ups-track-alert';
const SECRET = 'test-ups-webhook-secret-0123456789';
const credentials = { clientId: CLIENT_ID, clientSecret: SECRET };
let sandbox: RunningSandbox;
let harness: ApiHarness;
let server: Server;
/** The API's log lines, to check each rejection is logged once. */
const logLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  const ups = createUpsAdapter({ baseUrl: `${sandbox.url}/ups`, ...SANDBOX_UPS_CREDENTIALS, timeoutMs: 5_000 });
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  harness = await startApiHarness([ups], { carrierWebhooks: [createUpsWebhook(credentials)], logger });
  server = await new Promise<Server>((resolve) => {
    const s = harness.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/webhooks/carriers/ups`;
  await request(sandbox.app)
    .put('/_admin/ups/webhook')
    .send({ url, tokenUrl: `${url}/token`, ...credentials })
    .expect(200);
  validToken = (await token().expect(200)).body.access_token;
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await harness?.stop();
  await sandbox?.close();
});

const admin = {
  advance: (trackingNumber: string, code: string) =>
    request(sandbox.app).post(`/_admin/ups/shipments/${trackingNumber}/advance`).send({ code }).expect(201),
  deliveries: async () =>
    (await request(sandbox.app).get('/_admin/ups/webhook/deliveries?wait=true').expect(200)).body.deliveries as Array<{
      eventId: string;
      trackingNumber: string;
      code: string;
      state: string;
      last: unknown;
    }>,
};

async function orderReaching(orderId: string, accept: (view: OrderView) => boolean, seconds = 30): Promise<OrderView> {
  const res = await eventually(
    () => harness.api.get(`/v1/orders/${orderId}`),
    (r) => r.status === 200 && accept(r.body),
    seconds,
  );
  return res.body;
}

/** A bearer token from the API's token endpoint, as UPS gets one with the credential we registered. */
function token(secret = SECRET) {
  return request(harness.app)
    .post('/v1/webhooks/carriers/ups/token')
    .auth(CLIENT_ID, secret)
    .type('form')
    .send('grant_type=client_credentials');
}

/** A Track Alert event as UPS would send it, for the hostile cases. */
function delivery(body: object, { bearer = validToken, apiKey = CLIENT_ID }: { bearer?: string; apiKey?: string } = {}, app = harness.app) {
  return request(app)
    .post('/v1/webhooks/carriers/ups')
    .set('Content-Type', 'application/json')
    .set('User-Agent', 'UPSPubSubTrackingService')
    .set('x-api-key', apiKey)
    .set('Authorization', `Bearer ${bearer}`)
    .send(JSON.stringify(body));
}

const event = (number: string, raw: string) => {
  const [type, code] = raw.split('/');
  return {
    trackingNumber: number,
    activityStatus: { type, code },
    gmtActivityDate: '20261124',
    gmtActivityTime: '100000',
    activityLocation: { city: 'Ankara', country: 'TR' },
  };
};

let trackingNumber: string;
let orderId: string;

test('scans pushed by the carrier move the order to delivered without a poll; a resent delivery changes nothing', async () => {
  const { order } = await stockedOrder(harness.pool);
  orderId = order.orderId;
  await harness.api.post('/v1/orders').send(order).expect(202);
  const labelled = await orderReaching(orderId, (v) => v.status === 'labelled');
  trackingNumber = labelled.shipments[0].trackingNumber!;
  expect(labelled.shipments[0].carrier).toBe('ups');

  const path = ['I/PU', 'I/OR', 'I/OT', 'D/FS'];
  // Each scan is received before the next is made, as real scans hours apart are: a scan that reaches a
  // parcel already delivered comes too late for its timeline (the shipment has ended).
  for (const code of path) {
    await admin.advance(trackingNumber, code);
    await admin.deliveries();
  }
  const delivered = await orderReaching(orderId, (v) => v.status === 'delivered');
  expect(delivered.shipments[0].events.map((e) => e.rawCode)).toEqual(path);
  const deliveries = (await admin.deliveries()).filter((d) => d.trackingNumber === trackingNumber);
  expect(deliveries.map((d) => [d.code, d.state, d.last])).toEqual(path.map((code) => [code, 'delivered', 200]));

  // The carrier sends the pick-up again (the same content: UPS events carry no id): acknowledged, dropped.
  await request(sandbox.app).post(`/_admin/ups/webhook/deliveries/${deliveries[0].eventId}/redeliver`).expect(202);
  const [again] = (await admin.deliveries()).filter((d) => d.eventId === deliveries[0].eventId);
  expect(again).toMatchObject({ state: 'delivered', last: 200, attempts: 2 });
  const { rows } = await harness.pool.query('SELECT count(*)::int AS n FROM carrier_webhook_events WHERE tracking_number = $1', [
    trackingNumber,
  ]);
  expect(rows[0].n).toBe(4);
  const after = await orderReaching(orderId, () => true);
  expect(after.shipments[0].events).toHaveLength(4);
}, 90_000);

test('forged, expired, foreign, unknown-carrier and malformed deliveries are refused and signal nothing, each logged once', async () => {
  expect(trackingNumber).toBeDefined(); // the parcel from the test above
  const body = event(trackingNumber, 'RS');
  logLines.length = 0;

  const wrongSecret = await token('not-the-registered-secret-at-all').expect(401);
  expect(wrongSecret.body).toMatchObject({ error: 'invalid_client' });
  const forged = await delivery(body, { bearer: `9999999999.${'A'.repeat(43)}` }).expect(401);
  expect(forged.body).toMatchObject({ error: 'invalid_credentials' });
  // Signed by us, but past its expiry: a token issued an hour ago by a webhook with the same credential.
  const stale = createUpsWebhook({ ...credentials, tokenTtlSeconds: -1 }).token!({
    authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`,
    grantType: 'client_credentials',
  });
  const expired = await delivery(body, { bearer: (stale.body as { access_token: string }).access_token }).expect(401);
  expect(expired.body.message).toContain('expired');
  const foreign = await delivery(body, { apiKey: 'someone-else' }).expect(401);
  expect(foreign.body.message).toContain('x-api-key');
  const malformed = await delivery({ trackingNumber, activity: { status: { type: 'RS' } } }).expect(400);
  expect(malformed.body).toMatchObject({ error: 'malformed_payload' });
  expect(malformed.body.message).toContain('activityStatus');
  await request(harness.app).post('/v1/webhooks/carriers/nope').send({}).expect(404);
  const unknownParcel = await delivery(event('1ZUNKNOWN000000000', 'I/PU')).expect(404);
  expect(unknownParcel.body).toMatchObject({ error: 'unknown_tracking_number' });

  const rejections = logLines.filter((l) => l.msg === 'carrier webhook rejected').map((l) => l.reason);
  expect(rejections).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'malformed_payload']);
  const view = await orderReaching(orderId, () => true);
  expect(view.shipments[0].events.map((e) => e.rawCode)).toEqual(['I/PU', 'I/OR', 'I/OT', 'D/FS']); // no RS arrived
  expect(view.status).toBe('delivered');
});

test('the same event resent under another event id header and a fresh token is processed once (issue 18, finding 10)', async () => {
  expect(trackingNumber).toBeDefined(); // the parcel from the first test
  // Deduped by what the delivery says (parcel, scan, time), not by anything a sender can vary beside it.
  const body = { ...event(trackingNumber, 'I/OR'), gmtActivityDate: '20261125', gmtActivityTime: '083000' };
  const first = await delivery(body).set('X-Ups-Event-Id', 'first-id').expect(200);
  expect(first.body.status).not.toBe('duplicate');
  const fresh = (await token().expect(200)).body.access_token;
  const again = await delivery(body, { bearer: fresh }).set('X-Ups-Event-Id', 'another-id').expect(200);
  expect(again.body).toMatchObject({ status: 'duplicate', deliveryId: first.body.deliveryId });
  const { rows } = await harness.pool.query('SELECT count(*)::int AS n FROM carrier_webhook_events WHERE carrier = $1 AND event_id = $2', [
    'ups',
    first.body.deliveryId,
  ]);
  expect(rows[0].n).toBe(1);
});

test('a resend that arrives while the first attempt is still signalling is processed, not dropped as a duplicate', async () => {
  const { order } = await stockedOrder(harness.pool);
  await harness.api.post('/v1/orders').send(order).expect(202);
  const parcel = (await orderReaching(order.orderId, (v) => v.status === 'labelled')).shipments[0].trackingNumber!;
  // The first attempt reaches an API instance whose signal to Temporal hangs (an outage under
  // way) and then fails, while the carrier's own timeout runs out and it resends.
  let failSignal!: () => void;
  const outage = new Promise<void>((resolve) => (failSignal = resolve));
  const hanging = {
    workflow: { getHandle: () => ({ signal: () => outage.then(() => Promise.reject(new Error('Temporal unavailable'))) }) },
  } as unknown as Client;
  // Any API instance takes the token any other issued (they are stateless).
  const stuckApp = createTestApp(hanging, harness.pool, { carrierWebhooks: [createUpsWebhook(credentials)] });
  const body = event(parcel, 'I/PU');
  const first = delivery(body, {}, stuckApp).then((r) => r.status);
  await new Promise((r) => setTimeout(r, 300));

  const resend = await delivery(body).expect(200);
  expect(resend.body).toMatchObject({ status: 'accepted' });
  const moved = await orderReaching(order.orderId, (v) => v.status === 'picked_up');
  expect(moved.shipments[0].events.map((e) => e.rawCode)).toEqual(['I/PU']);
  // Had the stuck attempt recorded the event before signalling, the resend would have been
  // answered "duplicate" and the pick-up lost when the stuck attempt failed.
  failSignal();
  expect(await first).toBe(500);
}, 90_000);

test('a valid late delivery for a finished parcel is acknowledged and ignored', async () => {
  await harness.client.workflow.getHandle(`order-${orderId}`).terminate('test: the order is over');
  await harness.client.workflow
    .getHandle(`shipment-${orderId}-1`)
    .terminate('test: the parcel is over')
    .catch(() => undefined);
  const late = await delivery(event(trackingNumber, 'X')).expect(200);
  expect(late.body).toMatchObject({ status: 'ignored' });
});
