// One parcel's state, shared by the shipment's phases: its picture (the view), what signals have
// brought in, and the steps every phase takes (move to a status, tell the customer, cancel).
import {
  ActivityFailure,
  ApplicationFailure,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ExternalWorkflowHandle,
  type SignalDefinition,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { NotificationEvent } from '../../activities/notifications';
import type { RecordStatusInput } from '../../activities/orders';
import type { QueuedNotices } from '../../activities/shipments';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { CarrierPolicy } from '../../domain/carrier-policy';
import type { Address } from '../../domain/order';
import type {
  Allocation,
  Booking,
  MarketplaceShipping,
  Parcel,
  ShipmentRequest,
  ShipmentStatus,
  ShipmentView,
  TrackingEvent,
} from '../../domain/shipment';
import { isMarketplaceBooking } from '../../domain/booking';
import { orderNews } from '../../domain/order-progress';
import { handedToCarrier } from '../../domain/statuses';
import {
  addressCorrectedSignal,
  cancelShipmentSignal,
  marketplaceReassignedSignal,
  notAcceptedSignal,
  packedSignal,
  pollTrackingSignal,
  retryBookingSignal,
  searchAttributes,
  shipmentChangedSignal,
  shipmentProgressSignal,
  shipmentQuery,
  trackingEventSignal,
} from '../definitions';
import { PATCHES, type RunPatches } from '../patches';
import { besideRecords, carrierCalls, notifications, records, VOID_BESIDE_BOUND, type Records } from './activities';

export interface ShipmentTimers {
  /** First poll of a carrier without push tracking; the interval doubles up to `maxPollInterval`. */
  pollInterval: Duration;
  maxPollInterval: Duration;
  /** After the promised delivery date plus this, an undelivered parcel is flagged delayed. */
  lateGrace: Duration;
  /** With no carrier scan for this long, the parcel is flagged lost. */
  lostAfter: Duration;
  /** Still no scan this long after the lost alert: the parcel ends lost (default 30 days). */
  lostFinalAfter?: Duration;
  /** A manually packed parcel not packed within this alerts ops (and keeps waiting). */
  packEscalation: Duration;
  /** How long a quote may wait, its carrier's queue included, before the round goes on without it; default 2 minutes. */
  quoteBound?: Duration;
  /** How long a parcel whose every booking failure was transient (carriers down, slow, busy) asks again before needs_attention; default 30 minutes. */
  transientRetryWindow?: Duration;
  /** How long a parcel whose address every carrier rejected waits for a correction before it is cancelled. */
  addressTimeout: Duration;
  /** Past this many history events, tracking continues in a fresh run. */
  maxHistoryEvents: number;
  /** A return label not handed to the carrier within this is voided and the return ends unused. */
  returnLabelValidity?: Duration;
  /** Carrier calls carry a summary for the UI's timeline. Off under the Java time-skipping test server, which stalls on them. */
  activitySummaries?: boolean;
}

/** Where a continued run picks up. */
export interface TrackingState {
  view: ShipmentView;
  booking: Booking;
  lastScanAt: number;
  pollEvery: number;
  /** Null for a carrier that pushes its scans. */
  nextPollAt: number | null;
  stockShipped: boolean;
}

/** How a change is published: the records to write it with, and what the customer is told of it. */
export interface Publishing {
  calls?: Records;
  tell?: NotificationEvent[];
}

export interface ShipmentInput {
  /** A return parcel is booked with `returnCarrier` from the customer back to the warehouse. */
  kind?: 'outbound' | 'return';
  returnCarrier?: string;
  orderId: string;
  shipmentId: string;
  allocation: Allocation;
  to: Address;
  service: string;
  cashOnDelivery?: ShipmentRequest['cashOnDelivery'];
  preferredCarriers?: string[];
  carrierPolicy?: CarrierPolicy;
  /** The order's sales channel: merchant carrier rules may be per channel. */
  channel?: string;
  promisedDeliveryDate?: string;
  /** Shipped on the marketplace's own carrier contract: its carrier, tracking number and label are taken, never booked (shipment/marketplace.ts). */
  marketplaceShipping?: MarketplaceShipping;
  timers: ShipmentTimers;
  /** Set by an order of 0.3 on: the parcel tells it only what changes the order (domain/order-progress.ts, orderNews). */
  reports?: 'milestones';
  resume?: TrackingState;
}

/** The shipment workflow's signature, for continuing as new from a phase. */
export type ShipmentWorkflow = (input: ShipmentInput) => Promise<ShipmentView>;

/**
 * The order a parcel runs inside, when it has no workflow of its own (a lean order's one parcel:
 * workflows/order/parcel.ts). It hears the parcel's milestones by a call, not a signal, and a
 * fresh run of the order carries the parcel's tracking on.
 */
export interface ParcelOwner {
  /** The order's status change the parcel's move brings, for the parcel's record to write with its own. */
  parcelMoved(): RecordStatusInput | undefined;
  /** Search attributes for the owner's next upsert: one event for the parcel's and the order's. */
  searchAlso(...pairs: SearchAttributeUpdatePair[]): void;
  continueParcelAsNew(tracking: TrackingState): Promise<never>;
}

export class Shipment {
  readonly kind: 'outbound' | 'return';
  readonly view: ShipmentView;
  // What signals brought in; the phases read and reset them.
  cancelRequested = false;
  retryRequest: { carrier?: string } | undefined;
  packed: Partial<Parcel> | undefined;
  correctedAddress: Address | undefined;
  /** A wait for a correction wakes on a new one only. */
  corrections = 0;
  readonly inbox: TrackingEvent[] = [];
  pollRequested = false;
  /** Why the carrier is held not to have accepted the parcel (the end-of-day check), until tracking shows it. */
  notAccepted: string | undefined;
  /** The marketplace's own contract the parcel ships on, as the marketplace last set it (it may move the parcel to another carrier). */
  readonly contract: MarketplaceShipping | undefined;
  /** The marketplace moved the parcel to this carrier or tracking number, not taken yet. */
  reassigned: Pick<MarketplaceShipping, 'carrier' | 'trackingNumber'> | undefined;
  /**
   * The history's length when a signal last came in. Read there, it is the same live and in a
   * replay; read once a local activity is done, it is not (docs/upgrading.md).
   */
  lengthAtLastSignal = 0;

  private readonly summaries: boolean;
  /** The order's workflow, signalled with the parcel's news; undefined when the parcel runs inside it (`owner`). */
  private readonly order: ExternalWorkflowHandle | undefined;
  /** Each signal's handler by name, for an owner that hands a signal on to the parcel inside it (receive). */
  private readonly handlers = new Map<string, (...args: unknown[]) => void>();
  private readonly notices: Promise<void>[] = [];
  private readonly voids: Promise<void>[] = [];
  /** Whether this run takes issue 24's leaner shape (patch half-the-cost). */
  readonly lean: boolean;
  private attentionPublished: boolean;
  /** What the current phase needs ops for (needs_attention, overdue packing). */
  private phaseAttention: string | undefined;
  /** Bookings the carrier would not void: ops must settle each with the carrier, so they stay on the view to the end. */
  private readonly unvoided: string[] = [];
  /** The scans the order has been sent by this run (a new run sends the timeline once again; the order drops what it has). */
  private readonly eventsSent = new Set<string>();
  /** What the order last heard of this parcel (orderNews), when it hears milestones only; undefined when it hears every change. */
  private orderHeard: string | undefined;
  /** Started with WarehouseId and NeedsAttention already set: nothing to upsert in the first task. */
  readonly startedSearchable: boolean;

  constructor(
    readonly input: ShipmentInput,
    /** This run's patches, as its first task took them. */
    readonly patches: RunPatches,
    /** The order this parcel runs inside; undefined for a parcel of its own workflow (a child of the order). */
    readonly owner?: ParcelOwner,
  ) {
    const { shipmentId, allocation } = input;
    this.summaries = input.timers.activitySummaries === true;
    this.kind = input.kind ?? 'outbound';
    this.view = input.resume?.view ?? {
      shipmentId,
      kind: this.kind,
      warehouseId: allocation.warehouseId,
      lines: allocation.lines,
      status: 'packing',
      events: [],
    };
    this.order = owner ? undefined : getExternalWorkflowHandle(workflowInfo().parent!.workflowId);
    const lean = (this.lean = this.patches.taken(PATCHES.halfTheCost));
    // An owner upserts the parcel's first search attributes with its own status (order/parcel.ts).
    this.startedSearchable = lean && (owner !== undefined || startedWithSearchAttributes());
    // A continued run inherits its search attributes; a lean order starts its parcels with them.
    this.attentionPublished = input.resume !== undefined || this.startedSearchable;
    // The order knows the parcel as it started it (packing), and a continued run's picture as last told.
    if (lean && input.reports === 'milestones' && this.kind === 'outbound') this.orderHeard = orderNews(this.view);
    // Decided in the run's first task, as every patch is (patches.ts: CONTRACT_PATCHES).
    this.contract =
      input.marketplaceShipping && this.patches.taken(PATCHES.marketplaceContract) ? { ...input.marketplaceShipping } : undefined;

    setHandler(shipmentQuery, () => this.view);
    this.on(cancelShipmentSignal, () => void (this.cancelRequested = true));
    this.on(retryBookingSignal, (request) => void (this.retryRequest = request));
    this.on(trackingEventSignal, (event) => void this.inbox.push(event));
    this.on(packedSignal, (parcel) => void (this.packed = parcel));
    this.on(pollTrackingSignal, () => void (this.pollRequested = true));
    this.on(notAcceptedSignal, ({ message }) => void (this.notAccepted = message));
    this.on(marketplaceReassignedSignal, (change) => void (this.reassigned = this.contract && change));
    this.on(addressCorrectedSignal, (address) => {
      this.correctedAddress = address;
      this.corrections++;
    });
  }

  /** A signal's handler that also notes the history's length where the signal came in. */
  private on<T extends unknown[]>(signal: SignalDefinition<T>, handler: (...args: T) => void): void {
    const noted = (...args: T) => {
      this.lengthAtLastSignal = workflowInfo().historyLength;
      handler(...args);
    };
    setHandler(signal, noted);
    this.handlers.set(signal.name, noted as unknown as (...args: unknown[]) => void);
  }

  /** A signal the owner hands on (a cancel or a corrected address the order took by its update), as if it had come in. */
  receive<T extends unknown[]>(signal: SignalDefinition<T>, ...args: T): void {
    this.handlers.get(signal.name)?.(...args);
  }

  /** Tracking goes on in a fresh run: the parcel's own, or its owner's. */
  continueAsNew(tracking: TrackingState): Promise<never> {
    if (this.owner) return this.owner.continueParcelAsNew(tracking);
    return continueAsNew<ShipmentWorkflow>({ ...this.input, marketplaceShipping: this.contract, resume: tracking });
  }

  /** What the carriers are asked to carry: to the corrected address if one came while packing; a return is never cash on delivery. */
  request(parcel: Parcel): ShipmentRequest {
    const { shipmentId, orderId, allocation } = this.input;
    return {
      shipmentId,
      orderId,
      warehouseId: allocation.warehouseId,
      to: this.correctedAddress ?? this.input.to,
      parcel,
      service: this.input.service,
      cashOnDelivery: this.kind === 'return' ? undefined : this.input.cashOnDelivery,
    };
  }

  /** Cancelling is asked for, and the carrier does not have the parcel yet. */
  get cancellable(): boolean {
    return this.cancelRequested && !handedToCarrier(this.view.status);
  }

  /** This carrier's calls (activities/carriers). */
  carrier(name: string) {
    return carrierCalls(name, this.summaries, this.input.timers.quoteBound);
  }

  async moveTo(status: ShipmentStatus, attention?: string, { calls = records, tell = [] }: Publishing = {}): Promise<void> {
    this.phaseAttention = attention;
    const shown = [attention, ...this.unvoided].filter((a) => a !== undefined).join('; ') || undefined;
    const needsAttention = shown !== undefined;
    // Upserted when it changes only (and once at the start, so the query finds every parcel): each upsert is an event.
    if (needsAttention !== (this.view.attention !== undefined) || !this.attentionPublished) {
      const attention = { key: searchAttributes.NeedsAttention, value: needsAttention };
      if (this.owner) this.owner.searchAlso(attention);
      else upsertSearchAttributes([attention]);
      this.attentionPublished = true;
    }
    this.view.status = status;
    this.view.attention = shown;
    await this.publish({ calls, tell });
  }

  /**
   * The shipment's picture to PostgreSQL and to its order, and the customer told of `tell`. A lean
   * run queues its notices with the record, for the worker's notice pump (workers/notice-pump.ts):
   * no activity and no workflow task per notice, and they go out in the order queued. An older run
   * sends each by an activity after the record, as it always did.
   */
  async publish({ calls = records, tell = [] }: Publishing = {}): Promise<void> {
    const notices = this.lean && tell.length > 0 ? { taskQueue: workflowInfo().taskQueue, events: tell } : undefined;
    await this.report(calls, notices);
    if (!this.lean) for (const event of tell) this.notify(event);
  }

  private async report(calls: Records, notices: QueuedNotices | undefined): Promise<void> {
    const { orderId } = this.input;
    if (this.owner) {
      // Inside its order: signalled there (its record's workflow_id says so), and the order's status
      // moves with it, both written by this one record.
      const orderStatus = this.owner.parcelMoved();
      const workflowId = workflowInfo().workflowId;
      return calls.recordShipment({
        orderId,
        view: this.view,
        ...(notices && { notices }),
        workflowId,
        ...(orderStatus && { orderStatus }),
      });
    }
    await calls.recordShipment({ orderId, view: this.view, ...(notices && { notices }) });
    if (!this.order) return;
    if (!this.patches.taken(PATCHES.progressCarriesChanges)) return this.order.signal(shipmentProgressSignal, this.view);
    if (!this.newsForOrder()) return;
    const { events, ...view } = this.view;
    if (this.lean) {
      // Not what the order decides by: the API reads them from PostgreSQL (recorded above), and they
      // were half of each report's bytes, twice (sent and received). The parcel's own query keeps them.
      delete view.quotes;
      delete view.parcel;
    }
    const newEvents = events.filter((e) => !this.eventsSent.has(e.eventId));
    try {
      await this.order.signal(shipmentChangedSignal, { view, newEvents });
    } catch (err) {
      // An order terminated by ops listens no more; the parcel goes on to its end, its record kept above.
      if (!(err instanceof ApplicationFailure && err.type === 'ExternalWorkflowExecutionNotFound')) throw err;
    }
    for (const e of newEvents) this.eventsSent.add(e.eventId);
  }

  /**
   * Whether the order has news of this parcel: always, for an order that hears every change; for
   * one that hears milestones only, when what it reads of the parcel changed (a signal costs both
   * workflows a task, and the API reads the rest from PostgreSQL).
   */
  private newsForOrder(): boolean {
    if (this.orderHeard === undefined) return true;
    const news = orderNews(this.view);
    if (news === this.orderHeard) return false;
    this.orderHeard = news;
    return true;
  }

  /** Ends the shipment cancelled, saying why. */
  async cancel(outcome: string): Promise<ShipmentView> {
    this.view.outcome = outcome;
    await this.moveTo('cancelled');
    return this.view;
  }

  /**
   * Voided by the booking's key, retried until done: a cancelled parcel must not keep a live label.
   * A carrier that refuses the void (a label already manifested, an unknown key) cannot be asked
   * again: the booking is recorded for ops to settle with the carrier, and the parcel goes on.
   */
  async voidLabel({ carrier, idempotencyKey }: Pick<Booking, 'carrier' | 'idempotencyKey'>): Promise<void> {
    if (isMarketplaceBooking({ idempotencyKey })) return this.marketplacePackageLeft(); // no carrier of ours holds it
    try {
      await this.carrier(carrier).void({ carrier, idempotencyKey });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await this.recordUnvoided('void_refused', `${carrier} refused to void booking ${idempotencyKey}: ${reasonOf(err)}`);
    }
  }

  /** A cancelled parcel on the marketplace's contract: its package is still live there, the marketplace's carrier coming for it. */
  private async marketplacePackageLeft(): Promise<void> {
    const { orderId, shipmentId } = this.input;
    const { marketplace, packageId } = this.contract!;
    const message = `order ${orderId} was cancelled here after ${marketplace}'s label for package ${packageId}: cancel the package in the seller panel, or its carrier collects it`;
    await records.alertOps({ orderId, shipmentId, kind: 'marketplace_cancel_to_tell', message });
  }

  /**
   * Voids beside what the parcel does next: the next carrier books without waiting on one that just
   * failed. Bounded (VOID_BESIDE_BOUND); a booking the carrier refused or never confirmed voiding is
   * recorded for ops to reconcile. `voidsSettled` waits for them.
   */
  voidBeside({ carrier, idempotencyKey }: Pick<Booking, 'carrier' | 'idempotencyKey'>): void {
    // Recorded beside the parcel, so by activities: a local activity's result reaches a concurrent
    // branch at another point on replay than it did live, and replay then fails.
    const calls = this.patches.taken(PATCHES.unvoidedRecordedByActivities) ? besideRecords : records;
    const voided = this.carrier(carrier).voidBeside({ carrier, idempotencyKey });
    const settled = voided.catch((err) => {
      if (!(err instanceof ActivityFailure)) throw err;
      if (refused(err))
        return this.recordUnvoided('void_refused', `${carrier} refused to void booking ${idempotencyKey}: ${reasonOf(err)}`, calls);
      const why = `${carrier} did not confirm the void of booking ${idempotencyKey} within ${VOID_BESIDE_BOUND}: ${reasonOf(err)}`;
      return this.recordUnvoided('void_unconfirmed', why, calls);
    });
    this.voids.push(settled);
  }

  /**
   * Whether a round may ask contract prices as local activities: in a lean run that has started no
   * void beside it. A void that fails records by activities and moves the parcel: a local activity's
   * result would reach this branch and that one at other points live and on replay (voidBeside).
   * Whether a void is still running is not asked: it changes where the void ends, which a local
   * activity before the question moves between live and replay; the voids started only change here.
   */
  get quotesLocally(): boolean {
    return this.lean && this.voids.length === 0;
  }

  /** Every void beside the parcel done, or recorded for ops. */
  voidsSettled(): Promise<unknown> {
    return Promise.all(this.voids);
  }

  /** A booking that may still be live at its carrier: an ops alert, and NeedsAttention with why until the parcel's end. */
  private async recordUnvoided(kind: string, why: string, calls: Records = records): Promise<void> {
    const { orderId, shipmentId } = this.input;
    const message = `${why}: settle it with the carrier (docs/operations.md)`;
    this.unvoided.push(message);
    await calls.alertOps({ orderId, shipmentId, kind, message });
    await this.moveTo(this.view.status, this.phaseAttention, { calls });
  }

  /** An older run's notice, sent without holding the parcel up: the activity retries on its own (for minutes, through outages). */
  notify(event: NotificationEvent): void {
    const { orderId, shipmentId } = this.input;
    const { trackingNumber, carrier } = this.view;
    this.notices.push(
      notifications.notifyCustomer({ orderId, shipmentId, event, trackingNumber, carrier }).then(
        () => undefined,
        (err) => {
          if (!(err instanceof ActivityFailure)) throw err; // given up: the ledger shows what was not sent
        },
      ),
    );
  }

  /** Every notice of an older run sent (or given up on); a lean run's are the pump's. */
  noticesSettled(): Promise<unknown> {
    return Promise.all(this.notices);
  }
}

/** The order started this parcel with its WarehouseId and NeedsAttention set (a lean order does). */
function startedWithSearchAttributes(): boolean {
  return workflowInfo().typedSearchAttributes.get(searchAttributes.WarehouseId) !== undefined;
}

/** The carrier said no (a non-retryable failure): asking again cannot help. */
function refused(err: ActivityFailure): boolean {
  return err.cause instanceof ApplicationFailure && err.cause.nonRetryable === true;
}

/** The carrier's own words for a failed call. */
function reasonOf(err: ActivityFailure): string {
  return err.cause?.message ?? err.message;
}
