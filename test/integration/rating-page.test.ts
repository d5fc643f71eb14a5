// Customer satisfaction (issue 26): the rating link of a delivered notice, over HTTP against
// PostgreSQL. The token names one parcel and expires; a rating can be changed for a week; bad
// input is refused naming the field and stores nothing; a low rating alerts ops and is published.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import request from 'supertest';
import { signRatingToken } from '../../lib/rating-token';
import { TEST_RATING_SECRET, useApiHarness } from '../helpers/api-harness';
import { ROOT, uniqueOrderId } from '../helpers/env';
import { MemoryCarrier } from '../helpers/memory-carrier';
import { sampleOrder } from '../helpers/orders';
import { recordedYurticiParcel } from '../helpers/records';

const harness = useApiHarness([new MemoryCarrier('cargo', 50)]);
const customer = { name: 'Şükrü Öğütçü', email: 'sukru.ogutcu@example.com', phone: '+905329876543' };

/** A parcel as the workflow's activities record it, and its rating link's token. */
async function parcel(status = 'delivered') {
  const order = sampleOrder({ orderId: uniqueOrderId('RATE'), customer });
  const recorded = await recordedYurticiParcel(harness.pool, order, status);
  return { ...recorded, token: signRatingToken(TEST_RATING_SECRET, recorded.shipmentId) };
}

const rate = (trackingNumber: string, body: object) =>
  request(harness.app).post(`/track/${trackingNumber}/rating`).set('Accept', 'application/json').send(body);

async function storedRating(shipmentId: string) {
  const { rows } = await harness.pool.query('SELECT stars, reasons, comment FROM delivery_ratings WHERE shipment_id = $1', [shipmentId]);
  return rows[0];
}

test('the link opens a form in Turkish with no personal data; a form post stores the rating and shows the thanks page', async () => {
  const { trackingNumber, token, shipmentId } = await parcel();

  const form = await request(harness.app).get(`/track/${trackingNumber}/rating`).query({ token }).set('Accept-Language', 'tr').expect(200);
  expect(form.text).toContain('Teslimatı puanlayın');
  expect(form.text).toContain('name="stars" value="5"');
  expect(form.text).toContain('Haber verilmeden bırakıldı');
  for (const personal of [customer.name, customer.email, customer.phone, 'Öğütçü']) expect(form.text).not.toContain(personal);

  const thanks = await request(harness.app)
    .post(`/track/${trackingNumber}/rating`)
    .set('Accept-Language', 'tr')
    .type('form')
    .send(`token=${encodeURIComponent(token)}&stars=4&reasons=late&comment=${encodeURIComponent('Kurye "çok" naziktı & hızlıydı')}`)
    .expect(200);
  expect(thanks.text).toContain('Teşekkürler');
  expect(thanks.text).toContain('Kurye &quot;çok&quot; naziktı &amp; hızlıydı'); // shown escaped
  expect(await storedRating(shipmentId)).toEqual({ stars: 4, reasons: ['late'], comment: 'Kurye "çok" naziktı & hızlıydı' });
});

test('a rating can be changed with the same link for a week, then the link is refused as used', async () => {
  const { trackingNumber, token, shipmentId } = await parcel();
  await rate(trackingNumber, { token, stars: 3 }).expect(200);
  const changed = await rate(trackingNumber, { token, stars: 5, reasons: [] }).expect(200);
  expect(changed.body.rating).toEqual({ stars: 5, reasons: [], comment: null });
  expect(await storedRating(shipmentId)).toMatchObject({ stars: 5 });

  await harness.pool.query(`UPDATE delivery_ratings SET rated_at = now() - interval '8 days' WHERE shipment_id = $1`, [shipmentId]);
  const reused = await rate(trackingNumber, { token, stars: 1 }).expect(409);
  expect(reused.body.error).toBe('rating_closed');
  expect(await storedRating(shipmentId)).toMatchObject({ stars: 5 });
});

test('forged, expired and foreign tokens are refused and store nothing', async () => {
  const { trackingNumber, shipmentId } = await parcel();
  const other = await parcel();

  const forged = await rate(trackingNumber, { token: signRatingToken('someone-elses-secret-0123', shipmentId), stars: 1 }).expect(403);
  expect(forged.body.error).toBe('invalid_token');
  const expired = await rate(trackingNumber, {
    token: signRatingToken(TEST_RATING_SECRET, shipmentId, Date.now() - 31 * 86_400_000),
    stars: 1,
  });
  expect([expired.status, expired.body.error]).toEqual([410, 'token_expired']);
  const foreign = await rate(trackingNumber, { token: other.token, stars: 1 }).expect(403); // another parcel's link
  expect(foreign.body.error).toBe('invalid_token');
  const garbage = await rate(trackingNumber, { token: 'not.a.token', stars: 1 }).expect(403);
  expect(garbage.body.error).toBe('invalid_token');
  await request(harness.app).get(`/track/${trackingNumber}/rating`).query({ token: 'x' }).set('Accept', 'text/html').expect(403);

  expect(await storedRating(shipmentId)).toBeUndefined();
  expect(await storedRating(other.shipmentId)).toBeUndefined();
});

test('stars outside 1-5, an oversized comment, markup and unknown reasons are each refused naming the field; nothing stored', async () => {
  const { trackingNumber, token, shipmentId } = await parcel();
  const cases: Array<[object, string]> = [
    [{ stars: 6 }, 'stars'],
    [{ stars: 0 }, 'stars'],
    [{ stars: 'five' }, 'stars'],
    [{ stars: 4, comment: 'x'.repeat(501) }, 'comment'],
    [{ stars: 4, comment: 'fine <script>alert(1)</script>' }, 'comment'],
    [{ stars: 4, reasons: ['rude_dog'] }, 'reasons.0'],
  ];
  for (const [body, field] of cases) {
    const res = await rate(trackingNumber, { token, ...body }).expect(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(field);
  }
  expect(await storedRating(shipmentId)).toBeUndefined();
});

test('a parcel not delivered yet cannot be rated', async () => {
  const { trackingNumber, token } = await parcel('in_transit');
  const res = await rate(trackingNumber, { token, stars: 5 }).expect(409);
  expect(res.body.error).toBe('not_delivered');
});

test('a low rating raises an ops alert and publishes shipment.rated for the OMS; a good one does neither', async () => {
  const low = await parcel();
  const good = await parcel();
  await rate(low.trackingNumber, { token: low.token, stars: 2, reasons: ['damaged', 'late'], comment: 'box crushed' }).expect(200);
  await rate(good.trackingNumber, { token: good.token, stars: 5 }).expect(200);

  const alerts = await harness.pool.query('SELECT shipment_id, message FROM ops_alerts WHERE kind = $1 AND shipment_id = ANY($2)', [
    'low_rating',
    [low.shipmentId, good.shipmentId],
  ]);
  expect(alerts.rows).toEqual([{ shipment_id: low.shipmentId, message: 'customer rated the delivery 2/5: damaged, late' }]);
  const events = await harness.pool.query('SELECT order_id, data FROM outbound_events WHERE type = $1 AND order_id = ANY($2)', [
    'shipment.rated',
    [low.orderId, good.orderId],
  ]);
  expect(events.rows).toEqual([
    {
      order_id: low.orderId,
      data: { orderId: low.orderId, shipmentId: low.shipmentId, stars: 2, reasons: ['damaged', 'late'], comment: 'box crushed' },
    },
  ]);
});

test('in Chromium: the customer taps 4 stars and a reason, sends, and sees the thanks page; a screenshot is kept', async () => {
  const { trackingNumber, token, shipmentId } = await parcel();
  const server = harness.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 480, height: 800 }, locale: 'en-GB' });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    // A CSP refusal shows here; the browser's own favicon request does not count.
    page.on('console', (msg) => msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico') && problems.push(msg.text()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await page.goto(`${base}/track/${trackingNumber}/rating?token=${encodeURIComponent(token)}`);
    await page.check('input[name=stars][value="4"]');
    await page.check('input[name=reasons][value=late]');
    await page.fill('textarea[name=comment]', 'A day late, otherwise fine.');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);

    expect(await page.textContent('h1')).toBe('Thank you');
    expect(await page.textContent('blockquote')).toBe('A day late, otherwise fine.');
    expect(await storedRating(shipmentId)).toEqual({ stars: 4, reasons: ['late'], comment: 'A day late, otherwise fine.' });
    expect(problems).toEqual([]);
    const screenshot = path.join(ROOT, '.data', 'rating-thanks.png'); // docs/img/rating-thanks.png is a copy
    mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
});
