// How Aras failures reach Temporal. Retryable: timeouts, 5xx, 429 (after its Retry-After), SOAP
// Server faults, dropped connections, malformed bodies and the carrier's "an error occurred"
// codes, because a later attempt can succeed. Non-retryable: refusals (SOAP Client faults,
// result codes such as wrong credentials or an invalid order), because the same request will be
// refused again; a receiver address the carrier cannot route to gets its own type so the
// workflow asks for a corrected address.
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../adapter';
import { carrierFailures } from '../failures';

export const CARRIER = 'aras';

// Shared with every carrier (../failures.ts).
export const { transportFailure, malformedFailure, refusal, rateLimited } = carrierFailures(CARRIER);

/** Carrier codes that change what the adapter does; every other code is passed on as it came. */
export const ARAS_CODES = {
  success: '0',
  /** CancelDispatch: "<code> başarılı bir şekilde silindi" (deleted), a success too. */
  deleted: '1',
  /** CancelDispatch: no such order (never booked, or already deleted). */
  notFound: '-1',
  duplicateIntegrationCode: '70040',
  cityNotFound: '70019',
} as const;

/** One HTTP exchange, read in full. */
export interface HttpReply {
  status: number;
  retryAfter: string | null;
  text: string;
}

/** A SOAP fault's side (faultcode Client or Server), the carrier's ResultCode from its detail, and faultstring. */
export interface SoapFaultInfo {
  side: 'Client' | 'Server' | 'unknown';
  code: string;
  message: string;
}

/**
 * The carrier's own trouble rather than the request's: 5000–5007 ("bir hata oluştu", an error
 * occurred) anywhere, and 936 from CancelDispatch, where it means the same (from SetOrder, 936 is
 * an invalid order).
 */
function carrierTrouble(operation: string, code: string): boolean {
  return /^500[0-7]$/.test(code) || (operation === 'CancelDispatch' && code === '936');
}

/** A carrier result code and message, wherever they came from (a fault or a result). */
function byCode(operation: string, message: string, code: string, details: Record<string, unknown>): ApplicationFailure {
  if (code === ARAS_CODES.cityNotFound) return ApplicationFailure.nonRetryable(message, FAILURE_TYPES.addressRejected, details);
  if (carrierTrouble(operation, code)) return ApplicationFailure.retryable(message, FAILURE_TYPES.unavailable, details);
  return ApplicationFailure.nonRetryable(message, FAILURE_TYPES.refused, details);
}

/**
 * A reply that is not a 200 result: SOAP 1.1 sends every fault with HTTP 500, so the faultcode,
 * not the status, says whose mistake it was; a Client fault (bad credentials, bad request) is a refusal.
 */
export function httpFailure(operation: string, reply: HttpReply, fault: SoapFaultInfo | undefined): ApplicationFailure {
  const { code, message: carrierMessage } = fault ?? { code: 'none', message: 'no SOAP fault in the body' };
  const message = `${CARRIER} ${operation}: HTTP ${reply.status}, carrier code ${code}: ${carrierMessage}`;
  const details = { carrier: CARRIER, operation, status: reply.status, carrierCode: code };
  if (reply.status === 429) {
    return rateLimited(message, details, reply.retryAfter);
  }
  if (fault?.side === 'Client') return byCode(operation, message, code, details);
  if (reply.status >= 500 || reply.status === 408 || fault?.side === 'Server') return ApplicationFailure.retryable(message, FAILURE_TYPES.unavailable, details);
  return ApplicationFailure.nonRetryable(message, FAILURE_TYPES.refused, details);
}

/** A 200 result whose ResultCode is not a success: the carrier answered and refused (or stumbled). */
export function resultFailure(operation: string, code: string, carrierMessage: string): ApplicationFailure {
  const message = `${CARRIER} ${operation}: ResultCode ${code}: ${carrierMessage}`;
  return byCode(operation, message, code, { carrier: CARRIER, operation, carrierCode: code });
}

/**
 * The carrier said the order exists (a duplicate IntegrationCode) but did not show it on reading
 * back: its two answers disagree, which a later attempt can settle.
 */
export function inconsistentFailure(operation: string, integrationCode: string): ApplicationFailure {
  const message = `${CARRIER} ${operation}: IntegrationCode ${integrationCode} refused as a duplicate (${ARAS_CODES.duplicateIntegrationCode}) but not found on reading it back`;
  return ApplicationFailure.retryable(message, FAILURE_TYPES.unavailable, { carrier: CARRIER, operation, carrierCode: ARAS_CODES.duplicateIntegrationCode });
}

