// One HTTP call to a storefront's API (or a webhook subscriber): JSON both ways (a string body
// goes as it is, so what was signed is what is sent), a timeout, and a failure that says which
// call failed with what status. Its text is stored (last_error) and shown to ops, so it keeps only
// a short excerpt of the far end's answer with tokens and personal data taken out.
export class StorefrontCallFailed extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** How much of the far end's answer a failure quotes: enough to tell "invalid token" from "order not found". */
const EXCERPT_CHARS = 120;

/**
 * Anything that may be a credential or a customer's contact, masked: an email, a phone, an auth
 * scheme's value, a named secret's value, a long run of letters and digits (a token; error codes
 * such as woocommerce_rest_shop_order_invalid_id have no digit and stay).
 */
const SENSITIVE: [RegExp, string][] = [
  [/[^\s<>"',;:]+@[^\s<>"',;:]+/g, '[email]'],
  [/\+?\d[\d\s-]{7,}\d/g, '[phone]'],
  [/\b(bearer|basic)\s+[^\s"',}]+/gi, '$1 [redacted]'],
  [/\b(token|secret|password|api_?key|signature)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1$2[redacted]'],
  [/\b(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{20,}/g, '[redacted]'],
];

/**
 * A short excerpt of the far end's text, cleaned: the values we sent in our own headers (a token
 * it echoes back) and anything sensitive-looking masked. Cut first, so the patterns only ever see
 * a few hundred characters, and cut at a word so no half token is left.
 */
export function scrubbed(text: string, ownSecrets: string[] = [], maxChars = EXCERPT_CHARS): string {
  let excerpt = text.slice(0, maxChars * 4);
  for (const secret of ownSecrets.filter((s) => s.length >= 8)) excerpt = excerpt.split(secret).join('[redacted]');
  excerpt = excerpt.replace(/\s+/g, ' ').trim();
  if (excerpt.length > maxChars) excerpt = `${excerpt.slice(0, maxChars).replace(/\S*$/, '')}…`;
  return SENSITIVE.reduce((out, [pattern, mask]) => out.replace(pattern, mask), excerpt);
}

/** Our header values and their parts (the token in "Basic <token>"): what a far end must never see quoted back in our records. */
const secretsIn = (headers: Record<string, string>) => Object.values(headers).flatMap((value) => [value, ...value.split(/[\s,=]+/)]);

export async function callStorefront<T>(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
): Promise<T> {
  const call = `${method} ${new URL(url).pathname}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      // A redirect would carry our token or signature to wherever the far end points: it is a failure, not a hop.
      redirect: 'manual',
    });
  } catch (err) {
    throw new StorefrontCallFailed(undefined, `${call}: ${scrubbed((err as Error).message, secretsIn(headers))}`);
  }
  const text = await response.text();
  if (response.status >= 300 && response.status < 400)
    throw new StorefrontCallFailed(response.status, `${call} answered ${response.status}: a redirect, not followed`);
  if (!response.ok)
    throw new StorefrontCallFailed(response.status, `${call} answered ${response.status}: ${scrubbed(text, secretsIn(headers))}`);
  return parseJson<T>(call, response.status, text);
}

/** A 2xx whose body is not JSON fails naming the call, not with the parser's message (which quotes the body). */
function parseJson<T>(call: string, status: number, text: string): T {
  try {
    return (text ? JSON.parse(text) : {}) as T;
  } catch {
    throw new StorefrontCallFailed(status, `${call} answered ${status} with a body that is not JSON`);
  }
}
