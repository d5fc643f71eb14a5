// sandbox/wsdl.ts: SOAP bodies validated against a WSDL's types, and the guard a SOAP double puts
// in front of its operations (requests refused with a Client fault, drifting replies held back).
import { Worker } from 'node:worker_threads';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { bodyElementOf, schemasOf, validateBodyElement, wsdlGuard } from '../../sandbox/wsdl';
import { soapDialect } from '../../sandbox/soap';

const YURTICI_WSDL = 'carriers/yurtici/spec/ShippingOrderDispatcherServices.wsdl';
const NS = 'http://yurticikargo.com.tr/ShippingOrderDispatcherServices';
const ARAS = 'carriers/aras/spec';

const cancel = (keysElement = 'cargoKeys') =>
  `<ship:cancelShipment xmlns:ship="${NS}"><wsUserName>u</wsUserName><wsPassword>p</wsPassword>` +
  `<userLanguage>TR</userLanguage><${keysElement}>K1</${keysElement}></ship:cancelShipment>`;

const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ` +
  `xmlns:ship="${NS}"><soapenv:Header/><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

describe('schemasOf and validateBodyElement', () => {
  const set = schemasOf(YURTICI_WSDL);

  test('a body element the WSDL allows is valid', async () => {
    expect(await validateBodyElement(set, cancel())).toEqual([]);
  });

  test('a wrongly named element is refused, naming it and what was expected', async () => {
    const problems = await validateBodyElement(set, cancel('cargoKey'));
    expect(problems.join('\n')).toContain("Element 'cargoKey': This element is not expected. Expected is ( cargoKeys )");
  });

  test('the namespace the element inherits from the envelope is kept', () => {
    const element = bodyElementOf(envelope(`<ship:cancelShipment><cargoKeys>K</cargoKeys></ship:cancelShipment>`));
    expect(element?.name).toBe('ship:cancelShipment');
    expect(element?.xml).toContain(`xmlns:ship="${NS}"`);
  });

  test('a bad value is refused by its element and type, without the value (it may be personal data)', async () => {
    const problems = await validateBodyElement(
      set,
      `<x:YurticikargoWSException xmlns:x="http://yurticikargo.com.tr/WSExceptions/"><errorCode>Ayşe</errorCode></x:YurticikargoWSException>`,
    );
    expect(problems.join('\n')).toContain("Element 'errorCode'");
    expect(problems.join('\n')).not.toContain('Ayşe');
  });

  test('elements checked at the same time share xmllint runs (the schemas are parsed once a run), each with its own answer', async () => {
    // Each run starts libxml2 afresh and parses the WSDL's schemas (15-25 ms) before checking its
    // element (under 1 ms); one run per element capped a SOAP double at a few dozen calls a second
    // and queued the rest without bound (docs/reliability.md, the 1,000-order run).
    const posted = jest.spyOn(Worker.prototype, 'postMessage');
    try {
      const elements = Array.from({ length: 20 }, (_, i) => [cancel(), cancel('cargoKey'), '', '<a><b></a>'][i % 4]);
      const problems = await Promise.all(elements.map((element) => validateBodyElement(set, element)));
      const runs = posted.mock.calls.filter(([message]) => (message as { inputFiles?: unknown })?.inputFiles !== undefined);
      expect(runs.length).toBeLessThanOrEqual(2);
      problems.forEach((found, i) => {
        if (i % 4 === 0) return expect(found).toEqual([]);
        const text = found.join('\n');
        if (i % 4 === 1) expect(text).toContain("Element 'cargoKey': This element is not expected. Expected is ( cargoKeys )");
        else expect(text).not.toContain('cargoKey');
        if (i % 4 === 2) expect(text).toContain('Document is empty');
        if (i % 4 === 3) expect(text).toContain('Opening and ending tag mismatch');
      });
    } finally {
      posted.mockRestore();
    }
  });

  test("a run's output is its own: what the worker sends back does not grow with the runs before it", async () => {
    // xmllint-wasm's own worker appended every run's stderr to the last and posted all of it back.
    const received = jest.spyOn(Worker.prototype, 'emit');
    try {
      for (let i = 0; i < 5; i += 1) expect(await validateBodyElement(set, cancel())).toEqual([]);
      const replies = received.mock.calls
        .filter(([event, message]) => event === 'message' && typeof (message as { stderr?: unknown })?.stderr === 'string')
        .map(([, message]) => (message as { stderr: string }).stderr);
      expect(replies).toEqual(Array.from({ length: 5 }, () => 'body-0.xml validates\n'));
    } finally {
      received.mockRestore();
    }
  });

  test("Aras's capture loads: both WSDLs and the query documents' XSD", async () => {
    const order = schemasOf(`${ARAS}/aras-order-service.wsdl`);
    const query = schemasOf(`${ARAS}/aras-query-service.wsdl`, [`${ARAS}/aras-query-info.xsd`]);
    expect(
      await validateBodyElement(query, '<LoginInfo><UserName>u</UserName><Password>p</Password><CustomerCode>c</CustomerCode></LoginInfo>'),
    ).toEqual([]);
    expect(await validateBodyElement(query, '<GetQueryXML xmlns="http://tempuri.org/"><loginInfo>x</loginInfo></GetQueryXML>')).toEqual([]);
    const wrong = await validateBodyElement(order, '<SetOrder xmlns="http://tempuri.org/"><userNam>x</userNam></SetOrder>');
    expect(wrong.join('\n')).toContain('userNam');
  });
});

describe('wsdlGuard', () => {
  const dialect = soapDialect({
    carrier: 'test',
    prefix: 'env',
    encoding: 'UTF-8',
    faultCode: 'errCode',
    codes: { invalidRequest: 'BAD', rateLimited: 'SLOW', unexpected: 'OOPS' },
    isArray: () => false,
    cutOff: () => '<ns1:Resp',
  });
  const errors: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) });

  /** A double whose only operation answers with `result` as the cancelShipment result. */
  function double(result: Record<string, unknown>) {
    const app = express();
    app.post('/svc', ...wsdlGuard({ wsdl: YURTICI_WSDL, logger }), (_req, res) =>
      dialect.sendEnvelope(res, { 'ns1:cancelShipmentResponse': { '@_xmlns:ns1': NS, ShippingOrderResultVO: result } }),
    );
    app.use(dialect.errorHandler(logger));
    return app;
  }
  const post = (app: express.Express, body: string) => request(app).post('/svc').set('Content-Type', 'text/xml').send(body);
  const validResult = { count: 1, senderCustId: 0 };

  beforeEach(() => errors.splice(0));

  test('a valid request gets the reply, which matches the WSDL', async () => {
    const res = await post(double(validResult), envelope(cancel()));
    expect(res.status).toBe(200);
    expect(res.text).toContain('<ShippingOrderResultVO><count>1</count><senderCustId>0</senderCustId></ShippingOrderResultVO>');
  });

  test("a request with a wrongly named element gets a Client fault with the carrier's invalid-request code, naming it", async () => {
    const res = await post(double(validResult), envelope(cancel('cargoKey')));
    expect(res.status).toBe(500);
    expect(res.text).toContain('<faultcode>env:Client</faultcode>');
    expect(res.text).toContain('<errCode>BAD</errCode>');
    expect(res.text.replace(/&apos;/g, "'")).toContain("Element 'cargoKey': This element is not expected");
  });

  test('a reply that drifts from the WSDL is not sent: a 500 Server fault and a loud log', async () => {
    const drifting = { count: 1, senderCustId: 0, cancelled: 'yes' };
    const res = await post(double(drifting), envelope(cancel()));
    expect(res.status).toBe(500);
    expect(res.text).toContain('<faultcode>soap:Server</faultcode>');
    expect(res.text).toContain("Element 'cancelled': This element is not expected");
    expect(errors).toEqual([
      expect.objectContaining({ msg: 'sandbox reply does not match the WSDL', element: 'ns1:cancelShipmentResponse' }),
    ]);
  });
});
