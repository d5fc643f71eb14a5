// What happens to each order once the engine has it, driven from what the API lists
// (GET /v1/orders): parcels are scanned along in the sandbox, some orders are cancelled
// (POST /v1/orders/:id/cancel) while labelled or backordered, some addresses corrected
// (PUT /v1/orders/:id/shipping-address), some delivered orders sent back
// (POST /v1/orders/:id/returns) and their return parcels scanned home.
import type { Fate, PlannedOrder } from './orders';
import type { Carrier } from './faults';
import type { HttpClient } from './http';
import { advanceParcel, isCarrier, OUTBOUND_STEPS, PUSH_CARRIERS, RETURN_STEPS, stepsFor, type Step } from './parcels';
import type { Random } from './random';

/** An order as GET /v1/orders lists it. */
export interface ListedOrder {
  orderId: string;
  channel: string;
  status: string;
  service: string;
  shipments: { shipmentId: string; status: string; carrier: string | null; trackingNumber: string | null }[];
}

interface Parcel {
  shipmentId: string;
  carrier: Carrier;
  trackingNumber: string;
  steps: Step[];
  done: number;
  nextAt: number;
}

type Phase = 'waiting' | 'moving' | 'awaiting_delivery' | 'moving_return' | 'done';

interface Tracker {
  planned: PlannedOrder;
  /** The fate in play (a corrected address goes on to be delivered). */
  fate: Fate;
  phase: Phase;
  parcels: Parcel[];
  outboundShipmentIds: Set<string>;
  returnRequested: boolean;
  busy: boolean;
}

export interface FateCounters {
  scans: Record<string, number>;
  cancels: { accepted: number; refused: number };
  returns: { accepted: number; refused: number };
  addressesCorrected: number;
  advanceErrors: number;
  /** What the API answered to actions it refused, for the summary. */
  refusals: string[];
}

const RETURN_REASONS = [
  'wrong size',
  'changed my mind',
  'arrived damaged',
  'colour differs from the photos',
  'beden uymadı',
  'ürün hasarlı geldi',
];
const CANCEL_REASONS = ['customer asked', 'payment not confirmed', 'duplicate order', 'müşteri vazgeçti'];
const ENDED = ['needs_attention', 'cancelled', 'closed', 'returned'];
const MAX_ACTIONS = 6;

export class FateDriver {
  private readonly trackers = new Map<string, Tracker>();
  private actionsInFlight = 0;
  readonly counters: FateCounters = {
    scans: {},
    cancels: { accepted: 0, refused: 0 },
    returns: { accepted: 0, refused: 0 },
    addressesCorrected: 0,
    advanceErrors: 0,
    refusals: [],
  };

  constructor(
    private readonly api: HttpClient,
    private readonly sandbox: HttpClient,
    private readonly random: Random,
  ) {}

  /** An order placed on a marketplace is followed under the id the engine gives it once pulled. */
  rename(from: string, to: string): void {
    const tracker = this.trackers.get(from);
    if (!tracker) return;
    this.trackers.delete(from);
    this.trackers.set(to, tracker);
  }

  add(planned: PlannedOrder): void {
    this.trackers.set(planned.order.orderId, {
      planned,
      fate: planned.fate,
      phase: 'waiting',
      parcels: [],
      outboundShipmentIds: new Set(),
      returnRequested: false,
      busy: false,
    });
  }

  /** Orders still being worked on (not yet at their fate, or an action in flight). */
  open(): number {
    return [...this.trackers.values()].filter((t) => t.phase !== 'done' || t.busy).length;
  }

  /** Total scans sent. */
  scans(): number {
    return Object.values(this.counters.scans).reduce((a, b) => a + b, 0);
  }

  /** The return parcels among the listed shipments: those of a returned order that did not go out. */
  returnShipmentIds(listed: Map<string, ListedOrder>): Set<string> {
    const ids = new Set<string>();
    for (const [orderId, tracker] of this.trackers) {
      if (!tracker.returnRequested) continue;
      for (const s of listed.get(orderId)?.shipments ?? []) if (!tracker.outboundShipmentIds.has(s.shipmentId)) ids.add(s.shipmentId);
    }
    return ids;
  }

  /** One pass over every order, given the engine's latest list. */
  async sweep(listed: Map<string, ListedOrder>, now: number): Promise<void> {
    const moves: Promise<void>[] = [];
    for (const [orderId, tracker] of this.trackers) {
      const order = listed.get(orderId);
      if (!order || tracker.busy || tracker.phase === 'done') continue;
      switch (tracker.phase) {
        case 'waiting':
          this.onWaiting(tracker, order, now);
          break;
        case 'moving':
        case 'moving_return':
          if (tracker.phase === 'moving_return') this.addReturnParcels(tracker, order, now);
          moves.push(...this.dueMoves(tracker, now));
          break;
        case 'awaiting_delivery':
          if (order.status === 'delivered') this.requestReturn(tracker);
          else if (ENDED.includes(order.status)) tracker.phase = 'done';
          break;
      }
    }
    // A few at a time: the sandbox is one process on a small machine.
    for (let i = 0; i < moves.length; i += 16) await Promise.all(moves.slice(i, i + 16));
  }

  private onWaiting(tracker: Tracker, order: ListedOrder, now: number): void {
    const { fate } = tracker;
    if (order.status === 'backordered') {
      if (fate === 'backorder_cancel') this.cancel(tracker);
      else if (fate === 'backorder_wait') tracker.phase = 'done';
      return;
    }
    if (order.status === 'address_invalid') {
      if (fate === 'fix_address') this.correctAddress(tracker);
      else tracker.phase = 'done';
      return;
    }
    if (ENDED.includes(order.status)) {
      tracker.phase = 'done';
      return;
    }
    if (order.status !== 'labelled') return; // every parcel has a label (the least advanced decides)
    if (fate === 'cancel') return this.cancel(tracker);
    const steps = OUTBOUND_STEPS[fate];
    for (const s of order.shipments) {
      tracker.outboundShipmentIds.add(s.shipmentId);
      if (!s.trackingNumber || s.status === 'cancelled' || !isCarrier(s.carrier)) continue;
      tracker.parcels.push({
        shipmentId: s.shipmentId,
        carrier: s.carrier,
        trackingNumber: s.trackingNumber,
        steps: stepsFor(s.carrier, steps),
        done: 0,
        nextAt: now + this.random.int(500, 3000),
      });
    }
    tracker.phase = tracker.parcels.some((p) => p.steps.length > 0) ? 'moving' : 'done';
  }

  private addReturnParcels(tracker: Tracker, order: ListedOrder, now: number): void {
    for (const s of order.shipments) {
      if (tracker.outboundShipmentIds.has(s.shipmentId) || !s.trackingNumber || !isCarrier(s.carrier)) continue;
      if (tracker.parcels.some((p) => p.trackingNumber === s.trackingNumber)) continue;
      tracker.parcels.push({
        shipmentId: s.shipmentId,
        carrier: s.carrier,
        trackingNumber: s.trackingNumber,
        steps: stepsFor(s.carrier, RETURN_STEPS),
        done: 0,
        nextAt: now + this.random.int(1000, 3000),
      });
    }
  }

  private dueMoves(tracker: Tracker, now: number): Promise<void>[] {
    const moves = tracker.parcels.filter((p) => p.done < p.steps.length && p.nextAt <= now).map((p) => this.move(p));
    const allMoved = tracker.parcels.length > 0 && tracker.parcels.every((p) => p.done >= p.steps.length);
    if (moves.length === 0 && allMoved) this.finishMoving(tracker);
    return moves;
  }

  private async move(parcel: Parcel): Promise<void> {
    const outcome = await advanceParcel(this.sandbox, parcel.carrier, parcel.trackingNumber, parcel.steps[parcel.done]).catch(
      () => 'error' as const,
    );
    if (outcome === 'moved') this.counters.scans[parcel.carrier] = (this.counters.scans[parcel.carrier] ?? 0) + 1;
    // UPS pushes its scans; the others are polled hourly, so the demo asks the engine to poll now, as ops can.
    if (outcome === 'moved' && !PUSH_CARRIERS.has(parcel.carrier)) {
      await this.api.request('POST', `/v1/shipments/${encodeURIComponent(parcel.shipmentId)}/poll-tracking`, {}).catch(() => undefined);
    }
    if (outcome === 'unknown' || outcome === 'error') this.counters.advanceErrors++;
    // A parcel the sandbox does not know, or at the end of its path, has nothing more to move.
    parcel.done = outcome === 'moved' ? parcel.done + 1 : parcel.steps.length;
    parcel.nextAt = Date.now() + this.random.int(1500, 4000);
  }

  private finishMoving(tracker: Tracker): void {
    const wantsReturn = tracker.phase === 'moving' && (tracker.fate === 'return_after_delivery' || tracker.fate === 'return_label_only');
    tracker.phase = wantsReturn ? 'awaiting_delivery' : 'done';
  }

  /** Runs an API action off the sweep, a few at a time. */
  private act(tracker: Tracker, action: () => Promise<void>): void {
    if (this.actionsInFlight >= MAX_ACTIONS) return; // tried again on the next sweep
    this.actionsInFlight++;
    tracker.busy = true;
    void action()
      .catch((err) => void this.counters.refusals.push(`${tracker.planned.order.orderId}: ${(err as Error).message}`))
      .finally(() => {
        tracker.busy = false;
        this.actionsInFlight--;
      });
  }

  private refused(what: string, tracker: Tracker, status: number, body: unknown): void {
    const code = (body as { error?: string } | undefined)?.error ?? '';
    this.counters.refusals.push(`${what} ${tracker.planned.order.orderId}: ${status} ${code}`.trim());
  }

  private cancel(tracker: Tracker): void {
    this.act(tracker, async () => {
      const orderId = tracker.planned.order.orderId;
      const reply = await this.api.request('POST', `/v1/orders/${orderId}/cancel`, { reason: this.random.pick(CANCEL_REASONS) });
      if (reply.status === 200) this.counters.cancels.accepted++;
      else {
        this.counters.cancels.refused++;
        this.refused('cancel', tracker, reply.status, reply.body);
      }
      tracker.phase = 'done';
    });
  }

  private correctAddress(tracker: Tracker): void {
    this.act(tracker, async () => {
      const orderId = tracker.planned.order.orderId;
      const reply = await this.api.request('PUT', `/v1/orders/${orderId}/shipping-address`, { address: tracker.planned.correctedAddress });
      if (reply.status === 200) {
        this.counters.addressesCorrected++;
        tracker.fate = 'deliver'; // booking resumes; the parcel then goes out as any other
      } else {
        this.refused('address', tracker, reply.status, reply.body);
        tracker.phase = 'done';
      }
    });
  }

  private requestReturn(tracker: Tracker): void {
    this.act(tracker, async () => {
      const orderId = tracker.planned.order.orderId;
      const reply = await this.api.request('POST', `/v1/orders/${orderId}/returns`, { reason: this.random.pick(RETURN_REASONS) });
      if (reply.status !== 202) {
        this.counters.returns.refused++;
        this.refused('return', tracker, reply.status, reply.body);
        tracker.phase = 'done';
        return;
      }
      this.counters.returns.accepted++;
      tracker.returnRequested = true;
      tracker.parcels = []; // the return parcels come next
      tracker.phase = tracker.fate === 'return_after_delivery' ? 'moving_return' : 'done';
    });
  }
}
