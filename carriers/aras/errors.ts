// How Aras failures reach Temporal (the shared reading is ../failures.ts). Its own part: the
// "an error occurred" codes are the carrier's trouble, retried; a receiver city it cannot route
// to (70019) gets the address type so the workflow asks for a corrected address.
import { ApplicationFailure } from '@temporalio/common';
import { CARRIER_FAILURE_TYPES } from '../../domain/carrier-failures';
import { carrierFailures, type Verdict } from '../failures';
import { ARAS_CODES } from './codes';

export const CARRIER = 'aras';

export { ARAS_CODES };

/**
 * The carrier's own trouble rather than the request's: 5000–5007 ("bir hata oluştu", an error
 * occurred) anywhere, and 936 from CancelDispatch, where it means the same (from SetOrder, 936 is
 * an invalid order).
 */
function byCode(code: string, operation: string): Verdict | undefined {
  if (code === ARAS_CODES.cityNotFound) return 'addressRejected';
  if (/^500[0-7]$/.test(code) || (operation === 'CancelDispatch' && code === '936')) return 'unavailable';
  return undefined;
}

const failures = carrierFailures(CARRIER, byCode);
export const { malformedFailure, refusal, soapFailure: httpFailure } = failures;

/** A 200 result whose ResultCode is not a success: the carrier answered and refused (or stumbled). */
export const resultFailure = (operation: string, code: string, message: string) =>
  failures.resultCodeFailure(operation, `ResultCode ${code}`, { code, message });

/**
 * The carrier said the order exists (a duplicate IntegrationCode) but did not show it on reading
 * back: its two answers disagree, which a later attempt can settle.
 */
export function inconsistentFailure(operation: string, integrationCode: string): ApplicationFailure {
  const message = `${CARRIER} ${operation}: IntegrationCode ${integrationCode} refused as a duplicate (${ARAS_CODES.duplicateIntegrationCode}) but not found on reading it back`;
  return ApplicationFailure.retryable(message, CARRIER_FAILURE_TYPES.unavailable, {
    carrier: CARRIER,
    operation,
    carrierCode: ARAS_CODES.duplicateIntegrationCode,
  });
}
