// Calls to the running stack: the API (with the development key) and the carrier sandbox's
// admin API. A stack that does not answer is named with the URL tried; a 429 is waited out
// (Retry-After) and tried again, as a well-behaved OMS would.

/** The development key of .env.example (API_KEYS): every scope. Never a production key. */
export const DEV_API_KEY = 'dev-key-change-me';

export class StackUnreachable extends Error {}

export interface Reply<T = unknown> {
  status: number;
  body: T;
}

export interface HttpClient {
  readonly baseUrl: string;
  request<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  /** How many 429 answers were waited out. */
  readonly throttled: number;
}

function reason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

export function httpClient(what: string, baseUrl: string, defaultHeaders: Record<string, string> = {}, timeoutMs = 60_000): HttpClient {
  let throttled = 0;
  return {
    baseUrl,
    get throttled() {
      return throttled;
    },
    async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
      const url = `${baseUrl}${path}`;
      for (let attempt = 1; ; attempt++) {
        let res: Response;
        try {
          res = await fetch(url, {
            method,
            headers: { ...defaultHeaders, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(timeoutMs),
          });
        } catch (err) {
          throw new StackUnreachable(`cannot reach the ${what} at ${url} (${reason(err)})`);
        }
        const text = await res.text();
        if (res.status === 429 && attempt <= 20) {
          throttled++;
          const wait = Math.min(Number(res.headers.get('retry-after')) || 1, 30);
          await new Promise((r) => setTimeout(r, wait * 1000));
          continue;
        }
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: the text itself
        }
        return { status: res.status, body: parsed as T };
      }
    },
  };
}

export function apiClient(baseUrl: string): HttpClient {
  return httpClient('API', baseUrl, { Authorization: `Bearer ${DEV_API_KEY}` });
}

export function sandboxClient(baseUrl: string): HttpClient {
  return httpClient('carrier sandbox', baseUrl, {}, 15_000);
}

/** Both are up, or a StackUnreachable that says which URL did not answer and how to start the stack. */
export async function checkStack(api: HttpClient, sandbox: HttpClient): Promise<void> {
  const hint = 'is the dev stack running? Start it with `npm run dev`, or point the demo at it with --api and --sandbox.';
  for (const [client, path, what] of [
    [api, '/healthz', 'API'],
    [sandbox, '/healthz', 'carrier sandbox'],
  ] as const) {
    let reply: Reply;
    try {
      reply = await client.request('GET', path);
    } catch (err) {
      if (err instanceof StackUnreachable) throw new StackUnreachable(`${err.message}: ${hint}`);
      throw err;
    }
    if (reply.status !== 200) throw new StackUnreachable(`the ${what} at ${client.baseUrl}${path} answered ${reply.status}: ${hint}`);
  }
  const ready = await api.request('GET', '/readyz');
  if (ready.status !== 200) {
    throw new StackUnreachable(
      `the API at ${api.baseUrl}/readyz answered ${ready.status} (${JSON.stringify(ready.body)}): Temporal or PostgreSQL is not reachable from it`,
    );
  }
  // The development key must be accepted: a stack with its own API_KEYS needs its own demo.
  const auth = await api.request('GET', '/v1/orders?limit=1');
  if (auth.status === 401 || auth.status === 403) {
    throw new StackUnreachable(
      `the API at ${api.baseUrl} refused the development key (${auth.status}): the demo runs against a development stack only`,
    );
  }
}
