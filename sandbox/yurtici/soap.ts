// SOAP 1.1 as the Yurtiçi-like carrier speaks it: envelopes in and out, faults with HTTP 500,
// and the carrier's own error codes. Adapters must read faultcode and errCode, not just the status.
import type { Response } from 'express';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SERVICE_NS = 'http://yurticikargo.com.tr/ShippingOrderDispatcherServices';

/** The carrier's codes the sandbox uses. 60019, 60020, 80859 and 936 are the carrier's own; the rest the sandbox chose. */
export const YURTICI_ERRORS = {
  addressNotFound: '60019',
  duplicateCargoKey: '60020',
  cargoKeyNotFound: '80859',
  unexpected: '936',
  notCancellable: '60021',
  invalidRequest: '82000',
  invalidCredentials: '82500',
  rateLimited: '82429',
} as const;

type Language = 'TR' | 'EN';

const MESSAGES: Record<string, Record<Language, string>> = {
  [YURTICI_ERRORS.addressNotFound]: { TR: 'Alıcı adresi bulunamadı', EN: 'Receiver address not found' },
  [YURTICI_ERRORS.duplicateCargoKey]: { TR: 'Bu kargo anahtarı daha önce kullanılmış', EN: 'The cargoKey has been used before' },
  [YURTICI_ERRORS.cargoKeyNotFound]: { TR: 'Kargo anahtarı bulunamadı', EN: 'cargoKey not found' },
  [YURTICI_ERRORS.notCancellable]: { TR: 'Kargo şubede kabul edildi, iptal edilemez', EN: 'The parcel has been accepted by a branch and can no longer be cancelled' },
};

export function carrierMessage(code: string, language: Language): string {
  return MESSAGES[code]?.[language] ?? code;
}

export function resultText(ok: boolean, language: Language): string {
  if (language === 'TR') return ok ? 'Başarılı' : 'Hatalı kayıtlar var';
  return ok ? 'Successful' : 'Some records have errors';
}

/** A SOAP fault: `Client` for the caller's mistakes (not worth repeating), `Server` for the carrier's. */
export class SoapFault extends Error {
  constructor(
    readonly side: 'Client' | 'Server',
    readonly errCode: string,
    message: string,
    readonly status = 500,
  ) {
    super(message);
  }
}

// List elements always come back as arrays, even with one member.
const LISTS = new Set(['ShippingOrderVO', 'keys', 'cargoKeys']);
const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, ignoreDeclaration: true, parseTagValue: false, isArray: (name) => LISTS.has(name) });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

/** The operation element inside soap:Body, e.g. {createShipment: {...}}; a SOAP Client fault when the body is not an envelope. */
export function parseEnvelope(xml: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch {
    throw new SoapFault('Client', YURTICI_ERRORS.invalidRequest, 'the request is not well-formed XML');
  }
  const body = (doc as { Envelope?: { Body?: unknown } })?.Envelope?.Body;
  if (!body || typeof body !== 'object') throw new SoapFault('Client', YURTICI_ERRORS.invalidRequest, 'no SOAP envelope with a Body');
  return body as Record<string, unknown>;
}

function envelope(body: unknown): string {
  const doc = { 'env:Envelope': { '@_xmlns:env': SOAP_ENV, 'env:Body': body } };
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(doc)}`;
}

/** `<ns1:{operation}Response><{resultName}>…` as the carrier answers. */
export function sendResult(res: Response, operation: string, resultName: string, result: unknown): void {
  res.status(200).type('text/xml; charset=utf-8').send(envelope({ [`ns1:${operation}Response`]: { '@_xmlns:ns1': SERVICE_NS, [resultName]: result } }));
}

export function sendSoapFault(res: Response, fault: SoapFault): void {
  const body = { 'env:Fault': { faultcode: `env:${fault.side}`, faultstring: fault.message, detail: { errCode: fault.errCode } } };
  res.status(fault.status).type('text/xml; charset=utf-8').send(envelope(body));
}

/** faults.ts's ErrorWriter: the injected failure as the carrier's server would send it. */
export function sendInjectedFault(res: Response, status: number, message: string): void {
  const code = status === 429 ? YURTICI_ERRORS.rateLimited : YURTICI_ERRORS.unexpected;
  sendSoapFault(res, new SoapFault('Server', code, message, status));
}
