// How Yurtiçi failures reach Temporal (the shared reading is ../failures.ts). Its own part: the
// carrier's "unexpected error" (936, or outFlag 2) is its trouble, retried; an address it refuses
// (missing, shorter than 10 or longer than 500 characters, or a phone it cannot use) gets the address
// type so the workflow asks for a corrected address.
import { carrierFailures, type CarrierError, type Verdict } from '../failures';
import { YURTICI_CODES } from './codes';

export const CARRIER = 'yurtici';

export { YURTICI_CODES };

const VERDICTS: Record<string, Verdict> = {
  [YURTICI_CODES.addressMissing]: 'addressRejected',
  [YURTICI_CODES.addressLength]: 'addressRejected',
  [YURTICI_CODES.phoneInvalid]: 'addressRejected',
  [YURTICI_CODES.unexpected]: 'unavailable',
};

/** outFlag 2: "unexpected error" (integrations), the carrier's trouble like 936. */
const UNEXPECTED_OUT_FLAG = 2;

const failures = carrierFailures(CARRIER, (code) => VERDICTS[code]);
export const { malformedFailure, refusal, soapFailure: httpFailure } = failures;

/** A result with outFlag other than 0, or a record with an errCode other than 0: the carrier answered and refused (or stumbled). */
export function resultFailure(operation: string, outFlag: number, error: CarrierError) {
  const outcome = `outFlag ${outFlag}, carrier code ${error.code}`;
  const read = outFlag === UNEXPECTED_OUT_FLAG ? { ...error, code: YURTICI_CODES.unexpected } : error;
  return failures.resultCodeFailure(operation, outcome, read, { outFlag });
}
