// SOAP 1.1 as the Aras-like carrier speaks it: envelopes in and out (namespace tempuri.org, as
// the carrier's .NET services use), faults with HTTP 500, and the carrier's result codes. The
// order service answers most refusals as a ResultCode in a 200 result; adapters must read it.
import type { Response } from 'express';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SERVICE_NS = 'http://tempuri.org/';

/**
 * Result codes the sandbox uses. 0, 1, -1, -2, 999, 936, 1000, 5000 and 70026 are the carrier's
 * own (public SetOrder/CancelDispatch documents); the rest the sandbox chose (see README.md).
 */
export const ARAS_CODES = {
  success: '0',
  deleted: '1',
  notFound: '-1',
  cancelWrongCredentials: '-2',
  notCancellable: '999',
  invalidOrder: '936',
  wrongCredentials: '1000',
  unexpected: '5000',
  codAmountOutOfRange: '70026',
  cityNotFound: '70019',
  duplicateIntegrationCode: '70040',
  pickupDateRefused: '70041',
  invalidRequest: '900',
  rateLimited: '5429',
  queryLoginRefused: '2001',
  queryInvalid: '2002',
} as const;

const MESSAGES: Record<string, string> = {
  [ARAS_CODES.success]: 'Başarılı',
  [ARAS_CODES.notFound]: 'Kayıt bulunamadı',
  [ARAS_CODES.cancelWrongCredentials]: 'Kullanıcı adı ve şifreniz hatalıdır',
  [ARAS_CODES.notCancellable]: 'İrsaliyesi kesilmiş sipariş iptal edilemez',
  [ARAS_CODES.wrongCredentials]: 'Kullanıcı adı veya şifre yanlış',
  [ARAS_CODES.codAmountOutOfRange]: 'CodAmount değeri 5 ile 5000 TL arasında olmalıdır',
  [ARAS_CODES.cityNotFound]: 'Alıcı il bilgisi bulunamadı',
  [ARAS_CODES.duplicateIntegrationCode]: 'Bu IntegrationCode ile daha önce sipariş gönderilmiş',
  [ARAS_CODES.pickupDateRefused]: 'Kurye alım tarihi geçmiş bir tarih olamaz',
};

export function carrierMessage(code: string): string {
  return MESSAGES[code] ?? code;
}

/** A SOAP fault: `Client` for the caller's mistakes (not worth repeating), `Server` for the carrier's. */
export class SoapFault extends Error {
  constructor(
    readonly side: 'Client' | 'Server',
    readonly resultCode: string,
    message: string,
    readonly status = 500,
  ) {
    super(message);
  }
}

// Repeated elements always come back as arrays, even with one member (by path: Order's own
// IntegrationCode is a single value, QueryInfo's may repeat).
const LISTS = new Set(['Envelope.Body.SetOrder.orderInfo.Order', 'Envelope.Body.SetOrder.orderInfo.Order.PieceDetails.PieceDetail', 'QueryInfo.IntegrationCode']);
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  isArray: (_name, jPath) => LISTS.has(String(jPath)),
});
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

/** Parses XML text, or fails as a SOAP Client fault with the given code. */
export function parseXml(xml: string, code: string, what: string): Record<string, unknown> {
  try {
    return parser.parse(xml, true) as Record<string, unknown>;
  } catch {
    throw new SoapFault('Client', code, `${what} is not well-formed XML`);
  }
}

/** The operation element inside soap:Body, e.g. {SetOrder: {...}}; a SOAP Client fault when the body is not an envelope. */
export function parseEnvelope(xml: string): Record<string, unknown> {
  const body = (parseXml(xml, ARAS_CODES.invalidRequest, 'the request') as { Envelope?: { Body?: unknown } }).Envelope?.Body;
  if (!body || typeof body !== 'object') throw new SoapFault('Client', ARAS_CODES.invalidRequest, 'no SOAP envelope with a Body');
  return body as Record<string, unknown>;
}

/** Builds an XML document (the query service's string results are documents too). */
export function buildXml(doc: Record<string, unknown>): string {
  return builder.build(doc) as string;
}

function envelope(body: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>${buildXml({ 'soap:Envelope': { '@_xmlns:soap': SOAP_ENV, 'soap:Body': body } })}`;
}

/** `<{operation}Response xmlns="http://tempuri.org/"><{operation}Result>…` as a .NET service answers. */
export function sendResult(res: Response, operation: string, result: unknown): void {
  res.status(200).type('text/xml; charset=utf-8').send(envelope({ [`${operation}Response`]: { '@_xmlns': SERVICE_NS, [`${operation}Result`]: result } }));
}

export function sendSoapFault(res: Response, fault: SoapFault): void {
  const body = { 'soap:Fault': { faultcode: `soap:${fault.side}`, faultstring: fault.message, detail: { ResultCode: fault.resultCode } } };
  res.status(fault.status).type('text/xml; charset=utf-8').send(envelope(body));
}

/** faults.ts's ErrorWriter: the injected failure as the carrier's server would send it. */
export function sendInjectedFault(res: Response, status: number, message: string): void {
  const code = status === 429 ? ARAS_CODES.rateLimited : ARAS_CODES.unexpected;
  sendSoapFault(res, new SoapFault('Server', code, message, status));
}
