// How SP-API failures reach Temporal (the shared reading is ../failures.ts). Amazon's own part: its
// error body, {errors: [{code, message, details}]}, in every operation of spec/orders-v0.json.
import { z } from 'zod';
import type { MarketplaceError } from '../failures';
import type { HttpReply } from '../http';

export const MARKETPLACE = 'amazon';

const ErrorBodySchema = z.object({ errors: z.array(z.object({ code: z.string(), message: z.string() })).min(1) });

/** Amazon's code and message from an error body; 'none' when the body has none (a proxy's page, say). */
export function amazonError(reply: HttpReply): MarketplaceError {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(reply.text));
    if (parsed.success) return parsed.data.errors[0];
  } catch {
    // Not JSON: reported as having no Amazon code.
  }
  return { code: 'none', message: 'no SP-API error in the body' };
}
