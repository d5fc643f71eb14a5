// The SOAP 1.1 transport for carriers with .NET/Java web services (Yurtiçi, Aras): the envelope,
// the SOAPAction header, faults read by side (Client: the request's fault; Server: the
// carrier's), and a result read down to `<{operation}Response><{result}>` against its schema.
// Every call goes over the shared HTTP transport (timeouts, dropped connections).
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { carrierFailures } from '../failures';
import { createHttpTransport, describeIssues, type HttpReply } from './http';

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';

/** A SOAP fault's side (faultcode Client or Server), the carrier's code from its detail, and faultstring. */
export interface SoapFault {
  side: 'Client' | 'Server' | 'unknown';
  code: string;
  message: string;
}

export interface SoapTransportConfig {
  carrier: string;
  baseUrl: string;
  timeoutMs: number;
  /** The service's namespace. */
  namespace: string;
  /** With a prefix, the operation element is `prefix:operation` declared on the Envelope; without, it carries the namespace as its default. */
  prefix?: string;
  /** More namespaces declared on the Envelope by prefix, for services whose beans are qualified in a namespace of their own (PTT's Axis2). */
  namespaces?: Record<string, string>;
  /** Elements that are lists even with one member (the XML cannot tell). */
  lists: string[];
  /** The element of a fault's detail that holds the carrier's code, or the dotted path to it (`Exception.errorCode`). */
  faultCodeElement: string;
  /** The failure for a reply that is not a 200 result (a fault, a 5xx, a 429). */
  httpFailure: (operation: string, reply: HttpReply, fault: SoapFault | undefined) => Error;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

/** An XML document as a string, for services that take one inside a SOAP parameter. */
export const xmlDocument = (doc: Record<string, unknown>): string => builder.build(doc);

function buildEnvelope(
  operation: string,
  body: Record<string, unknown>,
  { namespace, prefix, namespaces = {} }: Pick<SoapTransportConfig, 'namespace' | 'prefix' | 'namespaces'>,
): string {
  const operationElement = prefix ? { [`${prefix}:${operation}`]: body } : { [operation]: { '@_xmlns': namespace, ...body } };
  const doc = {
    'soapenv:Envelope': {
      '@_xmlns:soapenv': SOAP_ENV,
      ...(prefix ? { [`@_xmlns:${prefix}`]: namespace } : {}),
      ...Object.fromEntries(Object.entries(namespaces).map(([name, uri]) => [`@_xmlns:${name}`, uri])),
      'soapenv:Header': '',
      'soapenv:Body': operationElement,
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>${xmlDocument(doc)}`;
}

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
/** An optional XML value: an empty element reads as absent. */
export const Opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

export function createSoapTransport(config: SoapTransportConfig) {
  const { carrier, httpFailure } = config;
  const exchange = createHttpTransport(config);
  const { malformedFailure } = carrierFailures(carrier);
  // Values stay strings for zod to read.
  const lists = new Set(config.lists);
  const parser = new XMLParser({
    removeNSPrefix: true,
    ignoreAttributes: true,
    ignoreDeclaration: true,
    parseTagValue: false,
    isArray: (name) => lists.has(name),
  });
  const FaultSchema = z.object({
    faultcode: z.string(),
    faultstring: z.string().default(''),
    detail: z.unknown().optional(),
  });
  const faultCodePath = config.faultCodeElement.split('.');

  /** The carrier's code in a fault's detail, found down `faultCodePath`. */
  function detailCode(detail: unknown): string | undefined {
    const value = faultCodePath.reduce<unknown>(
      (node, name) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[name] : undefined),
      detail,
    );
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** The Body of an envelope, or undefined when the text is not XML or not an envelope. */
  function envelopeBody(text: string): Record<string, unknown> | undefined {
    try {
      const body = (parser.parse(text, true) as { Envelope?: { Body?: unknown } })?.Envelope?.Body;
      return body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The SOAP fault in a body, if it holds one: faultcode's local name says Client or Server. */
  function soapFault(body: Record<string, unknown> | undefined): SoapFault | undefined {
    const parsed = FaultSchema.safeParse(body?.Fault);
    if (!parsed.success) return undefined;
    const local = parsed.data.faultcode.split(':').pop() ?? '';
    const side = local.startsWith('Client') ? 'Client' : local.startsWith('Server') ? 'Server' : 'unknown';
    return { side, code: detailCode(parsed.data.detail) ?? 'none', message: parsed.data.faultstring };
  }

  /** Posts one operation's envelope to the service at `path`. */
  function call(path: string, soapAction: string, operation: string, body: Record<string, unknown>): Promise<HttpReply> {
    return exchange(operation, path, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${soapAction}"`, Accept: 'text/xml' },
      body: buildEnvelope(operation, body, config),
    });
  }

  /** A 200 envelope parsed down to `<{operation}Response><{resultName}>` against its schema; anything else becomes the matching failure. */
  function parseReply<T>(operation: string, resultName: string, reply: HttpReply, schema: z.ZodType<T>): T {
    const body = envelopeBody(reply.text);
    const fault = soapFault(body);
    if (reply.status < 200 || reply.status >= 300 || fault) throw httpFailure(operation, reply, fault);
    if (!body) throw malformedFailure(operation, 'the body is not a valid XML SOAP envelope');
    const response = body[`${operation}Response`] as Record<string, unknown> | undefined;
    const parsed = schema.safeParse(response?.[resultName]);
    if (!parsed.success) throw malformedFailure(operation, `${operation}Response.${resultName}: ${describeIssues(parsed.error)}`);
    return parsed.data;
  }

  return { call, parseReply };
}
