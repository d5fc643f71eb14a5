// The one HTTP transport every connector speaks through: a timeout on every call, the reply read
// in full, a dropped connection or a timeout as the shared retryable failure, and JSON replies
// checked against their zod schema. Connectors add only their paths, headers and error bodies.
import type { z } from 'zod';
import { carrierFailures } from '../failures';

/** One HTTP exchange, read in full. */
export interface HttpReply {
  status: number;
  retryAfter: string | null;
  text: string;
}

/** One call's method, headers and body (already serialized). */
export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpTransportConfig {
  carrier: string;
  /** The carrier's root; each call's path is appended. */
  baseUrl: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
  /** Sent on every call (a gateway's client id, say); a call's own headers win. */
  headers?: Record<string, string>;
}

export type Exchange = (operation: string, path: string, call: HttpCall) => Promise<HttpReply>;

export function createHttpTransport({ carrier, baseUrl, timeoutMs, headers = {} }: HttpTransportConfig): Exchange {
  const root = baseUrl.replace(/\/+$/, '');
  const { transportFailure } = carrierFailures(carrier);
  return async (operation, path, call) => {
    try {
      const res = await fetch(`${root}${path}`, {
        ...call,
        headers: { ...headers, ...call.headers },
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
    } catch (err) {
      throw transportFailure(operation, err, timeoutMs);
    }
  };
}

export function jsonCall(method: 'POST' | 'PUT', body: unknown, headers: Record<string, string> = {}): HttpCall {
  return { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Names what was wrong by path (never the values: they may be personal data). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

/** readJson's problem for text that is not JSON at all. */
export const NOT_JSON = 'not valid JSON';

/** JSON text checked against its schema: the data, or what was wrong with it. */
export function readJson<T>(text: string, schema: z.ZodType<T>): { data: T } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: NOT_JSON };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { data: parsed.data } : { problem: describeIssues(parsed.error) };
}

/**
 * The reader of a REST carrier's replies: a 2xx parsed against its schema; any other status
 * becomes the carrier's failure for it (`httpFailure`, from its error body), a 2xx that is not
 * what the carrier documents a retryable malformed response.
 */
export function jsonReplies(carrier: string, httpFailure: (operation: string, reply: HttpReply) => Error) {
  const { malformedFailure } = carrierFailures(carrier);
  return function parseReply<T>(operation: string, reply: HttpReply, schema: z.ZodType<T>): T {
    if (reply.status < 200 || reply.status >= 300) throw httpFailure(operation, reply);
    const read = readJson(reply.text, schema);
    if ('problem' in read) throw malformedFailure(operation, read.problem === NOT_JSON ? 'the body is not valid JSON' : read.problem);
    return read.data;
  };
}

/**
 * A bearer token fetched once at a time and reused until a minute (or a tenth of its life) before
 * it expires; `authorized` sends a call with it and, on a 401 (revoked or expired early), once
 * more with a fresh one.
 */
export function bearerAuth(exchange: Exchange, fetchToken: () => Promise<{ value: string; expiresAt: number }>) {
  let token: { value: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function refresh(): Promise<string> {
    const { value, expiresAt } = await fetchToken();
    const lifetimeMs = Math.max(0, expiresAt - Date.now());
    token = { value, refreshAt: expiresAt - Math.min(60_000, lifetimeMs / 10) };
    return value;
  }

  function current(): Promise<string> {
    if (token && Date.now() < token.refreshAt) return Promise.resolve(token.value);
    pending ??= refresh().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  return async function authorized(operation: string, path: string, call: HttpCall = { method: 'GET' }): Promise<HttpReply> {
    const send = async () =>
      exchange(operation, path, { ...call, headers: { ...call.headers, Authorization: `Bearer ${await current()}` } });
    const first = await send();
    if (first.status !== 401) return first;
    token = undefined;
    return send();
  };
}
