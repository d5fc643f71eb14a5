// SOAP 1.1 as the SOAP carrier doubles speak it: envelopes in and out, faults (HTTP 500 unless a
// fault injection chose another status) with the carrier's code in <detail>, and the `malformed`
// fault broken in XML rather than JSON. Each carrier names what is its own (namespace prefix,
// declaration, the fault's code element, which elements are lists); how it answers stays exactly
// its own, since the adapters read these replies byte for byte.
import express, { type Request, type RequestHandler, type Response } from 'express';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { CarrierError, carrierErrors, type CarrierErrors } from './errors';
import { FaultPlan, injectFaults } from './faults';

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';

/** A SOAP fault: `Client` for the caller's mistakes (not worth repeating), `Server` for the carrier's. */
export class SoapFault extends CarrierError {
  constructor(
    readonly side: 'Client' | 'Server',
    code: string,
    message: string,
    status = 500,
  ) {
    super(status, code, message);
  }
}

/** A request the carrier's schema does not allow (sandbox/wsdl.ts): the dialect answers it as a Client fault with its invalid-request code. */
export class InvalidSoapRequest extends Error {}

// A reply broken on purpose (the `malformed` fault) is sent as it is, unchecked by sandbox/wsdl.ts.
const UNCHECKED = 'sandbox.uncheckedReply';
/** Whether the reply is one the double breaks on purpose (sandbox/wsdl.ts lets it through). */
export const isUncheckedReply = (res: Response): boolean => res.locals[UNCHECKED] === true;

// --- request fields: every XML value arrives as a string, an empty element as '' ---
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

/** Trimmed text of 1 to `max` characters. */
export const xmlText = (max: number) => z.string().trim().min(1).max(max);

/** A field the request may leave out or send as an empty element. */
export const xmlOptional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** Trimmed text matching `pattern`; `message` says what it must be. */
export const xmlMatching = (pattern: RegExp, message?: string) => z.string().trim().regex(pattern, message);

/** A positive number up to `max`, written as `pattern` allows (how many decimals is the carrier's own). */
export const xmlDecimal = (max: number, pattern: RegExp) => xmlMatching(pattern).transform(Number).pipe(z.number().positive().max(max));

export interface SoapDialectSpec {
  carrier: string;
  /** The envelope's namespace prefix ('env', 'soap') and the XML declaration's encoding, as the carrier writes them. */
  prefix: string;
  encoding: string;
  /** The element inside a fault's <detail> that carries the carrier's code (errCode, ResultCode). */
  faultCode: string;
  /** What a fault's <detail> holds, where the carrier's is more than `{faultCode: code}` (a WSDL-declared exception element). */
  faultDetail?: (fault: CarrierError) => Record<string, unknown>;
  /** The carrier's codes for a bad request, a rate limit and its own failures. */
  codes: { invalidRequest: string; rateLimited: string; unexpected: string };
  /** Elements that always parse as arrays, even with one member (by name or by path). */
  isArray(name: string, jPath: string): boolean;
  /** The `malformed` fault's invalid-json variant: what follows <Body> in a 200 cut off mid-element (or mid-JSON result). */
  cutOff(operation: string): string;
}

export interface SoapDialect extends Pick<CarrierErrors, 'parse'> {
  /** Reads the request body as text (the carriers take text/xml and its siblings). */
  bodyParser: RequestHandler;
  /** Parses XML text, or fails as a Client fault with the given code (`what` names the document in the message). */
  parseXml: (xml: string, code: string, what: string) => Record<string, unknown>;
  /** The elements inside the request's soap:Body, e.g. {createShipment: {...}}; a Client fault when it holds no envelope. */
  envelopeOf: (req: Request) => Record<string, unknown>;
  buildXml: (doc: Record<string, unknown>) => string;
  /** A 200 whose envelope holds `body`. */
  sendEnvelope: (res: Response, body: Record<string, unknown>) => void;
  sendFault: (res: Response, fault: CarrierError) => void;
  /** Draws from the carrier's plan once per call: `malformed` is written here in XML, the rest by faults.ts's middleware. */
  injectFaults: (plan: FaultPlan, operation: string) => RequestHandler;
  /** The router's last handler (errors.ts's rules, answered as SOAP faults). */
  errorHandler: CarrierErrors['handler'];
}

export function soapDialect(spec: SoapDialectSpec): SoapDialect {
  const parser = new XMLParser({
    removeNSPrefix: true,
    ignoreAttributes: true,
    ignoreDeclaration: true,
    parseTagValue: false,
    isArray: (name, jPath) => spec.isArray(name, String(jPath)),
  });
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });
  const p = spec.prefix;
  const declaration = `<?xml version="1.0" encoding="${spec.encoding}"?>`;
  const buildXml = (doc: Record<string, unknown>) => builder.build(doc);
  const envelope = (body: unknown) =>
    `${declaration}${buildXml({ [`${p}:Envelope`]: { [`@_xmlns:${p}`]: SOAP_ENV, [`${p}:Body`]: body } })}`;
  const sendXml = (res: Response, status: number, xml: string) => void res.status(status).type('text/xml; charset=utf-8').send(xml);

  const detailOf = spec.faultDetail ?? ((fault: CarrierError) => ({ [spec.faultCode]: fault.code }));

  function sendFault(res: Response, fault: CarrierError): void {
    const side = fault instanceof SoapFault ? fault.side : 'Server';
    sendXml(
      res,
      fault.status,
      envelope({ [`${p}:Fault`]: { faultcode: `${p}:${side}`, faultstring: fault.message, detail: detailOf(fault) } }),
    );
  }

  function parseXml(xml: string, code: string, what: string): Record<string, unknown> {
    try {
      return parser.parse(xml, true) as Record<string, unknown>;
    } catch {
      throw new SoapFault('Client', code, `${what} is not well-formed XML`);
    }
  }

  const { codes } = spec;
  const errors = carrierErrors({
    carrier: spec.carrier,
    codes: {
      invalidRequest: codes.invalidRequest,
      rateLimited: codes.rateLimited,
      unavailable: codes.unexpected,
      serverError: codes.unexpected,
    },
    refusal: (code, message) => new SoapFault('Client', code, message),
    failure: (code, message, status) => new SoapFault('Server', code, message, status),
    send: sendFault,
    unreadable: ['entity.too.large', 'entity.parse.failed', 'charset.unsupported'],
    messages: { unreadable: 'the request body could not be read', unexpected: 'unexpected error' },
  });

  /** A 200 cut off mid-element (invalid XML), or a valid envelope in a shape no client expects. */
  function sendMalformed(res: Response, operation: string, variant: 'invalid-json' | 'wrong-shape'): void {
    const open = `${declaration}<${p}:Envelope xmlns:${p}="${SOAP_ENV}"><${p}:Body>`;
    res.locals[UNCHECKED] = true;
    sendXml(
      res,
      200,
      variant === 'invalid-json'
        ? `${open}${spec.cutOff(operation)}`
        : `${open}<unexpected><shape/></unexpected></${p}:Body></${p}:Envelope>`,
    );
  }

  return {
    bodyParser: express.text({ type: ['text/xml', 'application/xml', 'application/soap+xml'], limit: '256kb' }),
    parse: errors.parse,
    parseXml,
    envelopeOf(req) {
      if (typeof req.body !== 'string' || req.body === '')
        throw new SoapFault('Client', codes.invalidRequest, 'expected a SOAP 1.1 envelope as text/xml');
      const body = (parseXml(req.body, codes.invalidRequest, 'the request') as { Envelope?: { Body?: unknown } }).Envelope?.Body;
      if (!body || typeof body !== 'object') throw new SoapFault('Client', codes.invalidRequest, 'no SOAP envelope with a Body');
      return body as Record<string, unknown>;
    },
    buildXml,
    sendEnvelope: (res, body) => sendXml(res, 200, envelope(body)),
    sendFault,
    injectFaults: (plan, operation) => (req, res, next) => {
      const { delayMs, failure } = plan.draw(operation);
      if (failure?.kind === 'malformed') {
        setTimeout(() => sendMalformed(res, operation, failure.variant), delayMs);
        return undefined;
      }
      // Replays the draw (latency, then at most one failure) through faults.ts's middleware.
      const replay = new FaultPlan();
      if (delayMs > 0) replay.add({ kind: 'latency', ms: delayMs, times: 1, probability: 1, seed: 1 });
      if (failure) replay.add({ ...failure, on: undefined, times: 1, probability: 1 });
      return injectFaults(replay, operation, errors.sendInjected)(req, res, next);
    },
    errorHandler: (logger) => {
      const handler = errors.handler(logger);
      return (err, req, res, next) =>
        err instanceof InvalidSoapRequest
          ? sendFault(res, new SoapFault('Client', codes.invalidRequest, err.message))
          : handler(err, req, res, next);
    },
  };
}
