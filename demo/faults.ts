// --faults: carrier trouble through the sandbox's admin API (sandbox/faults.ts), timed along
// the order intake. An error rate on Yurtiçi bookings and slow Aras bookings throughout; UPS
// down for a stretch (Turkish parcels go to another carrier, European ones, which only UPS
// carries, wait in needs_attention); later UPS refusing bookings after quoting (the booking
// falls back to the next carrier and the failed attempt is voided); a burst of 429s at MNG;
// Sürat bookings whose answer is lost now and then (the retry finds the booking, one per parcel).
// Everything is cleared when the demo ends, so the stack is healthy again.
import type { HttpClient } from './http';

export const CARRIERS = ['ups', 'yurtici', 'aras', 'mng', 'surat', 'ptt'] as const;
export type Carrier = (typeof CARRIERS)[number];

export interface FaultStep {
  /** When, as the share of orders sent (0 to 1). */
  at: number;
  carrier: Carrier;
  /** A fault to add (sandbox/faults.ts's shape), or absent to clear the carrier's faults. */
  fault?: Record<string, unknown>;
  /** What it means, for the progress line and the summary. */
  label: string;
  /** How long the label shows on the progress line (until the carrier's faults are cleared when absent). */
  until?: number;
}

export function faultTimeline(seed: number): FaultStep[] {
  return [
    {
      at: 0,
      carrier: 'yurtici',
      fault: { kind: 'error', status: 500, on: ['createShipment'], probability: 0.25, seed },
      label: 'yurtici: 25% of bookings fail (500)',
    },
    {
      at: 0,
      carrier: 'aras',
      fault: { kind: 'latency', ms: 1500, on: ['SetOrder'], probability: 0.3, seed },
      label: 'aras: 30% of bookings slow (1.5 s)',
    },
    {
      at: 0,
      carrier: 'surat',
      fault: { kind: 'lose-response', on: ['GonderiyiKargoyaGonderYeniSiparisBarkodOlustur'], probability: 0.1, seed },
      label: 'surat: 10% of booking answers lost',
    },
    { at: 0.2, carrier: 'ups', fault: { kind: 'down' }, label: 'ups: down (503 on every call)' },
    { at: 0.4, carrier: 'ups', label: 'ups: back up' },
    {
      at: 0.5,
      carrier: 'mng',
      fault: { kind: 'rate-limit', times: 25, retryAfterSeconds: 1 },
      label: 'mng: burst of 25 × 429',
      until: 0.6,
    },
    {
      at: 0.55,
      carrier: 'ups',
      fault: { kind: 'error', status: 503, on: ['ship'], probability: 0.7, seed },
      label: 'ups: 70% of bookings fail after quoting (503)',
    },
    { at: 0.75, carrier: 'ups', label: 'ups: bookings healthy again' },
  ];
}

export class FaultInjector {
  private next = 0;
  /** Steps applied, with when (ms since the demo started), for the summary. */
  readonly applied: { at: number; label: string }[] = [];
  private readonly active = new Map<Carrier, { label: string; until?: number }[]>();
  private readonly touched = new Set<Carrier>();

  constructor(
    private readonly sandbox: HttpClient,
    private readonly steps: FaultStep[],
    private readonly startedAt: number,
  ) {}

  /** Applies every step due at this share of the intake. */
  async advanceTo(share: number): Promise<void> {
    while (this.next < this.steps.length && this.steps[this.next].at <= share) {
      const step = this.steps[this.next++];
      const path = `/_admin/${step.carrier}/faults`;
      const reply = step.fault ? await this.sandbox.request('POST', path, step.fault) : await this.sandbox.request('DELETE', path);
      if (reply.status >= 300)
        throw new Error(`${step.fault ? 'POST' : 'DELETE'} ${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      this.touched.add(step.carrier);
      if (step.fault) this.active.set(step.carrier, [...(this.active.get(step.carrier) ?? []), { label: step.label, until: step.until }]);
      else this.active.delete(step.carrier);
      this.applied.push({ at: Date.now() - this.startedAt, label: step.label });
    }
    for (const [carrier, faults] of this.active)
      this.active.set(
        carrier,
        faults.filter((f) => f.until === undefined || f.until > share),
      );
  }

  /** What is failing now, for the progress line. */
  activeLabels(): string[] {
    return [...this.active.values()].flat().map((f) => f.label.split(':')[0] + ':' + f.label.split(':')[1].split('(')[0].trimEnd());
  }

  /** Clears every fault of the carriers the demo touched (the sandbox clears a carrier's faults all at once). */
  async clearAll(): Promise<void> {
    for (const carrier of this.touched) {
      await this.sandbox.request('DELETE', `/_admin/${carrier}/faults`).catch(() => undefined);
    }
    if (this.touched.size > 0) this.applied.push({ at: Date.now() - this.startedAt, label: `cleared: ${[...this.touched].join(', ')}` });
    this.active.clear();
  }
}
