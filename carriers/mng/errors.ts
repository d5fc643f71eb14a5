// How MNG failures reach Temporal. Retryable: timeouts, 5xx, 429 (after its Retry-After),
// dropped connections and malformed bodies, because a later attempt can succeed. Non-retryable:
// refusals (wrong credentials, an over-weight piece, an order the carrier has already picked up),
// because the same request will be refused again; an address the carrier cannot place gets its
// own type so the workflow asks for a corrected address instead of trying the next carrier.
import { z } from 'zod';
import { carrierFailures, type CarrierError } from '../failures';
import type { HttpReply } from '../transport/http';

export const CARRIER = 'mng';

/** Carrier codes that change what the adapter does; every other code is passed on as it came. */
export const MNG_CODES = {
  /** The referenceId is taken: sent with HTTP 500, so it must be read before the status. */
  duplicateReference: '3002',
  orderNotFound: '3004',
  addressNotFound: '4001',
} as const;

// MNG's services answer {error: {code, description}}; the API gateway in front of them (IBM API
// Connect) refuses bad client ids in its own shape, which carries no carrier code.
const ServiceErrorSchema = z.object({ error: z.object({ code: z.coerce.string(), description: z.string().default('') }) });
const GatewayErrorSchema = z.object({ httpCode: z.coerce.string(), httpMessage: z.string(), moreInformation: z.string().default('') });

/** The carrier's own code and message from an error body; 'none' when the body has none. */
export function carrierError(reply: HttpReply): CarrierError {
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

// The code, not the status, says it is the address: MNG sends some refusals with HTTP 500, so the code is read first.
const failures = carrierFailures(CARRIER, (code) => (code === MNG_CODES.addressNotFound ? 'addressRejected' : undefined), {
  codeFirst: true,
});
export const { malformedFailure, refusal } = failures;

export const httpFailure = (operation: string, reply: HttpReply) => failures.errorReplyFailure(operation, reply, carrierError(reply));
