// How Yurtiçi failures reach Temporal (the shared reading is ../failures.ts). Its own part: the
// carrier's "unexpected error" (936) is its trouble, retried; an address it cannot find (60019)
// gets the address type so the workflow asks for a corrected address.
import { carrierFailures, type CarrierError, type Verdict } from '../failures';
import type { HttpReply } from '../transport/http';
import type { SoapFault } from '../transport/soap';

export const CARRIER = 'yurtici';

const failures = carrierFailures(CARRIER);
export const { transportFailure, malformedFailure, refusal } = failures;

/** Carrier codes that change what the adapter does; every other code is passed on as it came. */
export const YURTICI_CODES = {
  addressNotFound: '60019',
  duplicateCargoKey: '60020',
  cargoKeyNotFound: '80859',
  unexpected: '936',
} as const;

function byCode(code: string): Verdict | undefined {
  if (code === YURTICI_CODES.addressNotFound) return 'addressRejected';
  if (code === YURTICI_CODES.unexpected) return 'unavailable';
  return undefined;
}

/** A reply that is not a 200 result: a SOAP fault (by its side), a 5xx, a 429. */
export function httpFailure(operation: string, reply: HttpReply, fault: SoapFault | undefined) {
  return failures.errorReplyFailure(operation, reply, fault ?? { code: 'none', message: 'no SOAP fault in the body' }, byCode);
}

/** A result with outFlag other than 0: the carrier answered and refused (or, for 936, stumbled). */
export function resultFailure(operation: string, outFlag: number, error: CarrierError) {
  return failures.resultCodeFailure(operation, `outFlag ${outFlag}, carrier code ${error.code}`, error, byCode, { outFlag });
}
