// An in-memory carrier for workflow tests, where the test is about the workflow's logic
// (fallback, voiding, tracking) rather than a carrier's protocol. It keeps every booking,
// so a test can count live ones. Real protocols are tested against the carrier sandbox.
import { randomInt } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { CarrierAdapter, CarrierCapabilities } from '../../carriers/adapter';
import { ADDRESS_REJECTED, CARRIER_FAILURE_TYPES } from '../../domain/carrier-failures';
import type { Booking, Quote, ShipmentRequest, TrackingEvent } from '../../domain/shipment';
import { renderPdfLabel } from '../../activities/labels/render';

/** ok: books; refuse: rejects the parcel; bad-address: rejects the address; down: every call fails; lose-response: books, then the reply is lost. */
export type CarrierBehaviour = 'ok' | 'refuse' | 'bad-address' | 'down' | 'lose-response';
/** How the carrier answers a void: ok: voids; refuse: refuses it (a 4xx, as the adapters map it); down: fails, retryably. */
export type VoidBehaviour = 'ok' | 'refuse' | 'down';

/** How the carrier answers a subscription to its pushed scans: ok, or down (fails, retryably). */
export type SubscriptionBehaviour = 'ok' | 'down';

export class MemoryCarrier implements CarrierAdapter {
  readonly capabilities: CarrierCapabilities;
  readonly bookings = new Map<string, Booking & { live: boolean }>();
  /** Scans the carrier reports when polled, by tracking number. */
  readonly scans = new Map<string, TrackingEvent[]>();
  /** Every booking request, as the carrier received it. */
  readonly requests: ShipmentRequest[] = [];
  behaviour: CarrierBehaviour;
  voids: VoidBehaviour;
  subscriptions: SubscriptionBehaviour = 'ok';
  /** Tracking numbers subscribed to pushed scans. */
  readonly subscribed = new Set<string>();
  /** While set, bookings wait on it once the request is received (a carrier slow to book). */
  bookingsHeld: Promise<void> | undefined;
  readonly transitDays: number;
  private readonly returnDelayMs: number;
  private readonly voidDelayMs: number;
  private readonly printsLabels: boolean;

  constructor(
    readonly name: string,
    private readonly price: number,
    options: {
      behaviour?: CarrierBehaviour;
      pushTracking?: boolean;
      countries?: string[];
      transitDays?: number;
      returnDelayMs?: number;
      voidDelayMs?: number;
      voids?: VoidBehaviour;
      /** Issues a real 4x6 PDF label with the tracking number's barcode, instead of a few bytes standing for one. */
      printsLabels?: boolean;
      /** Prices from a tariff, with no call (CarrierCapabilities.pricesByContract): quoted by a local activity. */
      pricesByContract?: boolean;
    } = {},
  ) {
    this.behaviour = options.behaviour ?? 'ok';
    this.voids = options.voids ?? 'ok';
    this.transitDays = options.transitDays ?? 2;
    this.returnDelayMs = options.returnDelayMs ?? 0;
    this.voidDelayMs = options.voidDelayMs ?? 0;
    this.printsLabels = options.printsLabels ?? false;
    this.capabilities = {
      services: ['standard', 'express'],
      countries: options.countries ?? ['TR', 'DE'],
      maxWeightGrams: 30_000,
      maxPieces: 99,
      cashOnDelivery: true,
      cardOnDelivery: true,
      pushTracking: options.pushTracking ?? true,
      returns: true,
      pickups: false,
      labelFormats: [],
      pricesByContract: options.pricesByContract,
    };
  }

  private async label(request: ShipmentRequest, trackingNumber: string): Promise<Buffer> {
    if (!this.printsLabels) return Buffer.from(`%PDF-1.4 test label ${request.shipmentId}`);
    const { orderId, shipmentId, service, to, parcel } = request;
    const sender = { name: this.name, city: 'İstanbul', countryCode: 'TR' };
    return renderPdfLabel({
      carrier: this.name,
      trackingNumber,
      service,
      orderId,
      shipmentId,
      weightGrams: parcel.weightGrams,
      sender,
      recipient: to,
    });
  }

  liveBookings(): Booking[] {
    return [...this.bookings.values()].filter((b) => b.live);
  }

  async quote(request: ShipmentRequest): Promise<Quote> {
    if (this.behaviour === 'down') throw new Error(`${this.name} is down`);
    return { carrier: this.name, service: request.service, amount: this.price, currency: 'TRY', transitDays: this.transitDays };
  }

  async book(request: ShipmentRequest, idempotencyKey: string): Promise<Booking> {
    if (this.behaviour === 'down') throw new Error(`${this.name}: 503 service unavailable`);
    this.requests.push(request);
    await this.bookingsHeld;
    if (this.behaviour === 'refuse') throw ApplicationFailure.nonRetryable(`${this.name} refused: over its weight limit`, 'ServiceRefused');
    if (this.behaviour === 'bad-address')
      throw ApplicationFailure.nonRetryable(`${this.name}: receiver address not found`, ADDRESS_REJECTED);
    const existing = this.bookings.get(idempotencyKey);
    const trackingNumber = existing?.trackingNumber ?? `${this.name.toUpperCase()}${randomInt(1e9, 1e10)}`; // unique across runs, like a carrier's
    const booking = existing ?? {
      carrier: this.name,
      bookingId: `${this.name}-B${this.bookings.size + 1}`,
      trackingNumber,
      labelRef: `data:application/pdf;base64,${(await this.label(request, trackingNumber)).toString('base64')}`,
      idempotencyKey,
      live: true,
    };
    this.bookings.set(idempotencyKey, booking);
    if (this.behaviour === 'lose-response') throw new Error(`${this.name}: timeout reading the response`);
    return booking;
  }

  async createReturn(request: ShipmentRequest, idempotencyKey: string): Promise<Booking> {
    await new Promise((resolve) => setTimeout(resolve, this.returnDelayMs)); // a carrier slow to issue return labels
    return this.book(request, idempotencyKey);
  }

  async cancel(idempotencyKey: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.voidDelayMs)); // a carrier slow to void labels
    if (this.voids === 'down') throw new Error(`${this.name}: 503 service unavailable`);
    if (this.voids === 'refuse')
      throw ApplicationFailure.nonRetryable(`${this.name}: 400 label already manifested, cannot void`, CARRIER_FAILURE_TYPES.refused);
    const booking = this.bookings.get(idempotencyKey);
    if (booking) booking.live = false;
  }

  async track(trackingNumbers: string[]): Promise<TrackingEvent[]> {
    return trackingNumbers.flatMap((n) => this.scans.get(n) ?? []);
  }

  async subscribeTracking(trackingNumber: string): Promise<void> {
    if (this.subscriptions === 'down') throw new Error(`${this.name}: 503 service unavailable`);
    this.subscribed.add(trackingNumber);
  }
}

/** A scan as a carrier would report it. */
export function scan(
  trackingNumber: string,
  status: TrackingEvent['status'],
  occurredAt: string,
  eventId = `${trackingNumber}:${status}:${occurredAt}`,
): TrackingEvent {
  return { eventId, trackingNumber, status, occurredAt };
}
