// SOAP 1.1 as PTT's Axis2 services write it (sandbox/soap.ts's dialect with the prefix soapenv:): the
// result under ns:<operation>Response/ns:return, its fields qualified in the service's /xsd namespace, a
// refusal as a code inside a 200 (hataKodu, donguHataKodu, sonucKodu), a fault's code under detail/hataKodu.
import type { Response } from 'express';
import { PTT_CODES } from '../../carriers/ptt/codes';
import { soapDialect } from '../soap';

export const ACCEPTANCE_NS = 'http://kabul.ptt.gov.tr';
export const MOVEMENT_NS = 'http://hareket.ptt.gov.tr';
export const ACCEPTANCE_WSDL = 'carriers/ptt/spec/PttVeriYukleme.wsdl';
export const MOVEMENT_WSDL = 'carriers/ptt/spec/GonderiHareketV2.wsdl';

// The carrier's codes, shared with the connector: carriers/ptt/codes.json says which are published.
export { PTT_CODES };

export const pttSoap = soapDialect({
  carrier: 'ptt',
  prefix: 'soapenv',
  encoding: 'UTF-8',
  faultCode: 'hataKodu',
  codes: PTT_CODES,
  isArray: (name) => name === 'dongu',
  cutOff: (operation) => `<ns:${operation}Response><ns:return><ax:hataKo`,
});

/** A bean's fields qualified in the `ax:` namespace, lists and nested beans too; absent fields left out. */
function qualified(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(qualified);
  if (!value || typeof value !== 'object') return value;
  const fields = Object.entries(value).filter(([, v]) => v !== undefined);
  return Object.fromEntries(fields.map(([k, v]) => [`ax:${k}`, qualified(v)]));
}

/** `<ns:{operation}Response><ns:return>…` as Axis2 answers. */
export function sendResult(res: Response, namespace: string, operation: string, result: object): void {
  const reply = { '@_xmlns:ax': `${namespace}/xsd`, ...(qualified(result) as object) };
  pttSoap.sendEnvelope(res, { [`ns:${operation}Response`]: { '@_xmlns:ns': namespace, 'ns:return': reply } });
}
