// SOAP 1.1 as the Yurtiçi-like carrier speaks it (sandbox/soap.ts's dialect with its own prefix
// env:, the result under ns1:, errCode in a fault's detail), and the carrier's own error codes.
// Adapters must read faultcode and errCode, not just the status.
import type { Response } from 'express';
import { soapDialect } from '../soap';

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
  [YURTICI_ERRORS.notCancellable]: {
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
  codes: YURTICI_ERRORS,
  isArray: (name) => LISTS.has(name),
  cutOff: () => '<ns1:Response><outFlag>0</out',
});

/** `<ns1:{operation}Response><{resultName}>…` as the carrier answers. */
export function sendResult(res: Response, operation: string, resultName: string, result: unknown): void {
  yurticiSoap.sendEnvelope(res, { [`ns1:${operation}Response`]: { '@_xmlns:ns1': SERVICE_NS, [resultName]: result } });
}
