// SOAP 1.1 as the Yurtiçi-like carrier speaks it (sandbox/soap.ts's dialect with its own prefix
// env:, the result under ns1:, errCode in a fault's detail), and the carrier's own error codes.
// Adapters must read faultcode and errCode, not just the status.
import type { Response } from 'express';
import { YURTICI_CODES } from '../../carriers/yurtici/codes';
import { soapDialect } from '../soap';

export const SERVICE_NS = 'http://yurticikargo.com.tr/ShippingOrderDispatcherServices';

// The carrier's codes, shared with the connector: carriers/yurtici/codes.json says which are published.
export { YURTICI_CODES };

type Language = 'TR' | 'EN';

const MESSAGES: Record<string, Record<Language, string>> = {
  [YURTICI_CODES.addressNotFound]: { TR: 'Alıcı adresi bulunamadı', EN: 'Receiver address not found' },
  [YURTICI_CODES.duplicateCargoKey]: { TR: 'Bu kargo anahtarı daha önce kullanılmış', EN: 'The cargoKey has been used before' },
  [YURTICI_CODES.cargoKeyNotFound]: { TR: 'Kargo anahtarı bulunamadı', EN: 'cargoKey not found' },
  [YURTICI_CODES.notCancellable]: {
    TR: 'Kargo şubede kabul edildi, iptal edilemez',
    EN: 'The parcel has been accepted by a branch and can no longer be cancelled',
  },
};

export function carrierMessage(code: string, language: Language): string {
  return MESSAGES[code]?.[language] ?? code;
}

export function resultText(ok: boolean, language: Language): string {
  if (language === 'TR') return ok ? 'Başarılı' : 'Hatalı kayıtlar var';
  return ok ? 'Successful' : 'Some records have errors';
}

// List elements always come back as arrays, even with one member.
const LISTS = new Set(['ShippingOrderVO', 'keys', 'cargoKeys']);

export const yurticiSoap = soapDialect({
  carrier: 'yurtici',
  prefix: 'env',
  encoding: 'UTF-8',
  faultCode: 'errCode',
  codes: YURTICI_CODES,
  isArray: (name) => LISTS.has(name),
  cutOff: () => '<ns1:Response><outFlag>0</out',
});

/** `<ns1:{operation}Response><{resultName}>…` as the carrier answers. */
export function sendResult(res: Response, operation: string, resultName: string, result: unknown): void {
  yurticiSoap.sendEnvelope(res, { [`ns1:${operation}Response`]: { '@_xmlns:ns1': SERVICE_NS, [resultName]: result } });
}
