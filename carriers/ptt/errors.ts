// How PTT failures reach Temporal (the shared reading is ../failures.ts). Its own part: PTT answers a
// refusal as a code inside a 200 (hataKodu, or donguHataKodu per parcel), -1 for wrong credentials; an
// address it cannot route gets the address type so the workflow asks for a corrected address; its
// unexpected error is its trouble, retried.
import { carrierFailures, type CarrierError, type Verdict } from '../failures';
import { PTT_CODES } from './codes';

export const CARRIER = 'ptt';

export { PTT_CODES };

const VERDICTS: Record<string, Verdict> = {
  [PTT_CODES.addressInvalid]: 'addressRejected',
  [PTT_CODES.unexpected]: 'unavailable',
};

const failures = carrierFailures(CARRIER, (code) => VERDICTS[code]);
export const { malformedFailure, refusal, soapFailure: httpFailure } = failures;

/** A 200 whose code says the carrier refused (or stumbled): `field` names where the code was (hataKodu, donguHataKodu, sonucKodu). */
export const resultFailure = (operation: string, field: string, error: CarrierError) =>
  failures.resultCodeFailure(operation, `${field} ${error.code}`, error);

/**
 * An address we cannot give PTT in its terms (a province or district it cannot be coded with), refused
 * before a call as the carrier would refuse it: the address type, naming the field to correct.
 */
export function addressRefusal(operation: string, field: string, message: string) {
  return failures.resultCodeFailure(operation, `${field}`, { code: PTT_CODES.addressInvalid, message });
}
