// What every carrier double's memory has: its bookings under the carrier's own key for them, the
// faults to inject, and scan times. One instance per sandbox app, so each test run starts clean.
import type { AdminState } from './admin';
import { FaultPlan } from './faults';

export abstract class CarrierState<Booking> implements AdminState {
  readonly faults = new FaultPlan();
  /** Every booking, cancelled ones included, by the carrier's key (UPS's shipment id, Yurtiçi's cargoKey, …). */
  protected readonly bookings = new Map<string, Booking>();

  get(key: string): Booking | undefined {
    return this.bookings.get(key);
  }

  list(): Booking[] {
    return [...this.bookings.values()];
  }

  /** Booked and not cancelled: what a duplicate booking would inflate. */
  liveCount(): number {
    return this.list().filter((b) => this.isLive(b)).length;
  }

  reset(): void {
    this.bookings.clear();
    this.faults.clear();
  }

  protected abstract isLive(booking: Booking): boolean;

  /** Scans report whole seconds; keep them strictly increasing so each one is distinct. */
  protected scanTime(last: { at: Date } | undefined): Date {
    return new Date(Math.max(Math.floor(Date.now() / 1000) * 1000, last ? last.at.getTime() + 1000 : 0));
  }
}
