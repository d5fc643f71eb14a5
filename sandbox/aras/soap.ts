// SOAP 1.1 as the Aras-like carrier speaks it (sandbox/soap.ts's dialect with its own prefix
// soap:, namespace tempuri.org as the carrier's .NET services use, ResultCode in a fault's detail),
// and the carrier's result codes. The order service answers most refusals as a ResultCode in a
// 200 result; adapters must read it.
import type { Response } from 'express';
import { ARAS_CODES } from '../../carriers/aras/codes';
import { soapDialect } from '../soap';

export const SERVICE_NS = 'http://tempuri.org/';

// The carrier's codes, shared with the connector: carriers/aras/codes.json says which are published.
export { ARAS_CODES };

/** The carrier's messages, in its words where its documents give them. */
const MESSAGES: Record<string, string> = {
  [ARAS_CODES.success]: 'Başarılı',
  [ARAS_CODES.notFound]: 'Kayıt bulunamadı',
  [ARAS_CODES.cancelWrongCredentials]: 'Kullanıcı adı ve şifreniz hatalıdır',
  [ARAS_CODES.notCancellable]: 'İrsaliyesi kesilmiş sipariş iptal edilemez',
  [ARAS_CODES.wrongCredentials]: 'Kullanıcı adı veya şifre yanlış',
  [ARAS_CODES.phoneNotDigits]: 'ReceiverPhone1 sadece rakamlardan oluşmalıdır',
  [ARAS_CODES.cityMissing]: 'Alıcı il bilgisi boş veya hatalı',
  [ARAS_CODES.townMissing]: 'Alıcı ilçe bilgisi boş veya hatalı',
  [ARAS_CODES.receiverPaysCod]: 'Alıcı ödemeli tahsilatlı gönderi gönderilemez',
  [ARAS_CODES.senderAddressNotFound]: 'Sevk adresi bulunamadı. ',
  [ARAS_CODES.waybillIssued]: 'İrsaliyesi kesilmiş sipariş güncellenemez',
  [ARAS_CODES.pieceCountMismatch]: 'Parça sayısı ile gönderilen parça bilgisi uyuşmuyor',
  [ARAS_CODES.barcodeMissing]: 'Parça barkod numarası boş olamaz',
  [ARAS_CODES.barcodeUsedBefore]: 'Bu barkod numarası daha önce gönderilmiş',
  [ARAS_CODES.duplicateBarcode]: 'Aynı barkod numarasına sahip iki parça gönderilemez',
  [ARAS_CODES.tooManyUpdates]: 'Bir siparişe ait bilgileri en fazla 20 kez gönderebilirsiniz',
};

export function carrierMessage(code: string): string {
  return MESSAGES[code] ?? code;
}

// Repeated elements always come back as arrays, even with one member (by path).
const LISTS = new Set(['Envelope.Body.SetOrder.orderInfo.Order', 'Envelope.Body.SetOrder.orderInfo.Order.PieceDetails.PieceDetail']);

/**
 * The `malformed` fault's cut-off reply: an envelope cut off mid-element (invalid XML), or for
 * GetQueryJSON, whose result is a JSON string inside the envelope, a valid envelope whose JSON is cut off.
 */
function cutOff(operation: string): string {
  if (operation === 'GetQueryJSON') {
    const result = '<GetQueryJSONResult>{"QueryResult": {"Cargo": [</GetQueryJSONResult>';
    return `<GetQueryJSONResponse xmlns="${SERVICE_NS}">${result}</GetQueryJSONResponse></soap:Body></soap:Envelope>`;
  }
  return `<${operation}Response xmlns="${SERVICE_NS}"><${operation}Result><ResultCode>0</Res`;
}

export const arasSoap = soapDialect({
  carrier: 'aras',
  prefix: 'soap',
  encoding: 'utf-8',
  faultCode: 'ResultCode',
  codes: ARAS_CODES,
  isArray: (_name, jPath) => LISTS.has(jPath),
  cutOff,
});

/** `<{operation}Response xmlns="http://tempuri.org/"><{operation}Result>…` as a .NET service answers. */
export function sendResult(res: Response, operation: string, result: unknown): void {
  arasSoap.sendEnvelope(res, { [`${operation}Response`]: { '@_xmlns': SERVICE_NS, [`${operation}Result`]: result } });
}
