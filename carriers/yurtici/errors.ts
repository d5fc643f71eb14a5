// How Yurtiçi failures reach Temporal. Retryable: timeouts, 5xx, 429 (after its Retry-After),
// SOAP Server faults, dropped connections, malformed bodies and the carrier's "unexpected error"
// (936), because a later attempt can succeed. Non-retryable: refusals (SOAP Client faults such as
// bad credentials, outFlag errors), because the same request will be refused again; an address
// the carrier cannot find gets its own type so the workflow asks for a corrected address.
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../adapter';
import { carrierFailures } from '../failures';

export const CARRIER = 'yurtici';

// Shared with every carrier (../failures.ts).
export const { transportFailure, malformedFailure, refusal, rateLimited } = carrierFailures(CARRIER);

/** Carrier codes that change what the adapter does; every other code is passed on as it came. */
export const YURTICI_CODES = {
  addressNotFound: '60019',
  duplicateCargoKey: '60020',
  cargoKeyNotFound: '80859',
  unexpected: '936',
} as const;

/** One HTTP exchange, read in full. */
export interface HttpReply {
  status: number;
  retryAfter: string | null;
  text: string;
}

/** A SOAP fault's side (faultcode Client or Server), the carrier's errCode from its detail, and faultstring. */
export interface SoapFaultInfo {
  side: 'Client' | 'Server' | 'unknown';
  code: string;
  message: string;
}

/** A carrier error code and message, wherever they came from (a fault or an outFlag result). */
function byCode(message: string, code: string, details: Record<string, unknown>): ApplicationFailure {
  if (code === YURTICI_CODES.addressNotFound) return ApplicationFailure.nonRetryable(message, FAILURE_TYPES.addressRejected, details);
  // "Unexpected error" is the carrier's own trouble, not the request's.
  if (code === YURTICI_CODES.unexpected) return ApplicationFailure.retryable(message, FAILURE_TYPES.unavailable, details);
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
  if (fault?.side === 'Client') return byCode(message, code, details);
  if (reply.status >= 500 || reply.status === 408 || fault?.side === 'Server') return ApplicationFailure.retryable(message, FAILURE_TYPES.unavailable, details);
  return ApplicationFailure.nonRetryable(message, FAILURE_TYPES.refused, details);
}

/** A result with outFlag other than 0: the carrier answered and refused (or, for 936, stumbled). */
export function resultFailure(operation: string, outFlag: number, code: string, carrierMessage: string): ApplicationFailure {
  const message = `${CARRIER} ${operation}: outFlag ${outFlag}, carrier code ${code}: ${carrierMessage}`;
  return byCode(message, code, { carrier: CARRIER, operation, outFlag, carrierCode: code });
}

