// How MNG failures reach Temporal. Retryable: timeouts, 5xx, 429 (after its Retry-After),
// dropped connections and malformed bodies, because a later attempt can succeed. Non-retryable:
// refusals (wrong credentials, an over-weight piece, an order the carrier has already picked up),
// because the same request will be refused again; an address the carrier cannot place gets its
// own type so the workflow asks for a corrected address instead of trying the next carrier.
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { FAILURE_TYPES } from '../adapter';
import { carrierFailures } from '../failures';

export const CARRIER = 'mng';

// Shared with every carrier (../failures.ts).
export const { transportFailure, malformedFailure, refusal, rateLimited } = carrierFailures(CARRIER);

/** Carrier codes that change what the adapter does; every other code is passed on as it came. */
export const MNG_CODES = {
  /** The referenceId is taken: sent with HTTP 500, so it must be read before the status. */
  duplicateReference: '3002',
  orderNotFound: '3004',
  addressNotFound: '4001',
} as const;

/** One HTTP exchange, read in full. */
export interface HttpReply {
  status: number;
  retryAfter: string | null;
  text: string;
}

// MNG's services answer {error: {code, description}}; the API gateway in front of them (IBM API
// Connect) refuses bad client ids in its own shape, which carries no carrier code.
const ServiceErrorSchema = z.object({ error: z.object({ code: z.coerce.string(), description: z.string().default('') }) });
const GatewayErrorSchema = z.object({ httpCode: z.coerce.string(), httpMessage: z.string(), moreInformation: z.string().default('') });

/** The carrier's own code and message from an error body; 'none' when the body has none. */
export function carrierError(reply: HttpReply): { code: string; message: string } {
  try {
    const json: unknown = JSON.parse(reply.text);
    const service = ServiceErrorSchema.safeParse(json);
    if (service.success) return { code: service.data.error.code, message: service.data.error.description };
    const gateway = GatewayErrorSchema.safeParse(json);
    if (gateway.success) return { code: 'none', message: `gateway: ${gateway.data.httpMessage}: ${gateway.data.moreInformation}` };
  } catch {
    // Not JSON (a proxy's HTML page, say): reported as having no carrier code.
  }
  return { code: 'none', message: 'no carrier error in the body' };
}

export function httpFailure(operation: string, reply: HttpReply): ApplicationFailure {
  const { code, message: carrierMessage } = carrierError(reply);
  const message = `${CARRIER} ${operation}: HTTP ${reply.status}, carrier code ${code}: ${carrierMessage}`;
  const details = { carrier: CARRIER, operation, status: reply.status, carrierCode: code };
  if (reply.status === 429) {
    return rateLimited(message, details, reply.retryAfter);
  }
  // The code, not the status, says it is the address.
  if (code === MNG_CODES.addressNotFound) return ApplicationFailure.nonRetryable(message, FAILURE_TYPES.addressRejected, details);
  if (reply.status >= 500 || reply.status === 408) return ApplicationFailure.retryable(message, FAILURE_TYPES.unavailable, details);
  return ApplicationFailure.nonRetryable(message, FAILURE_TYPES.refused, details);
}

