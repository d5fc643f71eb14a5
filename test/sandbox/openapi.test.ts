// sandbox/openapi.ts: the guard a REST double puts in front of its routes, against MNG's and UPS's
// captured definitions (both OpenAPI 3.1) and a small 3.0 document: valid requests pass, a wrong
// field name is refused naming the field, a reply that breaks the spec becomes a 500 and a log line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { openApiGuard } from '../../sandbox/openapi';

const MNG_SPEC = path.join(__dirname, '../../carriers/mng/spec/mng-openapi.yaml');
const UPS_SPEC = path.join(__dirname, '../../carriers/ups/spec/ups-openapi.yaml');

/** What the guard logged at error level. */
const logged: string[] = [];
const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });

/** An app with the guard in front of `routes`; refusals as {error: {field, message}} with the guard's status. */
function appWith(spec: string, routes: (router: express.Router) => void, prefix = '') {
  const app = express();
  const router = express.Router();
  const refuse = (res: express.Response, problem: { status: number; field: string; message: string }) => {
    res.status(problem.status).json({ error: { field: problem.field, message: problem.message } });
  };
  router.use(...openApiGuard({ spec, refuse, logger }));
  routes(router);
  app.use(prefix, router);
  return app;
}

const createOrder = JSON.parse(fs.readFileSync(path.join(__dirname, '../../carriers/mng/spec/examples/createOrder.request.json'), 'utf8'));

describe('MNG (OpenAPI 3.1, paths below the server prefix)', () => {
  let reply: unknown = [{ orderInvoiceId: '1', referenceId: 'R' }];
  let status = 200;
  const app = appWith(MNG_SPEC, (router) => {
    router.post('/standardcmdapi/createOrder', (_req, res) => void res.status(status).json(reply));
    router.put('/standardcmdapi/cancelorder/:referenceId', (_req, res) => void res.status(200).end());
    router.get('/cbsinfoapi/getdistricts/:cityCode', (_req, res) => void res.json([{ code: 1, name: 'KADIKÖY' }]));
  });
  afterEach(() => {
    reply = [{ orderInvoiceId: '1', referenceId: 'R' }];
    status = 200;
  });

  test("a request as the spec's example passes; its reply too", async () => {
    const res = await request(app).post('/standardcmdapi/createOrder').send(createOrder);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(reply);
  });

  test('a misspelt field is refused with 400 naming it, and so is a missing required one', async () => {
    const misspelt = { ...createOrder, recipient: { ...createOrder.recipient, fulName: 'X' } };
    const res = await request(app).post('/standardcmdapi/createOrder').send(misspelt);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ field: 'recipient.fulName', message: 'recipient.fulName: is not a field the spec defines' });

    const { referenceId: _dropped, ...order } = createOrder.order;
    const missing = await request(app)
      .post('/standardcmdapi/createOrder')
      .send({ ...createOrder, order });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('order.referenceId');
  });

  test('a wrong type, a bad path parameter, a missing body and an unknown path are refused', async () => {
    const wrongType = await request(app)
      .post('/standardcmdapi/createOrder')
      .send({ ...createOrder, order: { ...createOrder.order, isCOD: 2 } });
    expect(wrongType.body.error.field).toBe('order.isCOD');
    expect((await request(app).get('/cbsinfoapi/getdistricts/34')).status).toBe(200); // "34" read as an integer
    expect((await request(app).get('/cbsinfoapi/getdistricts/IST')).body.error.field).toBe('cityCode');
    expect((await request(app).post('/standardcmdapi/createOrder')).body.error).toEqual({ field: 'body', message: 'body: is required' });
    expect((await request(app).put('/standardcmdapi/cancelorder/ABC')).status).toBe(200); // no body, none needed
    const unknown = await request(app)
      .post('/standardqueryapi/getshipmentstatus')
      .send({ shipmentIds: ['1'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.field).toBe('path');
  });

  test('a reply that breaks the spec becomes a 500 and is logged at error level; an error reply is checked too', async () => {
    logged.length = 0;
    reply = [{ orderInvoiceNo: '1' }];
    const res = await request(app).post('/standardcmdapi/createOrder').send(createOrder);
    expect(res.status).toBe(500);
    expect(res.body.error.message).toContain('0.orderInvoiceNo: is not a field the spec defines');
    expect(logged.join('')).toContain('replied outside its OpenAPI spec');

    [status, reply] = [400, { error: { code: '1', description: 'bad' } }];
    expect((await request(app).post('/standardcmdapi/createOrder').send(createOrder)).status).toBe(400);
    [status, reply] = [400, { error: { code: '1', text: 'bad' } }];
    expect((await request(app).post('/standardcmdapi/createOrder').send(createOrder)).status).toBe(500);
  });
});

describe('UPS (OpenAPI 3.1, full paths, form bodies, header parameters)', () => {
  let token: unknown = { access_token: 'a', token_type: 'Bearer', expires_in: '14399' };
  const app = appWith(
    UPS_SPEC,
    (router) => {
      router.post('/security/v1/oauth/token', (_req, res) => void res.json(token));
      router.get(
        '/api/track/v1/details/:n',
        (_req, res) => void res.status(404).json({ response: { errors: [{ code: '151044', message: 'x' }] } }),
      );
    },
    '/ups',
  );

  test('a form body is checked by its field names; the reply by its schema', async () => {
    const ok = await request(app).post('/ups/security/v1/oauth/token').type('form').send({ grant_type: 'client_credentials' });
    expect(ok.status).toBe(200);
    const wrong = await request(app).post('/ups/security/v1/oauth/token').type('form').send({ grantType: 'client_credentials' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.field).toBe('grant_type');
    token = { access_token: 'a', expires_in: 14399 }; // a number where UPS sends a string
    const drift = await request(app).post('/ups/security/v1/oauth/token').type('form').send({ grant_type: 'client_credentials' });
    expect(drift.status).toBe(500);
    expect(drift.body.error.message).toContain('expires_in: must be string');
  });

  test('required headers are checked; auth is left to the double (no Authorization needed here)', async () => {
    const missing = await request(app).get('/ups/api/track/v1/details/1Z999');
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('transId');
    const found = await request(app).get('/ups/api/track/v1/details/1Z999').set({ transId: 't1', transactionSrc: 'test' });
    expect(found.status).toBe(404); // the route's own answer, which the spec allows
  });
});

describe('OpenAPI 3.0 (nullable, additionalProperties)', () => {
  const spec = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guard-')), 'spec.yaml');
  fs.writeFileSync(
    spec,
    [
      'openapi: 3.0.3',
      'info: {title: t, version: "1"}',
      'paths:',
      '  /things:',
      '    post:',
      '      requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}',
      '      responses: {"201": {description: made, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}}',
      '  /things/{id}/label:',
      '    get:',
      '      parameters: [{name: id, in: path, required: true, schema: {type: string}}]',
      '      responses: {"200": {description: a PDF, content: {application/pdf: {schema: {type: string, format: binary}}}}}',
      'components:',
      '  schemas:',
      '    Thing: {type: object, required: [name], properties: {name: {type: string}, note: {type: string, nullable: true}}}',
    ].join('\n'),
  );
  const app = appWith(spec, (router) => {
    router.post('/things', (req, res) => void res.status(req.body.name === 'ok' ? 200 : 201).json(req.body));
    router.get('/things/:id/label', (_req, res) => void res.type('application/pdf').send(Buffer.from('%PDF-1.4')));
  });

  test('valid passes (null where nullable), a wrong field name is refused, an undeclared status is drift', async () => {
    expect((await request(app).post('/things').send({ name: 'a', note: null })).status).toBe(201);
    const wrong = await request(app).post('/things').send({ name: 'a', note: 'x', colour: 'red' });
    expect(wrong.body.error.field).toBe('colour');
    const undeclared = await request(app).post('/things').send({ name: 'ok' });
    expect(undeclared.status).toBe(500);
    expect(undeclared.body.error.message).toContain('status 200 is not a reply of POST /things');
  });

  test('a reply that is not JSON (a PDF label) goes out untouched', async () => {
    const res = await request(app).get('/things/1/label');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/pdf/);
  });
});
