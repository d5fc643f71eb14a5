// How Aras failures reach Temporal (the shared reading is ../failures.ts). Its own part: the
// receiver's province or district missing (940/941) is the address, so the workflow asks for a
// corrected one; CancelDispatch's 936 ("an error occurred") is the carrier's trouble, retried.
import { ApplicationFailure } from '@temporalio/common';
import { CARRIER_FAILURE_TYPES } from '../../domain/carrier-failures';
import { carrierFailures, type Verdict } from '../failures';
import { ARAS_CODES } from './codes';

export const CARRIER = 'aras';

export { ARAS_CODES };

const ADDRESS_CODES = new Set([ARAS_CODES.cityMissing, ARAS_CODES.townMissing, ARAS_CODES.addressMissing]);

/** SetOrder's 936 is "update error" (the adapter reads it by looking the order up); CancelDispatch's is "an error occurred". */
function byCode(code: string, operation: string): Verdict | undefined {
  if (ADDRESS_CODES.has(code)) return 'addressRejected';
  if (operation === 'CancelDispatch' && code === ARAS_CODES.errorOccurred) return 'unavailable';
  return undefined;
}

const failures = carrierFailures(CARRIER, byCode);
export const { malformedFailure, refusal, soapFailure: httpFailure } = failures;

/** A 200 result whose ResultCode is not a success: the carrier answered and refused (or stumbled). */
export const resultFailure = (operation: string, code: string, message: string) =>
  failures.resultCodeFailure(operation, `ResultCode ${code}`, { code, message });

/**
 * SetOrder could not update the order it holds under this IntegrationCode (936, 70035), yet
 * GetOrderWithIntegrationCode does not show it: the two answers disagree, which a later attempt can settle.
 */
export function inconsistentFailure(operation: string, integrationCode: string, code: string): ApplicationFailure {
  const message = `${CARRIER} ${operation}: SetOrder answered ResultCode ${code} for IntegrationCode ${integrationCode}, which GetOrderWithIntegrationCode does not show`;
  return ApplicationFailure.retryable(message, CARRIER_FAILURE_TYPES.unavailable, { carrier: CARRIER, operation, carrierCode: code });
}
