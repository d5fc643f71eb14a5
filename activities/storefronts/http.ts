// One HTTP call to a storefront's API (or a webhook subscriber): JSON both ways (a string body
// goes as it is, so what was signed is what is sent), a timeout, and a failure that says which
// call failed with what status (the body is cut short: it may echo customer data).
export class StorefrontCallFailed extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

export async function callStorefront<T>(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new StorefrontCallFailed(undefined, `${method} ${new URL(url).pathname}: ${(err as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok)
    throw new StorefrontCallFailed(
      response.status,
      `${method} ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 200)}`,
    );
  return (text ? JSON.parse(text) : {}) as T;
}
