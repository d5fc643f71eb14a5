// Carrier faults through the sandbox's admin API (kinds in sandbox/faults.ts): a steady rain of
// failures on every carrier, plus the stretches the timeline adds (a carrier down, 429 bursts).
import type { Random } from './random';
import { BOOKING_OPERATIONS, type FaultSpec, type SandboxAdmin } from './sandbox-admin';
import { CARRIERS, type CarrierName } from './stack';

/**
 * The steady faults, per carrier: of all calls 30% 5xx and 10% hangs past the client's timeout;
 * 5% of bookings made but their answer lost. The sandbox draws rules in order and stops at the
 * first failure, so each later rule's probability is of the calls the earlier ones let through.
 */
export function steadyFaults(carrier: CarrierName, seed: number): FaultSpec[] {
  return [
    { kind: 'error', probability: 0.3, status: [500, 502, 503, 504][CARRIERS.indexOf(carrier) % 4], seed: seed + 1 },
    { kind: 'hang', probability: 0.1 / 0.7, seed: seed + 2 },
    { kind: 'lose-response', on: BOOKING_OPERATIONS[carrier], probability: 0.05 / 0.6, seed: seed + 3 },
  ];
}

export const STEADY_FAULTS_TEXT = '30% 5xx and 10% hangs on every call, 5% of bookings made with the answer lost';

export class CarrierFaults {
  /** Carriers down right now. */
  readonly down = new Set<CarrierName>();
  readonly bursts: { carrier: CarrierName; times: number; atS: number }[] = [];
  readonly downStretches: { carrier: CarrierName; fromS: number; toS?: number }[] = [];
  private steady = false;

  constructor(
    private readonly admin: SandboxAdmin,
    private readonly random: Random,
  ) {}

  private seedOf(carrier: CarrierName): number {
    return CARRIERS.indexOf(carrier) * 10 + this.random.fork(carrier).int(1, 1_000_000);
  }

  private async reset(carrier: CarrierName): Promise<void> {
    await this.admin.clearFaults(carrier);
    if (this.down.has(carrier)) await this.admin.addFault(carrier, { kind: 'down' });
    if (this.steady) for (const fault of steadyFaults(carrier, this.seedOf(carrier))) await this.admin.addFault(carrier, fault);
  }

  async startSteady(): Promise<void> {
    this.steady = true;
    for (const carrier of CARRIERS) await this.reset(carrier);
  }

  /** Every call to the carrier answers 503 until `up`. */
  async takeDown(carrier: CarrierName, atS: number): Promise<void> {
    this.down.add(carrier);
    this.downStretches.push({ carrier, fromS: atS });
    await this.reset(carrier);
  }

  async bringUp(carrier: CarrierName, atS: number): Promise<void> {
    this.down.delete(carrier);
    const stretch = this.downStretches.find((s) => s.carrier === carrier && s.toS === undefined);
    if (stretch) stretch.toS = atS;
    await this.reset(carrier);
  }

  /** The next `times` calls to the carrier answer 429 with Retry-After: 1. */
  async rateLimitBurst(carrier: CarrierName, times: number, atS: number): Promise<void> {
    this.bursts.push({ carrier, times, atS });
    await this.admin.addFault(carrier, { kind: 'rate-limit', times, retryAfterSeconds: 1 });
  }

  /** No faults at all (the drain after the chaos). */
  async calm(atS: number): Promise<void> {
    this.steady = false;
    for (const carrier of [...this.down]) await this.bringUp(carrier, atS);
    for (const carrier of CARRIERS) await this.admin.clearFaults(carrier);
  }

  describe(): string {
    if (!this.steady && this.down.size === 0) return 'carriers calm';
    return [this.steady ? 'faults on' : '', ...[...this.down].map((c) => `${c} down`)].filter(Boolean).join(', ');
  }
}
