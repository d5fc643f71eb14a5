// Raw carrier codes → the engine's statuses, through each carrier's explicit table. A code the
// table lacks becomes 'unknown' and is logged once with its raw value, never guessed.
import type { TrackingStatus } from '../domain/shipment';

export interface StatusLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** One mapper per adapter: it remembers which unknown codes it has already reported. */
export function createStatusMapper(
  carrier: string,
  table: ReadonlyMap<string, TrackingStatus>,
  log: StatusLog,
): (rawCode: string) => TrackingStatus {
  const reported = new Set<string>();
  return (rawCode) => {
    const status = table.get(rawCode);
    if (status) return status;
    if (!reported.has(rawCode)) {
      reported.add(rawCode);
      log.warn({ carrier, rawCode }, 'unmapped tracking code, reported as unknown');
    }
    return 'unknown';
  };
}
