// How Sürat failures reach Temporal (the shared reading is ../failures.ts). Its own part: an address
// it cannot use (missing, a district it does not know, a phone it refuses) gets the address type so
// the workflow asks for a corrected address; its "unexpected error" is its trouble, retried.
import { carrierFailures, type Verdict } from '../failures';
import { codeOf, SURAT_CODES } from './codes';

export const CARRIER = 'surat';

export { SURAT_CODES };

const VERDICTS: Record<string, Verdict> = {
  [SURAT_CODES.addressMissing]: 'addressRejected',
  [SURAT_CODES.districtMissing]: 'addressRejected',
  [SURAT_CODES.provinceUnknown]: 'addressRejected',
  [SURAT_CODES.phoneInvalid]: 'addressRejected',
  [SURAT_CODES.unexpected]: 'unavailable',
};

const failures = carrierFailures(CARRIER, (code) => VERDICTS[code]);
export const { malformedFailure, refusal, soapFailure: httpFailure } = failures;

/** A 200 whose text refuses (isError, or a withdrawal that did not happen): judged by the code the text starts with. */
export function messageFailure(operation: string, message: string) {
  const code = codeOf(message) ?? 'none';
  return failures.resultCodeFailure(operation, `carrier code ${code}`, { code, message });
}
