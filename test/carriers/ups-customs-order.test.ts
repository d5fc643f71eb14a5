// An order to the United Kingdom with the real UPS adapter and the carrier sandbox over HTTP, under
// the time-skipping test server (issue 25): without customs data the parcel waits in
// needs_attention naming each missing field; once the products hold the data and ops retry, it
// books with the commercial invoice UPS needs, and the paper invoice is served beside the label.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Pool } from 'pg';
import { PDFDocument } from 'pdf-lib';
import request from 'supertest';
import { createUpsAdapter } from '../../carriers/ups';
import { createPool } from '../../lib/db';
import { SANDBOX_UPS_CREDENTIALS } from '../../sandbox/app';
import { startSandbox, type RunningSandbox } from '../../sandbox/main';
import { createOrderWorker } from '../../workers/order-worker';
import { defaultOrderOptions, orderWorkflow } from '../../workflows/order';
import { orderWorkflowId, shipmentWorkflowId, statusQuery } from '../../workflows/definitions';
import type { OrderInput, OrderView } from '../../domain/order';
import { TEST_DATABASE_URL } from '../helpers/env';
import { authorized, createTestApp } from '../helpers/api-harness';
import { binary } from '../helpers/label-barcode';
import { LONDON } from '../helpers/orders';
import { stockedOrder, uniqueName } from '../helpers/stock';
import { bundleWorkflows, startTimeSkippingEnv } from '../helpers/time-skipping';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let pool: Pool;
let sandbox: RunningSandbox;

beforeAll(async () => {
  [env, bundle, sandbox] = await Promise.all([startTimeSkippingEnv(), bundleWorkflows(), startSandbox({ port: 0 })]);
  pool = createPool(TEST_DATABASE_URL);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await sandbox?.close();
  await env?.teardown();
});

/** Queries the order until `accept` holds (the workflow moves in real time between skips), at most 15 s. */
async function until(read: () => Promise<OrderView>, accept: (view: OrderView) => boolean): Promise<OrderView> {
  let view = await read();
  for (let i = 0; i < 150 && !accept(view); i++) {
    await new Promise((r) => setTimeout(r, 100));
    view = await read();
  }
  return view;
}

/** A worker booking with the sandbox's UPS, on a queue of its own. */
async function upsWorker() {
  const adapter = createUpsAdapter({ baseUrl: `${sandbox.url}/ups`, ...SANDBOX_UPS_CREDENTIALS, timeoutMs: 5_000 });
  const taskQueue = uniqueName('ups-customs-orders');
  const worker = await createOrderWorker({
    connection: env.nativeConnection,
    pool,
    carriers: [adapter],
    taskQueue,
    workflowBundle: bundle,
  });
  /** Starts the order on the worker's queue, without activity summaries: the Java test server stalls on them. */
  const start = (order: OrderInput) =>
    env.client.workflow.start(orderWorkflow, {
      taskQueue,
      workflowId: orderWorkflowId(order.orderId),
      args: [order, { shipment: { ...defaultOrderOptions.shipment, activitySummaries: false } }],
    });
  return { worker, start };
}

test('a GB order without customs data waits naming the missing fields, then ships with the invoice once they are supplied', async () => {
  const { worker, start } = await upsWorker();
  const { order, skus } = await stockedOrder(pool, [{ quantity: 2, stock: 5 }], { shippingAddress: LONDON });
  const [sku] = skus;
  const api = authorized(createTestApp(env.client, pool));

  const shipment = await worker.runUntil(async () => {
    const handle = await start(order);
    const waiting = await until(
      () => handle.query(statusQuery),
      (v) => v.shipments[0]?.status === 'needs_attention',
    );
    expect(waiting.status).toBe('needs_attention');
    expect(waiting.shipments[0].attention).toContain(
      `ups ship: customs data missing: ${sku}.description, ${sku}.hsCode, ${sku}.originCountry, ${sku}.unitValue, ${sku}.currency`,
    );
    expect(waiting.shipments[0].attention).toContain('PUT /v1/products/:sku');
    const invoiceUrl = `/v1/shipments/${waiting.shipments[0].shipmentId}/documents/commercial-invoice`;
    expect((await api.get(invoiceUrl).expect(404)).body.error).toBe('document_not_found');

    await api
      .put(`/v1/products/${sku}`)
      .send({ description: 'Ceramic mug', hsCode: '691200', originCountry: 'TR', unitValue: 12.5, currency: 'EUR' })
      .expect(200);
    await api.post(`/v1/shipments/${waiting.shipments[0].shipmentId}/retry-booking`).send({}).expect(202);
    const labelled = await until(
      () => handle.query(statusQuery),
      (v) => v.shipments[0]?.status === 'labelled',
    );
    await handle.terminate('test done');
    return labelled.shipments[0];
  });

  expect(shipment).toMatchObject({ carrier: 'ups', status: 'labelled', trackingNumber: expect.any(String) });
  const { body } = await request(sandbox.app).get(`/_admin/ups/shipments/${shipment.trackingNumber}`).expect(200);
  expect(body.customs).toMatchObject({
    formType: ['01'],
    invoiceNumber: order.orderId,
    reasonForExport: 'SALE',
    termsOfShipment: 'DAP',
    currency: 'EUR',
    products: [{ description: ['Ceramic mug'], commodityCode: '691200', originCountryCode: 'TR', number: '2', value: '12.50' }],
  });

  // The paper invoice beside the label: three A4 copies, served as PDF.
  const invoice = await authorized(createTestApp(env.client, pool))
    .get(`/v1/shipments/${shipment.shipmentId}/documents/commercial-invoice`)
    .buffer(true)
    .parse(binary)
    .expect(200);
  expect(invoice.headers['content-type']).toContain('application/pdf');
  const pdf = await PDFDocument.load(invoice.body as Buffer);
  expect(pdf.getPageCount()).toBe(3);
  expect(pdf.getTitle()).toBe(`Commercial invoice ${order.orderId}`);
}, 120_000);

test('a US order waiting for customs data ships once ops supply it for that order (PUT /v1/orders/:id/customs), the catalogue untouched', async () => {
  const { worker, start } = await upsWorker();
  const newYork = {
    ...LONDON,
    line1: '350 5th Avenue',
    city: 'New York',
    stateCode: 'NY',
    postalCode: '10118',
    countryCode: 'US',
    phone: '+12125550100',
  };
  const { order, skus } = await stockedOrder(pool, [{ quantity: 1, stock: 5 }], { shippingAddress: newYork });
  const [sku] = skus;
  const api = authorized(createTestApp(env.client, pool));
  const supply = (body: object) => api.put(`/v1/orders/${order.orderId}/customs`).send(body);

  const shipment = await worker.runUntil(async () => {
    const handle = await start(order);
    await until(
      () => handle.query(statusQuery),
      (v) => v.shipments[0]?.status === 'needs_attention',
    );
    // Bad input names the field and changes nothing.
    expect((await supply({ lines: [{ sku, customs: { hsCode: '69-12' } }] }).expect(400)).body.issues[0].path).toBe(
      'lines.0.customs.hsCode',
    );
    expect((await supply({ lines: [{ sku: 'NOT-IN-ORDER', customs: {} }] }).expect(404)).body).toMatchObject({
      error: 'line_not_found',
      message: expect.stringContaining('lines.0.sku'),
    });

    await supply({ lines: [{ sku, customs: { description: 'Ceramic mug', hsCode: '691200', originCountry: 'TR' } }] }).expect(200);
    const answer = await supply({
      customs: { reasonForExport: 'gift', dutiesTerms: 'DDP' },
      lines: [{ sku, customs: { unitValue: 20, currency: 'USD' } }],
    }).expect(200);
    expect(answer.body.supplied.lines).toEqual([
      { sku, customs: { description: 'Ceramic mug', hsCode: '691200', originCountry: 'TR', unitValue: 20, currency: 'USD' } },
    ]);
    expect(answer.body.rebooking).toEqual([shipmentWorkflowId(order.orderId, 1)]);
    const labelled = await until(
      () => handle.query(statusQuery),
      (v) => v.shipments[0]?.status === 'labelled',
    );
    await handle.terminate('test done');
    return labelled.shipments[0];
  });

  expect(shipment).toMatchObject({ carrier: 'ups', status: 'labelled' });
  const { body } = await request(sandbox.app).get(`/_admin/ups/shipments/${shipment.trackingNumber}`).expect(200);
  expect(body.customs).toMatchObject({
    reasonForExport: 'GIFT',
    termsOfShipment: 'DDP',
    currency: 'USD',
    products: [{ description: ['Ceramic mug'], commodityCode: '691200', originCountryCode: 'TR', number: '1', value: '20.00' }],
  });
  await api.get(`/v1/products/${sku}`).expect(404); // supplied for this order, not for the catalogue
}, 120_000);

test('a US order without its state waits in address_invalid (UPS needs the state); corrected with stateCode, it books (issue 25)', async () => {
  const { worker, start } = await upsWorker();
  const newYork = { ...LONDON, line1: '350 5th Avenue', city: 'New York', postalCode: '10118', countryCode: 'US', phone: '+12125550100' };
  const { order } = await stockedOrder(pool, [{ quantity: 1, stock: 5 }], { shippingAddress: newYork });
  const mug = { description: 'Ceramic mug', hsCode: '691200', originCountry: 'TR', unitValue: 12.5, currency: 'USD' } as const;
  order.lines = order.lines.map((line) => ({ ...line, customs: mug }));
  const api = authorized(createTestApp(env.client, pool));

  const shipment = await worker.runUntil(async () => {
    const handle = await start(order);
    const waiting = await until(
      () => handle.query(statusQuery),
      (v) => v.shipments[0]?.status === 'address_invalid',
    );
    expect(waiting.shipments[0].attention).toContain('PUT /v1/orders/:orderId/shipping-address');

    await api
      .put(`/v1/orders/${order.orderId}/shipping-address`)
      .send({ address: { ...newYork, stateCode: 'NY' } })
      .expect(200);
    const labelled = await until(
      () => handle.query(statusQuery),
      (v) => v.shipments[0]?.status === 'labelled',
    );
    await handle.terminate('test done');
    return labelled.shipments[0];
  });
  expect(shipment).toMatchObject({ carrier: 'ups', status: 'labelled', trackingNumber: expect.any(String) });
}, 120_000);
