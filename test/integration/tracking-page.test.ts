// The public tracking page over HTTP, against PostgreSQL: English and Turkish HTML, JSON,
// nothing personal beyond the destination city, 404 and 400 pages, and a parcel booked by a
// real order showing up there.
import request from 'supertest';
import type { HoldReason, TrackingStatus } from '../../domain/shipment';
import { eventually, useApiHarness } from '../helpers/api-harness';
import { uniqueOrderId } from '../helpers/env';
import { MemoryCarrier } from '../helpers/memory-carrier';
import { sampleOrder } from '../helpers/orders';
import { stockedOrder } from '../helpers/stock';
import { recordedYurticiParcel } from '../helpers/records';

const harness = useApiHarness([new MemoryCarrier('cargo', 50)]);

/** The customer's personal data in every parcel below: none of it may reach the page. */
const customer = { name: 'Şükrü Çağatay Öğütçü', email: 'sukru.ogutcu@example.com', phone: '+905329876543' };
const address = {
  name: 'Şükrü Çağatay Öğütçü',
  line1: 'Moda Cad. Güneşli Sok. No: 19',
  line2: 'Daire 8',
  city: 'İstanbul',
  district: 'Kadıköy',
  postalCode: '34710',
  countryCode: 'TR',
  phone: '+905329876543',
};
const PERSONAL = [
  customer.name,
  'Öğütçü',
  customer.email,
  customer.phone,
  address.line1,
  'Güneşli',
  address.line2,
  address.district,
  address.postalCode,
];

interface Scan {
  status: TrackingStatus;
  at: string;
  location?: string;
  reason?: HoldReason;
}

/** A parcel as the workflow's activities record it: the order, its shipment with Yurtiçi, the carrier's scans. */
async function recordedParcel(status: string, scans: Scan[], promisedDeliveryDate?: string) {
  const order = sampleOrder({ orderId: uniqueOrderId('TRK'), customer, shippingAddress: address, promisedDeliveryDate });
  const { orderId, shipmentId, trackingNumber } = await recordedYurticiParcel(harness.pool, order, status);
  for (const [i, scan] of scans.entries()) {
    await harness.pool.query(
      `INSERT INTO tracking_events (shipment_id, event_id, tracking_number, status, raw_code, location, occurred_at, reason)
       VALUES ($1, $2, $3, $4, 'X', $5, $6, $7)`,
      [shipmentId, `e${i}`, trackingNumber, scan.status, scan.location ?? null, scan.at, scan.reason ?? null],
    );
  }
  return { orderId, trackingNumber, order };
}

const inTransit = () =>
  recordedParcel(
    'in_transit',
    [
      { status: 'picked_up', at: '2026-11-20T09:15:00Z', location: 'İstanbul Tuzla Şube' },
      { status: 'in_transit', at: '2026-11-20T21:40:00Z', location: 'Gebze Transfer Merkezi' },
      { status: 'in_transit', at: '2026-11-21T04:05:00Z' },
    ],
    '2026-11-24',
  );

test('JSON with Accept: application/json: carrier, normalized status, timeline newest first, estimated delivery, destination city', async () => {
  const { trackingNumber } = await inTransit();
  const res = await request(harness.app).get(`/track/${trackingNumber}`).set('Accept', 'application/json').expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers.vary).toMatch(/Accept, Accept-Language/);
  expect(res.body).toEqual({
    trackingNumber,
    language: 'en',
    carrier: { code: 'yurtici', name: 'Yurtiçi Kargo' },
    status: { code: 'in_transit', label: 'In transit' },
    destination: { city: 'İstanbul', countryCode: 'TR' },
    estimatedDelivery: '2026-11-24',
    deliveredAt: null,
    events: [
      { at: '2026-11-21T04:05:00.000Z', status: { code: 'in_transit', label: 'In transit' } },
      { at: '2026-11-20T21:40:00.000Z', status: { code: 'in_transit', label: 'In transit' }, location: 'Gebze Transfer Merkezi' },
      { at: '2026-11-20T09:15:00.000Z', status: { code: 'picked_up', label: 'Picked up by the carrier' }, location: 'İstanbul Tuzla Şube' },
    ],
  });

  const turkish = await request(harness.app)
    .get(`/track/${trackingNumber}`)
    .set({ Accept: 'application/json', 'Accept-Language': 'tr-TR,tr;q=0.9,en;q=0.8' })
    .expect(200);
  expect(turkish.body.language).toBe('tr');
  expect(turkish.body.status).toEqual({ code: 'in_transit', label: 'Transfer sürecinde' });
  expect(turkish.body.events[2].status.label).toBe('Kargo firmasına teslim edildi');
});

test('a parcel the carrier lost shows as lost, in both languages, with no estimated delivery (issue 16, defect 3)', async () => {
  const { trackingNumber } = await recordedParcel('lost', [{ status: 'in_transit', at: '2026-10-20T09:15:00Z' }], '2026-10-24');
  const res = await request(harness.app).get(`/track/${trackingNumber}`).set('Accept', 'application/json').expect(200);
  expect(res.body.status).toEqual({ code: 'lost', label: 'Lost by the carrier' });
  expect(res.body.estimatedDelivery).toBeNull();
  const turkish = await request(harness.app).get(`/track/${trackingNumber}`).set({ Accept: 'application/json', 'Accept-Language': 'tr' });
  expect(turkish.body.status).toEqual({ code: 'lost', label: 'Kargo firması kaybetti' });
});

test('a parcel held by customs shows "In customs" (on_hold with the customs reason), in both languages; a plain hold stays "On hold"', async () => {
  const { trackingNumber } = await recordedParcel('on_hold', [
    { status: 'on_hold', at: '2026-11-20T09:15:00Z', location: 'Antwerp, BE' },
    { status: 'in_transit', at: '2026-11-21T09:15:00Z' },
    { status: 'on_hold', at: '2026-11-22T06:00:00Z', location: 'London, GB', reason: 'customs' },
  ]);
  const res = await request(harness.app).get(`/track/${trackingNumber}`).set('Accept', 'application/json').expect(200);
  const inCustoms = { code: 'on_hold', reason: 'customs', label: 'In customs' };
  expect(res.body.status).toEqual(inCustoms);
  expect(res.body.events.map((e: { status: object }) => e.status)).toEqual([
    inCustoms,
    { code: 'in_transit', label: 'In transit' },
    { code: 'on_hold', label: 'On hold' },
  ]);
  const turkish = await request(harness.app).get(`/track/${trackingNumber}`).set({ Accept: 'application/json', 'Accept-Language': 'tr' });
  expect(turkish.body.status).toEqual({ ...inCustoms, label: 'Gümrükte' });
  const page = await request(harness.app).get(`/track/${trackingNumber}`).set('Accept-Language', 'tr').expect(200);
  expect(page.text).toContain('<p class="status">Gümrükte</p>');
});

/** The page is in `language` (by its header and its <html lang>) and shows each of `texts`. */
function expectPage(page: request.Response, language: string, texts: string[]): void {
  expect(page.headers['content-language']).toBe(language);
  expect(page.text).toContain(`<html lang="${language}">`);
  for (const text of texts) expect(page.text).toContain(text);
}

test('HTML in English by default, and in Turkish for Accept-Language tr; no scripts, so the CSP holds', async () => {
  const { trackingNumber } = await inTransit();
  const english = await request(harness.app)
    .get(`/track/${trackingNumber}`)
    .set('Accept', 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8')
    .expect(200);
  expect(english.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
  expect(english.headers['content-security-policy']).toMatch(/script-src 'self'/);
  expectPage(english, 'en', [
    'Track your parcel',
    'In transit',
    'Yurtiçi Kargo',
    'İstanbul',
    'Gebze Transfer Merkezi',
    'Picked up by the carrier',
    'Estimated delivery',
    'Tuesday, 24 November 2026',
  ]);
  expect(english.text).toContain('<time datetime="2026-11-20T09:15:00.000Z">20 Nov 2026, 12:15</time>'); // Turkish time
  expect(english.text).not.toMatch(/<script/i);

  const turkish = await request(harness.app).get(`/track/${trackingNumber}`).set('Accept-Language', 'tr').expect(200);
  expectPage(turkish, 'tr', [
    'Kargo takibi',
    'Transfer sürecinde',
    'Kargo firması',
    'Varış yeri',
    'Tahmini teslimat',
    '24 Kasım 2026 Salı',
    'Gönderi hareketleri',
    'Kargo firmasına teslim edildi',
  ]);

  const anyLanguage = await request(harness.app).get(`/track/${trackingNumber}`).set('Accept-Language', 'de-DE,de;q=0.9').expect(200);
  expect(anyLanguage.text).toContain('<html lang="en">');
});

test('no personal data beyond the destination city: not the name, street, district, postcode, email, phone, nor the order', async () => {
  const { trackingNumber, order } = await inTransit();
  const pages = await Promise.all([
    request(harness.app).get(`/track/${trackingNumber}`),
    request(harness.app).get(`/track/${trackingNumber}`).set('Accept-Language', 'tr'),
    request(harness.app).get(`/track/${trackingNumber}`).set('Accept', 'application/json'),
  ]);
  for (const page of pages) {
    expect(page.status).toBe(200);
    for (const secret of [...PERSONAL, order.orderId, ...order.lines.map((l) => l.sku)]) expect(page.text).not.toContain(secret);
  }
});

test('a delivered parcel shows when it was delivered and no estimate; the number is found in any case', async () => {
  const { trackingNumber } = await recordedParcel(
    'delivered',
    [
      { status: 'out_for_delivery', at: '2026-11-22T07:30:00Z', location: 'Kadıköy Şube' },
      { status: 'delivered', at: '2026-11-22T11:02:00Z', location: 'Kadıköy Şube' },
    ],
    '2026-11-24',
  );
  const res = await request(harness.app).get(`/track/${trackingNumber.toLowerCase()}`).set('Accept', 'application/json').expect(200);
  expect(res.body).toMatchObject({
    trackingNumber,
    status: { code: 'delivered', label: 'Delivered' },
    deliveredAt: '2026-11-22T11:02:00.000Z',
    estimatedDelivery: null,
  });
});

test('whatever a carrier writes into a scan is shown as text, never as markup', async () => {
  const { trackingNumber } = await recordedParcel('in_transit', [
    { status: 'in_transit', at: '2026-11-21T10:00:00Z', location: '<script>alert("x")</script> Ankara & <b>Hub</b> \'A\'' },
  ]);
  const res = await request(harness.app).get(`/track/${trackingNumber}`).expect(200);
  expect(res.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Ankara &amp; &lt;b&gt;Hub&lt;/b&gt; &#39;A&#39;');
  expect(res.text).not.toMatch(/<script|<b>/);
});

test('an unknown number is a 404 page in the reader’s language, or 404 tracking_not_found as JSON', async () => {
  const english = await request(harness.app).get('/track/NOSUCH0000001').expect(404);
  expect(english.headers['content-type']).toMatch(/^text\/html/);
  expect(english.text).toContain('Parcel not found');
  const turkish = await request(harness.app).get('/track/NOSUCH0000001').set('Accept-Language', 'tr').expect(404);
  expect(turkish.text).toContain('Gönderi bulunamadı');
  const json = await request(harness.app).get('/track/NOSUCH0000001').set('Accept', 'application/json').expect(404);
  expect(json.body).toEqual({ error: 'tracking_not_found', message: 'no parcel with tracking number NOSUCH0000001' });
});

test('a malformed number is a clear 400, as a page or as JSON naming the field', async () => {
  const json = await request(harness.app)
    .get(`/track/${encodeURIComponent('<b>x</b>')}`)
    .set('Accept', 'application/json')
    .expect(400);
  expect(json.body.error).toBe('validation_failed');
  expect(json.body.issues).toEqual([{ path: 'trackingNumber', message: 'must be 6-40 letters, digits or dashes' }]);
  const page = await request(harness.app).get('/track/abc').set('Accept-Language', 'tr').expect(400);
  expect(page.text).toContain('Geçersiz takip numarası');
  await request(harness.app)
    .get(`/track/${'9'.repeat(41)}`)
    .expect(400);
});

test('a parcel booked by a real order appears as soon as it is labelled, with its destination city', async () => {
  const { order } = await stockedOrder(harness.pool);
  await harness.api.post('/v1/orders').send(order).expect(202);
  const labelled = await eventually(
    () => harness.api.get(`/v1/orders/${order.orderId}`),
    (res) => res.body.status === 'labelled',
  );
  const { trackingNumber } = labelled.body.shipments[0];
  const { body } = await eventually(
    () => request(harness.app).get(`/track/${trackingNumber}`).set('Accept', 'application/json'),
    (res) => res.status === 200,
  );
  expect(body).toEqual({
    trackingNumber,
    language: 'en',
    carrier: { code: 'cargo', name: 'cargo' },
    status: { code: 'label_created', label: 'Label created, waiting for the carrier' },
    destination: { city: order.shippingAddress.city, countryCode: 'TR' },
    estimatedDelivery: null,
    deliveredAt: null,
    events: [],
  });
});
