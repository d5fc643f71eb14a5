// SOAP 1.1 as an ASP.NET .asmx service writes it (sandbox/soap.ts's dialect with the prefix soap:,
// the result in http://tempuri.org/), a fault's detail the sandbox's HataDetay{HataKodu}. Refusals
// inside a 200 are words: `HATA <code>: <text>` (the codes are carriers/surat/codes.json's).
import type { Response } from 'express';
import { SURAT_CODES } from '../../carriers/surat/codes';
import { soapDialect } from '../soap';

export const SERVICE_NS = 'http://tempuri.org/';
export const SURAT_WSDL = 'carriers/surat/spec/SuratServices.wsdl';

export { SURAT_CODES };

/** The carrier's words for the codes the double answers (Turkish, the sandbox's). */
const MESSAGES: Record<string, string> = {
  [SURAT_CODES.invalidCredentials]: 'Kullanıcı adı veya şifre hatalı',
  [SURAT_CODES.notFound]: 'Kayıt bulunamadı',
  [SURAT_CODES.notWithdrawable]: 'Gönderi kargoya verilmiş, geri çekilemez',
  [SURAT_CODES.alreadyWithdrawn]: 'Gönderi daha önce geri çekilmiş',
  [SURAT_CODES.duplicateKey]: 'Bu özel kargo takip numarası ile kayıtlı gönderi var',
  [SURAT_CODES.addressMissing]: 'Alıcı adresi eksik veya 10 karakterden kısa',
  [SURAT_CODES.phoneInvalid]: 'Alıcı cep telefonu hatalı',
  [SURAT_CODES.districtMissing]: 'İlçe bilgisi eksik',
  [SURAT_CODES.provinceUnknown]: 'İl bulunamadı',
  [SURAT_CODES.codAmountInvalid]: 'Kapıda ödeme tutarı hatalı',
  [SURAT_CODES.invalidRequest]: 'Eksik veya hatalı parametre',
};

/** A refusal as the double writes it in a 200: `HATA <code>: <words>`. */
export const refusalText = (code: string): string => `HATA ${code}: ${MESSAGES[code] ?? 'Hata'}`;

export const suratSoap = soapDialect({
  carrier: 'surat',
  prefix: 'soap',
  encoding: 'utf-8',
  faultCode: 'HataKodu',
  faultDetail: (fault) => ({ HataDetay: { '@_xmlns': SERVICE_NS, HataKodu: fault.code } }),
  codes: SURAT_CODES,
  isArray: () => false,
  cutOff: (operation) => `<${operation}Response xmlns="${SERVICE_NS}"><${operation}Result><isErr`,
});

/** `<{operation}Response xmlns="http://tempuri.org/"><{operation}Result>…` as .asmx answers. */
export function sendResult(res: Response, operation: string, result: unknown): void {
  suratSoap.sendEnvelope(res, { [`${operation}Response`]: { '@_xmlns': SERVICE_NS, [`${operation}Result`]: result } });
}
