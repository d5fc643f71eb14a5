// The failures every carrier's calls share, whatever its protocol: no answer, an answer that is
// not what the carrier documents, a 429, a refusal made before calling. Each carrier's errors.ts
// adds what is its own (its error codes, which of them mean a bad address).
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from './adapter';
import { retryAfterMs } from './retry-after';

export function carrierFailures(carrier: string) {
  return {
    /** No usable reply: the timeout fired, or the connection was refused or dropped. */
    transportFailure(operation: string, err: unknown, timeoutMs: number): ApplicationFailure {
      const error = err as Error & { cause?: { code?: string; message?: string } };
      if (error.name === 'TimeoutError') {
        return ApplicationFailure.retryable(`${carrier} ${operation}: no answer within ${timeoutMs} ms`, FAILURE_TYPES.timeout, { carrier, operation });
      }
      const reason = error.cause ? `${error.cause.code ?? 'error'}: ${error.cause.message ?? ''}` : error.message;
      return ApplicationFailure.retryable(`${carrier} ${operation}: connection failed (${reason})`, FAILURE_TYPES.unavailable, { carrier, operation });
    },

    /** A 2xx whose body is not what the carrier documents: retried, since it is usually a glitch. */
    malformedFailure(operation: string, what: string): ApplicationFailure {
      return ApplicationFailure.retryable(`${carrier} ${operation}: malformed response: ${what}`, FAILURE_TYPES.malformed, { carrier, operation });
    },

    /** Refused before any call: the carrier cannot do what was asked. */
    refusal(operation: string, message: string): ApplicationFailure {
      return ApplicationFailure.nonRetryable(`${carrier} ${operation}: ${message}`, FAILURE_TYPES.refused, { carrier, operation });
    },

    /** 429: retried no sooner than the carrier's Retry-After asks. */
    rateLimited(message: string, details: Record<string, unknown>, retryAfter: string | null): ApplicationFailure {
      return ApplicationFailure.create({ message, type: FAILURE_TYPES.rateLimited, details: [details], nextRetryDelay: retryAfterMs(retryAfter) });
    },
  };
}
