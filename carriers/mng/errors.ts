// How MNG failures reach Temporal. Retryable: timeouts, 5xx, 429 (after its Retry-After),
// dropped connections and malformed bodies, because a later attempt can succeed. Non-retryable:
// refusals (wrong credentials, a shipment the branch has accepted), because the same request will
// be refused again; an address the carrier cannot place gets its own type so the workflow asks for a
// corrected address instead of trying the next carrier.
import { z } from 'zod';
import { carrierFailures, type CarrierError } from '../failures';
import type { HttpReply } from '../transport/http';

export const CARRIER = 'mng';

/**
 * What changes what the adapter does. No public source gives MNG's numeric codes for these, so
 * the duplicate is read by its published TEXT ("… AİT KAYIT ZATEN VAR"), and the address code is
 * the sandbox's (README.md: verify with real credentials).
 */
export const MNG_CODES = { addressNotFound: '4001' } as const;
const DUPLICATE_TEXT = /ZATEN VAR/i;
/** createbarcode from an IP address MNG has not allowed ("… IP adresi için tek barkod yetkiniz yoktur", a 500): no retry cures it. */
const IP_NOT_ALLOWED_TEXT = /yetkiniz yoktur/i;

// Three shapes (spec/mng-openapi.yaml AnyError): the services' {error: {code, message, description}},
// ProblemDetails {title, detail}, and the API gateway's (IBM API Connect) {httpCode, httpMessage, moreInformation}.
const ServiceErrorSchema = z.object({
  error: z.object({ code: z.coerce.string().optional(), message: z.string().optional(), description: z.string().optional() }),
});
const ProblemSchema = z.object({ title: z.string(), detail: z.string().optional() });
const GatewayErrorSchema = z.object({ httpCode: z.coerce.string(), httpMessage: z.string(), moreInformation: z.string().default('') });

const joined = (...parts: Array<string | undefined>) => parts.filter(Boolean).join(': ');

/** The carrier's own code and message from an error body; code 'none' when the body has none. */
export function carrierError(reply: HttpReply): CarrierError {
  let json: unknown;
  try {
    json = JSON.parse(reply.text);
  } catch {
    return { code: 'none', message: 'no carrier error in the body' }; // a proxy's HTML page, say
  }
  const service = ServiceErrorSchema.safeParse(json);
  if (service.success) {
    const { code = 'none', message, description } = service.data.error;
    return { code, message: joined(message, description) };
  }
  const problem = ProblemSchema.safeParse(json);
  if (problem.success) return { code: 'none', message: joined(problem.data.title, problem.data.detail) };
  const gateway = GatewayErrorSchema.safeParse(json);
  if (gateway.success) return { code: 'none', message: `gateway: ${joined(gateway.data.httpMessage, gateway.data.moreInformation)}` };
  return { code: 'none', message: 'no carrier error in the body' };
}

/** createOrder/createReturnOrder refused because the referenceId is taken, whatever the status it came with. */
export const isDuplicate = (reply: HttpReply): boolean => reply.status >= 400 && DUPLICATE_TEXT.test(carrierError(reply).message);

/** The IP allow-list's refusal, read by its published text whatever the status: a refusal, not MNG's trouble. */
export function ipRefusal(operation: string, reply: HttpReply) {
  const { message } = carrierError(reply);
  if (reply.status < 400 || !IP_NOT_ALLOWED_TEXT.test(message)) return undefined;
  return failures.refusal(operation, `HTTP ${reply.status}: ${message} (this server's IP address is not on MNG's allow-list)`);
}

// The code, not the status, says it is the address: MNG may send refusals with HTTP 500.
const failures = carrierFailures(CARRIER, (code) => (code === MNG_CODES.addressNotFound ? 'addressRejected' : undefined), {
  codeFirst: true,
});
export const { malformedFailure, refusal } = failures;

export const httpFailure = (operation: string, reply: HttpReply) => failures.errorReplyFailure(operation, reply, carrierError(reply));

/** MNG's API products, by the first segment of a path: each needs its own subscription on the portal. */
const PRODUCTS: Record<string, string> = {
  standardcmdapi: 'Standard Command',
  standardqueryapi: 'Standard Query',
  barcodecmdapi: 'Barcode Command',
  cbsinfoapi: 'CBS Info',
};

/**
 * A 401 that survived a fresh token: the gateway refusing an application not subscribed to the call's
 * API product ("Cannot find valid subscription…"), which no retry cures. Named, so ops know where to look.
 */
export function unsubscribedFailure(operation: string, path: string, reply: HttpReply) {
  const product = PRODUCTS[path.split('/')[1]] ?? 'this';
  const error = carrierError(reply);
  const hint = `a fresh token did not help: is the application subscribed to MNG's ${product} API?`;
  return failures.errorReplyFailure(operation, reply, { ...error, message: `${error.message} (${hint})` });
}
