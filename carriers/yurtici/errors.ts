// How Yurtiçi failures reach Temporal (the shared reading is ../failures.ts). Its own part: the
// carrier's "unexpected error" (936) is its trouble, retried; an address it cannot find (60019)
// gets the address type so the workflow asks for a corrected address.
import { carrierFailures, type CarrierError, type Verdict } from '../failures';
import { YURTICI_CODES } from './codes';

export const CARRIER = 'yurtici';

export { YURTICI_CODES };

const VERDICTS: Record<string, Verdict> = { [YURTICI_CODES.addressNotFound]: 'addressRejected', [YURTICI_CODES.unexpected]: 'unavailable' };

const failures = carrierFailures(CARRIER, (code) => VERDICTS[code]);
export const { malformedFailure, refusal, soapFailure: httpFailure } = failures;

/** A result with outFlag other than 0: the carrier answered and refused (or, for 936, stumbled). */
export const resultFailure = (operation: string, outFlag: number, error: CarrierError) =>
  failures.resultCodeFailure(operation, `outFlag ${outFlag}, carrier code ${error.code}`, error, { outFlag });
