// How a marketplace call fails, for Temporal: retryable when asking again may work (no answer, 5xx,
// 429, an answer not as documented, credentials refused: a fixed credential recovers without an ops
// step, design section 3), non-retryable when the marketplace refuses the request itself (a 4xx).
import { ApplicationFailure } from '@temporalio/common';

export const MARKETPLACE_FAILURE_TYPES = {
  timeout: 'MarketplaceTimeout',
  unavailable: 'MarketplaceUnavailable',
  rateLimited: 'MarketplaceRateLimited',
  malformed: 'MarketplaceMalformedResponse',
  auth: 'MarketplaceAuthRefused',
  refused: 'MarketplaceRefused',
} as const;

/** The marketplace's own code and message, read from its error body. */
export interface MarketplaceError {
  code: string;
  message: string;
}

export function marketplaceFailures(marketplace: string) {
  const failure = (type: string, retryable: boolean, message: string, details: Record<string, unknown>, nextRetryDelay?: number) =>
    ApplicationFailure.create({ message: `${marketplace} ${message}`, type, nonRetryable: !retryable, details: [details], nextRetryDelay });

  return {
    /** No usable reply: the timeout fired, or the connection was refused or dropped. */
    transportFailure(operation: string, err: unknown, timeoutMs: number): ApplicationFailure {
      const error = err as Error & { cause?: { code?: string } };
      if (error.name === 'TimeoutError')
        return failure(MARKETPLACE_FAILURE_TYPES.timeout, true, `${operation}: no answer within ${timeoutMs} ms`, { operation });
      return failure(
        MARKETPLACE_FAILURE_TYPES.unavailable,
        true,
        `${operation}: connection failed (${error.cause?.code ?? error.message})`,
        {
          operation,
        },
      );
    },

    /** A 2xx whose body is not what the definition says: retried, it is usually a glitch. */
    malformedFailure: (operation: string, what: string) =>
      failure(MARKETPLACE_FAILURE_TYPES.malformed, true, `${operation}: malformed response: ${what}`, { operation }),

    /** A reply that is not a 2xx, by its status; a 429 waits `retryAfterMs` when the marketplace says. */
    errorReplyFailure(operation: string, status: number, error: MarketplaceError, retryAfterMs?: number): ApplicationFailure {
      const message = `${operation}: HTTP ${status}, ${error.code}: ${error.message}`;
      const details = { operation, status, code: error.code };
      if (status === 429) return failure(MARKETPLACE_FAILURE_TYPES.rateLimited, true, message, details, retryAfterMs);
      if (status >= 500 || status === 408) return failure(MARKETPLACE_FAILURE_TYPES.unavailable, true, message, details);
      if (status === 401 || status === 403) return failure(MARKETPLACE_FAILURE_TYPES.auth, true, message, details);
      return failure(MARKETPLACE_FAILURE_TYPES.refused, false, message, details);
    },
  };
}
