// One order's state, shared by its phases: its picture (the view), what updates and signals have
// brought in, and the steps every phase takes (move to a status, cancel).
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  makeContinueAsNewFunc,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
  type SignalDefinition,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Address, OrderStart, OrderStatus, OrderView, ReturnLabel, ReturnRequest } from '../../domain/order';
import { deliveryAddress, whyAddressNotChangeable, whyNotCancellable, whyNotReturnable } from '../../domain/order-rules';
import { handedToCarrier, shipmentFinished } from '../../domain/statuses';
import { mergeScans } from '../../domain/tracking';
import type { ShipmentView } from '../../domain/shipment';
import {
  addressCorrectedSignal,
  cancelShipmentSignal,
  cancelUpdate,
  correctAddressUpdate,
  requestReturnUpdate,
  searchAttributes,
  shipmentChangedSignal,
  shipmentProgressSignal,
  statusQuery,
  stockReplenishedSignal,
} from '../definitions';
import { PATCHES, type RunPatches } from '../patches';
import { orderStatusOf } from '../../domain/order-progress';
import type { ParcelOwner, Shipment, ShipmentWorkflow, TrackingState } from '../shipment/state';
import type { ParcelResume } from './parcel';
import type { RecordStatusInput } from '../../activities/orders';
import { notifyCustomer, recordStatus, releaseStock } from './activities';
import type { OrderWorkflowOptions } from './options';

/** An update's validator: refused, with why, when the rule gives a reason. */
function refuseIf(reason: string | undefined): void {
  if (reason) throw new Error(reason);
}

/** Where a run that continues as new is picked up: following the parcels out, in the return window, following the return parcels. */
export type OrderPhase = 'outbound' | 'delivered' | 'return';

/** What a run hands the next when it continues as new: its phase, its picture and what updates brought in. */
export interface OrderResume {
  phase: OrderPhase;
  view: OrderView;
  shippingAddress: Address;
  cancelReason?: string;
  returnRequest?: ReturnRequest;
  returnLabels?: ReturnLabel[];
  /** When the return window closes (epoch ms), from the delivery on. */
  returnWindowEndsAt?: number;
  /** The status the last run's final wake brought, for this run to record first (patch continue-as-new-on-events). */
  unrecordedStatus?: OrderStatus;
  /** The parcel inside the order's workflow, when it ships from one warehouse (order/parcel.ts), from its tracking on. */
  parcel?: ParcelResume;
}

/** The order workflow's signature, for continuing as new. */
export type OrderWorkflow = (input: OrderStart, options?: Partial<OrderWorkflowOptions>, resume?: OrderResume) => Promise<OrderView>;

export class Order implements ParcelOwner {
  readonly view: OrderView;
  /** The phase a continued run would pick up; undefined until the parcels are started. */
  phase: OrderPhase | undefined;
  /** The shipment children this run started for the current phase (a continued run has none: it follows its parcels by their signals). */
  children: ChildWorkflowHandle<ShipmentWorkflow>[] = [];
  /**
   * Whether this order's parcels were started to outlive its run (patch children-outlive-run): only
   * then may the run continue as new or undo a Temporal cancel. Kept from the first start, since
   * patched() answers true again once a replayed order runs on live.
   */
  childrenOutliveRun: boolean | undefined;
  /** The parcel inside this workflow (order/parcel.ts), its view one of the order's shipments, and its way to its end. */
  parcel: Shipment | undefined;
  parcelRun: Promise<ShipmentView> | undefined;
  /** Parcels whose workflow failed (a bug): they will never report an end. */
  readonly failedShipments = new Set<string>();
  returnWindowEndsAt: number | undefined;
  /** Brought by the last run's final wake, not yet recorded (see OrderResume). */
  unrecordedStatus: OrderStatus | undefined;
  // What updates and signals brought in; the phases read and reset them.
  shippingAddress: Address;
  cancelReason: string | undefined;
  returnRequest: ReturnRequest | undefined;
  returnLabels: ReturnLabel[] | undefined;
  replenished = false;
  shipmentsChanged = false;
  /** Update handlers still running. The signal handlers here are synchronous: none runs across an await. */
  updatesRunning = 0;

  /**
   * Whether this run takes issue 24's leaner shape (patch half-the-cost): its parcels report
   * milestones only, and statuses passed within one workflow task are recorded without an upsert.
   */
  readonly lean: boolean;
  private searchedTrackingNumber: string | undefined;
  private readonly searchPending: SearchAttributeUpdatePair[] = [];

  constructor(
    readonly input: OrderStart,
    readonly settings: OrderWorkflowOptions,
    /** This run's patches, as its first task took them. */
    readonly patches: RunPatches,
    resume?: OrderResume,
  ) {
    this.view = resume?.view ?? {
      orderId: input.orderId,
      channel: input.channel,
      status: 'received',
      lines: input.lines,
      allocations: [],
      shipments: [],
      history: [],
      pendingActions: [],
    };
    this.shippingAddress = resume?.shippingAddress ?? input.shippingAddress;
    this.lean = this.patches.taken(PATCHES.halfTheCost);
    if (resume) this.resumeFrom(resume);

    setHandler(statusQuery, () => this.view);
    setHandler(stockReplenishedSignal, () => void (this.replenished = true));
    setHandler(shipmentProgressSignal, (shipment) => this.shipmentProgressed(shipment));
    setHandler(shipmentChangedSignal, ({ view, newEvents }) => {
      const known = this.view.shipments.find((s) => s.shipmentId === view.shipmentId);
      if (!known) return;
      const events = mergeScans(known.events, newEvents, view.trackingNumber) ?? known.events;
      this.shipmentProgressed({ ...view, events });
    });
    setHandler(
      cancelUpdate,
      ({ reason }) =>
        this.running(async () => {
          this.cancelReason = reason;
          await this.signalShipments(cancelShipmentSignal);
          await condition(() => this.view.status === 'cancelled' || this.view.shipments.some((s) => handedToCarrier(s.status)));
          // Lost to the pick-up: nothing later (a return parcel) may still act on it.
          if (this.view.status !== 'cancelled' && this.patches.taken(PATCHES.lostCancelForgotten)) this.cancelReason = undefined;
          return this.view.status;
        }),
      { validator: (_request) => refuseIf(whyNotCancellable(this.view)) },
    );
    setHandler(
      correctAddressUpdate,
      ({ address }) =>
        this.running(async () => {
          this.shippingAddress = address;
          await this.signalShipments(addressCorrectedSignal, this.deliveryAddress());
          return this.view.status;
        }),
      { validator: (_request) => refuseIf(whyAddressNotChangeable(this.view)) },
    );
    setHandler(
      requestReturnUpdate,
      (request) =>
        this.running(async () => {
          this.returnRequest = request;
          await condition(() => this.returnLabels !== undefined);
          return this.returnLabels!;
        }),
      { validator: (request: ReturnRequest) => refuseIf(whyNotReturnable(this.view, this.returnRequest !== undefined, request)) },
    );
  }

  /** Where parcels go now: the latest address, with the customer's phone for the courier. */
  deliveryAddress(): Address {
    return deliveryAddress(this.shippingAddress, this.input.customer.phone);
  }

  /**
   * To `status`, recorded; upserted into search unless the caller says the next status follows in
   * the same workflow task (only the last upsert of a task is ever seen, and each is an event).
   */
  async moveTo(status: OrderStatus, reason?: string, { searchable = true } = {}): Promise<void> {
    const change = this.enter(status, reason, searchable);
    // Recorded even when ops cancel the workflow meanwhile: the view already says it, and PostgreSQL must agree.
    if (change) await CancellationScope.nonCancellable(() => recordStatus(change));
  }

  /** To `status` in the view (and search): the change to record, or undefined when the order is there already. */
  private enter(status: OrderStatus, reason?: string, searchable = true): RecordStatusInput | undefined {
    const { view } = this;
    if (status === view.status && view.history.length > 0) return undefined;
    const change = { status, at: new Date().toISOString(), reason };
    view.status = status;
    view.history.push(change);
    if (searchable) this.upsertSearch({ key: searchAttributes.OrderStatus, value: status });
    return { orderId: this.input.orderId, seq: view.history.length, ...change };
  }

  /** Ends the order cancelled: what it held goes back to the shelf, and the customer is told. */
  async cancel(reason: string): Promise<OrderView> {
    // To the end even when ops cancel the workflow meanwhile: a half-done cancel would leave stock held or the customer untold.
    return CancellationScope.nonCancellable(async () => {
      await releaseStock({ orderId: this.input.orderId });
      await this.moveTo('cancelled', reason);
      await notifyCustomer({ orderId: this.input.orderId, event: 'cancelled' }).catch(() => undefined);
      return this.view;
    });
  }

  /** Past the history limit with no update or signal handler running: the run may start afresh without losing one. */
  mayContinueAsNew(): boolean {
    return this.historyFull() && allHandlersFinished();
  }

  /** Past the history limit, in a run whose parcels outlive it (only such a run may continue as new). */
  historyFull(): boolean {
    return this.childrenOutliveRun === true && workflowInfo().historyLength >= (this.settings.maxHistoryEvents ?? Infinity);
  }

  /**
   * Runs an update's handler, counted in updatesRunning. In a lean run it runs outside the
   * workflow's cancellation: an order that a Temporal cancel could no longer undo goes on to its
   * end (onTemporalCancel), and still owes each update its answer (a return asked for later, say).
   */
  private async running<T>(handler: () => Promise<T>): Promise<T> {
    this.updatesRunning++;
    try {
      return await (this.lean ? CancellationScope.nonCancellable(handler) : handler());
    } finally {
      this.updatesRunning--;
    }
  }

  /** Continues as new at `phase`, once every handler has finished: the next run gets the picture and every request this one heard. */
  async continueAsNew(phase: OrderPhase, unrecordedStatus?: OrderStatus, parcel?: ParcelResume): Promise<never> {
    await condition(allHandlersFinished);
    this.flushSearch(); // a continued run copies the search attributes, not what is pending here
    const { input, settings, view, shippingAddress, cancelReason, returnRequest, returnLabels, returnWindowEndsAt } = this;
    const resume: OrderResume = {
      phase,
      view,
      shippingAddress,
      cancelReason,
      returnRequest,
      returnLabels,
      returnWindowEndsAt,
      unrecordedStatus,
      parcel,
    };
    return makeContinueAsNewFunc<OrderWorkflow>()(input, settings, resume);
  }

  private resumeFrom(resume: OrderResume): void {
    this.phase = resume.phase;
    this.childrenOutliveRun = true; // only such runs continue as new
    this.cancelReason = resume.cancelReason;
    this.returnRequest = resume.returnRequest;
    this.returnLabels = resume.returnLabels;
    this.returnWindowEndsAt = resume.returnWindowEndsAt;
    this.unrecordedStatus = resume.unrecordedStatus;
    this.searchedTrackingNumber = this.view.shipments.find((s) => s.kind === 'outbound' && s.trackingNumber)?.trackingNumber;
  }

  // Signals go by workflow id alone (a shipment may have continued as a new run), and only to
  // shipments still running: one that already ended must not fail the caller's update. The parcel
  // inside this workflow takes the signal as it would have come in.
  signalShipments<T extends unknown[]>(signal: SignalDefinition<T>, ...args: T) {
    return Promise.all(
      this.view.shipments
        .filter((s) => !shipmentFinished(s.status))
        .map((s) =>
          s === this.parcel?.view
            ? Promise.resolve(this.parcel.receive(signal, ...args))
            : getExternalWorkflowHandle(s.shipmentId)
                .signal(signal, ...args)
                .catch(() => undefined),
        ),
    );
  }

  /**
   * The parcel inside this workflow moved: the order's status as it now stands, in the same step
   * (no update handler or query finds the parcel moved and the order not), its carrier and tracking
   * number and the parcel's search attributes upserted with it. The change is for the parcel's own
   * record to write (one local activity for both); followShipments does all this for a child's report.
   */
  parcelMoved(): RecordStatusInput | undefined {
    const { view } = this;
    view.pendingActions = view.shipments.filter((s) => s.attention).map((s) => `${s.shipmentId}: ${s.attention}`);
    this.showCarrierInSearch();
    const status = orderStatusOf(view.shipments);
    if (status !== undefined && status !== view.status) return this.enter(status);
    this.flushSearch();
    return undefined;
  }

  /** Tracking of the parcel inside goes on in a fresh run of the order (order/parcel.ts). */
  continueParcelAsNew(tracking: TrackingState): Promise<never> {
    const { input, contract } = this.parcel!;
    return this.continueAsNew('outbound', undefined, { input: { ...input, marketplaceShipping: contract, resume: undefined }, tracking });
  }

  /** Search attributes to upsert with the next status (each upsert is an event and a billable action). */
  searchAlso(...pairs: SearchAttributeUpdatePair[]): void {
    this.searchPending.push(...pairs);
  }

  /** Ops filter orders by carrier and tracking number too: the first labelled parcel's. */
  /** A parcel's new picture onto the order's, and what needs ops onto its pending actions. */
  private shipmentProgressed(shipment: ShipmentView): void {
    const { view } = this;
    const i = view.shipments.findIndex((s) => s.shipmentId === shipment.shipmentId);
    if (i >= 0) view.shipments[i] = shipment;
    view.pendingActions = view.shipments.filter((s) => s.attention).map((s) => `${s.shipmentId}: ${s.attention}`);
    this.shipmentsChanged = true;
    this.showCarrierInSearch();
  }

  private showCarrierInSearch(): void {
    const labelled = this.view.shipments.find((s) => s.kind === 'outbound' && s.trackingNumber);
    if (!labelled || labelled.trackingNumber === this.searchedTrackingNumber) return;
    this.searchedTrackingNumber = labelled.trackingNumber;
    const carrier = [
      { key: searchAttributes.Carrier, value: labelled.carrier! },
      { key: searchAttributes.TrackingNumber, value: labelled.trackingNumber! },
    ];
    // A lean run upserts them with the status the same report brings (followShipments flushes them if it brings none).
    if (this.lean) this.searchPending.push(...carrier);
    else upsertSearchAttributes(carrier);
  }

  /** One upsert with whatever a signal handler left pending: each upsert is an event and a billable action. */
  private upsertSearch(...pairs: SearchAttributeUpdatePair[]): void {
    upsertSearchAttributes([...this.searchPending.splice(0), ...pairs]);
  }

  /** What a signal handler left for the status's upsert, upserted when no status change took it. */
  flushSearch(): void {
    if (this.searchPending.length > 0) this.upsertSearch();
  }
}
