// The failures every carrier's calls share, whatever its protocol: no answer, an answer that is
// not what the carrier documents, a 429, a refusal made before calling, and the reading of an
// error reply. Each carrier's errors.ts adds only what is its own: its error codes, which of them
// mean a bad address, which the carrier's own trouble.
import { ApplicationFailure } from '@temporalio/common';
import { CARRIER_FAILURE_TYPES as FAILURE_TYPES } from '../domain/carrier-failures';
import { retryAfterMs } from './retry-after';

/** What a carrier's code says, where it says more than the HTTP status. */
export type Verdict = 'addressRejected' | 'unavailable' | 'refused' | 'customsDataMissing';

/** A carrier's reading of its own codes (some mean one thing from one operation, another from the next); undefined where the code says nothing more. */
export type CodeReading = (code: string, operation: string) => Verdict | undefined;

/** A carrier's error as read from its reply: its code ('none' without one), message and, for SOAP, the fault's side. */
export interface CarrierError {
  code: string;
  message: string;
  side?: 'Client' | 'Server' | 'unknown';
}

/** The parts of an HTTP reply a failure is judged on. */
interface ReplyStatus {
  status: number;
  retryAfter: string | null;
}

const VERDICT_FAILURE = {
  addressRejected: (message: string, details: Record<string, unknown>) =>
    ApplicationFailure.nonRetryable(message, FAILURE_TYPES.addressRejected, details),
  unavailable: (message: string, details: Record<string, unknown>) =>
    ApplicationFailure.retryable(message, FAILURE_TYPES.unavailable, details),
  refused: (message: string, details: Record<string, unknown>) => ApplicationFailure.nonRetryable(message, FAILURE_TYPES.refused, details),
  customsDataMissing: (message: string, details: Record<string, unknown>) =>
    ApplicationFailure.nonRetryable(message, FAILURE_TYPES.customsDataMissing, details),
} as const;

/**
 * Whose trouble an error reply is. A SOAP Client fault is the request's (SOAP 1.1 sends every
 * fault with HTTP 500, so the side, not the status, decides: the carrier's code says how), a Server
 * fault the carrier's. Otherwise 5xx and 408 are retried, unless the carrier's code is to be read
 * before the status (`codeFirst`: a carrier that sends refusals with HTTP 500); a REST refusal's code
 * then says whether it is the address.
 */
function verdictOf(status: number, error: CarrierError, byCode: (code: string) => Verdict | undefined, codeFirst: boolean): Verdict {
  if (error.side === 'Client') return byCode(error.code) ?? 'refused';
  if (error.side === 'Server') return 'unavailable';
  const read = error.side === undefined ? byCode(error.code) : undefined; // an unknown fault side tells nothing by its code
  if (codeFirst && read) return read;
  if (status >= 500 || status === 408) return 'unavailable';
  return read ?? 'refused';
}

const NO_FAULT: CarrierError = { code: 'none', message: 'no SOAP fault in the body' };

/** The failures of one carrier's calls; `byCode` is how it reads its own error codes. */
export function carrierFailures(carrier: string, byCode: CodeReading = () => undefined, { codeFirst = false } = {}) {
  /** 429: retried no sooner than the carrier's Retry-After asks. */
  function rateLimited(message: string, details: Record<string, unknown>, retryAfter: string | null): ApplicationFailure {
    return ApplicationFailure.create({
      message,
      type: FAILURE_TYPES.rateLimited,
      details: [details],
      nextRetryDelay: retryAfterMs(retryAfter),
    });
  }

  /** A reply that is not a 2xx result (or a SOAP fault): retryable for 429, 5xx, 408 and the carrier's own trouble; otherwise a refusal, its own type for a bad address. */
  function errorReplyFailure(operation: string, reply: ReplyStatus, error: CarrierError): ApplicationFailure {
    const message = `${carrier} ${operation}: HTTP ${reply.status}, carrier code ${error.code}: ${error.message}`;
    const details = { carrier, operation, status: reply.status, carrierCode: error.code };
    if (reply.status === 429) return rateLimited(message, details, reply.retryAfter);
    return VERDICT_FAILURE[verdictOf(reply.status, error, (code) => byCode(code, operation), codeFirst)](message, details);
  }

  return {
    rateLimited,

    /** No usable reply: the timeout fired, or the connection was refused or dropped. */
    transportFailure: (operation: string, err: unknown, timeoutMs: number): ApplicationFailure => {
      const error = err as Error & { cause?: { code?: string; message?: string } };
      if (error.name === 'TimeoutError') {
        return ApplicationFailure.retryable(`${carrier} ${operation}: no answer within ${timeoutMs} ms`, FAILURE_TYPES.timeout, {
          carrier,
          operation,
        });
      }
      const reason = error.cause ? `${error.cause.code ?? 'error'}: ${error.cause.message ?? ''}` : error.message;
      return ApplicationFailure.retryable(`${carrier} ${operation}: connection failed (${reason})`, FAILURE_TYPES.unavailable, {
        carrier,
        operation,
      });
    },

    /** A 2xx whose body is not what the carrier documents: retried, since it is usually a glitch. */
    malformedFailure: (operation: string, what: string): ApplicationFailure =>
      ApplicationFailure.retryable(`${carrier} ${operation}: malformed response: ${what}`, FAILURE_TYPES.malformed, { carrier, operation }),

    /** Refused before any call: the carrier cannot do what was asked. */
    refusal: (operation: string, message: string): ApplicationFailure =>
      ApplicationFailure.nonRetryable(`${carrier} ${operation}: ${message}`, FAILURE_TYPES.refused, { carrier, operation }),

    /** Refused before any call: the receiver's address lacks what the carrier needs (the message names the field); a corrected address can book. */
    addressRejected: (operation: string, message: string): ApplicationFailure =>
      ApplicationFailure.nonRetryable(`${carrier} ${operation}: ${message}`, FAILURE_TYPES.addressRejected, { carrier, operation }),

    /** Refused before any call: the parcel crosses a customs border without the data customs need (`missing` names each field). */
    customsDataMissing: (operation: string, missing: string[]): ApplicationFailure =>
      ApplicationFailure.nonRetryable(
        `${carrier} ${operation}: customs data missing: ${missing.join(', ')}`,
        FAILURE_TYPES.customsDataMissing,
        {
          carrier,
          operation,
          missing,
        },
      ),

    errorReplyFailure,

    /** A SOAP reply that is not a 200 result: its fault (read by side), else its status. */
    soapFailure: (operation: string, reply: ReplyStatus, fault: CarrierError | undefined): ApplicationFailure =>
      errorReplyFailure(operation, reply, fault ?? NO_FAULT),

    /** A 200 result that carries a refusal code (`outcome` says where, e.g. `ResultCode 70019`): judged by the code alone. */
    resultCodeFailure: (
      operation: string,
      outcome: string,
      error: CarrierError,
      extra: Record<string, unknown> = {},
    ): ApplicationFailure => {
      const message = `${carrier} ${operation}: ${outcome}: ${error.message}`;
      return VERDICT_FAILURE[byCode(error.code, operation) ?? 'refused'](message, {
        carrier,
        operation,
        ...extra,
        carrierCode: error.code,
      });
    },
  };
}
