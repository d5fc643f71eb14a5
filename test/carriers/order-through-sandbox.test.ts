// An order end to end with each real carrier adapter talking HTTP to the carrier sandbox,
// under the time-skipping test server: booked, labelled, polled through the sandbox's scans to
// delivery, closed; with a "created but response lost" fault, still one live booking; and
// returned: a return label from the same carrier, polled back to the warehouse.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Pool } from 'pg';
import { PDFDocument } from 'pdf-lib';
import request from 'supertest';
import type { CarrierAdapter } from '../../carriers/adapter';
import { createUpsAdapter } from '../../carriers/ups';
import { createYurticiAdapter } from '../../carriers/yurtici';
import { createArasAdapter } from '../../carriers/aras';
import { createMngAdapter } from '../../carriers/mng';
import { createSuratAdapter } from '../../carriers/surat';
import { createPttAdapter } from '../../carriers/ptt';
import { createPool } from '../../lib/db';
import { SANDBOX_UPS_CREDENTIALS } from '../../sandbox/app';
import { SANDBOX_YURTICI_CREDENTIALS } from '../../sandbox/yurtici';
import { SANDBOX_ARAS_CREDENTIALS, arasServiceUrls } from '../../sandbox/aras';
import { SANDBOX_MNG_CREDENTIALS } from '../../sandbox/mng';
import { SANDBOX_SURAT_CREDENTIALS } from '../../sandbox/surat';
import { NO_LATENCY, SANDBOX_PTT_CREDENTIALS } from '../../sandbox/ptt';
import { startSandbox, type RunningSandbox } from '../../sandbox/main';
import { createOrderWorker } from '../../workers/order-worker';
import { defaultOrderOptions, orderWorkflow } from '../../workflows/order';
import { orderWorkflowId, requestReturnUpdate, statusQuery } from '../../workflows/definitions';
import { TEST_DATABASE_URL } from '../helpers/env';
import { authorized, createTestApp } from '../helpers/api-harness';
import { barcodeInPdfPage, barcodeInPng, barcodeInZpl, binary } from '../helpers/label-barcode';
import { stockedOrder, uniqueName } from '../helpers/stock';
import type { OrderInput, OrderView } from '../../domain/order';
import { bundleWorkflows, startTimeSkippingEnv } from '../helpers/time-skipping';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let pool: Pool;
let sandbox: RunningSandbox;

beforeAll(async () => {
  // PTT's slowness is ptt.test.ts's: here its double answers at once.
  [env, bundle, sandbox] = await Promise.all([
    startTimeSkippingEnv(),
    bundleWorkflows(),
    startSandbox({ port: 0, ptt: { latency: NO_LATENCY } }),
  ]);
  pool = createPool(TEST_DATABASE_URL);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await sandbox?.close();
  await env?.teardown();
});

const admin = (carrier: string) => ({
  get: (path: string) => request(sandbox.app).get(`/_admin/${carrier}${path}`),
  post: (path: string, body: object = {}) => request(sandbox.app).post(`/_admin/${carrier}${path}`).send(body),
});

interface CarrierCase {
  name: string;
  adapter: () => CarrierAdapter;
  /** The carrier's name for its booking call, for the lost-response fault. */
  bookCall: string;
  /** The sandbox's scans from pick-up to delivery, as admin advance bodies ({} = the next on the happy path). */
  scans: object[];
  /** The carrier's own PDF, or our rendered PDF and ZPL for a barcode-only carrier. */
  labels: string[];
}

const carriers: CarrierCase[] = [
  {
    name: 'ups',
    adapter: () => createUpsAdapter({ baseUrl: `${sandbox.url}/ups`, ...SANDBOX_UPS_CREDENTIALS, timeoutMs: 5_000 }),
    bookCall: 'ship',
    scans: [{ code: 'I/PU' }, { code: 'I/OR' }, { code: 'I/OT' }, { code: 'D/FS' }],
    labels: ['zpl'],
  },
  {
    name: 'yurtici',
    adapter: () => createYurticiAdapter({ baseUrl: `${sandbox.url}/yurtici`, ...SANDBOX_YURTICI_CREDENTIALS, timeoutMs: 5_000 }),
    bookCall: 'createShipment',
    scans: [{}, {}, {}, {}],
    labels: ['pdf', 'zpl'],
  },
  {
    name: 'aras',
    adapter: () => createArasAdapter({ ...arasServiceUrls(`${sandbox.url}/aras`), ...SANDBOX_ARAS_CREDENTIALS, timeoutMs: 5_000 }),
    bookCall: 'SetOrder',
    scans: [{}, {}, {}, {}, {}], // origin branch, on the way, delivery branch, out for delivery, delivered
    labels: ['pdf', 'zpl'],
  },
  {
    name: 'mng',
    adapter: () => createMngAdapter({ baseUrl: `${sandbox.url}/mng`, ...SANDBOX_MNG_CREDENTIALS, timeoutMs: 5_000 }),
    bookCall: 'createOrder',
    scans: [{}, {}, {}, {}], // in transfer, at the delivery unit, out for delivery, delivered (createbarcode made "prepared")
    labels: ['zpl'], // the carrier's own ZPL label
  },
  {
    name: 'surat',
    adapter: () => createSuratAdapter({ baseUrl: `${sandbox.url}/surat`, ...SANDBOX_SURAT_CREDENTIALS, timeoutMs: 5_000 }),
    bookCall: 'GonderiyiKargoyaGonderYeniSiparisBarkodOlustur',
    scans: [{}, {}, {}, {}, {}], // taken in, transfer centre, delivery branch, out for delivery, delivered
    labels: ['pdf', 'zpl'],
  },
  {
    name: 'ptt',
    adapter: () =>
      createPttAdapter({
        baseUrl: `${sandbox.url}/ptt`,
        ...SANDBOX_PTT_CREDENTIALS,
        returnTo: { name: 'Depo', street: 'Hadımköy Yolu No: 5', city: 'İstanbul', district: 'Esenyurt' },
        timeoutMs: 15_000,
      }),
    bookCall: 'kabulEkle2',
    scans: [{}, {}, {}, {}, {}], // accepted, dispatched, arrived, out for delivery, delivered
    labels: ['pdf', 'zpl'],
  },
];

/** A worker with the carrier's adapter on a queue of its own, and how to start an order on it. */
async function workerFor(adapter: () => CarrierAdapter) {
  const taskQueue = uniqueName('orders');
  const worker = await createOrderWorker({
    connection: env.nativeConnection,
    pool,
    carriers: [adapter()],
    taskQueue,
    workflowBundle: bundle,
  });
  const options = { shipment: { ...defaultOrderOptions.shipment, activitySummaries: false } }; // the Java test server stalls on summaries
  const start = (order: OrderInput) =>
    env.client.workflow.start(orderWorkflow, { taskQueue, workflowId: orderWorkflowId(order.orderId), args: [order, options] });
  return { worker, start };
}

test.each(carriers)(
  'an order ships with $name through the sandbox: one live booking even when the first response is lost, polled to delivery',
  async ({ name, adapter, bookCall, scans, labels }) => {
    const { worker, start } = await workerFor(adapter);
    const { order } = await stockedOrder(pool);
    await admin(name)
      .post('/faults', { kind: 'lose-response', on: [bookCall], times: 1 })
      .expect(201);

    const result = await worker.runUntil(async () => {
      const handle = await start(order);
      let view = await handle.query(statusQuery);
      for (let i = 0; i < 150 && !view.shipments[0]?.trackingNumber; i++) {
        await new Promise((r) => setTimeout(r, 100));
        view = await handle.query(statusQuery);
      }
      const trackingNumber = view.shipments[0].trackingNumber!;
      for (const body of scans) await admin(name).post(`/shipments/${trackingNumber}/advance`, body).expect(201);
      return handle.result(); // time skips from poll to poll until the parcel is delivered
    });

    const [shipment] = result.shipments;
    expect(shipment).toMatchObject({ carrier: name, status: 'delivered' });
    expect(shipment.events.at(-1)?.status).toBe('delivered');
    expect(result.status).toBe('closed');
    const { body } = await admin(name).get('/shipments').expect(200);
    expect(body.live).toBe(1); // the retried booking found the first one
    const stored = await pool.query('SELECT format FROM labels WHERE shipment_id = $1 ORDER BY format', [shipment.shipmentId]);
    expect(stored.rows.map((r) => r.format)).toEqual(labels);
    expect(shipment.labelRef).toBe(`/v1/shipments/${shipment.shipmentId}/label`);
    await expectEveryLabelFormat(shipment.labelRef!, shipment.shipmentId, shipment.trackingNumber!);
  },
  120_000,
);

test.each(carriers)(
  'an order delivered by $name is returned through the sandbox: a return label from $name, polled back to the warehouse, the order ends returned',
  async ({ name, adapter, scans }) => {
    const { worker, start } = await workerFor(adapter);
    const { order } = await stockedOrder(pool);

    const result = await worker.runUntil(async () => {
      const handle = await start(order);
      const outbound = await parcelOf(handle, 0, (s) => s.trackingNumber !== undefined);
      for (const body of scans) await admin(name).post(`/shipments/${outbound.trackingNumber}/advance`, body).expect(201);
      await env.sleep('2 days'); // the carrier is polled; the parcel is delivered well inside the return window
      await parcelOf(handle, 0, (s) => s.status === 'delivered');

      const [label] = await handle.executeUpdate(requestReturnUpdate, { args: [{ reason: 'wrong size' }] });
      expect(label).toMatchObject({ carrier: name, trackingNumber: expect.any(String) });
      for (const body of scans) await admin(name).post(`/shipments/${label.trackingNumber}/advance`, body).expect(201);
      // A return may start a step earlier than a parcel sent out (MNG's has no "prepared" scan from
      // createbarcode): the courier goes on until the sandbox's path ends at the warehouse.
      for (let i = 0; i < 3 && (await admin(name).post(`/shipments/${label.trackingNumber}/advance`, {})).status === 201; i++);
      return handle.result(); // polled until the parcel is back at the warehouse
    });

    expect(result.shipments.map((s) => [s.kind, s.carrier, s.status])).toEqual([
      ['outbound', name, 'delivered'],
      ['return', name, 'returned'],
    ]);
    expect(result.status).toBe('returned');
  },
  120_000,
);

/** The order's parcel once it satisfies `accept` (waiting in real time, without skipping workflow time). */
async function parcelOf(
  handle: { query: (q: typeof statusQuery) => Promise<OrderView> },
  index: number,
  accept: (shipment: OrderView['shipments'][number]) => boolean,
): Promise<OrderView['shipments'][number]> {
  for (let i = 0; i < 300; i++) {
    const shipment = (await handle.query(statusQuery)).shipments[index];
    if (shipment && accept(shipment)) return shipment;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`parcel ${index + 1} never got there: ${JSON.stringify((await handle.query(statusQuery)).shipments[index])}`);
}

/** Whatever the carrier gave, a station gets PDF (4x6, A4), ZPL (203, 300 dpi) and PNG, each scanning as the tracking number. */
async function expectEveryLabelFormat(labelRef: string, shipmentId: string, trackingNumber: string): Promise<void> {
  const api = authorized(createTestApp(env.client, pool));
  const label = (query: Record<string, string>) => api.get(labelRef).query(query).buffer(true).parse(binary).expect(200);
  const read = async (query: Record<string, string>, contentType: string) => {
    const res = await label(query);
    expect(res.headers['content-type']).toContain(contentType);
    return res.body as Buffer;
  };

  for (const page of ['4x6', 'a4']) {
    const pdf = await read({ format: 'pdf', page }, 'application/pdf');
    const { width, height } = (await PDFDocument.load(pdf)).getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual(page === 'a4' ? [595, 842] : [288, 432]); // points
    expect(await barcodeInPdfPage(pdf)).toBe(trackingNumber);
  }
  for (const dpi of ['203', '300']) {
    const zpl = (await read({ format: 'zpl', dpi }, 'application/zpl')).toString('utf8');
    if (dpi === '300') expect(zpl).toContain('^PW1200');
    expect(barcodeInZpl(zpl)).toBe(trackingNumber);
    const png = await read({ format: 'png', dpi }, 'image/png');
    expect(png.readUInt32BE(16)).toBe(dpi === '203' ? 812 : 1200); // the PNG's width: 4 in at the asked dpi
    expect(await barcodeInPng(png)).toBe(trackingNumber);
  }

  // Rendered once: the next request is answered from the kept rendition.
  await pool.query(`UPDATE label_renditions SET content = 'kept' WHERE shipment_id = $1 AND format = 'png' AND variant = '300dpi'`, [
    shipmentId,
  ]);
  expect((await read({ format: 'png', dpi: '300' }, 'image/png')).toString()).toBe('kept');
}
