// How long orders stalled at each fault, from what the run already records: every order's status
// changes (order_status_history.at, the moment its workflow made the change). Orders flow at a steady
// rate while the chaos lasts, so a fault that stops workflows shows as a drop in the rate of status
// changes after it, and the stall as the time until that rate is back. A worker kill, a Temporal
// outage or a history process's shards moving all look alike here, which is the point: what the
// orders felt, whatever the cause. Other faults of the run (carriers) overlap and blur it a little.

/** Seconds before and after a fault that set the rates compared. */
export const STALL_WINDOW_S = 20;
/** The sliding window a recovery is judged on (centred, so a sudden return is seen when it comes), and how far after the fault one is looked for. */
const RECOVERY_SPAN_S = 5;
const RECOVERY_LIMIT_S = 120;

export interface Stall {
  what: string;
  atS: number;
  /** Status changes a second in the STALL_WINDOW_S before the fault and after it. */
  beforePerS: number;
  afterPerS: number;
  /** The longest stretch without a single status change, within STALL_WINDOW_S of the fault. */
  longestPauseS: number;
  /**
   * Seconds from the fault until the rate in a RECOVERY_SPAN_S window around that moment (never
   * reaching back before the fault) is at least half the rate before: the stall. 0 when the rate never dropped below half; null when it was not back within
   * RECOVERY_LIMIT_S, or nothing flowed before the fault to compare with.
   */
  stalledS: number | null;
}

function countIn(times: number[], from: number, to: number): number {
  return times.filter((t) => t >= from && t < to).length;
}

/** The stall at `atS`, from every status change's time (seconds since the run began, any order). */
export function stallAt(what: string, atS: number, times: number[]): Stall {
  const beforePerS = countIn(times, atS - STALL_WINDOW_S, atS) / STALL_WINDOW_S;
  const afterPerS = countIn(times, atS, atS + STALL_WINDOW_S) / STALL_WINDOW_S;
  const inside = times.filter((t) => t >= atS && t < atS + STALL_WINDOW_S).sort((a, b) => a - b);
  const edges = [atS, ...inside, atS + STALL_WINDOW_S];
  const longestPauseS = Math.max(...edges.slice(1).map((t, i) => t - edges[i]));
  let stalledS: number | null = null;
  if (beforePerS > 0) {
    for (let s = 0; s <= RECOVERY_LIMIT_S; s += 0.5) {
      const [from, to] = [atS + Math.max(0, s - RECOVERY_SPAN_S / 2), atS + s + RECOVERY_SPAN_S / 2];
      if (countIn(times, from, to) / (to - from) >= beforePerS / 2) {
        stalledS = s;
        break;
      }
    }
  }
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    what,
    atS: round(atS),
    beforePerS: round(beforePerS),
    afterPerS: round(afterPerS),
    longestPauseS: round(longestPauseS),
    stalledS,
  };
}
