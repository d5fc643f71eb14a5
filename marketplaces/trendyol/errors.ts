// How Trendyol's failures reach Temporal (the shared reading is ../failures.ts: 429, 5xx and timeouts
// retried, 401/403 the refused credentials, other 4xx a refusal). Trendyol's own part is its error
// bodies, which differ by definition (spec/README.md): the order operations' Error `{error, message}`,
// the common label's `{error: {status, errors: [{code, type, title}]}}`, and the Authorization guide's
// 401 naming `"exception": "ClientApiAuthenticationException"`.
import { z } from 'zod';
import type { MarketplaceError } from '../failures';
import type { HttpReply } from '../http';

export const MARKETPLACE = 'trendyol';

const OrdersError = z.object({ error: z.string(), message: z.string().optional() });
const CommonLabelError = z.object({
  error: z.object({
    status: z.number().optional(),
    errors: z
      .array(z.object({ code: z.union([z.number(), z.string()]).optional(), type: z.string().optional(), title: z.string().optional() }))
      .min(1),
  }),
});
const ExceptionError = z.object({ exception: z.string(), message: z.string().optional() });

/** Trendyol's code and message from an error body, whichever of its shapes; the body's text when it has none ("too.many.requests"). */
export function trendyolError(reply: HttpReply): MarketplaceError {
  let json: unknown;
  try {
    json = JSON.parse(reply.text);
  } catch {
    const text = reply.text.trim().slice(0, 200);
    return { code: /^[\w.-]+$/.test(text) ? text : 'none', message: text || 'no Trendyol error in the body' };
  }
  const orders = OrdersError.safeParse(json);
  if (orders.success) return { code: orders.data.error, message: orders.data.message ?? orders.data.error };
  const label = CommonLabelError.safeParse(json);
  if (label.success) {
    const [first] = label.data.error.errors;
    return { code: first.type ?? String(first.code ?? 'none'), message: first.title ?? first.type ?? 'no title' };
  }
  const exception = ExceptionError.safeParse(json);
  if (exception.success) return { code: exception.data.exception, message: exception.data.message ?? exception.data.exception };
  return { code: 'none', message: 'no Trendyol error in the body' };
}
