// How UPS failures reach Temporal. Retryable: timeouts, 5xx, 429 (after its Retry-After),
// dropped connections and malformed bodies, because a later attempt can succeed. Non-retryable:
// refusals, because the same request will be refused again; an invalid address gets its own
// type so the workflow asks for a corrected address instead of trying the next carrier.
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { FAILURE_TYPES } from '../adapter';
import { carrierFailures } from '../failures';

/** UPS error codes that change what the adapter does; every other code is passed on as it came. */
// Shared with every carrier (../failures.ts).
export const { transportFailure, malformedFailure, refusal, rateLimited } = carrierFailures('ups');

export const UPS_CODES = {
  addressInvalid: '120802',
  alreadyVoided: '190117',
} as const;

/** One HTTP exchange, read in full. */
export interface HttpReply {
  status: number;
  retryAfter: string | null;
  text: string;
}

const ErrorBodySchema = z.object({
  response: z.object({ errors: z.array(z.object({ code: z.string(), message: z.string() })).min(1) }),
});

/** The carrier's own code and message from an error body; 'none' when the body has none. */
export function carrierError(reply: HttpReply): { code: string; message: string } {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(reply.text));
    if (parsed.success) return parsed.data.response.errors[0];
  } catch {
    // Not JSON (a proxy's HTML page, say): reported as having no carrier code.
  }
  return { code: 'none', message: 'no carrier error in the body' };
}

export function httpFailure(operation: string, reply: HttpReply): ApplicationFailure {
  const { code, message: carrierMessage } = carrierError(reply);
  const message = `ups ${operation}: HTTP ${reply.status}, carrier code ${code}: ${carrierMessage}`;
  const details = { carrier: 'ups', operation, status: reply.status, carrierCode: code };
  if (reply.status === 429) {
    return rateLimited(message, details, reply.retryAfter);
  }
  if (reply.status >= 500 || reply.status === 408) return ApplicationFailure.retryable(message, FAILURE_TYPES.unavailable, details);
  // The code, not the status, says it is the address: a 422 could be about anything.
  if (code === UPS_CODES.addressInvalid) return ApplicationFailure.nonRetryable(message, FAILURE_TYPES.addressRejected, details);
  return ApplicationFailure.nonRetryable(message, FAILURE_TYPES.refused, details);
}

