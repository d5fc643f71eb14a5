// SOAP 1.1 as Yurtiçi's JBossWS service writes it (sandbox/soap.ts's dialect with the prefix env:,
// the result under ns1:, a fault's detail the WSDL's YurticikargoWSException{errorCode, errText}),
// and the carrier's error texts. Adapters must read faultcode and errorCode, not just the status.
import type { Response } from 'express';
import { YURTICI_CODES } from '../../carriers/yurtici/codes';
import { soapDialect } from '../soap';

export const SERVICE_NS = 'http://yurticikargo.com.tr/ShippingOrderDispatcherServices';
const EXCEPTIONS_NS = 'http://yurticikargo.com.tr/WSExceptions/';
export const YURTICI_WSDL = 'carriers/yurtici/spec/ShippingOrderDispatcherServices.wsdl';

// The carrier's codes, shared with the connector: carriers/yurtici/codes.json says which are published.
export { YURTICI_CODES };

export type Language = 'TR' | 'EN';

/** The carrier's messages for the codes the double answers (spec README, "errCode"; TR as published, EN ours). */
const MESSAGES: Record<string, Record<Language, string>> = {
  [YURTICI_CODES.success]: { TR: '', EN: '' },
  [YURTICI_CODES.cargoKeyMissing]: { TR: 'Kargo anahtarı bulunamadı', EN: 'cargoKey missing' },
  [YURTICI_CODES.cargoKeyTooLong]: { TR: 'Kargo anahtarı uzunluk aşımı', EN: 'cargoKey too long' },
  [YURTICI_CODES.duplicateCargoKey]: { TR: 'Kargo anahtarı sistemde mevcut', EN: 'cargoKey already in the system' },
  [YURTICI_CODES.invoiceKeyMissing]: { TR: 'Fatura anahtarı bulunamadı', EN: 'invoiceKey missing' },
  [YURTICI_CODES.invoiceKeyTooLong]: { TR: 'Fatura anahtarı uzunluk aşımı', EN: 'invoiceKey too long' },
  [YURTICI_CODES.receiverNameMissing]: { TR: 'Alıcı müşteri adı bulunamadı', EN: 'receiver name missing' },
  [YURTICI_CODES.receiverNameTooLong]: { TR: 'Alıcı adı uzunluk aşımı', EN: 'receiver name too long' },
  [YURTICI_CODES.addressMissing]: { TR: 'Alıcı adresi bulunamadı', EN: 'receiver address missing' },
  [YURTICI_CODES.addressLength]: {
    TR: 'RECEIVER_ADDRESS parametresi min: 10 max: 500 uzunluğunda olmalıdır',
    EN: 'receiverAddress must be 10 to 500 characters long',
  },
  [YURTICI_CODES.codAmountMissing]: { TR: 'Tahsilat tutarı bulunamadı', EN: 'cash on delivery amount missing' },
  [YURTICI_CODES.codDocumentMissing]: { TR: 'Tahsilat belge no bulunamadı', EN: 'cash on delivery document number missing' },
  [YURTICI_CODES.codDocumentTooLong]: { TR: 'Tahsilat belge no uzunluk aşımı', EN: 'cash on delivery document number too long' },
  [YURTICI_CODES.collectionTypeMismatch]: {
    TR: 'Müşteri anlaşması ödeme tipi uyuşmuyor',
    EN: "the collection type does not match the user's contract",
  },
  [YURTICI_CODES.collectionTypeInvalid]: { TR: 'Hatalı ödeme tipi', EN: 'ttCollectionType must be 0 or 1' },
  [YURTICI_CODES.documentSaveTypeInvalid]: { TR: 'Hatalı belge kayıt tipi', EN: 'ttDocumentSaveType must be 0 or 1' },
  [YURTICI_CODES.emailInvalid]: { TR: 'Geçersiz e-posta adresi', EN: 'invalid e-mail address' },
  [YURTICI_CODES.phoneInvalid]: { TR: 'Geçersiz telefon numarası', EN: 'invalid phone number' },
  [YURTICI_CODES.cargoKeyNotFound]: { TR: 'Kullanıcıya ait kargo anahtarı bulunamadı', EN: 'no such cargoKey for this user' },
  [YURTICI_CODES.alreadyCancelled]: { TR: 'Kargo anahtarı daha önceden iptal edilmiş', EN: 'cargoKey already cancelled' },
  [YURTICI_CODES.keysMissing]: { TR: 'KEYS parametresi boş veya eksik', EN: 'keys missing' },
  [YURTICI_CODES.keyTypeMissing]: { TR: 'KEY_TYPE parametresi boş veya eksik', EN: 'keyType missing or invalid' },
  [YURTICI_CODES.returnStartDateMissing]: { TR: 'Başlangıç tarih kriteri zorunludur', EN: 'startDate is required' },
  [YURTICI_CODES.returnEndDateMissing]: { TR: 'Bitiş tarih kriteri zorunludur', EN: 'endDate is required' },
  [YURTICI_CODES.returnFieldNameMissing]: { TR: 'Özel alan adı boş bırakılmamalıdır', EN: 'fieldName is required' },
  [YURTICI_CODES.returnCodeMissing]: { TR: 'İade kodu boş olamaz', EN: 'returnCode is required' },
  [YURTICI_CODES.returnCountMissing]: { TR: 'İade koduna ait kullanım adedi boş olamaz', EN: 'maxCount is required' },
  [YURTICI_CODES.returnFieldNameInvalid]: { TR: 'FieldName bilgisi geçersizdir', EN: 'invalid fieldName' },
  [YURTICI_CODES.returnCodeExists]: { TR: 'İade kodu daha önceden kaydedilmiştir', EN: 'the return code was saved before' },
  [YURTICI_CODES.returnCodeUnknown]: { TR: 'İade kodu sistemde bulunmamaktadır', EN: 'no such return code' },
};

export function carrierMessage(code: string, language: Language): string {
  return MESSAGES[code]?.[language] ?? code;
}

export function resultText(ok: boolean, language: Language): string {
  if (language === 'TR') return ok ? 'Başarılı' : 'Hatalı kayıtlar var';
  return ok ? 'Successful' : 'Some records have errors';
}

// Request elements that are lists even with one member.
const LISTS = new Set(['ShippingOrderVO', 'keys', 'cargoKeys']);

export const yurticiSoap = soapDialect({
  carrier: 'yurtici',
  prefix: 'env',
  encoding: 'UTF-8',
  faultCode: 'errorCode',
  faultDetail: (fault) => ({
    'ns2:YurticikargoWSException': { '@_xmlns:ns2': EXCEPTIONS_NS, errorCode: fault.code, errText: fault.message },
  }),
  codes: YURTICI_CODES,
  isArray: (name) => LISTS.has(name),
  cutOff: () => '<ns1:Response><outFlag>0</out',
});

/** `<ns1:{operation}Response><{resultName}>…` as the carrier answers. */
export function sendResult(res: Response, operation: string, resultName: string, result: unknown): void {
  yurticiSoap.sendEnvelope(res, { [`ns1:${operation}Response`]: { '@_xmlns:ns1': SERVICE_NS, [resultName]: result } });
}
