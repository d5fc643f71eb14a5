// How Hepsiburada's failures reach Temporal (the shared reading is ../failures.ts). Hepsiburada's
// own part: every operation of spec/oms-external.subset.json documents its errors (400, 401, 404,
// 500) as a bare string, `schema: {type: string}` under application/json, with no code in it.
import type { MarketplaceError } from '../failures';
import type { HttpReply } from '../http';

export const MARKETPLACE = 'hepsiburada';

/** Enough of the message to say what was refused; the rest may echo what was sent. */
const MESSAGE_CHARS = 200;

/** The string a JSON string body holds, else the text as sent (a proxy's page, a plain-text answer). */
function bareString(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'string') return parsed;
  } catch {
    // Not JSON: the text itself.
  }
  return text;
}

/** Hepsiburada's errors carry no code: the HTTP status stands in for one. */
export function hepsiburadaError(reply: HttpReply): MarketplaceError {
  const message = bareString(reply.text).trim().slice(0, MESSAGE_CHARS);
  return { code: `HTTP${reply.status}`, message: message || 'no message in the body' };
}
