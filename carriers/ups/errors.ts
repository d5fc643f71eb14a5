// How UPS failures reach Temporal (the shared reading is ../failures.ts). Its own part: the error
// body's shape and the codes that change what the adapter does; an invalid address gets the
// address type so the workflow asks for a corrected address instead of trying the next carrier, and
// missing customs data its own type so the parcel waits for a person to supply it.
import { z } from 'zod';
import { carrierFailures, type CarrierError, type Verdict } from '../failures';
import type { HttpReply } from '../transport/http';

export const CARRIER = 'ups';

/**
 * UPS error codes that change what the adapter does; every other code is passed on as it came.
 * 120802 ("Address Validation Error on ShipTo address") is in no captured file: an assumption to
 * verify in CIE (carriers/ups/README.md).
 */
export const UPS_CODES = {
  addressInvalid: '120802',
  /**
   * "Missing or invalid ship to StateProvinceCode": in no captured file either; UPS's XML-era error
   * table as integrators quote it (sandbox/ups/errors.ts). The adapter checks the state before
   * calling where UPS requires one, so this is UPS's word on the rest (a Vietnamese code it lacks, say).
   */
  stateInvalid: '120206',
  /**
   * International forms missing or incomplete. No UPS file or public page we hold names UPS's code:
   * this is the sandbox's own (sandbox/ups/errors.ts), to replace by UPS's once CIE shows it.
   */
  customsDataMissing: 'CU0001',
} as const;

const VERDICTS: Readonly<Record<string, Verdict>> = {
  [UPS_CODES.addressInvalid]: 'addressRejected',
  [UPS_CODES.stateInvalid]: 'addressRejected',
  [UPS_CODES.customsDataMissing]: 'customsDataMissing',
};

// The code, not the status, says it is the address or the customs data: a 422 could be about anything.
const failures = carrierFailures(CARRIER, (code) => VERDICTS[code]);
export const { malformedFailure, refusal, customsDataMissing, addressRejected } = failures;

const ErrorBodySchema = z.object({
  response: z.object({ errors: z.array(z.object({ code: z.string(), message: z.string() })).min(1) }),
});

/** The carrier's own code and message from an error body; 'none' when the body has none. */
export function carrierError(reply: HttpReply): CarrierError {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(reply.text));
    if (parsed.success) return parsed.data.response.errors[0];
  } catch {
    // Not JSON (a proxy's HTML page, say): reported as having no carrier code.
  }
  return { code: 'none', message: 'no carrier error in the body' };
}

export const httpFailure = (operation: string, reply: HttpReply) => failures.errorReplyFailure(operation, reply, carrierError(reply));
