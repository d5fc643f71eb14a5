// The KPI dashboard: the static page over HTTP (no data, no key, a strict CSP), and in headless
// Chromium (Debian's, driven by playwright-core) against seeded parcels: a reader types an ops key,
// the table shows each carrier's figures, the charts draw, and a screenshot lands in .data/.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import type { Pool } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { createPool } from '../../lib/db';
import { createTestApp, TEST_KEYS } from '../helpers/api-harness';
import { devServerAddress, ROOT, TEST_DATABASE_URL, uniqueOrderId } from '../helpers/env';
import { clearOrdersCreatedBetween } from '../helpers/records';
import { CARRIERS as REGISTERED } from '../../carriers/registry';

const CHROMIUM = '/usr/bin/chromium'; // scripts/chromium installs it
const SCREENSHOT = path.join(ROOT, '.data', 'kpi-dashboard.png');

// A period of its own, long past, so the dashboard shows only what this file recorded.
const DAYS = ['2025-04-14', '2025-04-15', '2025-04-16'];
const CHANNEL = `dash-${randomUUID().slice(0, 8)}`;

/**
 * Four parcels per carrier and day, ordered at 08:00 + i h, labelled 2 h later, first scanned
 * `scanAfterLabelHours` after the label, delivered at 11:00 + i h + `transitHours + 3i` h, promised
 * two days after the order (on time while 11 + transitHours + 4i < 72): aras is late only for
 * i = 3 (75% on time), mng never (100%), yurtici for all but i = 0 (25%).
 */
const CARRIERS = [
  { carrier: 'aras', transitHours: 50, scanAfterLabelHours: 1, cost: 80 },
  { carrier: 'mng', transitHours: 30, scanAfterLabelHours: 0.25, cost: 95 },
  { carrier: 'yurtici', transitHours: 58, scanAfterLabelHours: 1, cost: 70 },
];

let pool: Pool;
let connection: Connection;
let app: Express;
let server: Server;
let baseUrl: string;
let browser: Browser;

const at = (day: string, hours: number) => new Date(Date.parse(`${day}T00:00:00Z`) + hours * 3_600_000).toISOString();

const clearPeriod = () => clearOrdersCreatedBetween(pool, '2025-04-14', '2025-04-17');

/** An order and its parcel as the records hold them; status changes go through the milestone trigger. */
async function seedParcel(day: string, i: number, carrier?: (typeof CARRIERS)[number]): Promise<void> {
  const orderId = uniqueOrderId('DASH');
  const shipmentId = `shipment-${orderId}-1`;
  const promised = at(day, 48).slice(0, 10);
  await pool.query(
    `INSERT INTO orders (order_id, workflow_id, channel, status, service, request, request_hash, created_at) VALUES ($1, $2, $3, 'received', 'standard', $4, 'test', $5)`,
    [orderId, `order-${orderId}`, CHANNEL, { orderId, promisedDeliveryDate: promised }, at(day, 8 + i)],
  );
  if (!carrier) {
    await pool.query(`INSERT INTO shipments (shipment_id, order_id, warehouse_id, status) VALUES ($1, $2, 'IST-1', 'needs_attention')`, [
      shipmentId,
      orderId,
    ]);
    return;
  }
  const trackingNumber = `DASH${randomUUID().slice(0, 10).toUpperCase()}`;
  const quotes = JSON.stringify([{ carrier: carrier.carrier, service: 'standard', amount: carrier.cost, currency: 'TRY', transitDays: 2 }]);
  const firstStatus = carrier.carrier === 'mng' && i === 0 ? 'address_invalid' : 'booking';
  await pool.query(`INSERT INTO shipments (shipment_id, order_id, warehouse_id, status) VALUES ($1, $2, 'IST-1', $3)`, [
    shipmentId,
    orderId,
    firstStatus,
  ]);
  await pool.query(`UPDATE shipments SET status = 'labelled', carrier = $2, tracking_number = $3, quotes = $4 WHERE shipment_id = $1`, [
    shipmentId,
    carrier.carrier,
    trackingNumber,
    quotes,
  ]);
  await pool.query(`UPDATE shipment_milestones SET at = $2 WHERE shipment_id = $1 AND status = 'labelled'`, [shipmentId, at(day, 10 + i)]);
  const scans = [
    ['picked_up', at(day, 10 + i + carrier.scanAfterLabelHours)],
    ['delivered', at(day, 11 + i + carrier.transitHours + 3 * i)],
  ];
  for (const [n, [status, when]] of scans.entries()) {
    await pool.query(
      `INSERT INTO tracking_events (shipment_id, event_id, tracking_number, status, occurred_at) VALUES ($1, $2, $3, $4, $5)`,
      [shipmentId, `e${n}`, trackingNumber, status, when],
    );
  }
  await pool.query(`UPDATE shipments SET status = 'delivered' WHERE shipment_id = $1`, [shipmentId]);
  if (carrier.carrier === 'yurtici' && i === 3) {
    await pool.query(`INSERT INTO ops_alerts (shipment_id, kind, order_id, message) VALUES ($1, 'delayed', $2, 'test')`, [
      shipmentId,
      orderId,
    ]);
  }
  // Half the customers rate the delivery (issue 26): aras 5 and 4 stars, mng 5 and 5, yurtici 2 and 3.
  const stars = { aras: [5, 4], mng: [5, 5], yurtici: [2, 3] }[carrier.carrier]?.[i];
  if (stars) {
    await pool.query(`INSERT INTO delivery_ratings (shipment_id, order_id, stars, language) VALUES ($1, $2, $3, 'tr')`, [
      shipmentId,
      orderId,
      stars,
    ]);
  }
  if (carrier.carrier === 'aras' && i === 0) {
    await pool.query(`INSERT INTO order_status_history (order_id, seq, status, at) VALUES ($1, 1, 'return_requested', $2)`, [
      orderId,
      at(day, 100),
    ]);
  }
}

beforeAll(async () => {
  pool = createPool(TEST_DATABASE_URL);
  connection = await Connection.connect({ address: devServerAddress() });
  app = createTestApp(new Client({ connection }), pool);
  await clearPeriod();
  for (const day of DAYS) {
    for (const carrier of CARRIERS) for (let i = 0; i < 4; i++) await seedParcel(day, i, carrier);
    await seedParcel(day, 0); // one parcel a day no carrier would take
  }
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await clearPeriod();
  await pool?.end();
  await connection?.close();
});

/** A page that fails the test on any script error or refused resource (a CSP violation shows up here too). */
async function openDashboard(url = `${baseUrl}/dashboard`): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  // The browser logs a refused call as an error too: those are the responses checked below.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
  });
  page.on('response', (res) => {
    const refusedKey = res.url().includes('/v1/kpis') && [401, 403].includes(res.status());
    if (res.status() >= 400 && !refusedKey) problems.push(`${res.status()} ${res.url()}`);
  });
  await page.goto(url);
  return { page, problems };
}

async function show(page: Page, key: string): Promise<void> {
  await page.fill('input[name=key]', key);
  await page.fill('input[name=from]', DAYS[0]);
  await page.fill('input[name=to]', DAYS[2]);
  await page.fill('input[name=channel]', CHANNEL);
  await page.click('button[type=submit]');
  await page.waitForSelector('body[data-state=ready], body[data-state=error]');
}

// Code that runs in the page is given as source: the type-check here knows Node, not the DOM.
const tableRows = (page: Page) =>
  page.evaluate<string[][]>(
    `Array.from(document.querySelectorAll('#carriers tbody tr'), (row) => Array.from(row.cells, (td) => td.textContent))`,
  );

/** How many pixels a canvas has painted: an empty chart is all transparent. */
const paintedPixels = (page: Page, id: string) =>
  page.evaluate<number>(`(() => {
    const canvas = document.getElementById(${JSON.stringify(id)});
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return painted;
  })()`);

test('GET /dashboard is a static page: no data, no key, scripts from this origin only', async () => {
  const page = await request(app).get('/dashboard').expect(200);
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  const csp = page.headers['content-security-policy'];
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(page.text).toContain('<input type="password" name="key"');
  for (const key of Object.values(TEST_KEYS)) expect(page.text).not.toContain(key);
  expect(page.text).not.toMatch(/<script>(?!<\/script>)|Bearer /); // no inline script, no key

  const chart = await request(app).get('/dashboard/chart.umd.min.js').expect(200);
  expect(chart.headers['content-type']).toMatch(/javascript/);
  expect(chart.text).toContain('Chart');
  await request(app)
    .get('/dashboard/dashboard.js')
    .expect(200)
    .expect('Content-Type', /javascript/);
  // Only the dashboard's own files: nothing else from the folder or beyond it.
  await request(app).get('/dashboard/dashboard.ts').expect(404);
  await request(app).get('/dashboard/%2e%2e/kpis.ts').expect(404);
});

test('in Chromium: an ops key shows each carrier’s KPIs in the table and five drawn charts, the customers’ rating among them; a screenshot is kept', async () => {
  const { page, problems } = await openDashboard();
  await show(page, TEST_KEYS.ops);
  expect(await page.getAttribute('body', 'data-state')).toBe('ready');

  const rows = await tableRows(page);
  expect(rows.map((r) => r[0])).toEqual(['aras', 'mng', 'yurtici', 'not booked', 'All carriers']);
  // The carrier filter suggests every registered carrier, UPS too though it carried nothing here.
  const suggested = await page.evaluate<string[]>(
    `Array.from(document.querySelectorAll('#known-carriers option'), (o) => o.value + '=' + o.label)`,
  );
  expect(suggested).toEqual(REGISTERED.map((c) => `${c.name}=${c.displayName}`));
  const byCarrier = Object.fromEntries(rows.map((r) => [r[0], r]));
  // Parcels, on time, exceptions, shipping errors, returns, cost: columns 1, 2, 6, 7, 8, 9.
  expect(byCarrier.aras[1]).toBe('12');
  expect(byCarrier.aras[2]).toBe('75.0% (9/12)');
  expect(byCarrier.mng[2]).toBe('100.0% (12/12)');
  expect(byCarrier.yurtici[2]).toBe('25.0% (3/12)');
  expect(byCarrier.yurtici[6]).toBe('25.0% (3/12)'); // the delayed alerts
  expect(byCarrier.mng[7]).toBe('25.0% (3/12)'); // the rejected addresses
  expect(byCarrier.aras[8]).toBe('25.0% (3/12)'); // the returns
  expect(byCarrier.mng[9]).toBe('95.00 TRY');
  expect(byCarrier.aras[10]).toBe('4.5 ★ · 100.0% (6/6) · 50% answered'); // the customers' own rating
  expect(byCarrier.yurtici[10]).toBe('2.5 ★ · 0.0% (0/6) · 50% answered');
  expect(byCarrier['not booked'][10]).toBe('—');
  expect(byCarrier['not booked'].slice(1, 3)).toEqual(['3', '– (0/0)']);
  expect(byCarrier['All carriers'].slice(1, 3)).toEqual(['39', '66.7% (24/36)']);
  expect(byCarrier.aras[4]).toBe('54.5 h / 59 h'); // transit p50 / p90: 50, 53, 56, 59 hours each day
  expect(byCarrier.mng[5]).toBe('15 min / 15 min'); // label → first scan: under an hour reads in minutes
  expect(await page.textContent('#period')).toContain(`Orders placed ${DAYS[0]} to ${DAYS[2]} (UTC), channel ${CHANNEL}: 39 parcel(s).`);

  for (const chart of ['on-time-chart', 'rates-chart', 'hours-chart', 'cost-chart', 'rating-chart']) {
    expect({ chart, drawn: (await paintedPixels(page, chart)) > 2_000 }).toEqual({ chart, drawn: true });
  }
  // The key stays in the form: not in the address bar, not in storage.
  expect(page.url()).toBe(`${baseUrl}/dashboard`);
  expect(await page.evaluate<string>('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })')).not.toContain(
    TEST_KEYS.ops,
  );

  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  expect(problems).toEqual([]);
  await page.close();
});

test('in Chromium: a key without the ops scope gets a clear message and no figures', async () => {
  const { page, problems } = await openDashboard();
  await show(page, TEST_KEYS.orders);
  expect(await page.getAttribute('body', 'data-state')).toBe('error');
  expect(await page.textContent('#message')).toBe('That key is not accepted: an API key with the ops scope is needed.');
  expect(await page.isHidden('#results')).toBe(true);
  expect(problems).toEqual([]);
  await page.close();
});

test('in Chromium: a link with the key and filters in its fragment loads at once and leaves no key in the address bar', async () => {
  const fragment = new URLSearchParams({ key: TEST_KEYS.ops, from: DAYS[1], to: DAYS[1], carrier: 'mng', channel: CHANNEL });
  const { page, problems } = await openDashboard(`${baseUrl}/dashboard#${fragment.toString()}`);
  await page.waitForSelector('body[data-state=ready]');
  expect(page.url()).toBe(`${baseUrl}/dashboard`);
  expect((await tableRows(page)).map((r) => r.slice(0, 3))).toEqual([
    ['mng', '4', '100.0% (4/4)'],
    ['All carriers', '4', '100.0% (4/4)'],
  ]);
  expect(problems).toEqual([]);
  await page.close();
});
