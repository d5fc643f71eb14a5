// While Temporal or PostgreSQL is down, the API must answer, not hang: 503 on GET /readyz (its
// checks have a 2-second budget) and on POST /v1/orders; and once the dependency is back it must
// recover by itself: /readyz 200 again and an order accepted, with no restart.
import { postOrder, type PlannedOrder } from './orders';

export type Outage = 'temporal' | 'postgres' | 'frontend';

export interface OutageCheck {
  outage: Outage;
  what: string;
  status: number | 'timeout' | 'network' | 'crashed';
  ms: number;
  expected: string;
  ok: boolean;
}

/**
 * How long an answer may take while a dependency is down (more is a hang): /readyz has a 2 s
 * budget of its own; starting an order has none but the Temporal client's retries (about 18 s
 * with the SDK's defaults), and PostgreSQL's pool gives up connecting after 5 s.
 */
export const ANSWER_WITHIN_MS = { readyz: 5_000, post: 25_000 };
/** How long the API may take to notice the dependency is back. */
export const RECOVER_WITHIN_MS = 60_000;

async function getReadyz(apiUrl: string): Promise<{ status: OutageCheck['status']; ms: number }> {
  const started = performance.now();
  try {
    const res = await fetch(`${apiUrl}/readyz`, { signal: AbortSignal.timeout(20_000) });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  } catch (err) {
    return { status: (err as Error).name === 'TimeoutError' ? 'timeout' : 'network', ms: performance.now() - started };
  }
}

/**
 * Asks while the dependency is down. The probe order carries an Idempotency-Key, so the API
 * needs PostgreSQL as well as Temporal to take it. Returns whether the API took it after all.
 */
export async function checkWhileDown(
  outage: Outage,
  apiUrl: string,
  probe: PlannedOrder,
): Promise<{ checks: OutageCheck[]; accepted: boolean }> {
  // Waited for past the allowance, so a slow answer is told from a hang (the default 20 s gave up first).
  const [ready, post] = await Promise.all([getReadyz(apiUrl), postOrder(apiUrl, probe, ANSWER_WITHIN_MS.post + 5_000)]);
  const checks: OutageCheck[] = [
    {
      outage,
      what: 'GET /readyz while down',
      ...ready,
      expected: `503 within ${ANSWER_WITHIN_MS.readyz / 1000} s`,
      ok: ready.status === 503 && ready.ms <= ANSWER_WITHIN_MS.readyz,
    },
    {
      // A start the client held until the dependency was back is an answer too, if in time.
      outage,
      what: 'POST /v1/orders while down',
      status: post.status,
      ms: post.ms,
      expected: `503 (or 202 once it is back) within ${ANSWER_WITHIN_MS.post / 1000} s`,
      ok: (post.status === 503 || post.status === 202) && post.ms <= ANSWER_WITHIN_MS.post,
    },
  ];
  return { checks, accepted: post.status === 202 || post.status === 200 };
}

/** After the dependency is back: /readyz 200 within RECOVER_WITHIN_MS, then an order accepted. */
export async function checkRecovery(
  outage: Outage,
  apiUrl: string,
  probe: PlannedOrder,
): Promise<{ checks: OutageCheck[]; accepted: boolean }> {
  const started = performance.now();
  let last: Awaited<ReturnType<typeof getReadyz>> = { status: 'network', ms: 0 };
  while (performance.now() - started < RECOVER_WITHIN_MS) {
    last = await getReadyz(apiUrl);
    if (last.status === 200) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const readyAfter = performance.now() - started;
  const post = last.status === 200 ? await postOrder(apiUrl, probe) : undefined;
  const checks: OutageCheck[] = [
    {
      outage,
      what: 'GET /readyz back to 200',
      status: last.status,
      ms: readyAfter,
      expected: `200 within ${RECOVER_WITHIN_MS / 1000} s`,
      ok: last.status === 200,
    },
    {
      outage,
      what: 'POST /v1/orders after',
      status: post?.status ?? last.status,
      ms: post?.ms ?? 0,
      expected: '202',
      ok: post?.status === 202,
    },
  ];
  return { checks, accepted: post?.status === 202 || post?.status === 200 };
}
