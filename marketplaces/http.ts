// The HTTP exchange every marketplace client speaks through: a timeout on every call, the reply
// read in full, no answer as the shared retryable failure, 2xx JSON checked against its zod schema
// (what the connector reads of it), anything else the marketplace's failure from its error body.
// The carriers' transport is the same idea; connector homes import only themselves, domain/ and lib/.
import type { z } from 'zod';
import { marketplaceFailures, type MarketplaceError } from './failures';

export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
}

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
}

export interface MarketplaceHttp {
  /** Sends one call and reads the reply; throws the retryable transport failure when none comes. */
  send(operation: string, url: string, call: HttpCall): Promise<HttpReply>;
  /** A 2xx reply's JSON as `schema` reads it; any other status as the marketplace's failure. */
  read<T>(operation: string, reply: HttpReply, schema: z.ZodType<T>): T;
}

/** Names what was wrong by path (never the values: they may be personal data). */
const describeIssues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');

export function marketplaceHttp(
  marketplace: string,
  timeoutMs: number,
  errorOf: (reply: HttpReply) => MarketplaceError,
  retryAfterMs: (reply: HttpReply) => number | undefined = () => undefined,
): MarketplaceHttp {
  const failures = marketplaceFailures(marketplace);
  return {
    async send(operation, url, call) {
      try {
        const res = await fetch(url, { ...call, signal: AbortSignal.timeout(timeoutMs) });
        return { status: res.status, headers: res.headers, text: await res.text() };
      } catch (err) {
        throw failures.transportFailure(operation, err, timeoutMs);
      }
    },
    read(operation, reply, schema) {
      if (reply.status < 200 || reply.status >= 300)
        throw failures.errorReplyFailure(operation, reply.status, errorOf(reply), retryAfterMs(reply));
      let json: unknown;
      try {
        json = JSON.parse(reply.text);
      } catch {
        throw failures.malformedFailure(operation, 'the body is not valid JSON');
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw failures.malformedFailure(operation, describeIssues(parsed.error));
      return parsed.data;
    },
  };
}
