// Percentiles and rates, the same way for every figure.

/** The p-th percentile (0–100) by nearest rank; NaN for no samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface Latency {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function latency(ms: number[]): Latency {
  return {
    samples: ms.length,
    p50Ms: percentile(ms, 50),
    p95Ms: percentile(ms, 95),
    p99Ms: percentile(ms, 99),
    maxMs: percentile(ms, 100),
  };
}

export const perSecond = (count: number, ms: number) => (ms > 0 ? (count * 1000) / ms : NaN);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `task` for 0..count-1 with at most `concurrency` at once (a closed loop). */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}
